// Feat commands: feat claim / list / status, attest request / sign / import, trust add / list / sync / root,
// prove feat. The attestation verbs and trust sync are app/feats/'s (the wallet calls the same): these commands
// parse their arguments, give the verbs a network that starts an ephemeral node only when used, and print.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeOutputFolder } from '../../adapters/fs/atomic-file.ts';
import { listRoot, proveFeat, trustRoot } from '../../app/proofs/proofs.ts';
import { claimFeat } from '../../app/feats/claim.ts';
import { importAttestation, requestAttestations, signAttestationRequest } from '../../app/feats/attest.ts';
import type { FeatsNetwork } from '../../app/feats/network.ts';
import { publishTrustList, syncTrust } from '../../app/feats/trust.ts';
import { openSession, type Session } from '../../app/session.ts';
import type { Policy } from '../../core/feats/claims.ts';
import type { Did } from '../../core/identity/did.ts';
import { NETWORK_OPTIONS, onTheNetwork } from './net.ts';
import { passphrase, UsageError } from '../io.ts';
import { capped, stringOption, textOption, type Command, type CommandContext } from '../command.ts';
import { MAX_CRITERIA_CHARS, MAX_TITLE_CHARS } from '../../../src-shared/rules/text.ts';
import { MAX_ATTEST_REPLY_BYTES, MAX_ATTEST_REQUEST_BYTES } from '../../../src-shared/rules/limits.ts';
import { NONCE_DIGITS } from '../../../src-shared/rules/number.ts';
import { readInputFile, writeOutputFile } from './files.ts';
import { LIST_CHAIN_OPTIONS, listStore, trustSourceOption } from './trust-lists.ts';
import { term } from '../terminal.ts';
import { PROGRESS_OPTION, proofRun } from '../proof-run.ts';

export function parsePolicy(text: string | undefined): Policy {
  if (text === 'authority') return { kind: 'authority' };
  const m = /^k-of-n:(\d{1,2})$/u.exec(text ?? '');
  if (!m) throw new UsageError('--policy is k-of-n:K or authority');
  return { kind: 'k-of-n', k: Number(m[1]) };
}


const list = (value: string | boolean | (string | boolean)[] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');

export const featClaim: Command = {
  name: 'feat claim',
  usage: 'defaust feat claim "<title>" --type T --policy k-of-n:K|authority [--criteria TEXT] [--evidence CID]…',
  summary: 'record a feat you claim, with its criteria, evidence and the sign-off it needs',
  options: { type: { type: 'string' }, policy: { type: 'string' }, criteria: { type: 'string' }, evidence: { type: 'string', multiple: true } },
  arity: [1, 1],
  async run(ctx) {
    const featType = stringOption(ctx, 'type');
    if (!featType) throw new UsageError('feat claim needs --type (for example marathon)');
    const policy = parsePolicy(stringOption(ctx, 'policy'));
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const evidence = list(ctx.options.evidence);
    const { claim, block } = claimFeat(session, { title: capped(ctx.positionals[0]!, 'the title', MAX_TITLE_CHARS), criteria: textOption(ctx, 'criteria', MAX_CRITERIA_CHARS) ?? '', featType, policy, evidence });
    ctx.out.result({ cid: claim.cid, block: block.seq }, () => term`claimed ${claim.cid} (block ${block.seq})`);
  },
};

export const featStatus: Command = {
  name: 'feat status',
  usage: 'defaust feat status <claim-cid>',
  summary: 'how far a claim is from its policy: {met, have, need}, and `refuted` (the challenge lost on it) when it is',
  arity: [1, 1],
  async run(ctx) {
    const status = ctx.home.openProfile(await passphrase(ctx.env)).feats.status(ctx.positionals[0]!);
    ctx.out.result(status, () => (status.refuted === undefined ? '' : term`REFUTED by challenge ${status.refuted}; `) + term`${status.met ? 'MET' : 'not met yet'}: ${status.have} of ${status.need}`);
  },
};

export const featList: Command = {
  name: 'feat list',
  usage: 'defaust feat list',
  summary: 'your feat claims and their status',
  arity: [0, 0],
  async run(ctx) {
    const feats = ctx.home.openProfile(await passphrase(ctx.env)).feats.list().map(({ claim, status }) => ({
      cid: claim.cid, title: claim.claim.title, type: claim.claim.featType, policy: claim.claim.policy, ...status,
    }));
    ctx.out.result(feats, () => feats.map((f) => term`${f.cid}  ${f.title} [${f.type}]  ${f.met ? 'met' : term`${f.have}/${f.need}`}`).join('\n') || '(no feats)');
  },
};

/** The network for the feats verbs: an ephemeral node, started only when a verb carries or fetches (once a call). */
export function networkOf(ctx: CommandContext, session: Session): FeatsNetwork {
  return {
    carry: (parcels) => onTheNetwork(ctx, async (net) => {
      net.unlock(session.keys);
      return Promise.all(parcels.map(async ({ to, envelope }) => (await net.send(to, envelope)).deposited));
    }),
    fetchChains: (dids) => onTheNetwork(ctx, (net) => Promise.all(dids.map((did) => net.recover(did).then(() => null, (error: Error) => error.message)))),
  };
}

export const attestRequest: Command = {
  name: 'attest request',
  usage: 'defaust attest request <claim-cid> --witness DID… [--out DIR | --bootstrap <multiaddr>…]',
  summary: "send one sealed attestation request to each witness's mailboxes (or write them to --out DIR)",
  options: { witness: { type: 'string', multiple: true }, out: { type: 'string' }, force: { type: 'boolean' }, ...NETWORK_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    const out = stringOption(ctx, 'out');
    const witnesses = list(ctx.options.witness);
    if (witnesses.length === 0) throw new UsageError('name at least one --witness DID');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const requests = await requestAttestations(session, ctx.positionals[0]!, witnesses, out === undefined ? networkOf(ctx, session) : null);
    if (!out) {
      const sent = requests.map(({ witness, deposited }) => ({ witness, deposited }));
      ctx.out.result(sent, () => sent.map((r) => term`sent to ${r.witness} (${r.deposited} mailboxes)`).join('\n'));
      return;
    }
    makeOutputFolder(out);
    const files = requests.map(({ witness, envelope }) => {
      const file = join(out, `${witness.slice(-12)}.attest-request`);
      writeOutputFile(ctx, file, envelope);
      return { witness, file };
    });
    ctx.out.result(files, () => files.map((f) => term`${f.file}  → ${f.witness}`).join('\n'));
  },
};

export const attestSign: Command = {
  name: 'attest sign',
  usage: 'defaust attest sign <request-file | mail-id> --verdict yes|no [--out REPLY | --bootstrap <multiaddr>…]',
  summary: "as a witness: read a feat claim (a file, or a request `defaust mail` fetched) and sign your verdict; it goes back to the holder's mailboxes, or to --out",
  options: { verdict: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, ...NETWORK_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    const verdict = stringOption(ctx, 'verdict');
    const out = stringOption(ctx, 'out');
    if (verdict !== 'yes' && verdict !== 'no') throw new UsageError('--verdict is yes or no');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const source = ctx.positionals[0]!;
    const request = existsSync(source) ? { bytes: readInputFile(source, MAX_ATTEST_REQUEST_BYTES, false) } : { mail: source };
    const { claim, reply, deposited } = await signAttestationRequest(session, request, verdict, out === undefined ? networkOf(ctx, session) : null);
    ctx.out.note(term`Feat: ${claim.claim.title} [${claim.claim.featType}] by ${claim.claim.holder}\nCriteria: ${claim.claim.criteria || '(none given)'}\nEvidence: ${claim.claim.evidence.join(', ') || '(none)'}`);
    if (!out) {
      ctx.out.result({ claim: claim.cid, verdict, sent: deposited ?? 0 }, () => term`signed "${verdict}" for ${claim.cid}; sent to ${claim.claim.holder}'s mailboxes (${deposited ?? 0})`);
      return;
    }
    writeOutputFile(ctx, out, reply);
    ctx.out.result({ claim: claim.cid, verdict, out }, () => term`signed "${verdict}" for ${claim.cid}; send ${out} back to ${claim.claim.holder}`);
  },
};

export const attestImport: Command = {
  name: 'attest import',
  usage: 'defaust attest import <reply-file>',
  summary: "take a witness's signed verdict in; it is recorded in your chain",
  arity: [1, 1],
  async run(ctx) {
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const { attestation, status } = importAttestation(session, readInputFile(ctx.positionals[0]!, MAX_ATTEST_REPLY_BYTES, false));
    ctx.out.result({ claim: attestation.claim, witness: attestation.witness, verdict: attestation.verdict, ...status }, () =>
      term`${attestation.witness} said ${attestation.verdict}; ${status.met ? 'the policy is met' : term`${status.have} of ${status.need}`}`);
  },
};

export const trustAdd: Command = {
  name: 'trust add',
  usage: 'defaust trust add <did> --for <feat-type|*> [--authority] [--public]',
  summary: 'trust a witness for a kind of feat (an authority alone satisfies a policy); sealed, or with --public on your public list for others to reuse',
  options: { for: { type: 'string' }, authority: { type: 'boolean' }, public: { type: 'boolean' } },
  arity: [1, 1],
  async run(ctx) {
    const featType = stringOption(ctx, 'for');
    if (!featType) throw new UsageError('trust add needs --for <feat-type> (or *)');
    const listed = ctx.options.public === true;
    const block = ctx.home.openProfile(await passphrase(ctx.env)).feats.trustAdd(ctx.positionals[0]!, featType, ctx.options.authority === true, listed);
    ctx.out.result(block, () => term`trusted ${ctx.positionals[0]} for ${featType} (block ${block.seq}; ${listed ? 'on your public list' : 'sealed: only you see it'})`);
  },
};

export const trustList: Command = {
  name: 'trust list',
  usage: 'defaust trust list',
  summary: 'whom you trust, for what',
  arity: [0, 0],
  async run(ctx) {
    const feats = ctx.home.openProfile(await passphrase(ctx.env)).feats;
    const entries = [...feats.trustList(), ...feats.communityList()];
    ctx.out.result(entries, () => entries.map((t) => term`${t.did}  for ${t.featType}${t.authority ? '  (authority)' : ''}${'via' in t ? term`  (listed by ${t.via})` : t.listed ? '  (on your public list)' : ''}`).join('\n') || '(nobody yet)');
  },
};

export const trustSync: Command = {
  name: 'trust sync',
  usage: 'defaust trust sync [--bootstrap <multiaddr>]…',
  summary: 'fetch the trust lists your authorities published (community lists) from the network',
  options: NETWORK_OPTIONS,
  arity: [0, 0],
  async run(ctx) {
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const synced = await syncTrust(session, networkOf(ctx, session));
    if (synced.length === 0) throw new UsageError('you trust no authority yet: defaust trust add <did> --for <feat-type> --authority');
    const result = synced.map(({ authority, problem, witnesses }) => ({ authority, outcome: problem ?? 'fetched', witnesses }));
    ctx.out.result(result, () => result.map((r) => term`${r.authority}: ${r.outcome === 'fetched' ? term`${r.witnesses.length} witness(es) listed` : r.outcome}`).join('\n'));
  },
};

export const trustlistPublish: Command = {
  name: 'trustlist publish',
  usage: 'defaust trustlist publish [--bootstrap <multiaddr>]…',
  summary: 'as an authority: publish your public trust list (entries added with --public) so others can adopt it as a community list',
  options: NETWORK_OPTIONS,
  arity: [0, 0],
  async run(ctx) {
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const result = await publishTrustList(session, () => onTheNetwork(ctx, async (net) => {
      net.unlock(session.keys);
      const report = await net.publish({ announce: false });
      return { seq: report.record.seq, replicas: report.replicas.length };
    }));
    const { entries } = result;
    ctx.out.result(result, () => [term`published the trust list of ${result.id} (${entries.length} entries) to ${result.replicas} replicas`,
      term`others adopt it with: defaust trust add ${result.id} --for <feat-type> --authority, then defaust trust sync`].join('\n'));
    if (result.replicas === 0) return 1;
  },
};

export const trustRootCommand: Command = {
  name: 'trust root',
  usage: 'defaust trust root [--for <feat-type>] [--authorities] | --of <authority-did> --for <feat-type> [--authorities] [--archive FILE]… [--bootstrap ADDR]…',
  summary: 'the Poseidon Merkle root of your trusted witnesses or authorities; with --of, of an authority\'s published list, computed as a verifier does',
  options: { for: { type: 'string' }, authorities: { type: 'boolean' }, of: { type: 'string' }, ...LIST_CHAIN_OPTIONS },
  arity: [0, 0],
  async run(ctx) {
    const of = stringOption(ctx, 'of');
    if (of !== undefined) {
      const featType = stringOption(ctx, 'for');
      if (!featType) throw new UsageError('trust root --of needs --for <feat-type> (the list is per feat type)');
      const source = { authority: of as Did };
      const listed = listRoot(ctx.home.crypto, await listStore(ctx, source), source, featType, ctx.options.authorities === true);
      ctx.out.result(listed, () => [term`root ${listed.root}`, term`of ${listed.list}`].join('\n'));
      return;
    }
    const result = trustRoot(ctx.home, await passphrase(ctx.env), stringOption(ctx, 'for'), ctx.options.authorities === true);
    ctx.out.result(result, () => [term`root ${result.root}`, term`${result.members.length} trusted witness(es) with known keys`,
      ...(result.missing.length ? [term`not yet in the tree (no attestation from them seen): ${result.missing.join(', ')}`] : [])].join('\n'));
  },
};

export const proveFeatCommand: Command = {
  name: 'prove feat',
  usage: 'defaust prove feat <claim-cid> --nonce N --out proof.json [--against <authority-did> | --witnesses did,…] [--archive FILE]… [--bootstrap ADDR]… [--progress]',
  summary: 'prove that enough distinct trusted witnesses signed a feat, without naming them; against a list the verifier can recompute',
  options: { nonce: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, against: { type: 'string' }, witnesses: { type: 'string' }, ...LIST_CHAIN_OPTIONS, ...PROGRESS_OPTION },
  arity: [1, 1],
  async run(ctx) {
    const nonce = stringOption(ctx, 'nonce');
    const out = stringOption(ctx, 'out');
    if (!nonce || !NONCE_DIGITS.test(nonce)) throw new UsageError('prove feat needs --nonce N (a whole number the verifier chose)');
    if (!out) throw new UsageError('prove feat needs --out FILE');
    const source = trustSourceOption(ctx, 'against', 'witnesses');
    const against = source === undefined ? undefined : { store: await listStore(ctx, source), source };
    const secret = await passphrase(ctx.env);
    const run = proofRun(ctx);
    const file = await proveFeat(ctx.home, secret, ctx.positionals[0]!, BigInt(nonce), run.progress, against, run.signal).finally(run.done);
    writeOutputFile(ctx, out, new TextEncoder().encode(JSON.stringify(file, null, 1) + '\n'));
    ctx.out.result({ out, claim: file.claim, ...(file.against === undefined ? {} : { against: file.against }) }, () => term`wrote a proof for ${file.claim} to ${out}`);
  },
};
