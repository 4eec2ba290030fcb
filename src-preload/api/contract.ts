// The one contract between the renderer and the main process (Electron IPC) or the headless node (HTTP).
// Every channel is `feature:verb` with a zod schema for its request and its response; the types are
// inferred from the schemas. Results cross the boundary as `{ok: true, value} | {ok: false, error}`
// because thrown errors lose their class on the way. The renderer imports only types and schemas from here.
import { z } from 'zod';
import { keychainStatusSchema } from './keychain.ts';
import { FEAT_TYPE, FEAT_TYPE_RULE } from '../../src-shared/rules/feat-type.ts';
import {
  MAX_ATTEST_REPLY_BYTES, MAX_ATTEST_REQUEST_BYTES, MAX_CREDENTIAL_BYTES, MAX_EVIDENCE_BYTES, MAX_LIST_ARCHIVE_BYTES, MAX_PROOF_FILE_CHARS, MAX_REQUEST_BYTES, MAX_TEXT, MAX_TRUST_MEMBERS,
} from '../../src-shared/rules/limits.ts';
import { FIELD_PATH, SECTION_NAME } from '../../src-shared/rules/names.ts';
import { isSafeNumber, NONCE_DIGITS, NUMBER_RULE, WHOLE_DIGITS } from '../../src-shared/rules/number.ts';
import { MAX_CRITERIA_CHARS, MAX_FILE_NAME_CHARS, MAX_LABEL_CHARS, MAX_MEDIA_TYPE_CHARS, MAX_REASON_CHARS, MAX_REVIEW_REASON_CHARS, MAX_TITLE_CHARS } from '../../src-shared/rules/text.ts';
import { MAX_TIME_MS, MIN_TIME_MS } from '../../src-shared/rules/time.ts';
import { CONTACT_ROLES, MAX_CONTACT_NAME_CHARS, MAX_CONTACT_NOTES_CHARS } from '../../src-shared/rules/contacts.ts';
import { MAX_VALUE_DEPTH, nestsTooDeeply } from '../../src-shared/rules/values.ts';
import {
  archiveBeforeRequest, archiveMoveResponse, archivePreviewResponse, historyProveRequest, historyProveResponse, historyVerifyRequest, historyVerifyResponse, storageTiersSchema,
} from './history.ts';
import { NETWORKS_CHANNELS } from './networks.ts';
import { readViaRequestSchema, readViaResponseSchema } from './read-service.ts';
import { badgeCheckSchema, badgeExportRequest, badgeExportResponse, badgePreviewRequest, badgePreviewResponse, badgeVerifyRequest } from './badges.ts';
import { DUEL_CHANNELS } from './duels.ts';
import { CHALLENGE_CHANNELS } from './challenges.ts';
import { boundedBytesSchema, didSchema, downloadSchema, mailIdSchema } from './primitives.ts';

export { didSchema, downloadSchema } from './primitives.ts';
export type { ChallengeViewData, IncomingChallenge, WaitingOutcome } from './challenges.ts';
import { freshnessSchema, importOutcomeSchema, jobIdSchema, jobViewSchema, publishedTrustListSchema, recoverOutcomeSchema } from './importui.ts';

/**
 * A record keyed by names people choose, parsed into an object without a prototype so that every key is
 * kept as data: `z.record` drops a `__proto__` key, and `toString` must not read as Object's function.
 */
function ownRecord<T>(key: z.ZodType<string>, item: z.ZodType<T>) {
  const plain = (input: unknown): boolean => {
    if (typeof input !== 'object' || input === null) return false;
    const proto: unknown = Object.getPrototypeOf(input);
    return proto === Object.prototype || proto === null;
  };
  const entry = z.tuple([key, item]);
  return z.custom<Record<string, unknown>>(plain, 'expected an object')
    .transform((input, ctx) => {
      const out = Object.create(null) as Record<string, T>;
      for (const [name, raw] of Object.entries(input)) {
        const checked = entry.safeParse([name, raw]);
        if (checked.success) out[name] = checked.data[1];
        else for (const issue of checked.error.issues) ctx.issues.push({ code: 'custom', message: issue.message, input: raw, path: [name, ...issue.path.slice(1)] });
      }
      return out;
    });
}

/** A field value: what JSON can say, nested at most MAX_VALUE_DEPTH levels (refused before it is walked). */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
const nestedValueSchema: z.ZodType<Value> = z.lazy(() =>
  z.union([z.string().max(MAX_TEXT), z.number().refine(isSafeNumber, `a number is ${NUMBER_RULE}`), z.boolean(), z.null(), z.array(nestedValueSchema).max(1024), ownRecord(z.string().max(64), nestedValueSchema)]),
);
export const valueSchema: z.ZodType<Value> = z.unknown()
  .refine((input) => !nestsTooDeeply(input), `a value nests more than ${MAX_VALUE_DEPTH} levels deep`)
  .pipe(nestedValueSchema);
/** A section's fields by path, every path kept. */
export const fieldsSchema = ownRecord(z.string(), valueSchema);

/** Section names and field paths, as the core checks them (DESIGN §3). */
export const sectionSchema = z.string().regex(SECTION_NAME, 'a section name is lower-case letters, digits or -');
export const pathSchema = z.string().regex(FIELD_PATH, 'a field name is letters, digits, - or _ (dots nest)');
export const eventSchema = z.string().regex(/^[A-Za-z0-9_. -]{1,80}$/u, 'an event name is 1–80 letters, digits, spaces or . _ -');
export const passphraseSchema = z.string().min(1).max(1024);
export const themeSchema = z.enum(['system', 'light', 'dark']);
/** Binary data: base64 text (HTTP) or raw bytes (IPC). At most 64 MiB. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
export const bytesSchema = z.union([
  z.base64().max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4),
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes').refine((b) => b.length <= MAX_UPLOAD_BYTES, 'too large'),
]);

const empty = z.object({}).strict();

export const sessionStatusSchema = z.object({
  /** `new`: no identity in this home; `locked`: keys sealed; `unlocked`: the profile is open in main. */
  state: z.enum(['new', 'locked', 'unlocked']),
  id: z.string().nullable(),
  /** When the recovery phrase was just shown: the 1-based word positions to ask back. */
  confirm: z.array(z.number().int().min(1).max(24)).nullable(),
  /** False when an identity was recovered but its chain is not on this machine yet. */
  chain: z.boolean(),
});

export const blockSummarySchema = z.object({
  seq: z.number().int().nonnegative(),
  cid: z.string(),
  kind: z.string(),
  author: z.string(),
  ts: z.number(),
});

export const fieldChangeSchema = z.object({ path: z.string(), before: valueSchema.optional(), after: valueSchema.optional() });

export const editOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set'), path: pathSchema, value: valueSchema }).strict(),
  z.object({ op: z.literal('unset'), path: pathSchema }).strict(),
  z.object({ op: z.literal('append'), path: pathSchema, value: valueSchema }).strict(),
]);

export const mediaItemSchema = z.object({
  section: z.string(),
  event: z.string(),
  cid: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number().int().nonnegative(),
});

/** A media reference as the renderer sees it: without the key that opens it. */
export const shownMediaSchema = z.object({ event: z.string(), cid: z.string(), name: z.string(), type: z.string(), size: z.number() });

export const verifyReportSchema = z.object({
  ok: z.boolean(),
  head: z.string().nullable(),
  length: z.number().int().nonnegative(),
  error: z.object({ code: z.string(), rule: z.string(), seq: z.number().nullable(), message: z.string() }).optional(),
});

export const settingsSchema = z.object({ theme: themeSchema, home: z.string(), version: z.string() });

export const rightsSchema = z.enum(['read', 'propose', 'write']);
/** A time in ms since 1970 (grants' bounds). */
export const timeSchema = z.number().int().min(MIN_TIME_MS).max(MAX_TIME_MS);

/** A grant as the owner lists it: `from`..`until` are the bounds of its epochs (ms). */
export const grantSchema = z.object({
  seq: z.number().int().nonnegative(),
  grantee: z.string(),
  section: z.string(),
  rights: rightsSchema,
  gen: z.number().int().nonnegative(),
  from: z.number(),
  until: z.number(),
});

export const requestStatusSchema = z.enum(['pending', 'approved', 'rejected']);
/** A change request as the owner sees it: the exact diff while it waits; for merged ones, whether the author's signature verifies. */
export const requestViewSchema = z.object({
  id: z.string(),
  from: z.string(),
  section: z.string(),
  base: z.number().int(),
  status: requestStatusSchema,
  changes: z.array(fieldChangeSchema),
  merge: z.object({ seq: z.number().int().nonnegative(), signatureValid: z.boolean() }).optional(),
});

export const deviceSchema = z.object({
  device: z.string(),
  label: z.string(),
  addedAt: z.number(),
  addedSeq: z.number().int().nonnegative(),
  revokedSeq: z.number().int().nonnegative().nullable(),
  current: z.boolean(),
});

export const clientSchema = z.object({
  client: z.string(),
  peer: z.string().nullable(),
  label: z.string(),
  sections: z.array(z.string()),
  addedSeq: z.number().int().nonnegative(),
  revokedSeq: z.number().int().nonnegative().nullable(),
});

export const auditEntrySchema = z.object({
  owner: z.string(),
  requester: z.string(),
  section: z.string(),
  ts: z.number(),
  served: z.boolean(),
  reason: z.string(),
  /** The registered client that served or refused it and signed the entry; absent on unsigned entries. */
  client: z.string().optional(),
});

/** A section someone granted: the strongest right held, and the fields the grants open. */
export const sharedSectionSchema = z.object({ name: z.string(), right: rightsSchema, fields: fieldsSchema });
export const sharedViewSchema = z.object({ owner: z.string(), seq: z.number().int(), sections: z.array(sharedSectionSchema), sealedBodies: z.number().int().nonnegative(), fetched: z.boolean() });

/** A recovery share kept for someone (the Custody screen). */
export const custodyEntrySchema = z.object({ owner: z.string(), set: z.string(), k: z.number().int(), n: z.number().int(), index: z.number().int(), madeAt: z.number(), receivedAt: z.number() });

/** Every channel: its request and response schemas. */
/** The peer network, as `net status` and the Network screen show it. */
export const netLimitsSchema = z.object({
  quotaBytes: z.number(), replicaStorageBytes: z.number(), minFreeDiskBytes: z.number(), bandwidthInPerMinute: z.number(), bandwidthOutPerMinute: z.number(), maxConnections: z.number(),
  maxConcurrentSessions: z.number(), maxFrameBytes: z.number(), mailboxBytes: z.number(),
});
export const usageSampleSchema = z.object({ ts: z.number(), connections: z.number().int(), in: z.number(), out: z.number(), hostedBytes: z.number(), mailboxBytes: z.number() });
export const netStatusSchema = z.object({
  peerId: z.string(),
  addrs: z.array(z.string()),
  connections: z.number().int(),
  routingTable: z.number().int(),
  owner: z.object({
    id: z.string(),
    length: z.number().int(),
    head: z.string().nullable(),
    publishedSeq: z.number().int().nullable(),
    publishedAt: z.number().nullable(),
    replicas: z.array(z.object({ peer: z.string(), length: z.number().int(), live: z.boolean() })),
    wanted: z.number().int(),
    /** The last publish that failed, when none succeeded since (a background publish after a change too). */
    publishFailure: z.object({ code: z.string(), message: z.string(), at: z.number() }).nullable(),
  }).nullable(),
  hosted: z.array(z.object({ id: z.string(), length: z.number().int(), bytes: z.number() })),
  usage: z.object({
    hostedBytes: z.number(),
    mailbox: z.object({ count: z.number().int(), bytes: z.number() }),
    thisMinute: z.object({ in: z.number(), out: z.number() }),
    totalIn: z.number(),
    totalOut: z.number(),
    samples: z.array(usageSampleSchema),
  }),
  limits: netLimitsSchema,
  rejections: z.record(z.string(), z.number()),
});
export const peerViewSchema = z.object({ peerId: z.string(), addrs: z.array(z.string()), direction: z.enum(['inbound', 'outbound']), since: z.number() });
export const editableLimitsRequestSchema = z.object({
  quotaBytes: z.number().int().min(64 * 1024).max(64 * 1024 ** 3).optional(),
  replicaStorageBytes: z.number().int().min(0).max(1024 ** 4).optional(),
  minFreeDiskBytes: z.number().int().min(0).max(1024 ** 5).optional(),
  bandwidthInPerMinute: z.number().int().min(0).max(1024 ** 4).optional(),
  bandwidthOutPerMinute: z.number().int().min(0).max(1024 ** 4).optional(),
  maxConnections: z.number().int().min(4).max(10_000).optional(),
  mailboxBytes: z.number().int().min(0).max(1024 ** 4).optional(),
}).strict();

/** Feats, witnesses and proofs (DESIGN §6–7): the Feats screen, the Witness inbox and the Verify screen. */
export const featTypeSchema = z.string().regex(FEAT_TYPE, FEAT_TYPE_RULE);
/** A content id (CIDv1, base32), such as a claim's or a media object's. */
export const cidSchema = z.string().regex(/^b[a-z2-7]{20,120}$/u, 'a content id such as bafy…');
/** A whole number as decimal text (nonces and roots are field elements, up to 78 digits). */
export const wholeNumberSchema = z.string().regex(WHOLE_DIGITS, 'a whole number of 0 or more');
export const policySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('k-of-n'), k: z.number().int().min(1).max(16) }).strict(),
  z.object({ kind: z.literal('authority') }).strict(),
]);
export const verdictSchema = z.enum(['yes', 'no']);
export const proveStageSchema = z.enum(['loading', 'witness', 'proving', 'verifying', 'done']);
export const evidenceViewSchema = z.object({ cid: z.string(), name: z.string(), type: z.string(), size: z.number() });
export const featViewSchema = z.object({
  cid: z.string(),
  title: z.string(),
  type: z.string(),
  criteria: z.string(),
  ts: z.number(),
  policy: policySchema,
  /** The media named as evidence (name '' when it is not attached to this profile). */
  evidence: z.array(evidenceViewSchema),
  /** `refuted`: the challenge the holder lost on this claim, when one refuted it. */
  status: z.object({ met: z.boolean(), have: z.number().int(), need: z.number().int(), refuted: z.string().optional() }),
  attestations: z.array(z.object({ witness: z.string(), verdict: verdictSchema, ts: z.number(), trusted: z.boolean() })),
  /** A proof shows `needs` distinct trusted witnesses who said yes (the circuit's k); `trusted` of them have. */
  proof: z.object({ needs: z.number().int(), trusted: z.number().int() }),
});
/** What one piece of honor evidence established (core/honor/evidence.ts). */
export const findingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('equivocation'), id: z.string(), accused: z.array(z.string()), seq: z.number().int() }),
  z.object({ kind: z.literal('review'), id: z.string(), accused: z.array(z.string()), reviewer: z.string(), claim: z.string(), reason: z.string(), ts: z.number() }),
  z.object({ kind: z.literal('refutation'), id: z.string(), accused: z.array(z.string()), claim: z.string(), ts: z.number() }),
]);
export const honorSchema = z.object({
  did: z.string(),
  status: z.enum(['good', 'flagged', 'barred']),
  /** When a bar ends; null while good or flagged, and for an equivocation (barred for good). */
  until: z.number().nullable(),
  reviews: z.object({ counted: z.number().int(), needed: z.number().int() }),
  evidence: z.array(findingSchema),
});
const reviewInputSchema = z.object({ claim: mailIdSchema, witness: didSchema, reason: z.string().min(1).max(MAX_REVIEW_REASON_CHARS) }).strict();
export const reviewSchema = z.object({ reviewer: z.string(), witness: z.string(), claim: z.string(), reason: z.string(), ts: z.number() });
/** `via`: the authority whose published list this entry comes from (a community list), or null for your own. */
export const trustEntrySchema = z.object({ did: z.string(), featType: z.string(), authority: z.boolean(), listed: z.boolean(), via: z.string().nullable() });
export const sentRequestSchema = z.object({ witness: z.string(), delivered: z.boolean(), file: downloadSchema.nullable() });
/** Where a request to witness comes from: a file's bytes, or the id of one that came by mail. */
const requestSourceSchema = z.union([
  z.object({ bytes: boundedBytesSchema(MAX_ATTEST_REQUEST_BYTES) }).strict(),
  z.object({ mail: mailIdSchema }).strict(),
]);
export const witnessEntrySchema = z.object({ claim: z.string(), holder: z.string(), title: z.string(), featType: z.string(), verdict: verdictSchema, ts: z.number() });
export const witnessRequestSchema = z.object({
  claim: z.object({ cid: z.string(), title: z.string(), type: z.string(), criteria: z.string(), holder: z.string(), ts: z.number(), policy: policySchema }),
  /** `included`: opened and checked against the claim's CID (`bytes` base64); else only described, damaged or missing. */
  evidence: z.array(evidenceViewSchema.extend({ state: z.enum(['included', 'not-sent', 'damaged', 'missing']), bytes: z.string().nullable() })),
  /** This home's earlier answer to the same claim, if any. */
  answered: witnessEntrySchema.nullable(),
});
export const verifiedProofSchema = z.object({
  valid: z.boolean(),
  kind: z.enum(['feat', 'attribute']).nullable(),
  /** Why it is not valid, in plain words (null when valid). */
  reason: z.string().nullable(),
  claim: z.string().optional(),
  holder: z.string().optional(),
  root: z.string().optional(),
  nonce: z.string().optional(),
  /** The policy a feat proof proves (its circuit), and how many distinct witnesses it shows. */
  proves: z.enum(['k-of-n', 'authority']).optional(),
  witnesses: z.number().int().optional(),
  title: z.string().optional(),
  featType: z.string().optional(),
  criteria: z.string().optional(),
  policy: policySchema.optional(),
  claimedAt: z.number().optional(),
  field: z.string().optional(),
  op: z.enum(['gte', 'lte', 'eq', 'in']).optional(),
  bound: z.string().optional(),
  /** An attribute proof's issuer, as the verifier's list names it (null when the issuer is not on it). */
  issuer: z.string().nullable().optional(),
  set: z.array(z.string()).optional(),
  /** Why this verifier refused the proof's nonce: not issued here, expired, or already used (a replay). */
  refused: z.enum(['unknown', 'expired', 'already-used']).optional(),
  /** The list the verifier's own root was computed from, in words, and its size. */
  checkedAgainst: z.string().optional(),
  members: z.number().int().optional(),
});

/** A contact of the local address book (never published). */
export const contactRoleSchema = z.enum(CONTACT_ROLES);
export const contactSchema = z.object({
  did: z.string(), name: z.string(), notes: z.string(), roles: z.array(contactRoleSchema), addedAt: z.number(), updatedAt: z.number(),
});
const contactNameSchema = z.string().trim().min(1, 'a contact needs a name').max(MAX_CONTACT_NAME_CHARS);
const contactNotesSchema = z.string().max(MAX_CONTACT_NOTES_CHARS);
const contactRolesSchema = z.array(contactRoleSchema).max(CONTACT_ROLES.length);
/** A credential as its holder sees it. */
export const credentialSchema = z.object({ issuer: z.string(), field: z.string(), value: z.string(), issuedAt: z.number() });

export const contract = {
  'session:status': { request: empty, response: sessionStatusSchema },
  /** Creates an identity; the 24 words are returned this once, to be shown and then asked back. */
  'session:create': {
    request: z.object({ passphrase: passphraseSchema, label: z.string().max(MAX_LABEL_CHARS).optional() }).strict(),
    response: z.object({ id: z.string(), words: z.array(z.string()).length(24), confirm: z.array(z.number().int()) }),
  },
  'session:confirmMnemonic': {
    request: z.object({ words: z.array(z.object({ position: z.number().int().min(1).max(24), word: z.string().max(32) }).strict()).length(3) }).strict(),
    response: sessionStatusSchema,
  },
  /** Recreates the identity from its phrase, then brings its chain from the network (stages readable with `jobs:status {job}`). */
  'session:recover': {
    request: z.object({ mnemonic: z.string().max(1024), passphrase: passphraseSchema, job: jobIdSchema.optional() }).strict(),
    response: sessionStatusSchema,
  },
  /** On the unlock screen of an identity whose chain is not here: fetch it from the network (stages in `jobs:status`), then unlock. */
  'session:fetchChain': { request: z.object({ passphrase: passphraseSchema, job: jobIdSchema.optional() }).strict(), response: sessionStatusSchema },
  'session:unlock': { request: z.object({ passphrase: passphraseSchema }).strict(), response: sessionStatusSchema },
  'session:lock': { request: empty, response: sessionStatusSchema },
  /** Whether the OS keychain can keep this wallet's key on this device, and whether it does. */
  'keychain:status': { request: empty, response: keychainStatusSchema },
  /** Checks the passphrase, then has the OS keychain keep the key it opens (refused unless the state is `ready`). */
  'keychain:remember': { request: z.object({ passphrase: passphraseSchema }).strict(), response: keychainStatusSchema },
  /** Removes the key this device keeps: the passphrase is needed again. */
  'keychain:forget': { request: empty, response: keychainStatusSchema },
  /** Unlocks with the key the OS keychain keeps (a `keychain/*` error when it cannot; the passphrase still works). */
  'keychain:unlock': { request: empty, response: sessionStatusSchema },

  'profile:get': {
    request: empty,
    response: z.object({
      id: z.string(),
      device: z.string(),
      length: z.number().int(),
      head: z.string().nullable(),
      sections: z.array(z.object({ name: z.string(), fields: fieldsSchema, events: z.array(z.object({ event: z.string(), count: z.number().int() })) })),
    }),
  },
  /** The exact change the ops would make, before anything is signed. */
  'profile:preview': {
    request: z.object({ section: sectionSchema, ops: z.array(editOpSchema).min(1).max(64) }).strict(),
    response: z.object({ changes: z.array(fieldChangeSchema) }),
  },
  'profile:set': {
    request: z.object({ section: sectionSchema, path: pathSchema, value: valueSchema }).strict(),
    response: z.object({ block: blockSummarySchema }),
  },
  'profile:unset': {
    request: z.object({ section: sectionSchema, path: pathSchema }).strict(),
    response: z.object({ block: blockSummarySchema }),
  },

  /** A page of block headers; `order: 'desc'` starts at the head. */
  'chain:log': {
    request: z.object({ offset: z.number().int().min(0).max(1e9).default(0), limit: z.number().int().min(1).max(1000).default(200), order: z.enum(['asc', 'desc']).default('desc') }).strict(),
    /** `archivedThrough`: the bodies of blocks below it are in the archive tier (the timeline says so). */
    response: z.object({ total: z.number().int(), archivedThrough: z.number().int(), items: z.array(blockSummarySchema) }),
  },
  /** One block with its decrypted delta as a diff: each changed field with its value before and after. */
  'chain:block': {
    request: z.object({ seq: z.number().int().min(0).max(1e9) }).strict(),
    response: z.object({ block: blockSummarySchema, sections: z.array(z.object({ section: z.string(), changes: z.array(fieldChangeSchema), media: z.array(shownMediaSchema) })) }),
  },
  'chain:verify': { request: empty, response: verifyReportSchema },
  /** The inclusion bundle of one block ("did you X?"): no block is written (history.ts). */
  'history:prove': { request: historyProveRequest, response: historyProveResponse },
  /** Checks an inclusion bundle offline, locked or not: what it proves, or the reason it proves nothing. */
  'history:verify': { request: historyVerifyRequest, response: historyVerifyResponse },
  /** What each storage tier holds of this identity (Settings → Storage). */
  'history:tiers': { request: empty, response: storageTiersSchema },
  /** What a move to the archive before a date would move, and the checkpoint it would sign first. Signs nothing. */
  'history:previewArchive': { request: archiveBeforeRequest, response: archivePreviewResponse },
  /** Signs a checkpoint, then moves the bodies of the blocks written before the date into archive segments. */
  'history:archive': { request: archiveBeforeRequest, response: archiveMoveResponse },

  'media:list': { request: empty, response: z.object({ items: z.array(mediaItemSchema) }) },
  'media:attach': {
    request: z.object({ section: sectionSchema, event: eventSchema, name: z.string().min(1).max(MAX_FILE_NAME_CHARS), type: z.string().min(1).max(MAX_MEDIA_TYPE_CHARS), bytes: bytesSchema }).strict(),
    response: z.object({ item: mediaItemSchema, block: blockSummarySchema }),
  },
  'media:get': {
    request: z.object({ cid: mailIdSchema }).strict(),
    response: z.object({ item: mediaItemSchema, bytes: z.string() }),
  },

  /** Who can see or change what, until when; and the sections there are. */
  'access:list': { request: empty, response: z.object({ grants: z.array(grantSchema), sections: z.array(z.string()) }) },
  'access:grant': {
    request: z.object({ grantee: didSchema, section: sectionSchema, rights: rightsSchema, until: timeSchema, from: timeSchema.optional() }).strict(),
    response: z.object({ grant: grantSchema }),
  },
  /** Starts a new key generation: what the grantee already read stays read; nothing written later opens for them. */
  'access:revoke': { request: z.object({ grantee: didSchema, section: sectionSchema }).strict(), response: z.object({ block: blockSummarySchema }) },
  'access:createSection': {
    request: z.object({ name: sectionSchema, epochMs: z.number().int().min(60_000).max(366 * 86_400_000).optional() }).strict(),
    response: z.object({ block: blockSummarySchema }),
  },

  'inbox:list': { request: z.object({ status: requestStatusSchema.optional() }).strict(), response: z.object({ requests: z.array(requestViewSchema) }) },
  /** Takes a change-request file in (refused with `request/<reason>` in plain words). */
  'inbox:import': { request: z.object({ bytes: boundedBytesSchema(MAX_REQUEST_BYTES) }).strict(), response: z.object({ request: requestViewSchema }) },
  'inbox:approve': { request: z.object({ id: mailIdSchema }).strict(), response: z.object({ block: blockSummarySchema, request: requestViewSchema }) },
  /** Rejects a request; the signed reply file is for its author. */
  'inbox:reject': {
    request: z.object({ id: mailIdSchema, reason: z.string().min(1).max(MAX_REASON_CHARS) }).strict(),
    response: z.object({ reply: downloadSchema, request: requestViewSchema }),
  },
  /**
   * Proposes a change to someone's profile (the sender needs propose or write on the section). While the node
   * runs it pulls the owner's newest chain (the base) and leaves the sealed request in their mailboxes; when the
   * network is off, or no mailbox took it, `file` is the request to hand over. `base` defaults to the newest
   * copy of the owner's chain held here.
   */
  'requests:propose': {
    request: z.object({ owner: didSchema, section: sectionSchema, ops: z.array(editOpSchema).min(1).max(64), base: z.number().int().nonnegative().optional() }).strict(),
    response: z.object({ id: z.string(), base: z.number().int(), deposited: z.number().int().nonnegative(), file: downloadSchema.nullable() }),
  },

  /**
   * What someone granted this identity, from the copy of their chain held here — first brought up to date from
   * their replicas while the node runs (`fetched` says whether they answered) — or from an archive file.
   */
  'shared:read': {
    request: z.object({ owner: didSchema, section: sectionSchema.optional() }).strict(),
    response: sharedViewSchema,
  },
  'shared:readArchive': {
    request: z.object({ bytes: bytesSchema, section: sectionSchema.optional() }).strict(),
    response: sharedViewSchema,
  },
  /**
   * One section of an offline owner through their registered client (`via`: its did:key or multiaddr): the
   * request is signed with this identity's key (the SignDialog shows it), the answer sealed to it.
   */
  'shared:readVia': { request: readViaRequestSchema, response: readViaResponseSchema },

  'devices:list': { request: empty, response: z.object({ devices: z.array(deviceSchema) }) },
  'devices:add': { request: z.object({ device: didSchema, label: z.string().max(MAX_LABEL_CHARS).optional() }).strict(), response: z.object({ block: blockSummarySchema }) },
  'devices:revoke': { request: z.object({ device: didSchema }).strict(), response: z.object({ block: blockSummarySchema }) },

  'registry:list': { request: empty, response: z.object({ clients: z.array(clientSchema) }) },
  'registry:add': {
    request: z.object({
      client: didSchema,
      sections: z.array(sectionSchema).min(1).max(64),
      peer: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,128}$/u, 'a peer id is a base58 libp2p peer id').optional(),
      label: z.string().max(MAX_LABEL_CHARS).optional(),
    }).strict(),
    response: z.object({ block: blockSummarySchema }),
  },
  'registry:revoke': { request: z.object({ client: didSchema }).strict(), response: z.object({ block: blockSummarySchema }) },

  /** Reads this home served or refused as a registered client, and those its registered clients reported, oldest first. */
  'audit:list': { request: empty, response: z.object({ entries: z.array(auditEntrySchema) }) },

  /** The whole chain as one file: what a grantee reads from, and a backup. */
  'archive:export': { request: empty, response: downloadSchema },
  /**
   * Verifies an archive file whole and adds what it has beyond the chain here (stages in `jobs:status {job}`;
   * `jobs:cancel` stops it before anything is written). Locked: `passphrase` opens the keys, and the wallet is
   * unlocked after. An archive older than the network's head is refused (`archive-older`) unless `acceptOlder`.
   */
  'archive:import': {
    request: z.object({ bytes: bytesSchema, job: jobIdSchema.optional(), passphrase: passphraseSchema.optional(), acceptOlder: z.boolean().default(false), withoutMedia: z.boolean().default(false) }).strict(),
    response: importOutcomeSchema,
  },
  /** Whether the chain here ends before the network's head record (editing now would fork it). */
  'archive:freshness': { request: empty, response: freshnessSchema },

  /** How far a long job is (import, recovery), by the id the screen chose; null when unknown. */
  'jobs:status': { request: z.object({ job: jobIdSchema }).strict(), response: z.object({ job: jobViewSchema.nullable() }) },
  /** Asks a running job to stop at its next stage boundary (nothing half-written). */
  'jobs:cancel': { request: z.object({ job: jobIdSchema }).strict(), response: z.object({ cancelled: z.boolean() }) },

  /** The holder's feat claims with their evidence, attestations and progress toward the policy. */
  'feats:list': { request: empty, response: z.object({ claims: z.array(featViewSchema) }) },
  /** Writes a `feat` block; evidence is media attached to this profile. */
  'feats:claim': {
    request: z.object({
      title: z.string().trim().min(1).max(MAX_TITLE_CHARS),
      type: featTypeSchema,
      criteria: z.string().max(MAX_CRITERIA_CHARS).default(''),
      policy: policySchema,
      evidence: z.array(cidSchema).max(16).default([]),
    }).strict(),
    response: z.object({ claim: featViewSchema, block: blockSummarySchema }),
  },
  /** One sealed request per witness: delivered, or a file for the person to send (`file`). */
  'feats:requestWitnesses': {
    request: z.object({ claim: cidSchema, witnesses: z.array(didSchema).min(1).max(16) }).strict(),
    response: z.object({ requests: z.array(sentRequestSchema) }),
  },
  /** Records a witness's signed reply (refused with `feat/<reason>` in plain words). */
  'feats:importReply': {
    request: z.object({ bytes: boundedBytesSchema(MAX_ATTEST_REPLY_BYTES) }).strict(),
    response: z.object({ claim: featViewSchema, witness: z.string(), verdict: verdictSchema }),
  },
  /** Proves the feat for the verifier's nonce; stages are pushed as `feats:progress` and readable with `feats:proveStatus`. */
  'feats:prove': {
    request: z.object({ claim: cidSchema, nonce: z.string().regex(NONCE_DIGITS, 'a whole number the verifier chose'), job: jobIdSchema }).strict(),
    response: z.object({ file: downloadSchema, root: z.string(), nonce: z.string() }),
  },
  /** The stage a running proof reached (the browser polls; Electron also gets the events). */
  'feats:proveStatus': { request: z.object({ job: jobIdSchema }).strict(), response: z.object({ stage: proveStageSchema.nullable() }) },
  /** Cancels a running proof job (feats:prove, or verify:proof given a job): its proving process is killed and the call fails with `zk/cancelled`. */
  'feats:cancelProof': { request: z.object({ job: jobIdSchema }).strict(), response: z.object({ cancelled: z.boolean() }) },

  /** Whom this holder trusts as a witness, for which kind of feat. */
  'trust:list': { request: empty, response: z.object({ entries: z.array(trustEntrySchema) }) },
  'trust:add': {
    /** `listed`: on the public list, in the clear (a community list others reuse); else sealed in the chain. */
    request: z.object({ did: didSchema, featType: z.union([featTypeSchema, z.literal('*')]), authority: z.boolean().default(false), listed: z.boolean().default(false) }).strict(),
    response: z.object({ block: blockSummarySchema }),
  },
  'trust:remove': { request: z.object({ did: didSchema, featType: z.union([featTypeSchema, z.literal('*')]) }).strict(), response: z.object({ block: blockSummarySchema }) },
  /** The Poseidon root of the trusted witnesses (what a verifier checks a feat proof against). */
  /** Fetches the trust lists the authorities you trust published (their chains) through the network. */
  'trust:sync': {
    request: empty,
    response: z.object({ authorities: z.array(z.object({ authority: z.string(), fetched: z.boolean(), problem: z.string().nullable(), witnesses: z.number().int() })) }),
  },
  /** As an authority: publishes the chain that carries your public trust list (`trust:list`'s own listed entries); its id to share is your did. */
  'trust:publish': { request: empty, response: publishedTrustListSchema },
  'trust:root': {
    request: z.object({ featType: featTypeSchema.optional(), authorities: z.boolean().optional() }).strict(),
    response: z.object({ root: z.string(), members: z.array(z.string()), missing: z.array(z.string()) }),
  },

  /** As a witness: what a request asks you to sign, with its evidence checked. */
  /** Requests that came through the network and wait for an answer. */
  'witness:pending': { request: empty, response: z.object({ requests: z.array(z.object({ id: z.string(), from: z.string(), receivedAt: z.number() })) }) },
  /** Opens a request: a file's `bytes`, or one that came by `mail` (its id from witness:pending). */
  'witness:open': { request: requestSourceSchema, response: z.object({ request: witnessRequestSchema }) },
  /** Signs the verdict; the reply file is for the holder. */
  'witness:sign': {
    request: requestSourceSchema.and(z.object({ verdict: verdictSchema })),
    /** `sent`: a request that came by mail was answered through the network; else the reply file is for the holder. */
    response: z.object({ reply: downloadSchema, entry: witnessEntrySchema, sent: z.boolean() }),
  },
  /** What this identity signed or declined as a witness, newest first. */
  'witness:history': { request: empty, response: z.object({ entries: z.array(witnessEntrySchema) }) },

  /** A did's honor in your view (good, flagged, barred) and its evidence; `gather`: ask its replicas first (needs the node). */
  'honor:of': { request: z.object({ did: didSchema, gather: z.boolean().optional() }).strict(), response: honorSchema },
  /** The review "Report this witness" would sign, field by field (shown before anything is signed). */
  'honor:draftReview': { request: reviewInputSchema, response: z.object({ review: reviewSchema }) },
  /** Signs the review shown by honor:draftReview (same fields, same `ts`); left at the witness's replicas, and a file. */
  'honor:report': { request: reviewInputSchema.extend({ ts: z.number().int().nonnegative() }).strict(), response: z.object({ review: reviewSchema, spread: z.number().int(), file: downloadSchema }) },
  /** Takes in an evidence file (an equivocation proof, a review, a refutation), checked fully. */
  'honor:import': { request: z.object({ bytes: boundedBytesSchema(MAX_EVIDENCE_BYTES) }).strict(), response: z.object({ finding: findingSchema, added: z.boolean() }) },

  /** Anyone, locked or not: checks a proof file with the verification keys alone. */
  /** Issues a nonce for a holder to prove against; this home takes one proof for it before `expires` (ms). */
  'verify:request': {
    request: z.object({ ttlMs: z.number().int().positive().max(366 * 24 * 60 * 60 * 1000).optional() }).strict(),
    response: z.object({ nonce: z.string(), expires: z.number() }),
  },

  /**
   * Verifies a proof. Without `nonce`, a feat proof must answer a nonce this home issued (verify:request),
   * unexpired and unused, and then uses it; with `nonce`, that nonce is checked alone (a stateless verifier).
   */
  'verify:proof': {
    /** `trust`: the list whose root the verifier computes itself: its own trusted witnesses (unlocked), an authority's published list, or these people. */
    request: z.object({
      text: z.string().min(1).max(MAX_PROOF_FILE_CHARS), trustRoot: wholeNumberSchema.optional(), nonce: wholeNumberSchema.optional(),
      /** Names the check so feats:cancelProof can stop it. */
      job: jobIdSchema.optional(),
      trust: z.union([z.object({ list: z.literal('mine') }).strict(), z.object({ authority: didSchema }).strict(), z.object({ members: z.array(didSchema).min(1).max(MAX_TRUST_MEMBERS) }).strict()]).optional(),
      /** The chains an authority's or the members' list needs, as archive files (verified whole, kept for this check only): when the network cannot fetch them. */
      archives: z.array(boundedBytesSchema(MAX_LIST_ARCHIVE_BYTES)).min(1).max(MAX_TRUST_MEMBERS + 1).optional(),
    }).strict(),
    response: verifiedProofSchema,
  },

  ...CHALLENGE_CHANNELS,

  /** As the holder: one's feat as an unsigned Open Badge (the SignDialog shows it); refused when refuted (`badge/refuted`) or not met (`badge/unmet`). */
  'badges:preview': { request: badgePreviewRequest, response: badgePreviewResponse },
  /** As the holder: signs the badge previewed (same `validFrom`) with the identity key, eddsa-jcs-2022; the file to download. */
  'badges:export': { request: badgeExportRequest, response: badgeExportResponse },
  /** Anyone, locked or not: checks an Open Badge file offline, its status from the holder's chain when this home holds it. */
  'badges:verify': { request: badgeVerifyRequest, response: badgeCheckSchema },
  ...DUEL_CHANNELS,

  /** As an issuer: signs a holder's field value (the holder's key from its genesis block held here); the file goes to the holder only. */
  'attributes:issue': {
    request: z.object({ holder: didSchema, field: featTypeSchema, value: z.string().regex(/^\d{1,20}$/u, 'a whole number of 0 or more') }).strict(),
    /** `statement`: what was signed, in words. */
    response: z.object({ file: downloadSchema, statement: z.string() }),
  },
  /** As a holder: keeps a credential an issuer signed for you (checked: for you, and the issuer's signature). */
  'attributes:import': {
    request: z.object({ bytes: boundedBytesSchema(MAX_CREDENTIAL_BYTES) }).strict(),
    response: credentialSchema.extend({ kept: z.boolean() }),
  },
  /** The credentials issuers gave you, newest first (their values are yours). */
  'attributes:list': { request: empty, response: z.object({ credentials: z.array(credentialSchema) }) },
  /** Proves a field's issued value satisfies a predicate, bound to the verifier's nonce, without revealing it. */
  'attributes:prove': {
    request: z.object({
      field: featTypeSchema, op: z.enum(['gte', 'lte', 'eq', 'in']), bound: z.string().regex(/^\d{1,20}$/u, 'a whole number of 0 or more'),
      set: z.array(z.string().regex(/^\d{1,20}$/u, 'a whole number of 0 or more')).max(16).optional(),
      nonce: z.string().regex(NONCE_DIGITS, 'a whole number the verifier chose'), issuer: didSchema.optional(), job: jobIdSchema,
    }).strict(),
    response: z.object({ file: downloadSchema, issuer: z.string(), nonce: z.string() }),
  },
  /** The stage a running attribute proof reached. */
  'attributes:proveStatus': { request: z.object({ job: jobIdSchema }).strict(), response: z.object({ stage: proveStageSchema.nullable() }) },
  /** Cancels the attribute proof being made for `job`: its proving process is killed and attributes:prove fails with `zk/cancelled`. */
  'attributes:cancelProof': { request: z.object({ job: jobIdSchema }).strict(), response: z.object({ cancelled: z.boolean() }) },

  /** The node: null when it is not running (offline, or waiting for the wallet to be unlocked). */
  'network:status': {
    request: empty,
    /** `reason`: why the node is not running, in words (null while it runs). */
    response: z.object({ running: z.boolean(), reason: z.string().nullable(), status: netStatusSchema.nullable(), peers: z.array(peerViewSchema) }),
  },
  /** Signs the head record and pushes the archive to its replicas now. */
  'network:publish': {
    request: empty,
    response: z.object({
      seq: z.number().int(),
      recordPeers: z.number().int(),
      replicas: z.array(z.object({ peer: z.string(), length: z.number().int(), sent: z.number().int() })),
      failures: z.array(z.object({ peer: z.string(), code: z.string(), message: z.string() })),
      /** Another device had published first: its blocks were taken in from `fork`, this device's written again after them. */
      rebased: z.object({ fork: z.number().int(), taken: z.number().int(), replayed: z.number().int() }).nullable(),
    }),
  },
  /** Fetches mail from this identity's mailboxes now: change requests into the inbox, attestations into the chain. */
  /** `job`: the stages (finding the mailboxes, asking n of m) under `jobs:status {job}`. */
  'network:fetchMail': {
    request: z.object({ job: jobIdSchema.optional() }).strict(),
    response: z.object({
      routed: z.array(z.object({
        id: z.string(), from: z.string(), kind: z.enum(['change-request', 'change-reply', 'attest-request', 'attestation', 'unknown', 'challenge', 'duel', 'recovery-share', 'network-invite', 'audit-batch']),
        state: z.enum(['waiting', 'taken', 'refused', 'answered']), note: z.string(),
      })),
      asked: z.number().int(),
      failures: z.number().int(),
    }),
  },
  /** Fetches the newer chain from the network into this home (stages in `jobs:status {job}`): after an older import. */
  'network:recoverChain': { request: z.object({ job: jobIdSchema.optional() }).strict(), response: recoverOutcomeSchema },
  /** Changes the editable limits (saved in the home; connections apply at the next start). */
  'network:setLimits': { request: editableLimitsRequestSchema, response: z.object({ limits: netLimitsSchema }) },

  'settings:get': { request: empty, response: settingsSchema },
  'settings:setTheme': { request: z.object({ theme: themeSchema }).strict(), response: settingsSchema },
  'settings:changePassphrase': {
    request: z.object({ old: passphraseSchema, new: passphraseSchema }).strict(),
    response: z.object({ changed: z.literal(true) }),
  },

  /** The local address book: names, notes and roles for dids, kept on this device only. */
  'contacts:list': { request: empty, response: z.object({ contacts: z.array(contactSchema) }) },
  'contacts:add': {
    request: z.object({ did: didSchema, name: contactNameSchema, notes: contactNotesSchema.optional(), roles: contactRolesSchema.optional() }).strict(),
    response: z.object({ contact: contactSchema }),
  },
  'contacts:edit': {
    request: z.object({ did: didSchema, name: contactNameSchema.optional(), notes: contactNotesSchema.optional(), roles: contactRolesSchema.optional() }).strict(),
    response: z.object({ contact: contactSchema }),
  },
  'contacts:remove': { request: z.object({ did: didSchema }).strict(), response: z.object({ contact: contactSchema }) },
  /**
   * Recovery by friends (docs/recovery.md): splits the recovery phrase (typed again, checked against this id)
   * k-of-n over custodians. Each share goes to the custodian's mailboxes when the node runs (`deposited`), else
   * `file` is to hand over. Re-sharing does NOT revoke the shares of an earlier set.
   */
  'recovery:split': {
    request: z.object({ mnemonic: z.string().max(1024), custodians: z.array(didSchema).min(2).max(16), k: z.number().int().min(2).max(16) }).strict(),
    response: z.object({ set: z.string(), k: z.number().int(), n: z.number().int(), shares: z.array(z.object({ custodian: z.string(), index: z.number().int(), deposited: z.boolean(), file: downloadSchema.nullable() })) }),
  },
  /** On a home with no identity: the temporary id custodians release shares to (made once, sealed under the passphrase). */
  'recovery:start': { request: z.object({ passphrase: passphraseSchema }).strict(), response: z.object({ temporaryId: z.string() }) },
  /**
   * On a home with no identity: fetches the shares released to the temporary id by mail and keeps those that
   * open (`fetched` now, `refused` altered or sealed to another key, `kept` here in all).
   */
  'recovery:fetch': { request: z.object({ passphrase: passphraseSchema }).strict(), response: z.object({ fetched: z.number().int(), refused: z.number().int(), kept: z.number().int() }) },
  /**
   * Rebuilds the phrase from released shares (these files and the ones kept from the mail), recreates the
   * identity, brings its chain back from the network and unlocks.
   */
  'recovery:combine': {
    request: z.object({ passphrase: passphraseSchema, releases: z.array(boundedBytesSchema(16 * 1024)).max(16) }).strict(),
    response: sessionStatusSchema,
  },
  /** The shares this identity keeps for others, newest first, and shares that came by mail and wait to be kept. */
  'custody:list': { request: empty, response: z.object({ entries: z.array(custodyEntrySchema), waiting: z.array(z.object({ id: z.string(), from: z.string(), receivedAt: z.number() })) }) },
  /** Keeps a share sealed to this identity (checked: made for it, signed by its owner): a file's bytes, or one that came by mail. */
  'custody:import': { request: z.union([z.object({ bytes: boundedBytesSchema(16 * 1024) }).strict(), z.object({ mail: mailIdSchema }).strict()]), response: z.object({ entry: custodyEntrySchema, fresh: z.boolean() }) },
  /**
   * After an out-of-band check: the owner's share re-sealed to the temporary id they gave, sent to its
   * mailboxes when the node runs (`deposited`) and as `file` to hand over either way.
   */
  'custody:release': {
    request: z.object({ owner: didSchema, to: didSchema, set: z.string().regex(/^[0-9a-f]{32}$/u).optional() }).strict(),
    response: z.object({ owner: z.string(), set: z.string(), to: z.string(), deposited: z.boolean(), file: downloadSchema }),
  },
  ...NETWORKS_CHANNELS,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];
export type Request<C extends Channel> = z.input<Contract[C]['request']>;
export type Response<C extends Channel> = z.output<Contract[C]['response']>;

export interface ApiError {
  /** Stable, machine-readable (`wrong-passphrase`, `locked`, `invalid-input`, …). */
  code: string;
  /** Plain words for a person. */
  message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };
export const errorSchema = z.object({ code: z.string(), message: z.string() });

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

/** The one IPC channel on which the main process pushes events to the preload. */
export const EVENT_CHANNEL = 'defaust:event';

/** Events the main process pushes (Electron only; the HTTP client re-reads after its own calls). */
export const events = {
  'session:changed': sessionStatusSchema,
  'chain:appended': blockSummarySchema,
  /** A proof being made moved to its next stage. */
  'feats:progress': z.object({ job: z.string(), stage: proveStageSchema, elapsedMs: z.number().optional() }),
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type SessionStatus = Response<'session:status'>;
export type BlockSummary = z.output<typeof blockSummarySchema>;
export type FieldChange = z.output<typeof fieldChangeSchema>;
export type EditOp = z.output<typeof editOpSchema>;
export type MediaItem = z.output<typeof mediaItemSchema>;
export type ShownMedia = z.output<typeof shownMediaSchema>;
export type Theme = z.output<typeof themeSchema>;
export type Settings = z.output<typeof settingsSchema>;
export type Rights = z.output<typeof rightsSchema>;
export type Grant = z.output<typeof grantSchema>;
export type RequestView = z.output<typeof requestViewSchema>;
export type RequestStatus = z.output<typeof requestStatusSchema>;
export type Device = z.output<typeof deviceSchema>;
export type Client = z.output<typeof clientSchema>;
export type AuditEntry = z.output<typeof auditEntrySchema>;
export type Download = z.output<typeof downloadSchema>;
export type FeatView = z.output<typeof featViewSchema>;
export type Policy = z.output<typeof policySchema>;
export type TrustEntry = z.output<typeof trustEntrySchema>;
export type SentRequest = z.output<typeof sentRequestSchema>;
export type WitnessRequest = z.output<typeof witnessRequestSchema>;
export type WitnessEntry = z.output<typeof witnessEntrySchema>;
export type HonorView = z.output<typeof honorSchema>;
export type Finding = z.output<typeof findingSchema>;
export type ReviewView = z.output<typeof reviewSchema>;
export type CustodyEntry = z.output<typeof custodyEntrySchema>;
export type VerifiedProof = z.output<typeof verifiedProofSchema>;
export type ProveStage = z.output<typeof proveStageSchema>;
export type NetStatus = z.output<typeof netStatusSchema>;
export type PeerView = z.output<typeof peerViewSchema>;
export type UsageSample = z.output<typeof usageSampleSchema>;
export type Contact = z.output<typeof contactSchema>;
export type ContactRole = z.output<typeof contactRoleSchema>;

/** The shape `window.defaust` has in Electron: one object per feature, one function per verb. */
export type DefaustApi = {
  [F in Channel as F extends `${infer Feature}:${string}` ? Feature : never]: {
    [C in Channel as C extends `${F & string}:${infer Verb}` ? Verb : never]: (request: Request<C>) => Promise<Result<Response<C>>>;
  };
} & {
  events: { subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void };
};

/** Splits a channel into its feature and verb. */
export function splitChannel(channel: Channel): { feature: string; verb: string } {
  const at = channel.indexOf(':');
  return { feature: channel.slice(0, at), verb: channel.slice(at + 1) };
}
