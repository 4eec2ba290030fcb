// The wallet's `history:*` verbs: the inclusion bundle of one block (Timeline), its offline check (Verify), and
// the storage tiers (Settings → Storage: sizes, the plan of a move to the archive, the move), all through
// app/history (rule 3).
import { toHex } from '../../core/bytes.ts';
import { inclusionSentence, proveIncluded, verifyInclusionText } from '../history/inclusion.ts';
import { moveToArchive, planArchive, storageTiers } from '../history/tiers.ts';
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
    'history:tiers': () => storageTiers(ctx.session()),
    'history:previewArchive': ({ before }) => {
      const plan = planArchive(ctx.session(), before);
      return { ...plan, checkpoint: plan.checkpoint === null ? null : { size: plan.checkpoint.size, root: toHex(plan.checkpoint.root) } };
    },
    'history:archive': ({ before }) => {
      const move = moveToArchive(ctx.session(), before);
      if (move.checkpoint !== null) ctx.appended(move.checkpoint);
      return move;
    },
  };
}
