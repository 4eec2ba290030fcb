// The wallet verbs of feats, witnesses and proofs (DESIGN §6–7): the holder's claims with their progress
// toward the policy, requests to witnesses (through a swappable transport; files for now), replies taken in,
// the trust list and its root, proofs with progress stages; the witness's side (open a request with its
// evidence, sign or decline, the log of what was signed); and verifying a proof, which needs no session.
// Composed into the WalletService's handler table like sharing.ts.
import type { FeatView, ProveStage, VerifiedProof, WitnessEntry } from '../../../src-preload/api/contract.ts';
import type { BlockSummary } from '../../core/chain/writer.ts';
import { FeatError, openAttestRequestWithEvidence, REQUEST_FORMAT as ATTEST_REQUEST_FORMAT, signAttestation } from '../../core/feats/claims.ts';
import { DefaustError, NotFoundError } from '../../core/errors.ts';
import { ZkInputError } from '../../core/zk/inputs.ts';
import { featStatement } from '../../core/zk/statements.ts';
import type { ReceivedMail, ReceivedMailStore, WitnessLog } from '../../core/ports.ts';
import type { Did } from '../../core/identity/did.ts';
import type { OwnerKeys, Profile } from '../../core/profile/profile.ts';
import type { Home } from '../home.ts';
import { proveFeatOf, trustRootOf, verifyProofFile, type ProofExpectation } from '../proofs/proofs.ts';
import { fetchListChains, type TrustSource } from '../proofs/trust.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import { fileTransport, type WitnessTransport } from './witness-transport.ts';
import type { Handlers } from './handlers.ts';

type FeatsChannel = Extract<keyof Handlers, `${'feats' | 'trust' | 'witness' | 'verify'}:${string}`>;

export interface FeatsContext {
  home: Home;
  /** The unlocked profile (throws LockedError when locked). */
  profile(): Profile;
  /** The unlocked session's keys (the witness signs with them). */
  keys(): OwnerKeys;
  appended(block: BlockSummary): void;
  headMoved(): void;
  /** Pushes a proof's stage to listeners (Electron's event channel). */
  progress(job: string, stage: ProveStage): void;
  transport?: WitnessTransport;
  /** Mail received through the network (attestation requests wait there for the witness). */
  received?: () => ReceivedMailStore;
  /** Fetches `did`'s chain from its replicas into this home (to read its published trust list). */
  fetchChain?: (did: Did) => Promise<void>;
  /** Sends an envelope to `to`'s mailboxes through the running node; false when it could not. */
  send?: (to: Did, envelope: Uint8Array) => Promise<boolean>;
  /** The witness log; by default the home's SQLite database. */
  witnessLog?: () => WitnessLog;
}

/** Refusals of a witness's reply or a request, in words for the person who chose the file (the code stays `feat/<reason>`). */
function plainFeatError(error: FeatError, side: 'reply' | 'request'): DefaustError {
  const reason = error.code.slice('feat/'.length);
  const reply: Record<string, string> = {
    malformed: 'This file is not a witness’s reply to a feat, or it is damaged. Nothing was recorded.',
    'not-for-me': 'This reply is meant for someone else, not for you. Nothing was recorded.',
    forged: 'This reply’s signatures do not check out: it was altered, or it was not signed by the witness it names. Nothing was recorded.',
    replayed: 'This witness’s answer for this feat is already recorded. It was not recorded a second time.',
    unknown: 'This reply is about a feat that is not claimed in this wallet. Nothing was recorded.',
  };
  const request: Record<string, string> = {
    malformed: 'This file is not a request to witness a feat, or it is damaged.',
    'not-for-me': 'This request is addressed to someone else, not to you. Only the witness it was made for can open it.',
    forged: 'This request does not open with your key: it was altered, or sealed to someone else.',
    invalid: 'The feat in this request is malformed.',
  };
  const words = (side === 'reply' ? reply : request)[reason];
  return new DefaustError(error.code, words ?? error.message);
}

function plainly<T>(side: 'reply' | 'request', run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw error instanceof FeatError ? plainFeatError(error, side) : error;
  }
}

const tail = (text: string, n = 8): string => text.slice(-n);

/** The claim as the Feats screen shows it: evidence named, attestations with their witness's trust, progress. */
function featView(profile: Profile, cid: string, media: Map<string, { name: string; type: string; size: number }>): FeatView {
  const { claim } = profile.feats.get(cid);
  const trust = profile.feats.trustList();
  const trusted = (did: string) => trust.some((t) => t.did === did && (t.featType === claim.featType || t.featType === '*'));
  const attestations = profile.feats.attestations(cid).map(({ attestation: a }) => ({ witness: a.witness, verdict: a.verdict, ts: a.ts, trusted: trusted(a.witness) }));
  const status = profile.feats.status(cid);
  return {
    cid,
    title: claim.title,
    type: claim.featType,
    criteria: claim.criteria,
    ts: claim.ts,
    policy: claim.policy,
    evidence: claim.evidence.map((e) => ({ cid: e, ...(media.get(e) ?? { name: '', type: '', size: 0 }) })),
    status,
    attestations,
    proof: { needs: status.need, trusted: status.have },
  };
}

function mediaIndex(profile: Profile): Map<string, { name: string; type: string; size: number }> {
  return new Map(profile.mediaList().map(({ ref }) => [ref.cid.toString(), { name: ref.name, type: ref.type, size: ref.size }]));
}

/** A proof's verdict in the contract's shape; files that are not proofs at all are invalid with the reason. */
async function verifyText(home: Home, text: string, expect: ProofExpectation): Promise<VerifiedProof> {
  const declared = (() => {
    try {
      return (JSON.parse(text) as { kind?: unknown } | null)?.kind;
    } catch {
      return undefined; // not JSON: verifyProofFile below says why it is no proof
    }
  })();
  const kind = declared === 'feat' || declared === 'attribute' ? declared : null;
  try {
    const { valid, reason, ...rest } = await verifyProofFile(home.crypto, home.prover, text, expect);
    return { ...(rest as Omit<VerifiedProof, 'valid' | 'reason'>), valid, reason: valid ? null : (reason ?? 'the proof does not verify') };
  } catch (error) {
    if (error instanceof DefaustError && error.code.startsWith('zk/')) return { valid: false, kind, reason: error.message };
    throw error;
  }
}

/**
 * The list a verifier checks against, its root computed here from the members' genesis blocks (pulled from
 * the network when the node runs): 'mine' is the verifier's own trusted witnesses (or authorities) for the
 * proof's feat type, which needs the unlocked wallet.
 */
function verifierTrust(ctx: FeatsContext, list: 'mine' | TrustSource): NonNullable<ProofExpectation['trust']> {
  const store = ctx.home.openStore();
  const fetchChain = ctx.fetchChain;
  return {
    store,
    source: list === 'mine' ? (featType, authorities) => ({ members: [...ctx.profile().feats.trustedFor(featType, authorities)] }) : list,
    ...(fetchChain === undefined ? {} : { fetch: (source: TrustSource) => fetchListChains({ recover: fetchChain }, ctx.home.crypto, store, source) }),
  };
}

export function featsHandlers(ctx: FeatsContext): Pick<Handlers, FeatsChannel> {
  const transport = ctx.transport ?? fileTransport;
  const witnessLog = ctx.witnessLog ?? (() => ctx.home.witnessLog());
  /** The last stage of each recent proof job (a few; the oldest are forgotten). */
  const jobs = new Map<string, ProveStage>();
  let proving = false;
  const stage = (job: string, next: ProveStage) => {
    jobs.delete(job);
    jobs.set(job, next);
    while (jobs.size > 32) jobs.delete(jobs.keys().next().value!);
    ctx.progress(job, next);
  };

  /** A waiting request from the mailbox, by its id. */
  const mailed = (id: string): ReceivedMail => {
    const found = ctx.received?.().get(ctx.profile().id, id);
    if (found === undefined || found.format !== ATTEST_REQUEST_FORMAT) throw new NotFoundError('There is no such request in your witness inbox.');
    return found;
  };
  const mailOf = (source: { bytes: string | Uint8Array } | { mail: string }): string | undefined => ('mail' in source ? source.mail : undefined);
  const requestBytes = (source: { bytes: string | Uint8Array } | { mail: string }): string | Uint8Array =>
    'mail' in source ? mailed(source.mail).envelope : source.bytes;
  const openRequest = (bytes: string | Uint8Array) => {
    const keys = ctx.keys();
    const me = ctx.profile().id;
    const opened = plainly('request', () => openAttestRequestWithEvidence(ctx.home.crypto, fromBytes(bytes), me, keys.identity.ed25519Seed));
    if (opened.claim.claim.holder === me) throw new DefaustError('feat/invalid', 'This is a request about your own feat. Someone else has to witness it.');
    return { ...opened, keys, me };
  };
  const answered = (me: Did, claim: string): WitnessEntry | null => {
    const entry = witnessLog().list(me).find((e) => e.claim === claim);
    return entry === undefined ? null : { claim: entry.claim, holder: entry.holder, title: entry.title, featType: entry.featType, verdict: entry.verdict, ts: entry.ts };
  };

  return {
    'feats:list': () => {
      const profile = ctx.profile();
      const media = mediaIndex(profile);
      return { claims: profile.feats.list().sort((a, b) => b.claim.claim.ts - a.claim.claim.ts).map(({ claim }) => featView(profile, claim.cid, media)) };
    },
    'feats:claim': ({ title, type, criteria, policy, evidence }) => {
      const profile = ctx.profile();
      const { claim, block } = profile.feats.claim({ title: title.trim(), criteria, featType: type, policy, evidence });
      ctx.appended(block);
      return { claim: featView(profile, claim.cid, mediaIndex(profile)), block };
    },
    'feats:requestWitnesses': async ({ claim, witnesses }) => {
      if (new Set(witnesses).size !== witnesses.length) throw new FeatError('invalid', 'The same witness is named twice.');
      const requests = ctx.profile().feats.requests(claim, witnesses as Did[]);
      const sent = await transport.deliver(requests.map(({ witness, envelope }) => ({ witness, envelope, name: `feat-${tail(claim)}-for-${tail(witness)}.attest-request` })));
      return { requests: sent };
    },
    'feats:importReply': ({ bytes }) => {
      const profile = ctx.profile();
      const { attestation } = plainly('reply', () => profile.feats.receive(fromBytes(bytes)));
      ctx.headMoved();
      return { claim: featView(profile, attestation.claim, mediaIndex(profile)), witness: attestation.witness, verdict: attestation.verdict };
    },
    'feats:prove': async ({ claim, nonce, job }) => {
      const profile = ctx.profile();
      if (proving) throw new DefaustError('feat/busy', 'A proof is being made already. Wait until it is done.');
      proving = true;
      try {
        const file = await proveFeatOf(profile, ctx.home.prover, claim, BigInt(nonce), (s) => stage(job, s));
        return {
          file: { name: `feat-proof-${tail(claim)}-${nonce.slice(0, 12)}.json`, bytes: toBase64(new TextEncoder().encode(JSON.stringify(file, null, 1) + '\n')) },
          root: featStatement(file.publicSignals).root.toString(),
          nonce,
        };
      } catch (error) {
        if (error instanceof ZkInputError && error.need !== undefined && profile.feats.get(claim).claim.policy.kind === 'authority') {
          throw new DefaustError('zk/input', 'A proof needs a yes from an authority you trust for this kind of feat; none has. Trust the authority who signed, or ask one.');
        }
        if (error instanceof ZkInputError && error.need !== undefined && error.have !== undefined) {
          throw new DefaustError('zk/input', `A proof needs ${error.need} different witnesses you trust for this kind of feat who said yes; ${error.have} have. Trust the witnesses who signed, or ask more of them.`);
        }
        throw error;
      } finally {
        proving = false;
      }
    },
    'feats:proveStatus': ({ job }) => ({ stage: jobs.get(job) ?? null }),

    'trust:list': () => {
      const feats = ctx.profile().feats;
      return { entries: [...feats.trustList().map((t) => ({ ...t, via: null })), ...feats.communityList()] };
    },
    'trust:sync': async () => {
      const feats = ctx.profile().feats;
      const fetchChain = ctx.fetchChain;
      if (fetchChain === undefined) throw new DefaustError('network-off', 'Fetching trust lists needs the peer network, which is not running here.');
      const results = await Promise.all(feats.authorities().map(async ({ did }) => {
        const problem = await fetchChain(did).then(() => null, (error: Error) => error.message);
        return { authority: did, fetched: problem === null, problem };
      }));
      const listed = feats.communityList();
      return { authorities: results.map((r) => ({ ...r, witnesses: listed.filter((e) => e.via === r.authority).length })) };
    },
    'trust:add': ({ did, featType, authority }) => {
      const block = ctx.profile().feats.trustAdd(did as Did, featType, authority);
      ctx.appended(block);
      return { block };
    },
    'trust:remove': ({ did, featType }) => {
      const block = ctx.profile().feats.trustRemove(did as Did, featType);
      ctx.appended(block);
      return { block };
    },
    'trust:root': ({ featType, authorities }) => trustRootOf(ctx.profile(), featType, authorities),

    'witness:pending': () => {
      const me = ctx.profile().id;
      const waiting = ctx.received?.().list(me, { format: ATTEST_REQUEST_FORMAT, state: 'waiting' }) ?? [];
      return { requests: waiting.map((m) => ({ id: m.id, from: m.from, receivedAt: m.receivedAt })) };
    },
    'witness:open': (source) => {
      const { claim, evidence, me } = openRequest(requestBytes(source));
      return {
        request: {
          claim: { cid: claim.cid, title: claim.claim.title, type: claim.claim.featType, criteria: claim.claim.criteria, holder: claim.claim.holder, ts: claim.claim.ts, policy: claim.claim.policy },
          evidence: evidence.map(({ bytes: data, ...e }) => ({ ...e, bytes: data === null ? null : toBase64(data) })),
          answered: answered(me, claim.cid),
        },
      };
    },
    'witness:sign': async ({ verdict, ...source }) => {
      const { claim, keys, me } = openRequest(requestBytes(source));
      const ts = ctx.home.clock.now();
      const reply = signAttestation(ctx.home.crypto, keys.identity.ed25519Seed, me, keys.identity.babyJubjubSecret, claim, verdict, ts);
      const entry = { claim: claim.cid, holder: claim.claim.holder, title: claim.claim.title, featType: claim.claim.featType, verdict, ts };
      witnessLog().append({ witness: me, ...entry });
      // A request that came through the network is answered through it; a file is answered with a file.
      const mail = mailOf(source);
      const sent = mail !== undefined && (await ctx.send?.(claim.claim.holder as Did, reply)) === true;
      if (mail !== undefined) ctx.received?.().mark(me, mail, 'answered', `${verdict === 'yes' ? 'signed yes' : 'declined'}${sent ? ', sent' : ''}`);
      return { reply: { name: `feat-${tail(claim.cid)}-${verdict === 'yes' ? 'signed' : 'declined'}.attest-reply`, bytes: toBase64(reply) }, entry, sent };
    },
    'witness:history': () => {
      const me = ctx.profile().id;
      return { entries: witnessLog().list(me).map(({ witness: _w, ...e }) => e) };
    },

    'verify:proof': ({ text, trustRoot, trust, nonce }) => verifyText(ctx.home, text, {
      ...(trustRoot === undefined ? {} : { trustRoot: BigInt(trustRoot) }),
      ...(trust === undefined ? {} : { trust: verifierTrust(ctx, 'list' in trust ? 'mine' : trust as TrustSource) }),
      ...(nonce === undefined ? {} : { nonce: BigInt(nonce) }),
    }),
  };
}
