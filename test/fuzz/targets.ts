// The decoders of received bytes, each as a fuzz target: a name, valid seed inputs made by the real encoders,
// and a run that feeds one input through the decoder the way the wallet does when the bytes arrive. A run
// may return or throw a DefaustError; anything else it throws is a finding (see engine.ts).
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { exportArchive, importArchive, readArchive } from '../../src-main/core/archive/archive.ts';
import { openBody, sealBody } from '../../src-main/core/chain/body.ts';
import { decodeCanonical, encode } from '../../src-main/core/chain/codec.ts';
import { decodeHeader } from '../../src-main/core/chain/header.ts';
import { verifyChain } from '../../src-main/core/chain/verify.ts';
import { checkAttestation, makeClaim, openAttestReply, openAttestRequestWithEvidence, readClaim, sealAttestRequest, signAttestation } from '../../src-main/core/feats/claims.ts';
import { envelopeFormat, openEnvelope } from '../../src-main/core/identity/envelope.ts';
import { identityPublic } from '../../src-main/core/identity/keys.ts';
import { recipientKey, recipientSecret } from '../../src-main/core/identity/recipient.ts';
import { openManifest, sealMedia } from '../../src-main/core/media/media.ts';
import { makeDeposit, verifyDeposit } from '../../src-main/core/net/deposit.ts';
import { encodeFrame, FrameReader } from '../../src-main/core/net/frames.ts';
import { headKey, idFromHeadKey, makeHeadRecord, selectHeadRecord, validateHeadRecord } from '../../src-main/core/net/head-record.ts';
import { decodeMsgMessage, encodeMsgMessage } from '../../src-main/core/net/msg-messages.ts';
import { decodeSyncMessage, encodeSyncMessage } from '../../src-main/core/net/sync-messages.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { checkSignedProposal, openProposal, sealProposal } from '../../src-main/core/requests/proposal.ts';
import { checkFeatClaims, parseProofFile, PROOF_FORMAT } from '../../src-main/core/zk/proof-file.ts';
import { crypto, deps, ownerKeys, TestClock } from '../helpers.ts';

export interface FuzzTarget {
  name: string;
  /** Valid inputs the mutator starts from. */
  seeds: Uint8Array[];
  /** Share of the runs relative to the others (default 1); lower for decoders that cost milliseconds a run. */
  weight?: number;
  /** Feeds one input to the decoder; may return anything or throw a DefaustError. */
  run(input: Uint8Array): unknown;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function person() {
  const keys = ownerKeys();
  return { keys, id: identityPublic(crypto, keys.identity).id, seed: keys.identity.ed25519Seed };
}

/** Builds every target once, with seeds from a real profile (values, media, a feat claim, proposals). */
export function buildTargets(): FuzzTarget[] {
  const owner = person();
  const witness = person();
  const store = new MemoryChainStore();
  const clock = new TestClock();
  const profile = Profile.create(deps(store, clock), owner.keys);
  profile.set('public', 'name', 'Ada');
  profile.set('contact', 'email', 'ada@example.org');
  clock.advance(1000);
  profile.attach('public', 'portrait', crypto.randomBytes(2000), 'me.jpg', 'image/jpeg');
  const archive = exportArchive(store, profile.id);
  const headers = [...store.headers(profile.id)].map((h) => h.bytes);
  const head = store.head(profile.id)!;
  const headCid = decodeHeader(crypto, head.bytes).cid;

  const { claim } = profile.feats.claim({ title: 'Deadlift 200 kg', criteria: 'competition rules', featType: 'lifting', policy: { kind: 'k-of-n', k: 1 }, evidence: [] });
  const [request] = profile.feats.requests(claim.cid, [witness.id]);
  const seen = openAttestRequestWithEvidence(crypto, request!.envelope, witness.id, witness.seed).claim;
  const reply = signAttestation(crypto, witness.seed, witness.id, witness.keys.identity.babyJubjubSecret, seen, 'yes', 1);
  const replyInner = crypto.box.open(recipientSecret(owner.seed), (decodeCanonical(reply) as { sealed: Uint8Array }).sealed)!;
  const attestation = decodeCanonical(replyInner) as { attestation: Uint8Array; sig: Uint8Array };
  const claimRecord = makeClaim(crypto, { holder: owner.id, title: 't', criteria: 'c', featType: 'race', ts: 5, evidence: [], policy: { kind: 'authority' } });

  const proposal = sealProposal(crypto, witness.seed, witness.id, owner.id, 'fitness', [{ op: 'set', path: 'weight', value: 58 }], 3, clock.now());
  const proposalInner = crypto.box.open(recipientSecret(owner.seed), (decodeCanonical(proposal.envelope) as { sealed: Uint8Array }).sealed)!;
  const signedProposal = decodeCanonical(proposalInner) as { proposal: Uint8Array; sig: Uint8Array };

  const record = makeHeadRecord(crypto, { id: owner.id, seq: head.seq, head: headCid, ts: clock.now() }, owner.seed);
  const deposit = makeDeposit(crypto, { did: witness.id, ed25519Seed: witness.seed }, { to: owner.id, ts: 1, ttl: 60_000, envelope: proposal.envelope });
  const bodyKey = crypto.randomBytes(32);
  const bodyCtx = { v: 2, id: owner.id, section: 'public', gen: 0, epoch: 0 };
  const media = sealMedia(crypto, crypto.randomBytes(3000), 'clip.webm', 'video/webm');
  const manifest = media.blobs.find((b) => b.cid.equals(media.ref.cid))!;
  const cids = [headCid, ...media.blobs.map((b) => b.cid)];

  const syncSeeds = [
    { t: 'pull', id: owner.id, from: 0 }, { t: 'push', id: owner.id, length: 5, head: headCid, size: 100 },
    { t: 'ready', from: 2, head: null }, { t: 'block', header: head.bytes, bodies: [[cids[1]!, crypto.randomBytes(20)]] },
    { t: 'offer', cids }, { t: 'want', cids: cids.slice(1) }, { t: 'blob', cid: cids[1]!, bytes: crypto.randomBytes(40) },
    { t: 'end', length: 5, head: headCid }, { t: 'stored', length: 5, head: headCid, provided: true },
    { t: 'error', code: 'bad-header', message: 'no', rule: 'seq', seq: 3 },
  ] as const;
  const msgSeeds = [
    { t: 'deposit', deposit: deposit.bytes }, { t: 'accepted', id: deposit.id, expires: 9, duplicate: false },
    { t: 'fetch', to: owner.id }, { t: 'challenge', nonce: crypto.randomBytes(32) }, { t: 'prove', sig: crypto.randomBytes(64) },
    { t: 'mail', deposit: deposit.bytes }, { t: 'end', more: true }, { t: 'ack', ids: [deposit.id] }, { t: 'acked', count: 1 },
    { t: 'error', code: 'oversized', message: 'too big' },
  ] as const;
  const proofFile = { format: PROOF_FORMAT, v: 1, kind: 'feat', holder: owner.id, claim: claim.cid, proof: { pi_a: ['1'] }, publicSignals: ['1', '2'], claimDocument: Buffer.from(claimRecord.bytes).toString('base64') };

  /** A target whose input is the plaintext inside a sealed envelope of `format` to the owner. */
  const sealedTo = (format: string, open: (envelope: Uint8Array) => unknown) => (input: Uint8Array) => {
    const envelope = encode({ format, v: 1, to: owner.id, sealed: crypto.box.seal(recipientKey(owner.id), input) });
    return open(envelope);
  };
  const replyFormat = (decodeCanonical(reply) as { format: string }).format;
  const requestFormat = (decodeCanonical(request!.envelope) as { format: string }).format;
  const proposalFormat = (decodeCanonical(proposal.envelope) as { format: string }).format;

  return [
    { name: 'cbor/canonical', seeds: [archive.subarray(0, 0), head.bytes, encode({ a: [1, 2, { b: null }], c: new Uint8Array(3) })], run: (b) => decodeCanonical(b) },
    { name: 'chain/header', seeds: headers, run: (b) => decodeHeader(crypto, b) },
    { name: 'chain/verify', weight: 0.3, seeds: headers.slice(2), run: (b) => verifyChain(crypto, owner.id, [headers[0]!, headers[1]!, b]) },
    { name: 'chain/body', seeds: [sealBody(crypto, bodyKey, bodyCtx, encode([{ op: 'set', path: 'x', value: 1 }]))], run: (b) => openBody(crypto, bodyKey, bodyCtx, b) },
    { name: 'archive', weight: 0.3, seeds: [archive], run: (b) => importArchive(crypto, new MemoryChainStore(), readArchive(crypto, b)) },
    { name: 'media/manifest', seeds: [manifest.bytes], run: (b) => openManifest(crypto, media.ref, b) },
    { name: 'net/frames', seeds: [concat(encodeFrame(head.bytes), encodeFrame(utf8('x'))), encodeFrame(new Uint8Array(0))], run: (b) => readFrames(b) },
    { name: 'net/sync-message', seeds: syncSeeds.map((m) => encodeSyncMessage(m as never)), run: (b) => decodeSyncMessage(b) },
    { name: 'net/msg-message', seeds: msgSeeds.map((m) => encodeMsgMessage(m as never)), run: (b) => decodeMsgMessage(b) },
    { name: 'net/head-record', seeds: [record.bytes], run: (b) => validateHeadRecord(crypto, headKey(owner.id), b) },
    { name: 'net/head-select', seeds: [encode([record.bytes, record.bytes])], run: (b) => {
      const value = decodeCanonical(b);
      return Array.isArray(value) && value.every((r) => r instanceof Uint8Array) ? selectHeadRecord(crypto, headKey(owner.id), value as Uint8Array[]) : null;
    } },
    { name: 'net/head-key', seeds: [utf8(headKey(owner.id))], run: (b) => idFromHeadKey(b.length % 2 === 0 ? b : text(b)) },
    { name: 'net/deposit', seeds: [deposit.bytes], run: (b) => verifyDeposit(crypto, b, 64 * 1024) },
    { name: 'mail/envelope', seeds: [proposal.envelope, reply, request!.envelope], run: (b) => [envelopeFormat(b), openEnvelope(crypto, b, proposalFormat, owner.id, owner.seed)] },
    { name: 'requests/proposal', seeds: [proposal.envelope], run: (b) => openProposal(crypto, b, owner.seed, owner.id) },
    { name: 'requests/proposal-inner', weight: 0.1, seeds: [proposalInner], run: sealedTo(proposalFormat, (e) => openProposal(crypto, e, owner.seed, owner.id)) },
    { name: 'requests/signed-proposal', seeds: [signedProposal.proposal], run: (b) => checkSignedProposal(crypto, b, signedProposal.sig) },
    { name: 'feats/claim', seeds: [claimRecord.bytes], run: (b) => readClaim(crypto, b) },
    { name: 'feats/attest-request', seeds: [sealAttestRequest(crypto, owner.id, claimRecord)], run: (b) => openAttestRequestWithEvidence(crypto, b, owner.id, owner.seed) },
    { name: 'feats/attest-request-inner', weight: 0.1, seeds: [encode({ claim: claimRecord.bytes })], run: sealedTo(requestFormat, (e) => openAttestRequestWithEvidence(crypto, e, owner.id, owner.seed)) },
    { name: 'feats/attest-reply', weight: 0.3, seeds: [reply], run: (b) => openAttestReply(crypto, b, owner.id, owner.seed) },
    { name: 'feats/attest-reply-inner', weight: 0.1, seeds: [replyInner], run: sealedTo(replyFormat, (e) => openAttestReply(crypto, e, owner.id, owner.seed)) },
    { name: 'feats/attestation', weight: 0.3, seeds: [attestation.attestation], run: (b) => checkAttestation(crypto, b, attestation.sig) },
    { name: 'zk/proof-file', seeds: [utf8(JSON.stringify(proofFile)), utf8(JSON.stringify({ ...proofFile, kind: 'attribute', owner: owner.id, section: 's', path: 'p', genesis: 'AA==' }))], run: (b) => {
      const file = parseProofFile(text(b));
      return file.kind === 'feat' ? checkFeatClaims(crypto, file) : file;
    } },
  ];
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Every frame of `bytes`, read through the real FrameReader in chunks of 7 bytes, with a 1 KiB cap. */
async function readFrames(bytes: Uint8Array): Promise<number> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
  }
  const reader = new FrameReader(chunks(), 1024);
  let count = 0;
  while ((await reader.next()) !== null) count++;
  return count;
}
