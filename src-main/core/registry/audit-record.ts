// Signed audit entries and the batches that carry them to the owner (DESIGN §4, service registry). A registered
// client signs every read it served or refused; it sends the entries the owner has not had yet in one batch,
// sealed to the owner, through the owner's mailboxes. The owner keeps an entry only when it is signed by the
// client that sent the batch, names the owner, and that client was registered by the owner's chain.
//
//   entry  { v: 1, owner, client, requester, section, ts: uint ms, served: bool, reason: text, sig: bytes(64) }
//          sig = Ed25519 by `client` over "defaust/audit/v1\n" ‖ dag-cbor(the entry without sig)
//          id  = CID (dag-cbor, sha-256) of dag-cbor(the entry without sig)
//   batch  envelope (core/identity/envelope.ts) of format AUDIT_BATCH_FORMAT sealed to the owner, holding
//          { client, entries: [entry bytes] } (at most MAX_AUDIT_BATCH)
import { concatBytes, utf8 } from '../bytes.ts';
import { cidOf, decodeCanonical, encode } from '../chain/codec.ts';
import { SECTION_NAME } from '../../../src-shared/rules/names.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { openEnvelope, sealEnvelope } from '../identity/envelope.ts';
import type { AuditEntry } from '../ports.ts';

export const AUDIT_BATCH_FORMAT = 'defaust/audit-batch/v1';
const AUDIT_LABEL = utf8('defaust/audit/v1\n');
const AUDIT_VERSION = 1;
/** Most entries one batch carries (a mailbox message stays well under its size limit). */
export const MAX_AUDIT_BATCH = 200;
const MAX_REASON_CHARS = 200;

/** Why an audit entry or batch is refused: each crosses IPC as `audit/<reason>`. */
export type AuditReason = 'malformed' | 'forged' | 'not-yours' | 'not-registered';

export class AuditRecordError extends DefaustError {
  override name = 'AuditRecordError';
  readonly reason: AuditReason;
  constructor(reason: AuditReason, message: string) {
    super(`audit/${reason}`, message);
    this.reason = reason;
  }
}

/** An audit entry with the client that signed it. */
export interface ClientAuditEntry extends AuditEntry {
  client: Did;
}

/** A signed entry: its id, what it says, and its exact bytes. */
export interface SignedAuditEntry {
  id: string;
  entry: ClientAuditEntry;
  bytes: Uint8Array;
}

const ENTRY_KEYS = 'client,owner,reason,requester,section,served,sig,ts,v';
const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

const unsignedOf = (e: ClientAuditEntry) => ({
  v: AUDIT_VERSION, owner: e.owner, client: e.client, requester: e.requester, section: e.section, ts: e.ts, served: e.served, reason: e.reason,
});

/** Signs `entry` by the client's identity key (`clientSeed` must be the key of `entry.client`). */
export function signAuditEntry(crypto: Crypto, clientSeed: Uint8Array, entry: ClientAuditEntry): SignedAuditEntry {
  const fields = { ...entry, reason: entry.reason.slice(0, MAX_REASON_CHARS) };
  const unsigned = encode(unsignedOf(fields));
  const sig = crypto.ed25519.sign(clientSeed, concatBytes(AUDIT_LABEL, unsigned));
  return { id: cidOf(crypto.sha256, unsigned).toString(), entry: fields, bytes: encode({ ...unsignedOf(fields), sig }) };
}

/** Decodes and verifies entry bytes: exact shape and the client's signature (AuditRecordError `malformed`, `forged`). */
export function verifyAuditEntry(crypto: Crypto, bytes: Uint8Array): SignedAuditEntry {
  let value: unknown;
  try {
    value = decodeCanonical(bytes);
  } catch {
    throw new AuditRecordError('malformed', 'an audit entry is canonical DAG-CBOR');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) throw new AuditRecordError('malformed', 'an audit entry is a map');
  const e = value as Record<string, unknown>;
  if (Object.keys(e).sort().join(',') !== ENTRY_KEYS || e.v !== AUDIT_VERSION) throw new AuditRecordError('malformed', `an audit entry has exactly the fields ${ENTRY_KEYS}`);
  if (!isDid(e.owner) || !isDid(e.client) || !isDid(e.requester)) throw new AuditRecordError('malformed', 'an audit entry names owner, client and requester by did:key');
  if (typeof e.section !== 'string' || !SECTION_NAME.test(e.section) || !isUint(e.ts) || typeof e.served !== 'boolean') throw new AuditRecordError('malformed', 'an audit entry has a section, a ts and served');
  if (typeof e.reason !== 'string' || e.reason.length > MAX_REASON_CHARS || !(e.sig instanceof Uint8Array) || e.sig.length !== 64) throw new AuditRecordError('malformed', 'an audit entry has a short reason and a 64-byte sig');
  const entry: ClientAuditEntry = { owner: e.owner, client: e.client, requester: e.requester, section: e.section, ts: e.ts, served: e.served, reason: e.reason };
  const unsigned = encode(unsignedOf(entry));
  if (!crypto.ed25519.verify(publicKeyFromDid(entry.client), concatBytes(AUDIT_LABEL, unsigned), e.sig)) {
    throw new AuditRecordError('forged', `the audit entry is not signed by the client it names (${entry.client})`);
  }
  return { id: cidOf(crypto.sha256, unsigned).toString(), entry, bytes };
}

/** The envelope that carries `entries` (signed by `client`) to `owner`. */
export function sealAuditBatch(crypto: Crypto, client: Did, owner: Did, entries: readonly SignedAuditEntry[]): Uint8Array {
  if (entries.length > MAX_AUDIT_BATCH) throw new AuditRecordError('malformed', `a batch carries at most ${MAX_AUDIT_BATCH} entries`);
  return sealEnvelope(crypto, AUDIT_BATCH_FORMAT, owner, { client, entries: entries.map((e) => e.bytes) });
}

export interface OpenedAuditBatch {
  client: Did;
  /** Entries signed by the batch's client, naming this owner. */
  entries: SignedAuditEntry[];
  /** Entries refused, each with why (a forgery, another owner's, another client's). */
  refused: AuditRecordError[];
}

/**
 * Opens a batch that `from` (the mailbox deposit's signer) sent to `me`. Throws AuditRecordError when the
 * batch itself is not one (`malformed`, `not-yours`), or when `from` is not a client `isClient` knows
 * (`not-registered`); an entry that fails goes to `refused`, the others are kept.
 */
export function openAuditBatch(
  crypto: Crypto, envelope: Uint8Array, me: { did: Did; ed25519Seed: Uint8Array }, from: Did, isClient: (client: Did) => boolean,
): OpenedAuditBatch {
  const opened = openEnvelope(crypto, envelope, AUDIT_BATCH_FORMAT, me.did, me.ed25519Seed);
  if (!opened.ok) throw new AuditRecordError(opened.reason === 'not-for-me' ? 'not-yours' : 'malformed', `the audit batch does not open for ${me.did} (${opened.reason})`);
  let inner: unknown;
  try {
    inner = decodeCanonical(opened.opened);
  } catch {
    throw new AuditRecordError('malformed', 'the audit batch is canonical DAG-CBOR');
  }
  const batch = inner as { client?: unknown; entries?: unknown };
  if (!isDid(batch?.client) || !Array.isArray(batch.entries) || batch.entries.length > MAX_AUDIT_BATCH || !batch.entries.every((b) => b instanceof Uint8Array)) {
    throw new AuditRecordError('malformed', `an audit batch is {client, entries: [bytes]}, at most ${MAX_AUDIT_BATCH}`);
  }
  if (batch.client !== from) throw new AuditRecordError('forged', `the audit batch names ${batch.client} but was sent by ${from}`);
  if (!isClient(from)) throw new AuditRecordError('not-registered', `${from} is not a client you registered`);
  const entries: SignedAuditEntry[] = [];
  const refused: AuditRecordError[] = [];
  for (const bytes of batch.entries as Uint8Array[]) {
    try {
      const signed = verifyAuditEntry(crypto, bytes);
      if (signed.entry.client !== from) throw new AuditRecordError('forged', `an entry signed by ${signed.entry.client} in a batch from ${from}`);
      if (signed.entry.owner !== me.did) throw new AuditRecordError('not-yours', `an entry about ${signed.entry.owner}, not you`);
      entries.push(signed);
    } catch (error) {
      if (!(error instanceof AuditRecordError)) throw error;
      refused.push(error);
    }
  }
  return { client: from, entries, refused };
}
