// The badges' refusals: one error class, the reason a closed union in the code (`badge/<reason>`), the
// context as fields; the sentences for people are made from the fields by the faces' wording (app/badges).
import { DefaustError } from '../errors.ts';

/**
 * Why a badge was refused. `not-json`: not JSON at all; `model`: a field the Open Badges 3.0 / VC 2.0 model
 * requires is missing or malformed (`field` names it); `cryptosuite`: not a DataIntegrityProof with
 * eddsa-jcs-2022; `key`: the verification method is not the issuer's did:key; `signature`: the proof does not
 * verify; `evidence`: the DeFaust claim or an attestation it carries does not match or does not verify;
 * `refuted`: the feat was refuted (exporting it is refused); `unmet`: the feat's policy is not met yet.
 */
export type BadgeRefusal = 'not-json' | 'model' | 'cryptosuite' | 'key' | 'signature' | 'evidence' | 'refuted' | 'unmet' | 'too-large';

export class BadgeError extends DefaustError {
  override name = 'BadgeError';
  readonly reason: BadgeRefusal;
  /** The field of the credential concerned (a dotted path), when one is. */
  readonly field: string | undefined;
  constructor(reason: BadgeRefusal, message: string, field?: string) {
    super(`badge/${reason}`, message);
    this.reason = reason;
    this.field = field;
  }
}
