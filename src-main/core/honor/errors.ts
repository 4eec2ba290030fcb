// Honor evidence refused: a closed union of reasons, each a stable code `honor/<reason>`, with the evidence's
// kind as a field. An equivocation proof's own refusals are EquivocationProofError (core/chain/equivocation.ts).
import { DefaustError } from '../errors.ts';

export type EvidenceRefusal =
  | 'malformed' // the bytes are not a DeFaust evidence document, or a field is missing or of the wrong shape
  | 'unsupported' // a version this DeFaust does not read
  | 'forged' // a signature does not verify
  | 'self-review' // a reviewer reviewing themselves
  | 'no-checker' // a refutation, and no refutation checker is given here
  | 'mismatch' // a refutation whose named witnesses are not the ones its outcome names
  | 'not-refuted' // a refutation whose outcome the holder won: it refutes nothing
  | 'not-hosted'; // a node was given evidence about no identity whose chain it holds

export class EvidenceError extends DefaustError {
  override name = 'EvidenceError';
  readonly reason: EvidenceRefusal;
  readonly kind: string | null;
  constructor(reason: EvidenceRefusal, message: string, kind: string | null = null) {
    super(`honor/${reason}`, message);
    this.reason = reason;
    this.kind = kind;
  }
}
