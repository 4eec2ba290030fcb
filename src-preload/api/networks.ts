// The IPC schemas of private networks (app/network/private.ts; docs/network.md "Private networks"): list,
// create, invite a contact (a file to hand over, or a deposit in the contact's mailboxes), join from a file or a
// mail, leave. The keys never cross: only names, ids and sealed invites do.
import { z } from 'zod';
import { DID_KEY_HINT, looksLikeDid } from '../../src-shared/rules/did.ts';
import { MAX_NETWORK_INVITE_BYTES, NETWORK_NAME } from '../../src-shared/rules/networks.ts';

export const networkNameSchema = z.string().regex(NETWORK_NAME, 'a network name is 1-32 lower-case letters, digits or -, starting with a letter');
const did = z.string().refine(looksLikeDid, DID_KEY_HINT);
const inviteBytes = z.union([
  z.base64().max(Math.ceil(MAX_NETWORK_INVITE_BYTES / 3) * 4),
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes').refine((b) => b.length <= MAX_NETWORK_INVITE_BYTES, 'too large'),
]);

/** A network this home belongs to; `from`: who invited (null: made here). */
export const networkEntrySchema = z.object({ name: z.string(), id: z.string(), from: z.string().nullable(), joinedAt: z.number() });

export const NETWORKS_CHANNELS = {
  /** The private networks of this home, the one the running node is in (null: the public one), and invites waiting in the mail. */
  'networks:list': {
    request: z.object({}).strict(),
    response: z.object({
      networks: z.array(networkEntrySchema),
      running: z.object({ name: z.string(), id: z.string() }).nullable(),
      waiting: z.array(z.object({ id: z.string(), from: z.string(), receivedAt: z.number() })),
    }),
  },
  /** Makes a private network with a fresh key (kept sealed in the home). */
  'networks:create': { request: z.object({ name: networkNameSchema }).strict(), response: z.object({ network: networkEntrySchema }) },
  /** An invite for `to`, signed by this identity and sealed to it: left in its mailboxes when the node can, else a file to hand over. */
  'networks:invite': {
    request: z.object({ name: networkNameSchema, to: did }).strict(),
    response: z.object({ deposited: z.boolean(), file: z.object({ name: z.string(), bytes: z.string() }).nullable() }),
  },
  /** Joins from an invite sealed to this identity: a file's bytes, or one that came by mail. */
  'networks:join': {
    request: z.union([z.object({ bytes: inviteBytes }).strict(), z.object({ mail: z.string().min(1).max(128) }).strict()]),
    response: z.object({ network: networkEntrySchema }),
  },
  /** Forgets a network's key (a node running in it stays until it stops). */
  'networks:leave': { request: z.object({ name: networkNameSchema }).strict(), response: z.object({ left: z.string() }) },
} as const;
