// The schemas every channel module builds on: a did:key, a file to download, bytes of a small file, a mail
// id. contract.ts and the feature modules (duels.ts, challenges.ts, …) import them from here, so each is
// written once and no feature module has to import contract.ts back.
import { z } from 'zod';
import { DID_KEY_HINT, looksLikeDid } from '../../src-shared/rules/did.ts';

/** Someone's identity or a device/client key: an Ed25519 did:key (the core checks the key itself). */
export const didSchema = z.string().refine(looksLikeDid, DID_KEY_HINT);
/** A file for the person to save: its suggested name and its bytes as base64. */
export const downloadSchema = z.object({ name: z.string(), bytes: z.string() });
/** Bytes of a small file (base64 over HTTP, raw over IPC), at most `max`. */
export const boundedBytesSchema = (max: number) => z.union([
  z.base64().max(Math.ceil(max / 3) * 4),
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes').refine((b) => b.length <= max, 'too large'),
]);
/** A message in this identity's received mail, by its id. */
export const mailIdSchema = z.string().min(1).max(128);
