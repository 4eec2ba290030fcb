// The history channels' schemas ("did you X?"): make the inclusion bundle of one block, and check a bundle
// offline. Kept beside contract.ts, which lists the channels; it imports nothing from it, so nothing cycles.
import { z } from 'zod';
import { MAX_INCLUSION_BUNDLE_CHARS } from '../../src-shared/rules/limits.ts';

export const inclusionCommitmentSchema = z.enum(['checkpoint', 'head-record']);

export const historyProveRequest = z.object({
  seq: z.number().int().min(0).max(1e9),
  /** Adds the block's sealed bodies and the epoch keys that open them (each opens its section for that whole epoch). */
  reveal: z.boolean().default(false),
}).strict();

export const historyProveResponse = z.object({
  /** The bundle file's text (JSON), for the download. */
  text: z.string(),
  /** A suggested file name. */
  name: z.string(),
  seq: z.number().int(),
  by: z.object({ kind: inclusionCommitmentSchema, seq: z.number().int() }),
  revealed: z.boolean(),
});

export const historyVerifyRequest = z.object({ text: z.string().min(1).max(MAX_INCLUSION_BUNDLE_CHARS) }).strict();

export const historyVerifyResponse = z.discriminatedUnion('valid', [
  z.object({
    valid: z.literal(true),
    /** What the bundle proves, in one sentence. */
    sentence: z.string(),
    id: z.string(),
    seq: z.number().int(),
    cid: z.string(),
    kind: z.string(),
    ts: z.number(),
    author: z.string(),
    by: z.object({ kind: inclusionCommitmentSchema, seq: z.number().int(), size: z.number().int() }),
    /** The decrypted ops of each revealed body (empty without a reveal). */
    revealed: z.array(z.object({ section: z.string(), ops: z.array(z.unknown()) })),
  }),
  z.object({ valid: z.literal(false), code: z.string(), reason: z.string(), message: z.string() }),
]);

/** What each storage tier holds (app/history/tiers.ts): headers always hot, bodies hot or in archive segments. */
export const storageTiersSchema = z.object({
  blocks: z.number().int(),
  headerBytes: z.number().int(),
  hot: z.object({ bodies: z.number().int(), bytes: z.number().int() }),
  /** The bodies of blocks 0..through−1 are in `segments` archive files. */
  archive: z.object({ segments: z.number().int(), bodies: z.number().int(), bytes: z.number().int(), through: z.number().int() }),
  oldestHotTs: z.number().nullable(),
  warnings: z.array(z.string()),
});

/** A date (ms since 1970) the archive move runs before: from 2000 to 2200. */
export const archiveBeforeRequest = z.object({ before: z.number().int().min(946_684_800_000).max(7_258_118_400_000) }).strict();

/** What a move before the date would do, and the checkpoint it signs first (its root over `size` headers, hex). */
export const archivePreviewResponse = z.object({
  from: z.number().int(),
  through: z.number().int(),
  bodies: z.number().int(),
  checkpoint: z.object({ size: z.number().int(), root: z.string() }).nullable(),
});

export const archiveMoveResponse = z.object({
  through: z.number().int(),
  moved: z.object({ segments: z.number().int(), bodies: z.number().int(), bytes: z.number().int() }),
  checkpoint: z.object({ seq: z.number().int(), cid: z.string(), kind: z.string(), author: z.string(), ts: z.number() }).nullable(),
});
