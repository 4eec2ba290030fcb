// Challenge documents (DESIGN §6): the challenger signs `{challenger, holder, claim, deadline, panel, ts,
// counter}` about a feat claim it saw proven (the claim document travels in the proof file); the holder
// signs an answer — accept (then re-perform before the panel) or decline — that discloses the claim's
// attestations, so a lost challenge names the witnesses who signed it off. Every document is versioned,
// signed `{doc, sig}` (Ed25519 over the canonical doc), identified by the CID of the doc, and decoded with
// typed refusals (challenge-errors.ts). The panel: k named witnesses both parties accept, or one authority.
import { cidOf, decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { checkAttestation, FeatError, readClaim, type ClaimRecord, type SignedAttestation } from '../feats/claims.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { envelopeFormat, openEnvelope, sealEnvelope } from '../identity/envelope.ts';
import { SocialError } from './challenge-errors.ts';
import { checkSize } from '../errors.ts';
import { MAX_SOCIAL_DOC_BYTES } from '../../../src-shared/rules/limits.ts';

export type Panel = { kind: 'k-of-n'; k: number; witnesses: Did[] } | { kind: 'authority'; authority: Did };

/** The most witnesses a panel names. */
export const MAX_PANEL = 16;

export interface Challenge {
  challenger: Did;
  holder: Did;
  /** The challenged claim's document, as the proof file carried it. */
  claim: Uint8Array;
  /** Until when (ms since 1970) the holder may answer and re-perform. */
  deadline: number;
  panel: Panel;
  ts: number;
  /** A counter-challenge: the id of the outcome whose winner challenges back; null for a first challenge. */
  counter: string | null;
}

export interface Answer {
  challenge: string;
  holder: Did;
  answer: 'accept' | 'decline';
  ts: number;
  /** The challenged claim's attestations, as the holder recorded them (`{bytes, sig}` each). */
  attestations: { bytes: Uint8Array; sig: Uint8Array }[];
}

/** A signed document as it travels: the doc's canonical bytes, the signature, the id (CID of the doc). */
export interface Signed<T> {
  id: string;
  doc: T;
  /** The encoded `{doc, sig}`: what files, mail and chain bodies carry. */
  bytes: Uint8Array;
}

/** The document types (one source: documents and the mail formats that carry them). */
export const CHALLENGE_TYPE = 'defaust/challenge';
export const ANSWER_TYPE = 'defaust/challenge-answer';
export const OUTCOME_TYPE = 'defaust/challenge-outcome';
export const DUEL_TYPE = 'defaust/duel';
export const VERDICT_TYPE = 'defaust/duel-verdict';
export const DUEL_OUTCOME_TYPE = 'defaust/duel-outcome';

const isUint = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Signs `{type, v: 1, ...fields}` with `seed`; returns the encoded `{doc, sig}`. */
export function signDocument(crypto: Crypto, seed: Uint8Array, type: string, fields: object): Uint8Array {
  const doc = encode({ type, v: 1, ...fields });
  return encode({ doc, sig: crypto.ed25519.sign(seed, doc) });
}

/** "an outcome", "a challenge": the article a document kind takes in a sentence. */
const article = (word: string): string => (/^[aeiou]/u.test(word) ? 'an' : 'a');

/**
 * Opens a signed document of `type`: decodes `{doc, sig}`, checks the doc's shape with `check` (which names
 * the signer) and the signature by that signer; anything else is a typed refusal about `kind`.
 */
export function openDocument<T>(crypto: Crypto, bytes: Uint8Array, type: string, kind: string, check: (v: Record<string, unknown>) => { doc: T; signer: Did } | null): Signed<T> {
  let outer: unknown;
  let inner: unknown;
  try {
    outer = decodeCanonical(bytes);
    inner = isRecord(outer) && outer.doc instanceof Uint8Array ? decodeCanonical(outer.doc) : null;
  } catch {
    throw new SocialError('malformed', kind, `this is not ${article(kind)} ${kind}: it does not decode`);
  }
  if (!isRecord(outer) || !(outer.doc instanceof Uint8Array) || !(outer.sig instanceof Uint8Array) || outer.sig.length !== 64 || !isRecord(inner) || inner.type !== type || inner.v !== 1) {
    throw new SocialError('malformed', kind, `this is not ${article(kind)} ${kind}`);
  }
  const { type: _t, v: _v, ...fields } = inner;
  const checked = check(fields);
  if (checked === null) throw new SocialError('malformed', kind, `this ${kind} is malformed`);
  const id = cidOf(crypto.sha256, outer.doc).toString();
  if (!crypto.ed25519.verify(publicKeyFromDid(checked.signer), outer.doc, outer.sig)) throw new SocialError('forged', kind, `the ${kind}'s signature by ${checked.signer} does not verify`, id);
  return { id, doc: checked.doc, bytes };
}

function readPanel(v: unknown): Panel | null {
  if (!isRecord(v)) return null;
  if (v.kind === 'authority') return isDid(v.authority) && Object.keys(v).length === 2 ? { kind: 'authority', authority: v.authority } : null;
  if (v.kind !== 'k-of-n' || !Number.isInteger(v.k) || !Array.isArray(v.witnesses) || !v.witnesses.every(isDid) || Object.keys(v).length !== 3) return null;
  return { kind: 'k-of-n', k: v.k as number, witnesses: v.witnesses };
}

/** Why a panel cannot judge between these two parties, or null when it can. */
export function panelProblem(panel: Panel, parties: readonly Did[]): string | null {
  const members = panel.kind === 'authority' ? [panel.authority] : panel.witnesses;
  if (members.some((m) => parties.includes(m))) return 'a party cannot sit on its own panel';
  if (panel.kind === 'authority') return null;
  if (new Set(members).size !== members.length) return 'the panel names a witness twice';
  if (!(panel.k >= 1 && panel.k <= members.length)) return `k must be from 1 to the ${members.length} witnesses named`;
  if (members.length > MAX_PANEL) return `a panel names at most ${MAX_PANEL} witnesses`;
  return null;
}

/** The panel members whose sign-off counts, and how many distinct ones are needed. */
export function panelNeeds(panel: Panel): { members: Did[]; need: number } {
  return panel.kind === 'authority' ? { members: [panel.authority], need: 1 } : { members: panel.witnesses, need: panel.k };
}

/** The challenged claim of a challenge document. */
export function challengedClaim(crypto: Crypto, challenge: Challenge): ClaimRecord {
  try {
    return readClaim(crypto, challenge.claim);
  } catch (error) {
    if (error instanceof FeatError) throw new SocialError('malformed', 'challenge', 'the challenged claim is not a feat claim');
    throw error;
  }
}

/** The challenger's signed challenge of `claim` (whose holder is the one challenged). */
export function makeChallenge(crypto: Crypto, seed: Uint8Array, fields: Omit<Challenge, 'holder'>): Signed<Challenge> {
  const holder = readClaim(crypto, fields.claim).claim.holder;
  const bytes = signDocument(crypto, seed, CHALLENGE_TYPE, { ...fields, holder });
  return readChallenge(crypto, bytes);
}

/** Decodes and checks a challenge: shape, the claim's holder, the panel, the challenger's signature. */
export function readChallenge(crypto: Crypto, bytes: Uint8Array): Signed<Challenge> {
  const signed = openDocument<Challenge>(crypto, bytes, CHALLENGE_TYPE, 'challenge', (v) => {
    const panel = readPanel(v.panel);
    const ok = isDid(v.challenger) && isDid(v.holder) && v.claim instanceof Uint8Array && isUint(v.deadline) && isUint(v.ts) && panel !== null &&
      (v.counter === null || typeof v.counter === 'string') && Object.keys(v).length === 7;
    return ok ? { doc: { challenger: v.challenger as Did, holder: v.holder as Did, claim: v.claim as Uint8Array, deadline: v.deadline as number, panel: panel!, ts: v.ts as number, counter: v.counter as string | null }, signer: v.challenger as Did } : null;
  });
  const c = signed.doc;
  const claim = challengedClaim(crypto, c);
  if (claim.claim.holder !== c.holder) throw new SocialError('mismatch', 'challenge', 'the challenge names another holder than the claim', signed.id);
  if (c.challenger === c.holder) throw new SocialError('invalid', 'challenge', 'one cannot challenge one’s own feat', signed.id);
  if (c.deadline <= c.ts) throw new SocialError('deadline', 'challenge', 'the deadline must come after the challenge', signed.id);
  const problem = panelProblem(c.panel, [c.challenger, c.holder]);
  if (problem !== null) throw new SocialError('invalid', 'challenge', problem, signed.id);
  return signed;
}

/** The holder's signed answer, disclosing the challenged claim's attestations. */
export function makeAnswer(crypto: Crypto, seed: Uint8Array, answer: Answer): Signed<Answer> {
  return readAnswer(crypto, signDocument(crypto, seed, ANSWER_TYPE, answer));
}

export function readAnswer(crypto: Crypto, bytes: Uint8Array): Signed<Answer> {
  return openDocument<Answer>(crypto, bytes, ANSWER_TYPE, 'answer', (v) => {
    const atts = v.attestations;
    const ok = typeof v.challenge === 'string' && isDid(v.holder) && (v.answer === 'accept' || v.answer === 'decline') && isUint(v.ts) &&
      Array.isArray(atts) && atts.length <= 64 && atts.every((a) => isRecord(a) && a.bytes instanceof Uint8Array && a.sig instanceof Uint8Array) && Object.keys(v).length === 5;
    return ok ? { doc: v as unknown as Answer, signer: v.holder as Did } : null;
  });
}

/** The answer's attestations, each checked, about `claim`; one that fails is a forged answer. */
export function disclosedAttestations(crypto: Crypto, answer: Signed<Answer>, claim: ClaimRecord): SignedAttestation[] {
  return answer.doc.attestations.map(({ bytes, sig }) => {
    let signed: SignedAttestation;
    try {
      signed = checkAttestation(crypto, bytes, sig);
    } catch (error) {
      if (error instanceof FeatError) throw new SocialError('forged', 'answer', `a disclosed attestation does not check: ${error.message}`, answer.doc.challenge);
      throw error;
    }
    if (signed.attestation.claim !== claim.cid || signed.attestation.subject !== claim.claim.holder) throw new SocialError('mismatch', 'answer', 'a disclosed attestation is about another claim', answer.doc.challenge);
    return signed;
  });
}

/** The envelope formats of the social documents (the document's own type): what mail routes by. */
export const CHALLENGE_FORMATS = [CHALLENGE_TYPE, ANSWER_TYPE, OUTCOME_TYPE] as const;
export const DUEL_FORMATS = [DUEL_TYPE, VERDICT_TYPE, DUEL_OUTCOME_TYPE] as const;
const SOCIAL_FORMATS: readonly string[] = [...CHALLENGE_FORMATS, ...DUEL_FORMATS];

/** A signed social document sealed to `to` for mail or a file; the envelope's format is the document's type. */
export function sealSocial(crypto: Crypto, to: Did, bytes: Uint8Array): Uint8Array {
  const outer = decodeCanonical(bytes) as { doc?: Uint8Array };
  const type = (decodeCanonical(outer.doc!) as { type: string }).type;
  return sealEnvelope(crypto, type, to, { doc: bytes });
}

/** Opens a sealed social document addressed to `me`: its format and the signed document's bytes (unchecked). */
export function openSocial(crypto: Crypto, envelope: Uint8Array, me: Did, seed: Uint8Array): { format: string; bytes: Uint8Array } {
  checkSize('a challenge or duel document', envelope.length, MAX_SOCIAL_DOC_BYTES);
  const format = envelopeFormat(envelope);
  if (format === null || !SOCIAL_FORMATS.includes(format)) throw new SocialError('malformed', 'mail', 'this is not a challenge or duel document');
  const opened = openEnvelope(crypto, envelope, format, me, seed);
  if (!opened.ok) {
    if (opened.reason === 'not-for-me') throw new SocialError('mismatch', 'mail', `this document is for ${String(opened.to)}, not for you`);
    throw new SocialError(opened.reason === 'forged' ? 'forged' : 'malformed', 'mail', 'this document does not open with your key');
  }
  let inner: unknown;
  try {
    inner = decodeCanonical(opened.opened);
  } catch {
    throw new SocialError('malformed', 'mail', 'this is not a challenge or duel document');
  }
  if (!isRecord(inner) || !(inner.doc instanceof Uint8Array)) throw new SocialError('malformed', 'mail', 'this is not a challenge or duel document');
  return { format, bytes: inner.doc };
}
