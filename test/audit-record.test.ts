// Signed audit entries and their batches (core/registry/audit-record.ts), the read protocol's signed requests,
// answers and refusals (core/registry/read-protocol.ts), and migration 015 with the SQLite audit store and its
// in-memory twin: the same behaviour from both.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryAuditStore, SqliteAuditStore } from '../src-main/adapters/db/audit-store.ts';
import { migrate } from '../src-main/adapters/db/migrations/index.ts';
import { didFromPublicKey, type Did } from '../src-main/core/identity/did.ts';
import { sealEnvelope } from '../src-main/core/identity/envelope.ts';
import type { AuditStore } from '../src-main/core/ports.ts';
import { AUDIT_BATCH_FORMAT, AuditRecordError, openAuditBatch, sealAuditBatch, signAuditEntry, verifyAuditEntry, type ClientAuditEntry } from '../src-main/core/registry/audit-record.ts';
import {
  answerMessage, checkReply, decodeReadMessage, encodeReadMessage, ReadServiceError, refusedMessage, REQUEST_SKEW_MS, signReadRequest, verifyReadRequest,
} from '../src-main/core/registry/read-protocol.ts';
import { crypto } from './helpers.ts';

const identity = () => {
  const ed25519Seed = crypto.randomBytes(32);
  return { did: didFromPublicKey(crypto.ed25519.publicKey(ed25519Seed)), ed25519Seed };
};
const owner = identity();
const client = identity();
const other = identity();
const entry = (fields: Partial<ClientAuditEntry> = {}): ClientAuditEntry => ({
  owner: owner.did, client: client.did, requester: other.did, section: 'contact', ts: 1_700_000_000_000, served: true, reason: 'served', ...fields,
});

describe('signed audit entries', () => {
  it('verify as signed, for any fields; a changed byte or another signer is refused', () => {
    fc.assert(fc.property(fc.boolean(), fc.nat(), fc.string({ maxLength: 200 }), fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/u), (served, ts, reason, section) => {
      const signed = signAuditEntry(crypto, client.ed25519Seed, entry({ served, ts, reason, section }));
      const again = verifyAuditEntry(crypto, signed.bytes);
      expect(again).toEqual(signed);
    }), { numRuns: 50 });
    const signed = signAuditEntry(crypto, client.ed25519Seed, entry());
    const forged = signAuditEntry(crypto, other.ed25519Seed, entry());
    expect(() => verifyAuditEntry(crypto, forged.bytes)).toThrow(expect.objectContaining({ code: 'audit/forged' }));
    const tampered = signed.bytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(() => verifyAuditEntry(crypto, tampered)).toThrow(AuditRecordError);
    expect(() => verifyAuditEntry(crypto, new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'audit/malformed' }));
  });

  it('a batch keeps the entries its client signed about me, and refuses the rest', () => {
    const good = signAuditEntry(crypto, client.ed25519Seed, entry());
    const forged = signAuditEntry(crypto, other.ed25519Seed, entry());
    const notMine = signAuditEntry(crypto, client.ed25519Seed, entry({ owner: other.did }));
    const envelope = sealEnvelope(crypto, AUDIT_BATCH_FORMAT, owner.did, { client: client.did, entries: [good.bytes, forged.bytes, notMine.bytes] });
    const opened = openAuditBatch(crypto, envelope, owner, client.did, (c) => c === client.did);
    expect(opened.entries).toEqual([good]);
    expect(opened.refused.map((r) => r.code)).toEqual(['audit/forged', 'audit/not-yours']);
    const sealed = sealAuditBatch(crypto, client.did, owner.did, [good]);
    expect(() => openAuditBatch(crypto, sealed, owner, client.did, () => false)).toThrow(expect.objectContaining({ code: 'audit/not-registered' }));
    expect(() => openAuditBatch(crypto, sealed, owner, other.did, () => true)).toThrow(expect.objectContaining({ code: 'audit/forged' }));
    expect(() => openAuditBatch(crypto, sealed, other, client.did, () => true)).toThrow(expect.objectContaining({ code: 'audit/not-yours' }));
  });
});

describe('read protocol messages', () => {
  const peer = '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN';
  const now = 1_700_000_000_000;

  it('a request verifies at its client and time only; a forged one is refused', () => {
    const signed = signReadRequest(crypto, other.ed25519Seed, { owner: owner.did, section: 'contact', requester: other.did, peer, ts: now });
    expect(verifyReadRequest(crypto, signed.bytes, peer, now + 1000)).toEqual(signed);
    expect(() => verifyReadRequest(crypto, signed.bytes, `${peer.slice(0, -1)}M`, now)).toThrow(expect.objectContaining({ code: 'read/malformed' }));
    expect(() => verifyReadRequest(crypto, signed.bytes, peer, now + REQUEST_SKEW_MS + 1)).toThrow(expect.objectContaining({ code: 'read/stale' }));
    const posing = signReadRequest(crypto, client.ed25519Seed, { owner: owner.did, section: 'contact', requester: other.did, peer, ts: now });
    expect(() => verifyReadRequest(crypto, posing.bytes, peer, now)).toThrow(expect.objectContaining({ code: 'read/forged' }));
  });

  it('an answer opens for the requester only and checks its signer; a refusal comes back as the client\'s signed code', () => {
    const request = signReadRequest(crypto, other.ed25519Seed, { owner: owner.did, section: 'contact', requester: other.did, peer, ts: now });
    const answer = answerMessage(crypto, client, other.did, { request: request.id, owner: owner.did, section: 'contact', seq: 4, fields: { email: 'a@b.c' } });
    const decoded = decodeReadMessage(encodeReadMessage(answer));
    expect(checkReply(crypto, decoded, request, other, client.did)).toEqual({ client: client.did, answer: { request: request.id, owner: owner.did, section: 'contact', seq: 4, fields: { email: 'a@b.c' } } });
    expect(() => checkReply(crypto, decoded, request, other, owner.did as Did)).toThrow(expect.objectContaining({ code: 'read/forged' }));
    expect(() => checkReply(crypto, { ...answer, sig: new Uint8Array(64) }, request, other)).toThrow(expect.objectContaining({ code: 'read/forged' }));
    const refused = refusedMessage(crypto, client, request.id, new ReadServiceError('denied', 'no grant'));
    expect(() => checkReply(crypto, decodeReadMessage(encodeReadMessage(refused)), request, other)).toThrow(expect.objectContaining({ code: 'read/denied', remote: true }));
    expect(() => checkReply(crypto, { ...refused, code: 'busy' }, request, other)).toThrow(expect.objectContaining({ code: 'read/forged' }));
    expect(() => decodeReadMessage(encodeReadMessage({ ...refused, code: 'nosuch' as never }))).toThrow(expect.objectContaining({ code: 'read/malformed' }));
  });
});

describe('the audit store', () => {
  const stores: [string, () => AuditStore][] = [
    ['memory', () => new MemoryAuditStore()],
    ['sqlite', () => {
      const db = new Database(':memory:');
      migrate(db);
      return new SqliteAuditStore(db);
    }],
  ];
  for (const [name, make] of stores) {
    it(`${name}: keeps a signed entry once, lists it with its client, and sends what is unsent once`, () => {
      const store = make();
      store.append({ owner: owner.did, requester: other.did, section: 'contact', ts: 1, served: false, reason: 'old' });
      const signed = signAuditEntry(crypto, client.ed25519Seed, entry());
      expect(store.put(signed, false)).toBe(true);
      expect(store.put(signed, false)).toBe(false);
      expect(store.list(owner.did)).toEqual([
        { owner: owner.did, requester: other.did, section: 'contact', ts: 1, served: false, reason: 'old' },
        { ...signed.entry },
      ]);
      expect(store.unsent(10)).toEqual([signed]);
      store.markSent([signed.id]);
      expect(store.unsent(10)).toEqual([]);
    });
  }

  it('015 signed audit: rows of before stay, not to be sent; an id is unique', () => {
    const db = new Database(':memory:');
    migrate(db, 14);
    db.prepare('INSERT INTO audit (owner, requester, section, ts, served, reason) VALUES (?, ?, ?, ?, ?, ?)').run('o', 'r', 's', 1, 1, 'served');
    expect(migrate(db, 15)).toBe(15);
    expect(db.prepare('SELECT sent, client, id FROM audit').get()).toEqual({ sent: 1, client: null, id: null });
    const insert = db.prepare('INSERT INTO audit (owner, requester, section, ts, served, reason, id, sent) VALUES (?, ?, ?, ?, ?, ?, ?, 0)');
    insert.run('o', 'r', 's', 1, 1, 'served', 'x');
    expect(() => insert.run('o', 'r', 's', 1, 1, 'served', 'x')).toThrow(/UNIQUE/);
  });
});
