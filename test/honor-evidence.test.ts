// Honor evidence in the core: equivocation proofs (a real fork by the identity or a live device is taken; a
// stranger's, a revoked device's or an uncertified device's header is refused with its reason), reviews
// (signed, versioned, decoded with typed errors) and refutations (refused when no checker is given).
import { describe, expect, it } from 'vitest';
import { decodeCanonical, encode, type CID } from '../src-main/core/chain/codec.ts';
import { checkEquivocation, EquivocationProofError, type EquivocationProof } from '../src-main/core/chain/equivocation.ts';
import { signHeader, type UnsignedHeader } from '../src-main/core/chain/header.ts';
import { didFromPublicKey, type Did } from '../src-main/core/identity/did.ts';
import { checkEvidence, decodeEvidence, encodeEvidence, type Evidence } from '../src-main/core/honor/evidence.ts';
import { EvidenceError } from '../src-main/core/honor/errors.ts';
import { readReview, signReview } from '../src-main/core/honor/review.ts';
import { crypto } from './helpers.ts';
import { evidenceCheckers } from '../src-main/app/honor/honor.ts';
import { DefaustError } from '../src-main/core/errors.ts';

const signer = (byte: number) => {
  const seed = new Uint8Array(32).fill(byte);
  return { seed, did: didFromPublicKey(crypto.ed25519.publicKey(seed)) as Did };
};
const ID = signer(1);
const DEVICE = signer(2);
const LATER = signer(3);
const STRANGER = signer(99);
const T0 = Date.UTC(2026, 0, 1);

/** A chain of the identity: genesis, device-add DEVICE, device-add LATER, device-revoke LATER, then deltas by DEVICE. */
function chain(): { headers: Uint8Array[]; cids: CID[] } {
  const headers: Uint8Array[] = [];
  const cids: CID[] = [];
  const push = (kind: UnsignedHeader['kind'], author: { seed: Uint8Array; did: Did }, meta: Record<string, unknown>) => {
    const seq = headers.length;
    const unsigned: UnsignedHeader = { v: 1, id: ID.did, seq, prev: seq === 0 ? null : cids[seq - 1]!, ts: T0 + seq, kind, author: author.did, bodies: [], meta };
    const block = signHeader(crypto, unsigned, author.seed);
    headers.push(block.bytes);
    cids.push(block.cid);
  };
  push('genesis', ID, { x25519: new Uint8Array(32).fill(8), babyJubjub: [new Uint8Array(32).fill(9), new Uint8Array(32).fill(10)] });
  push('device-add', ID, { device: DEVICE.did, label: 'laptop' });
  push('device-add', ID, { device: LATER.did, label: 'phone' });
  push('device-revoke', ID, { device: LATER.did });
  push('delta', DEVICE, {});
  return { headers, cids };
}

/** A header at `seq` over `prev` (a fork candidate), signed by `by`. */
function at(seq: number, prev: CID, by: { seed: Uint8Array; did: Did }, ts: number): Uint8Array {
  return signHeader(crypto, { v: 1, id: ID.did, seq, prev, ts, kind: 'delta', author: by.did, bodies: [], meta: {} }, by.seed).bytes;
}

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof EquivocationProofError || error instanceof EvidenceError) return error.code;
    throw error;
  }
  return 'taken';
};

describe('equivocation proofs', () => {
  const { headers, cids } = chain();
  const seq = headers.length;
  const head = cids[seq - 1]!;

  it('a fork signed by the identity key needs no prefix; one by a live device carries its certificate in the prefix', () => {
    const byId: EquivocationProof = { id: ID.did, a: at(seq, head, ID, T0 + 10), b: at(seq, head, ID, T0 + 11), prefix: [] };
    expect(checkEquivocation(crypto, byId)).toEqual({ id: ID.did, seq, signers: [ID.did, ID.did] });
    const byDevice: EquivocationProof = { id: ID.did, a: at(seq, head, DEVICE, T0 + 10), b: at(seq, head, ID, T0 + 11), prefix: headers };
    expect(checkEquivocation(crypto, byDevice).signers).toEqual([DEVICE.did, ID.did]);
    // Through the evidence format: decoded back and checked, the same finding.
    const evidence: Evidence = { kind: 'equivocation', proof: byDevice };
    const finding = checkEvidence(crypto, decodeEvidence(encodeEvidence(evidence)));
    expect(finding).toMatchObject({ kind: 'equivocation', accused: [ID.did], seq });
  });

  it('refuses a stranger-signed header, a revoked device, an uncertified device, and what is not a fork', () => {
    const mine = at(seq, head, DEVICE, T0 + 10);
    expect(refusal(() => checkEquivocation(crypto, { id: ID.did, a: mine, b: at(seq, head, STRANGER, T0 + 11), prefix: headers }))).toBe('equivocation/stranger');
    expect(refusal(() => checkEquivocation(crypto, { id: ID.did, a: at(seq, head, LATER, T0 + 10), b: at(seq, head, LATER, T0 + 11), prefix: headers }))).toBe('equivocation/revoked');
    expect(refusal(() => checkEquivocation(crypto, { id: ID.did, a: mine, b: at(seq, head, ID, T0 + 11), prefix: [] }))).toBe('equivocation/uncertified');
    expect(refusal(() => checkEquivocation(crypto, { id: ID.did, a: mine, b: mine, prefix: headers }))).toBe('equivocation/not-a-fork');
    expect(refusal(() => checkEquivocation(crypto, { id: ID.did, a: mine, b: at(seq, cids[1]!, DEVICE, T0 + 11), prefix: headers }))).toBe('equivocation/not-a-fork');
    // A prefix that hides the revocation is not the chain before the fork.
    const hidden = [...headers.slice(0, 3), headers[4]!];
    expect(refusal(() => checkEquivocation(crypto, { id: ID.did, a: at(seq, head, LATER, T0 + 10), b: at(seq, head, LATER, T0 + 11), prefix: hidden }))).toBe('equivocation/bad-prefix');
    // The identity's own signature, altered.
    const bent = encode({ ...(decodeCanonical(at(seq, head, ID, T0 + 11)) as object), ts: T0 + 12 });
    expect(refusal(() => checkEquivocation(crypto, { id: ID.did, a: at(seq, head, ID, T0 + 10), b: bent, prefix: [] }))).toBe('equivocation/bad-signature');
    expect(refusal(() => checkEquivocation(crypto, { id: ID.did, a: at(seq, head, DEVICE, T0 + 10), b: bent, prefix: headers }))).toBe('equivocation/bad-signature');
  });
});

describe('reviews', () => {
  const review = { reviewer: STRANGER.did, witness: DEVICE.did, claim: 'bafyclaim', reason: 'was not there', ts: T0 };

  it('a signed review checks out; altered, self-reviewing, unversioned or unsigned ones are refused', () => {
    const signed = signReview(crypto, STRANGER.seed, review);
    expect(checkEvidence(crypto, { kind: 'review', review: signed.bytes, sig: signed.sig })).toMatchObject({ kind: 'review', accused: [DEVICE.did], reviewer: STRANGER.did, reason: 'was not there' });
    expect(refusal(() => checkEvidence(crypto, { kind: 'review', review: signed.bytes, sig: signReview(crypto, ID.seed, review).sig }))).toBe('honor/forged');
    expect(refusal(() => signReview(crypto, DEVICE.seed, { ...review, reviewer: DEVICE.did }))).toBe('honor/self-review');
    expect(refusal(() => signReview(crypto, STRANGER.seed, { ...review, reason: '  ' }))).toBe('honor/malformed');
    expect(refusal(() => readReview(encode({ format: 'defaust/review', v: 2, ...review })))).toBe('honor/unsupported');
    expect(refusal(() => readReview(encode({ format: 'defaust/review', v: 1, ...review, extra: 1 })))).toBe('honor/malformed');
    expect(refusal(() => readReview(new Uint8Array([0xff, 0])))).toBe('honor/malformed');
  });

  it('evidence bytes of another shape are refused with a typed error, never taken', () => {
    expect(refusal(() => decodeEvidence(encode({ format: 'defaust/evidence', v: 1, kind: 'rumour' })))).toBe('honor/malformed');
    expect(refusal(() => decodeEvidence(encode({ format: 'defaust/evidence', v: 9, kind: 'review' })))).toBe('honor/unsupported');
    expect(refusal(() => decodeEvidence(encode({ format: 'defaust/evidence', v: 1, kind: 'review', review: new Uint8Array(1) })))).toBe('honor/malformed');
  });
});

describe('refutations', () => {
  const refutation: Evidence = { kind: 'refutation', claim: 'bafyclaim', witnesses: [DEVICE.did, LATER.did], outcomeBytes: new Uint8Array([1, 2, 3]) };

  it('are refused without a checker, and taken only as the checker reads the outcome', () => {
    expect(refusal(() => checkEvidence(crypto, refutation))).toBe('honor/no-checker');
    const checker = () => ({ claim: 'bafyclaim', witnesses: [LATER.did, DEVICE.did], ts: T0 });
    expect(checkEvidence(crypto, decodeEvidence(encodeEvidence(refutation)), { refutation: checker })).toMatchObject({ kind: 'refutation', accused: [LATER.did, DEVICE.did], ts: T0 });
    expect(refusal(() => checkEvidence(crypto, refutation, { refutation: () => ({ claim: 'bafyclaim', witnesses: [DEVICE.did], ts: T0 }) }))).toBe('honor/mismatch');
  });

  it('the wallet checks them as challenge outcomes: bytes that are no signed outcome are refused with the challenges code', () => {
    const checked = (() => {
      try {
        checkEvidence(crypto, refutation, evidenceCheckers(crypto));
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(checked).toBeInstanceOf(DefaustError);
    expect((checked as DefaustError).code).toMatch(/^social\//u);
  });
});
