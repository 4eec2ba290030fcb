// The IPC schemas of read on request (docs/network.md, `/defaust/read/1.0.0`): Shared with me asks the owner's
// registered client for one section while the owner is offline. The channel entry is in contract.ts.
import { z } from 'zod';
import { DID_KEY_HINT, looksLikeDid } from '../../src-shared/rules/did.ts';
import { SECTION_NAME } from '../../src-shared/rules/names.ts';

/** A client's did:key, or its multiaddr ending in /p2p/<peer id>. */
export const MAX_VIA_CHARS = 512;

export const readViaRequestSchema = z.object({
  owner: z.string().refine(looksLikeDid, DID_KEY_HINT),
  via: z.string().trim().min(1).max(MAX_VIA_CHARS),
  section: z.string().regex(SECTION_NAME, 'a section name is lower-case letters, digits or -'),
}).strict();

export const readViaResponseSchema = z.object({
  owner: z.string(),
  section: z.string(),
  /** The client that answered (its signature checked). */
  client: z.string(),
  /** The owner's chain as the client read it (the last seq). */
  seq: z.number().int().nonnegative(),
  fields: z.record(z.string(), z.unknown()),
});
