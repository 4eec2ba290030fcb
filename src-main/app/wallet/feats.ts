// The wallet's handlers of feats, witnesses and proofs (DESIGN §6–7): the holder's claims with their progress
// toward the policy (the Feats screen's view), the trust list and its root, proofs with progress stages, and
// verifying a proof, which needs no session. The attestation verbs and trust sync are app/feats/'s, shared
// with the CLI: these handlers only shape their results for the contract (requests no mailbox took become
// files to hand over). Composed into the WalletService's handler table like sharing.ts.
import type { FeatView, ProveStage, VerifiedProof } from '../../../src-preload/api/contract.ts';
import type { BlockSummary } from '../../core/chain/writer.ts';
import { REQUEST_FORMAT as ATTEST_REQUEST_FORMAT } from '../../core/feats/claims.ts';
import { DefaustError } from '../../core/errors.ts';
import { ProofCancelledError } from '../../adapters/zk/prover.ts';
import { ZkInputError } from '../../core/zk/inputs.ts';
import { featStatement } from '../../core/zk/statements.ts';
import type { Did } from '../../core/identity/did.ts';
import type { OwnerKeys, Profile } from '../../core/profile/profile.ts';
import type { Home } from '../home.ts';
import { claimFeat } from '../feats/claim.ts';
import { answeredAs, importAttestation, openWitnessRequest, requestAttestations, signAttestationRequest, type RequestSource } from '../feats/attest.ts';
import type { FeatsNetwork } from '../feats/network.ts';
import { syncTrust } from '../feats/trust.ts';
import { proveFeatOf, trustRootOf, verifyProofFile, type ProofExpectation } from '../proofs/proofs.ts';
import { fetchListChains, storeOfArchives, type TrustSource } from '../proofs/trust.ts';
import type { Session } from '../session.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { Handlers } from './handlers.ts';

type FeatsChannel = Exclude<Extract<keyof Handlers, `${'feats' | 'trust' | 'witness' | 'verify'}:${string}`>, 'trust:publish'>;

export interface FeatsContext {
  home: Home;
  /** The unlocked profile (throws LockedError when locked). */
  profile(): Profile;
  /** The unlocked session's keys (the witness signs with them). */
  keys(): OwnerKeys;
  appended(block: BlockSummary): void;
  headMoved(): void;
  /** Pushes a proof's stage, with the milliseconds since it started, to listeners (Electron's event channel). */
  progress(job: string, stage: ProveStage, elapsedMs: number): void;
  /** Carries requests and replies to mailboxes and fetches authorities' chains (the wallet's node, or a stand-in). */
  network: FeatsNetwork;
}

const tail = (text: string, n = 8): string => text.slice(-n);

/** The contract's request source (bytes as base64 or raw) as the verbs take it. */
const sourceOf = (source: { bytes: string | Uint8Array } | { mail: string }): RequestSource => ('mail' in source ? { mail: source.mail } : { bytes: fromBytes(source.bytes) });

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
async function verifyText(home: Home, text: string, expect: ProofExpectation, signal?: AbortSignal): Promise<VerifiedProof> {
  const declared = (() => {
    try {
      return (JSON.parse(text) as { kind?: unknown } | null)?.kind;
    } catch {
      return undefined; // not JSON: verifyProofFile below says why it is no proof
    }
  })();
  const kind = declared === 'feat' || declared === 'attribute' ? declared : null;
  try {
    const { valid, reason, ...rest } = await verifyProofFile(home.crypto, home.prover, text, expect, signal === undefined ? {} : { signal });
    return { ...(rest as Omit<VerifiedProof, 'valid' | 'reason'>), valid, reason: valid ? null : (reason ?? 'the proof does not verify') };
  } catch (error) {
    if (error instanceof DefaustError && error.code.startsWith('zk/') && !(error instanceof ProofCancelledError)) return { valid: false, kind, reason: error.message };
    throw error;
  }
}

/** The verifier's own trusted witnesses (or authorities) for a proof's feat type: needs the unlocked wallet. */
const mineFor = (ctx: FeatsContext) => (featType: string, authorities: boolean): TrustSource => ({ members: [...ctx.profile().feats.trustedFor(featType, authorities)] });

/**
 * The list a verifier checks against, its root computed here from the members' genesis blocks (pulled from
 * the network when the node runs): 'mine' is the verifier's own trusted witnesses (or authorities) for the
 * proof's feat type, which needs the unlocked wallet.
 */
function verifierTrust(ctx: FeatsContext, list: 'mine' | TrustSource, archives: readonly Uint8Array[] = []): NonNullable<ProofExpectation['trust']> {
  if (archives.length > 0) {
    // The archives the verifier gave hold the list's chains (as `verify-proof --archive` does): nothing is fetched.
    return { store: storeOfArchives(ctx.home.crypto, archives), source: list === 'mine' ? mineFor(ctx) : list, fetch: async () => undefined, barred: (did: Did) => ctx.home.barred(did) };
  }
  const store = ctx.home.openStore();
  // A chain that cannot be fetched (no node, no replica) is left out here; the tree then names the member it lacks.
  const recover = async (did: Did) => {
    const [problem] = await ctx.network.fetchChains([did]);
    if (problem !== null && problem !== undefined) throw new DefaustError('trust/missing', problem);
  };
  return {
    store,
    source: list === 'mine' ? mineFor(ctx) : list,
    fetch: (source: TrustSource) => fetchListChains({ recover }, ctx.home.crypto, store, source),
    barred: (did: Did) => ctx.home.barred(did),
  };
}

export function featsHandlers(ctx: FeatsContext): Pick<Handlers, FeatsChannel> {
  const session = (): Session => ({ home: ctx.home, profile: ctx.profile(), keys: ctx.keys() });
  /** The last stage of each recent proof job (a few; the oldest are forgotten). */
  const jobs = new Map<string, ProveStage>();
  let proving = false;
  /** The proofs being made or checked now, by job, for feats:cancelProof. */
  const running = new Map<string, AbortController>();
  const start = (job: string | undefined): AbortSignal | undefined => {
    if (job === undefined) return undefined;
    if (running.has(job)) throw new DefaustError('feat/busy', 'That proof job is running already.');
    const controller = new AbortController();
    running.set(job, controller);
    return controller.signal;
  };
  const stage = (job: string, next: ProveStage, elapsedMs: number) => {
    jobs.delete(job);
    jobs.set(job, next);
    while (jobs.size > 32) jobs.delete(jobs.keys().next().value!);
    ctx.progress(job, next, elapsedMs);
  };

  return {
    'feats:list': () => {
      const profile = ctx.profile();
      const media = mediaIndex(profile);
      return { claims: profile.feats.list().sort((a, b) => b.claim.claim.ts - a.claim.claim.ts).map(({ claim }) => featView(profile, claim.cid, media)) };
    },
    'feats:claim': ({ title, type, criteria, policy, evidence }) => {
      const opened = session();
      const { claim, block } = claimFeat(opened, { title, criteria, featType: type, policy, evidence });
      ctx.appended(block);
      return { claim: featView(opened.profile, claim.cid, mediaIndex(opened.profile)), block };
    },
    'feats:requestWitnesses': async ({ claim, witnesses }) => {
      const sent = await requestAttestations(session(), claim, witnesses, ctx.network);
      // A request no mailbox took is a file for the person to hand over.
      return {
        requests: sent.map(({ witness, envelope, deposited }) => (deposited > 0
          ? { witness, delivered: true as const, file: null }
          : { witness, delivered: false as const, file: { name: `feat-${tail(claim)}-for-${tail(witness)}.attest-request`, bytes: toBase64(envelope) } })),
      };
    },
    'feats:importReply': ({ bytes }) => {
      const opened = session();
      const { profile } = opened;
      const { attestation } = importAttestation(opened, fromBytes(bytes));
      ctx.headMoved();
      return { claim: featView(profile, attestation.claim, mediaIndex(profile)), witness: attestation.witness, verdict: attestation.verdict };
    },
    'feats:prove': async ({ claim, nonce, job }) => {
      const profile = ctx.profile();
      if (proving) throw new DefaustError('feat/busy', 'A proof is being made already. Wait until it is done.');
      const signal = start(job);
      proving = true;
      try {
        const file = await proveFeatOf(profile, ctx.home.prover, claim, BigInt(nonce), (s, ms) => stage(job, s, ms), undefined, signal);
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
        running.delete(job);
      }
    },
    'feats:proveStatus': ({ job }) => ({ stage: jobs.get(job) ?? null }),
    'feats:cancelProof': ({ job }) => {
      const controller = running.get(job);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },

    'trust:list': () => {
      const feats = ctx.profile().feats;
      return { entries: [...feats.trustList().map((t) => ({ ...t, via: null })), ...feats.communityList()] };
    },
    'trust:sync': async () => ({
      authorities: (await syncTrust(session(), ctx.network)).map(({ authority, problem, witnesses }) => ({ authority, fetched: problem === null, problem, witnesses: witnesses.length })),
    }),
    'trust:add': ({ did, featType, authority, listed }) => {
      const block = ctx.profile().feats.trustAdd(did as Did, featType, authority, listed);
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
      const waiting = ctx.home.receivedMail().list(me, { format: ATTEST_REQUEST_FORMAT, state: 'waiting' });
      return { requests: waiting.map((m) => ({ id: m.id, from: m.from, receivedAt: m.receivedAt })) };
    },
    'witness:open': (source) => {
      const witness = session();
      const opened = openWitnessRequest(witness, sourceOf(source));
      const { claim } = opened;
      return {
        request: {
          claim: { cid: claim.cid, title: claim.claim.title, type: claim.claim.featType, criteria: claim.claim.criteria, holder: claim.claim.holder, ts: claim.claim.ts, policy: claim.claim.policy },
          evidence: opened.evidence.map(({ bytes: data, ...e }) => ({ ...e, bytes: data === null ? null : toBase64(data) })),
          answered: answeredAs(witness, claim.cid),
        },
      };
    },
    'witness:sign': async ({ verdict, ...source }) => {
      // A request that came through the network is answered through it; a file is answered with a file.
      const { claim, reply, entry, deposited } = await signAttestationRequest(session(), sourceOf(source), verdict, 'mail' in source ? ctx.network : null);
      return { reply: { name: `feat-${tail(claim.cid)}-${verdict === 'yes' ? 'signed' : 'declined'}.attest-reply`, bytes: toBase64(reply) }, entry, sent: (deposited ?? 0) > 0 };
    },
    'witness:history': () => {
      const me = ctx.profile().id;
      return { entries: ctx.home.witnessLog().list(me).map(({ witness: _w, ...e }) => e) };
    },

    'verify:request': ({ ttlMs }) => ctx.home.nonces().issue(ttlMs),
    'verify:proof': async ({ text, trustRoot, trust, nonce, job, archives }) => {
      const signal = start(job);
      try {
        return await verifyText(ctx.home, text, {
          ...(trustRoot === undefined ? {} : { trustRoot: BigInt(trustRoot) }),
          ...(trust === undefined ? {} : { trust: verifierTrust(ctx, 'list' in trust ? 'mine' : trust as TrustSource, (archives ?? []).map(fromBytes)) }),
          ...(nonce === undefined ? { memory: ctx.home.nonces() } : { nonce: BigInt(nonce) }),
        }, signal);
      } finally {
        if (job !== undefined) running.delete(job);
      }
    },
  };
}
