// The social layer's refusals (challenges, answers, outcomes, duels, verdicts): one class, a closed union of
// reasons that becomes the stable code `social/<reason>`, the document's kind and id as context fields.
import { DefaustError } from '../errors.ts';

export type SocialRefusal =
  /** Not a document of the kind asked for, or damaged. */
  | 'malformed'
  /** A signature does not verify, or the signer is not the party the document names. */
  | 'forged'
  /** A document this act needs is about another challenge or duel, or another party. */
  | 'mismatch'
  /** The rules forbid it: a challenge of one's own feat, a judge not on the panel, a panel too small… */
  | 'invalid'
  /** Too late (the deadline passed) or too early (the deadline has not passed yet). */
  | 'deadline'
  /** The evidence does not show what the outcome says: the holder answered in time, the panel did not attest… */
  | 'unproven'
  /** The step was taken already (answered, settled, recorded). */
  | 'settled'
  /** No such challenge or duel here. */
  | 'unknown';

export class SocialError extends DefaustError {
  override name = 'SocialError';
  readonly reason: SocialRefusal;
  /** The document kind concerned (challenge, answer, outcome, duel, verdict). */
  readonly doc: string;
  /** The challenge's or duel's id, when known. */
  readonly id: string | null;
  constructor(reason: SocialRefusal, doc: string, message: string, id: string | null = null) {
    super(`social/${reason}`, message);
    this.reason = reason;
    this.doc = doc;
    this.id = id;
  }
}
