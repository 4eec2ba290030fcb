// The Open Badge channels' schemas (docs/formats.md, "Open Badge"): the unsigned credential a SignDialog
// shows, the signed file, and a verified badge with its status. contract.ts lists the channels.
import { z } from 'zod';
import { MAX_BADGE_BYTES } from '../../src-shared/rules/badges.ts';
import { MAX_TIME_MS, MIN_TIME_MS } from '../../src-shared/rules/time.ts';

/** A claim's CID as the Feats screen shows it. */
const claimCid = z.string().min(1).max(128).regex(/^[a-z0-9]+$/u, 'a claim CID');
const badgePolicy = z.discriminatedUnion('kind', [z.object({ kind: z.literal('k-of-n'), k: z.number().int() }), z.object({ kind: z.literal('authority') })]);

export const badgePreviewRequest = z.object({ claim: claimCid }).strict();
export const badgePreviewResponse = z.object({
  /** The credential without its proof, as JSON text: what `badges:export` signs for this `validFrom`. */
  unsigned: z.string(),
  /** The witnesses the badge names: a badge reveals its endorsers, unlike a feat proof. */
  endorsers: z.array(z.string()),
  validFrom: z.number().int(),
});

export const badgeExportRequest = z.object({ claim: claimCid, validFrom: z.number().int().min(MIN_TIME_MS).max(MAX_TIME_MS) }).strict();
export const badgeExportResponse = z.object({ file: z.object({ name: z.string(), bytes: z.string() }), endorsers: z.array(z.string()) });

export const badgeVerifyRequest = z.object({ text: z.string().min(1).max(MAX_BADGE_BYTES) }).strict();

const badgeStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('revoked'), challenge: z.string(), source: z.enum(['outcome', 'chain']) }),
  z.object({ state: z.literal('not-revoked'), seq: z.number().int(), ts: z.number() }),
  z.object({ state: z.literal('unknown') }),
]);

export const badgeCheckSchema = z.discriminatedUnion('valid', [
  z.object({
    valid: z.literal(true),
    badge: z.object({
      id: z.string(), issuer: z.string(), holder: z.string(), validFrom: z.string(), created: z.string(), claim: z.string(),
      achievement: z.object({ id: z.string(), name: z.string(), description: z.string(), criteria: z.string(), featType: z.string() }),
      policy: badgePolicy,
      endorsers: z.array(z.object({ did: z.string(), ts: z.number() })),
      meetsPolicyByCount: z.boolean(),
    }),
    status: badgeStatusSchema,
  }),
  /** `code` is the refusal (`badge/signature`, `badge/model`, …), `field` the credential's field concerned. */
  z.object({ valid: z.literal(false), code: z.string(), reason: z.string(), field: z.string().nullable() }),
]);

export type BadgeCheckView = z.infer<typeof badgeCheckSchema>;
