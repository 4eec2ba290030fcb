// Proof commands: prove attribute (the owner's side), verify request (a verifier issues a nonce) and
// verify-proof (anyone; a feat proof answers a nonce this home issued, unless --nonce names one; the network or
// archives only when the verifier names a list whose members' chains it must read).
import { readFileSync } from 'node:fs';
import { proveAttribute, verifyProofFile, type Predicate } from '../../app/proofs/proofs.ts';
import { DefaustError, InvalidInputError } from '../../core/errors.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, type Command } from '../command.ts';
import { parsePolicy } from './feats.ts';
import { writeOutputFile } from './files.ts';
import { LIST_CHAIN_OPTIONS, listStore, trustSourceOption } from './trust-lists.ts';
import { term } from '../terminal.ts';
import { PROGRESS_OPTION, proofRun } from '../proof-run.ts';
import { iso, parseDuration } from '../time.ts';

const whole = (text: string, what: string, digits = 19): bigint => {
  if (!new RegExp(`^\\d{1,${digits}}$`, 'u').test(text)) throw new InvalidInputError(`${what} must be a whole number of 0 or more`);
  return BigInt(text);
};

export const proveAttributeCommand: Command = {
  name: 'prove attribute',
  usage: 'defaust prove attribute <section> <path> (--gte N | --lte N | --in A,B,…) --out proof.json [--progress]',
  summary: 'prove a numeric field is ≥, ≤ or one of a set, without revealing it',
  options: { gte: { type: 'string' }, lte: { type: 'string' }, in: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, ...PROGRESS_OPTION },
  arity: [2, 2],
  async run(ctx) {
    const out = stringOption(ctx, 'out');
    if (!out) throw new UsageError('prove attribute needs --out FILE');
    const given = (['gte', 'lte', 'in'] as const).filter((op) => stringOption(ctx, op) !== undefined);
    if (given.length !== 1) throw new UsageError('give exactly one of --gte N, --lte N, --in A,B,…');
    const op = given[0]!;
    const raw = stringOption(ctx, op)!;
    const predicate: Predicate = op === 'in'
      ? { op, bound: 0n, set: raw.split(',').map((v) => whole(v.trim(), 'a set member')) }
      : { op, bound: whole(raw, `--${op}`), set: [] };
    const [section, path] = ctx.positionals as [string, string];
    const secret = await passphrase(ctx.env);
    const run = proofRun(ctx);
    const file = await proveAttribute(ctx.home, secret, section, path, predicate, run.progress, run.signal).finally(run.done);
    writeOutputFile(ctx, out, new TextEncoder().encode(JSON.stringify(file, null, 1) + '\n'));
    ctx.out.result({ out, kind: 'attribute', field: `${section}/${path}`, op }, () => term`wrote a proof that ${section}/${path} ${op === 'in' ? term`is one of ${raw}` : term`${op === 'gte' ? '≥' : '≤'} ${raw}`} to ${out}`);
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
  usage: 'defaust verify-proof <proof.json> [--trust did,… | --trust-list <authority-did> | --trust-root R] [--archive FILE]… [--bootstrap ADDR]… [--nonce N] [--policy k-of-n:K|authority]',
  summary: 'check a proof against a root you compute from the list you trust; a feat proof must answer a nonce from verify request, once (--nonce N checks N alone); exit 1 with the reason when it is not valid',
  options: { 'trust-root': { type: 'string' }, 'trust-list': { type: 'string' }, trust: { type: 'string' }, nonce: { type: 'string' }, policy: { type: 'string' }, ...LIST_CHAIN_OPTIONS },
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
    const result = await verifyProofFile(ctx.home.crypto, ctx.home.prover, text, {
      ...(policy === undefined ? {} : { policy: parsePolicy(policy) }),
      ...(source === undefined ? {} : { trust: { source, store: await listStore(ctx, source) } }),
      ...(root === undefined ? {} : { trustRoot: whole(root, '--trust-root', 78) }),
      ...(nonce === undefined ? { memory: ctx.home.nonces() } : { nonce: whole(nonce, '--nonce', 78) }),
    });
    const against = typeof result.checkedAgainst === 'string' ? term`\nchecked against ${result.checkedAgainst}` : '';
    ctx.out.result(result, () => (result.valid
      ? term`VALID: ${result.kind === 'attribute' ? term`${result.owner}'s ${result.field} ${result.op === 'in' ? term`is one of ${(result.set as string[]).join(', ')}` : term`${result.op === 'gte' ? '≥' : '≤'} ${result.bound}`}` : term`feat ${result.claim} attested under root ${result.root}`}`
      : term`INVALID: ${result.reason}`) + against);
    return result.valid ? 0 : 1;
  },
};
