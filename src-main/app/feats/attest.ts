// The attestation verbs (DESIGN §6), written once for every face: the holder's requests to witnesses and the
// replies taken in; the witness's side — open a request, sign or decline it (logged in the witness log, never
// about one's own feat), the reply carried back through the network when the face asks, the mailed request
// marked answered. Refusals come out in plain words (errors.ts).
import { openAttestRequestWithEvidence, REQUEST_FORMAT, signAttestation, FeatError, type Attestation, type ClaimRecord, type SeenEvidence } from '../../core/feats/claims.ts';
import type { FeatStatus } from '../../core/feats/feats.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import type { ReceivedMail, WitnessLogEntry } from '../../core/ports.ts';
import type { Session } from '../session.ts';
import { FeatRefusedError, plainly } from './errors.ts';
import type { FeatsNetwork } from './network.ts';

/** A sealed request to one witness; `deposited`: the mailboxes that took it (0: hand the envelope over as a file). */
export interface SentRequest {
  witness: Did;
  envelope: Uint8Array;
  deposited: number;
}

/** One sealed request per witness (evidence copied in), carried through `network` when one is given. */
export async function requestAttestations(session: Session, claim: string, witnesses: readonly string[], network: FeatsNetwork | null): Promise<SentRequest[]> {
  if (new Set(witnesses).size !== witnesses.length) throw new FeatError('invalid', 'The same witness is named twice.');
  const requests = session.profile.feats.requests(claim, witnesses as Did[]);
  const deposited = network === null ? [] : await network.carry(requests.map(({ witness, envelope }) => ({ to: witness, envelope })));
  return requests.map((request, i) => ({ ...request, deposited: deposited[i] ?? 0 }));
}

/** Takes a witness's signed reply in (an `attestation` block) and tells how far the claim now is from its policy. */
export function importAttestation(session: Session, reply: Uint8Array): { attestation: Attestation; status: FeatStatus } {
  const { attestation } = plainly('reply', () => session.profile.feats.receive(reply));
  return { attestation, status: session.profile.feats.status(attestation.claim) };
}

/** A request to witness: a file's bytes, or one that came by mail (its id in the received mail). */
export type RequestSource = { bytes: Uint8Array } | { mail: string };

/** The request's bytes, and the waiting mail it came in (if it did). */
function requestOf(session: Session, source: RequestSource): { bytes: Uint8Array; mail: ReceivedMail | null } {
  if (!('mail' in source)) return { bytes: source.bytes, mail: null };
  const found = session.home.receivedMail().get(session.profile.id, source.mail);
  if (found === undefined || found.format !== REQUEST_FORMAT) throw new NotFoundError('There is no such request in your witness inbox.');
  return { bytes: found.envelope, mail: found };
}

/** Opens a request to witness a feat, its evidence checked against the claim; one's own feat is refused. */
export function openWitnessRequest(session: Session, source: RequestSource): { claim: ClaimRecord; evidence: SeenEvidence[]; mail: ReceivedMail | null } {
  const { bytes, mail } = requestOf(session, source);
  const me = session.profile.id;
  const opened = plainly('request', () => openAttestRequestWithEvidence(session.home.crypto, bytes, me, session.keys.identity.ed25519Seed));
  if (opened.claim.claim.holder === me) throw new FeatRefusedError('own-feat', 'request', 'this is a request about your own feat');
  return { ...opened, mail };
}

/** What the witness signed, as the witness log keeps it. */
export type WitnessAct = Omit<WitnessLogEntry, 'witness'>;

/**
 * Signs the witness's verdict on a request and logs it. With a `network`, the reply is carried to the holder's
 * mailboxes (`deposited`: how many took it; null when no network was asked); a mailed request is marked answered.
 */
export async function signAttestationRequest(session: Session, source: RequestSource, verdict: 'yes' | 'no', network: FeatsNetwork | null):
Promise<{ claim: ClaimRecord; reply: Uint8Array; entry: WitnessAct; deposited: number | null }> {
  const { claim, mail } = openWitnessRequest(session, source);
  const { home, keys } = session;
  const me = session.profile.id;
  const ts = home.clock.now();
  const reply = signAttestation(home.crypto, keys.identity.ed25519Seed, me, keys.identity.babyJubjubSecret, claim, verdict, ts);
  const entry: WitnessAct = { claim: claim.cid, holder: claim.claim.holder, title: claim.claim.title, featType: claim.claim.featType, verdict, ts };
  home.witnessLog().append({ witness: me, ...entry });
  const deposited = network === null ? null : ((await network.carry([{ to: claim.claim.holder, envelope: reply }]))[0] ?? 0);
  if (mail !== null) home.receivedMail().mark(me, mail.id, 'answered', `${verdict === 'yes' ? 'signed yes' : 'declined'}${deposited ? ', sent' : ''}`);
  return { claim, reply, entry, deposited };
}

/** What this identity answered for `claim` as a witness, if it did. */
export function answeredAs(session: Session, claim: string): WitnessAct | null {
  const found = session.home.witnessLog().list(session.profile.id).find((e) => e.claim === claim);
  if (found === undefined) return null;
  const { witness: _witness, ...act } = found;
  return act;
}
