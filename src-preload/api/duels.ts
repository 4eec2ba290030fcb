// The duels' IPC schemas (DESIGN §6; app/social/duels.ts): the duels this chain records and the duel documents
// waiting in the mail (proposals to accept, agreements to take in, duels to judge from the Witness inbox), and
// the verbs propose, accept and judge. contract.ts holds the channel entries; the schemas live here.
import { z } from 'zod';
import { FEAT_TYPE, FEAT_TYPE_RULE } from '../../src-shared/rules/feat-type.ts';
import { MAX_CRITERIA_CHARS, MAX_TITLE_CHARS } from '../../src-shared/rules/text.ts';
import { didSchema, downloadSchema, mailIdSchema } from './primitives.ts';

const time = z.number().int().positive();
const verdict = z.enum(['a', 'b', 'draw']);

/** A duel as the Challenges screen shows it (app/social/duels.ts `DuelView`). */
export const duelViewSchema = z.object({
  id: z.string(), role: z.enum(['a', 'b']), other: z.string(), title: z.string(), featType: z.string(), time: z.number(), judgeUntil: z.number(),
  judges: z.array(z.string()), k: z.number(),
  /** `void`: settled without a verdict (not agreed by its time, or no majority by `judgeUntil`). */
  state: z.object({ phase: z.enum(['proposed', 'agreed', 'judging', 'settled']), verdict: z.enum(['a', 'b', 'draw', 'void']).optional() }),
  claim: z.string().nullable(),
});

/** A duel document waiting in the mail (app/social/duels.ts `DuelMail`). */
export const duelMailSchema = z.object({
  mail: z.string(), id: z.string(), from: z.string(), waits: z.enum(['accept', 'agreed', 'judge']), a: z.string(), b: z.string(), title: z.string(), featType: z.string(),
  criteria: z.string(), time: z.number(), judgeUntil: z.number(), judges: z.array(z.string()), k: z.number(),
});

export const DUEL_CHANNELS = {
  /** The duels this chain records (with their state by the wallet's clock, `now`) and the duel documents waiting in the mail. */
  'duels:list': { request: z.object({}).strict(), response: z.object({ duels: z.array(duelViewSchema), mail: z.array(duelMailSchema), now: z.number() }) },
  /** Proposes a duel to `b` (signed): both perform at `time`, the judges judge until `judgeUntil`; `file` when no mailbox took it. */
  'duels:propose': {
    request: z.object({
      b: didSchema, title: z.string().trim().min(1).max(MAX_TITLE_CHARS), featType: z.string().regex(FEAT_TYPE, FEAT_TYPE_RULE), criteria: z.string().max(MAX_CRITERIA_CHARS).default(''),
      time, judgeUntil: time, judges: z.array(didSchema).min(1).max(16), k: z.number().int().min(1).max(16),
    }).strict(),
    response: z.object({ id: z.string(), file: downloadSchema.nullable() }),
  },
  /** Accepts a duel proposed to you (signed; it goes to the proposer and each judge), or takes in the agreement to yours; `files` none took. */
  'duels:accept': { request: z.object({ mail: mailIdSchema }).strict(), response: z.object({ id: z.string(), files: z.array(downloadSchema) }) },
  /** As a judge on its panel: signs a verdict (a, b or draw) on an agreed duel from the mail; it goes to both parties; `files` none took. */
  'duels:judge': { request: z.object({ mail: mailIdSchema, verdict }).strict(), response: z.object({ id: z.string(), files: z.array(downloadSchema) }) },
} as const;

export type DuelViewData = z.output<typeof duelViewSchema>;
export type DuelMailData = z.output<typeof duelMailSchema>;
