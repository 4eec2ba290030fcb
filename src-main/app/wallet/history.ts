// The wallet's `history:*` verbs: the inclusion bundle of one block (Timeline) and its offline check (Verify),
// both through app/history (rule 3).
import { inclusionSentence, proveIncluded, verifyInclusionText } from '../history/inclusion.ts';
import { InclusionError } from '../../core/history/inclusion.ts';
import type { Handlers, HandlerContext } from './handlers.ts';

type HistoryChannel = Extract<keyof Handlers, `history:${string}`>;

export function historyHandlers(ctx: HandlerContext): Pick<Handlers, HistoryChannel> {
  return {
    'history:prove': ({ seq, reveal }) => {
      const made = proveIncluded(ctx.session(), seq, { reveal });
      return { text: made.text, name: made.name, seq: made.seq, by: made.by, revealed: made.revealed };
    },
    'history:verify': ({ text }) => {
      try {
        const result = verifyInclusionText(ctx.home.crypto, text);
        return { valid: true, sentence: inclusionSentence(result), ...result };
      } catch (error) {
        if (!(error instanceof InclusionError)) throw error;
        return { valid: false, code: error.code, reason: error.reason, message: error.message };
      }
    },
  };
}
