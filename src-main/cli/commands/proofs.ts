// Proof commands: prove attribute (the holder's side, over an issuer's credential), verify request (a verifier
// issues a nonce) and verify-proof (anyone; a proof answers a nonce this home issued, unless --nonce names one;
// an attribute proof needs the issuers the verifier trusts; the network or archives only when the verifier
// names a list whose members' chains it must read).
import { readFileSync } from 'node:fs';
import { proveAttribute } from '../../app/proofs/attributes.ts';
import { verifyProofFile } from '../../app/proofs/proofs.ts';
import { openSession } from '../../app/session.ts';
import { checkFieldTag } from '../../core/attributes/credential.ts';
import { assertDid, type Did } from '../../core/identity/did.ts';
import type { Predicate } from '../../core/zk/inputs.ts';
import { NONCE_DIGITS } from '../../../src-shared/rules/number.ts';
import { DefaustError, InvalidInputError } from '../../core/errors.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, type Command } from '../command.ts';
import { parsePolicy } from './feats.ts';
import { readInputFile, writeOutputFile } from './files.ts';
import { MAX_SOCIAL_DOC_BYTES } from '../../../src-shared/rules/limits.ts';
import { LIST_CHAIN_OPTIONS, listStore, trustSourceOption } from './trust-lists.ts';
import { term } from '../terminal.ts';
import { PROGRESS_OPTION, proofRun } from '../proof-run.ts';
import { iso, parseDuration } from '../time.ts';

const whole = (text: string, what: string, digits = 19): bigint => {
  if (!new RegExp(`^\\d{1,${digits}}$`, 'u').test(text)) throw new InvalidInputError(`${what} must be a whole number of 0 or more`);
  return BigInt(text);
};

const OPS = ['gte', 'lte', 'eq', 'in'] as const;
const SYMBOL = { gte: '≥', lte: '≤', eq: '=' } as const;

export const proveAttributeCommand: Command = {
  name: 'prove attribute',
  usage: 'defaust prove attribute --field TAG --op gte|lte|eq|in --bound N (in: A,B,…) --nonce N --out proof.json [--issuer DID] [--progress]',
  summary: "prove that an issuer signed your field's value and it is ≥, ≤, = a bound or one of a set, without revealing it; bound to the verifier's nonce",
  options: { field: { type: 'string' }, op: { type: 'string' }, bound: { type: 'string' }, nonce: { type: 'string' }, issuer: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, ...PROGRESS_OPTION },
  arity: [0, 0],
  async run(ctx) {
    const field = stringOption(ctx, 'field');
    const opText = stringOption(ctx, 'op');
    const raw = stringOption(ctx, 'bound');
    const nonce = stringOption(ctx, 'nonce');
    const out = stringOption(ctx, 'out');
    const issuer = stringOption(ctx, 'issuer');
    if (field === undefined || raw === undefined) throw new UsageError('prove attribute needs --field TAG and --bound N');
    const op = OPS.find((o) => o === opText);
    if (op === undefined) throw new UsageError('prove attribute needs --op gte, lte, eq or in');
    if (!nonce || !NONCE_DIGITS.test(nonce)) throw new UsageError('prove attribute needs --nonce N (a whole number the verifier chose)');
    if (!out) throw new UsageError('prove attribute needs --out FILE');
    if (issuer !== undefined) assertDid(issuer);
    checkFieldTag(field);
    const predicate: Predicate = op === 'in'
      ? { op, bound: 0n, set: raw.split(',').map((v) => whole(v.trim(), 'a set member')) }
      : { op, bound: whole(raw, '--bound'), set: [] };
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const run = proofRun(ctx);
    const file = await proveAttribute(session, field, predicate, BigInt(nonce), { ...(issuer === undefined ? {} : { issuer: issuer as Did }), progress: run.progress, signal: run.signal }).finally(run.done);
    writeOutputFile(ctx, out, new TextEncoder().encode(JSON.stringify(file, null, 1) + '\n'));
    ctx.out.result({ out, kind: 'attribute', field, op, issuer: file.issuer }, () => term`wrote a proof that ${field} ${op === 'in' ? term`is one of ${raw}` : term`${SYMBOL[op]} ${raw}`} (issued by ${file.issuer}) to ${out}`);
  },
};

export const verifyRequest: Command = {
  name: 'verify request',
  usage: 'defaust verify request [--ttl 1h]',
  summary: 'issue a nonce for a holder to prove a feat against (this home takes one proof for it; default ttl 1d)',
  options: { ttl: { type: 'string' } },
  arity: [0, 0],
  run(ctx) {
    const ttl = stringOption(ctx, 'ttl');
    const { nonce, expires } = ctx.home.nonces().issue(ttl === undefined ? undefined : parseDuration(ttl));
    ctx.out.result({ nonce, expires: iso(expires) }, () => term`nonce ${nonce} (expires ${iso(expires)})\nthe holder runs: defaust prove feat <claim> --nonce ${nonce}`);
  },
};

export const verifyProof: Command = {
  name: 'verify-proof',
  usage: 'defaust verify-proof <proof.json> [--trust did,… | --trust-list <authority-did> | --trust-root R] [--archive FILE]… [--bootstrap ADDR]… [--nonce N] [--policy k-of-n:K|authority] [--outcome FILE]…',
  summary: 'check a proof against the list you trust (witnesses for a feat, issuers for an attribute), computed by you; it must answer a nonce from verify request, once (--nonce N checks N alone); a feat proof is refuted by a challenge outcome given with --outcome; exit 1 with the reason when it is not valid',
  options: { 'trust-root': { type: 'string' }, 'trust-list': { type: 'string' }, trust: { type: 'string' }, nonce: { type: 'string' }, policy: { type: 'string' }, outcome: { type: 'string', multiple: true }, ...LIST_CHAIN_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    let text: string;
    try {
      text = readFileSync(ctx.positionals[0]!, 'utf8');
    } catch {
      throw new DefaustError('file', `cannot read ${ctx.positionals[0]}: no such file`);
    }
    const root = stringOption(ctx, 'trust-root');
    const nonce = stringOption(ctx, 'nonce');
    const policy = stringOption(ctx, 'policy');
    const source = trustSourceOption(ctx, 'trust-list', 'trust');
    if (source !== undefined && root !== undefined) throw new UsageError('give a list to trust (--trust, --trust-list) or a root you computed (--trust-root), not both');
    const outcomes = (Array.isArray(ctx.options.outcome) ? ctx.options.outcome : []).map((file) => readInputFile(String(file), MAX_SOCIAL_DOC_BYTES, false));
    const result = await verifyProofFile(ctx.home.crypto, ctx.home.prover, text, {
      ...(outcomes.length === 0 ? {} : { outcomes }),
      ...(policy === undefined ? {} : { policy: parsePolicy(policy) }),
      ...(source === undefined ? {} : { trust: { source, store: await listStore(ctx, source), barred: (did: string) => ctx.home.barred(did) } }),
      ...(root === undefined ? {} : { trustRoot: whole(root, '--trust-root', 78) }),
      ...(nonce === undefined ? { memory: ctx.home.nonces() } : { nonce: whole(nonce, '--nonce', 78) }),
    });
    const against = typeof result.checkedAgainst === 'string' ? term`\nchecked against ${result.checkedAgainst}` : '';
    ctx.out.result(result, () => (result.valid
      ? term`VALID: ${result.kind === 'attribute' ? term`${result.holder}'s ${result.field} ${result.op === 'in' ? term`is one of ${(result.set as string[]).join(', ')}` : term`${SYMBOL[result.op as keyof typeof SYMBOL]} ${result.bound}`}, issued by ${result.issuer}` : term`feat ${result.claim} attested under root ${result.root}`}`
      : term`INVALID: ${result.reason}`) + against);
    return result.valid ? 0 : 1;
  },
};
