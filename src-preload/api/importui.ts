// The schemas of import, recovery with progress and trust list publishing (the channels are in contract.ts):
// a job id the renderer picks, the progress of a job (stage, n of m, elapsed, end, failure), what an archive
// import and a recovery from the network did, and a published trust list.
import { z } from 'zod';
import { JOB_ID, JOB_STAGES } from '../../src-shared/rules/progress.ts';

/** A job id the renderer picks (random) to ask after the work's progress and to cancel it. */
export const jobIdSchema = z.string().regex(JOB_ID, 'a job id is 8–64 letters, digits, _ or -');
export const jobStageSchema = z.enum(JOB_STAGES);

/** How far a job is: its stage (null before the first), n of m where it counts blocks, time since it began, its end. */
export const jobViewSchema = z.object({
  stage: jobStageSchema.nullable(),
  done: z.number().int().nonnegative().nullable(),
  total: z.number().int().nonnegative().nullable(),
  elapsedMs: z.number().nonnegative(),
  finished: z.boolean(),
  /** The failure a screen shows once the job ended (null: it succeeded, or runs still). */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

/** What the network said about the chain's newest head: not reached, or the length its head record names (null: none). */
export const networkHeadSchema = z.object({ reached: z.boolean(), length: z.number().int().nonnegative().nullable() });

/** The archive ends before a head already known (the network's head record, or the chain here): nothing was imported. */
export const olderSchema = z.object({ archive: z.number().int().nonnegative(), known: z.number().int().nonnegative(), source: z.enum(['network', 'home']) });

/**
 * What an archive import did: blocks added, the chain's length, and what the network said (null: not asked);
 * or, with `older` set, that nothing was imported because editing on it would fork the chain.
 */
export const importOutcomeSchema = z.object({
  added: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  network: networkHeadSchema.nullable(),
  older: olderSchema.nullable(),
});

/** The chain here against the network's head record: `older` when editing now would fork it. */
export const freshnessSchema = z.object({ local: z.number().int().nonnegative(), network: networkHeadSchema, older: z.boolean() });

/** What a recovery from the network did: found (a head record existed) and the blocks held here now. */
export const recoverOutcomeSchema = z.object({ found: z.boolean(), length: z.number().int().nonnegative(), head: z.string().nullable() });

/** An authority's published trust list: its id to share (the did), the published head, replicas, and exactly the entries. */
export const publishedTrustListSchema = z.object({
  id: z.string(),
  seq: z.number().int().nonnegative(),
  replicas: z.number().int().nonnegative(),
  entries: z.array(z.object({ did: z.string(), featType: z.string(), authority: z.boolean() })),
});

export type JobView = z.output<typeof jobViewSchema>;
export type ImportOutcome = z.output<typeof importOutcomeSchema>;
export type OlderArchive = z.output<typeof olderSchema>;
export type Freshness = z.output<typeof freshnessSchema>;
export type PublishedTrustList = z.output<typeof publishedTrustListSchema>;
