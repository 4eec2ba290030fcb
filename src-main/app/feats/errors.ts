// The feats verbs' refusals in plain words, made once for every face: a request or a reply the core refused
// (`FeatError`, its reason in the code), or a request a witness may not sign. The code stays `feat/<reason>`;
// the reason and the side (a request or a reply) are fields.
import { DefaustError } from '../../core/errors.ts';
import { FeatError } from '../../core/feats/claims.ts';

export type FeatSide = 'reply' | 'request';

const WORDS: Record<FeatSide, Record<string, string>> = {
  reply: {
    malformed: 'This file is not a witness’s reply to a feat, or it is damaged. Nothing was recorded.',
    'not-for-me': 'This reply is meant for someone else, not for you. Nothing was recorded.',
    forged: 'This reply’s signatures do not check out: it was altered, or it was not signed by the witness it names. Nothing was recorded.',
    replayed: 'This witness’s answer for this feat is already recorded. It was not recorded a second time.',
    unknown: 'This reply is about a feat that is not claimed in this wallet. Nothing was recorded.',
  },
  request: {
    malformed: 'This file is not a request to witness a feat, or it is damaged.',
    'not-for-me': 'This request is addressed to someone else, not to you. Only the witness it was made for can open it.',
    forged: 'This request does not open with your key: it was altered, or sealed to someone else.',
    invalid: 'The feat in this request is malformed.',
    'own-feat': 'This is a request about your own feat. Someone else has to witness it.',
  },
};

/** A request or reply refused, in words for the person who chose it; `reason` is the core's (or `own-feat`). */
export class FeatRefusedError extends DefaustError {
  override name = 'FeatRefusedError';
  readonly reason: string;
  readonly side: FeatSide;
  constructor(reason: string, side: FeatSide, fallback: string) {
    super(reason === 'own-feat' ? 'feat/invalid' : `feat/${reason}`, WORDS[side][reason] ?? fallback);
    this.reason = reason;
    this.side = side;
  }
}

/** Runs a core step on a request or reply; a FeatError comes out as a FeatRefusedError in plain words. */
export function plainly<T>(side: FeatSide, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof FeatError) throw new FeatRefusedError(error.code.slice('feat/'.length), side, error.message);
    throw error;
  }
}
