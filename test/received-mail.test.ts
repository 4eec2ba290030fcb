// Received mail: the store's compliance suite on SQLite and in memory, migration 007 on its own, and the
// routing of fetched mail by format (a change request into the inbox, an attestation into the chain, an
// attestation request waiting, anything else refused) with each message handled once.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src-main/adapters/db/migrations/index.ts';
import { MemoryReceivedMailStore, SqliteReceivedMailStore } from '../src-main/adapters/db/received-mail-store.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { MemoryRequestStore } from '../src-main/adapters/db/request-store.ts';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { takeMail } from '../src-main/app/mail.ts';
import { sealEnvelope } from '../src-main/core/identity/envelope.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import type { ReceivedMail, ReceivedMailStore } from '../src-main/core/ports.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { sealProposal } from '../src-main/core/requests/proposal.ts';
import { crypto, ownerKeys, TestClock } from './helpers.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';

const ALICE = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' as Did;
const BOB = 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG' as Did;

const mail = (id: string, to: Did, over: Partial<ReceivedMail> = {}): ReceivedMail => ({
  id, to, from: BOB, format: 'defaust/request', ts: 1, receivedAt: 10, envelope: Uint8Array.of(1, 2, 3), state: 'waiting', note: '', ...over,
});

function compliance(name: string, make: () => ReceivedMailStore): void {
  describe(`ReceivedMailStore compliance: ${name}`, () => {
    it('keeps a message once, per recipient, oldest first, filtered by format and state', () => {
      const store = make();
      expect(store.put(mail('b', ALICE, { receivedAt: 20 }))).toBe(true);
      expect(store.put(mail('a', ALICE, { receivedAt: 20, format: 'defaust/attest-request' }))).toBe(true);
      expect(store.put(mail('c', BOB, { receivedAt: 5 }))).toBe(true);
      expect(store.put(mail('b', ALICE, { note: 'again' }))).toBe(false);
      expect(store.list(ALICE).map((m) => m.id)).toEqual(['a', 'b']);
      expect(store.list(ALICE, { format: 'defaust/request' }).map((m) => m.id)).toEqual(['b']);
      expect(store.get(ALICE, 'b')).toEqual(mail('b', ALICE, { receivedAt: 20 }));
      expect(store.get(BOB, 'b')).toBeUndefined();
    });

    it('records what became of a message, only for its recipient', () => {
      const store = make();
      store.put(mail('a', ALICE));
      expect(store.mark(BOB, 'a', 'taken', 'x')).toBe(false);
      expect(store.mark(ALICE, 'a', 'answered', 'signed yes')).toBe(true);
      expect(store.list(ALICE, { state: 'answered' })).toEqual([mail('a', ALICE, { state: 'answered', note: 'signed yes' })]);
      expect(store.list(ALICE, { state: 'waiting' })).toEqual([]);
    });

    it('returns copies: changing what it gave changes nothing held', () => {
      const store = make();
      store.put(mail('a', ALICE));
      store.get(ALICE, 'a')!.envelope[0] = 9;
      expect(store.get(ALICE, 'a')!.envelope[0]).toBe(1);
    });
  });
}

compliance('memory', () => new MemoryReceivedMailStore());
compliance('sqlite', () => new SqliteReceivedMailStore(new SqliteChainStore(':memory:').database));

describe('migration 007 received mail', () => {
  it('adds received_mail on top of 006; an id is unique and a state is one of four', () => {
    const db = new Database(':memory:');
    migrate(db, 6);
    expect(migrate(db, 7)).toBe(7);
    const insert = db.prepare('INSERT INTO received_mail (id, recipient, sender, format, ts, received_at, envelope, state, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run('m1', 'a', 'b', 'f', 1, 2, Buffer.from([1]), 'waiting', '');
    expect(() => insert.run('m1', 'a', 'b', 'f', 1, 2, Buffer.from([1]), 'taken', '')).toThrow(/UNIQUE|PRIMARY/u);
    expect(() => insert.run('m2', 'a', 'b', 'f', 1, 2, Buffer.from([1]), 'lost', '')).toThrow(/CHECK/u);
  });
});

describe('routing fetched mail', () => {
  it('takes a change request into the inbox, keeps an attestation request waiting, refuses a forgery and the unknown, each once', () => {
    const clock = new TestClock(Date.now());
    const ownerStore = new MemoryChainStore();
    const profile = Profile.create({ crypto, store: ownerStore, clock, requests: new MemoryRequestStore() }, ownerKeys());
    const bobKeys = ownerKeys();
    const bob = identityPublic(crypto, bobKeys.identity).id;
    profile.grant(bob, 'fitness', 'propose', clock.now() + 86_400_000);
    const { envelope } = sealProposal(crypto, bobKeys.identity.ed25519Seed, bob, profile.id, 'fitness', [{ op: 'set', path: 'weight', value: 58 }], profile.length - 1, clock.now());
    const forged = envelope.slice();
    forged[forged.length - 1]! ^= 1;
    const received = new MemoryReceivedMailStore();
    const incoming = [
      { id: 'm1', from: bob, ts: 1, envelope },
      { id: 'm2', from: bob, ts: 2, envelope: sealEnvelope(crypto, 'defaust/attest-request', profile.id, { anything: 1 }) },
      { id: 'm3', from: bob, ts: 3, envelope: forged },
      { id: 'm4', from: bob, ts: 4, envelope: Uint8Array.of(0xa0) },
    ];
    const routed = takeMail(profile, received, clock, incoming);
    expect(routed.map((r) => [r.id, r.kind, r.state])).toEqual([
      ['m1', 'change-request', 'taken'], ['m2', 'attest-request', 'waiting'], ['m3', 'change-request', 'refused'], ['m4', 'unknown', 'refused'],
    ]);
    expect(routed[2]!.note).toMatch(/^request\//u);
    expect(profile.inbox.list().map((r) => r.status)).toEqual(['pending']);
    expect(takeMail(profile, received, clock, incoming)).toEqual([]);
  });
});
