// The local address book: migration 13 on its own; the contact store on SQLite beside its in-memory twin
// through one suite; the book's rules (a did once, typed refusals that change nothing); and the verbs through
// both faces (`defaust contacts …` and the wallet's `contacts:*`), which leave the same contacts and no block.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryContactStore, SqliteContactStore } from '../src-main/adapters/db/contacts-store.ts';
import { migrate } from '../src-main/adapters/db/migrations/index.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { Home } from '../src-main/app/home.ts';
import { AddressBook } from '../src-main/core/contacts/address-book.ts';
import type { ContactStore } from '../src-main/core/contacts/contact.ts';
import { ContactExistsError, ContactNotFoundError } from '../src-main/core/contacts/errors.ts';
import { InvalidDidError } from '../src-main/core/identity/errors.ts';
import { twoFaces, type TwoFaces } from './both-faces.ts';
import { expectCleanError } from './cli-helpers.ts';
import { TestClock } from './helpers.ts';

const ADA = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const BOB = 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH';

describe('migration 012 contacts', () => {
  it('adds the contacts table on top of 009; a did is held once', () => {
    const db = new Database(':memory:');
    migrate(db, 9);
    expect(migrate(db, 12)).toBe(12);
    const insert = db.prepare('INSERT INTO contacts (did, name, added_at, updated_at) VALUES (?, ?, 0, 0)');
    insert.run(ADA, 'Ada');
    expect(() => insert.run(ADA, 'Ada again')).toThrow(/UNIQUE|PRIMARY/);
    expect(db.prepare('SELECT notes, roles FROM contacts').get()).toEqual({ notes: '', roles: '[]' });
  });
});

for (const [name, make] of [['sqlite', () => new SqliteContactStore(new SqliteChainStore(':memory:').database)], ['memory', () => new MemoryContactStore()]] as const) {
  describe(`contact store (${name})`, () => {
    it('puts, replaces, lists by name and removes', () => {
      const store: ContactStore = make();
      store.put({ did: BOB, name: 'Bob', notes: '', roles: ['trainer'], addedAt: 1, updatedAt: 1 });
      store.put({ did: ADA, name: 'Ada', notes: 'gym', roles: ['client', 'witness'], addedAt: 2, updatedAt: 2 });
      expect(store.list().map((c) => c.name)).toEqual(['Ada', 'Bob']);
      store.put({ did: BOB, name: 'Bob B.', notes: '', roles: [], addedAt: 1, updatedAt: 3 });
      expect(store.get(BOB)).toEqual({ did: BOB, name: 'Bob B.', notes: '', roles: [], addedAt: 1, updatedAt: 3 });
      expect(store.count()).toBe(2);
      expect(store.remove(ADA)).toBe(true);
      expect(store.remove(ADA)).toBe(false);
      expect(store.get(ADA)).toBeUndefined();
    });
  });
}

describe('address book', () => {
  it('adds a did once, edits only what is named, refuses bad input with a typed error and keeps the book', () => {
    const clock = new TestClock();
    const book = new AddressBook(new MemoryContactStore(), clock);
    const ada = book.add(ADA, { name: '  Ada  ', roles: ['witness', 'trainer', 'witness'] });
    expect(ada).toMatchObject({ name: 'Ada', notes: '', roles: ['trainer', 'witness'] });
    expect(() => book.add(ADA, { name: 'Ada 2' })).toThrow(ContactExistsError);
    expect(() => book.add('did:key:zbad', { name: 'X' })).toThrow(InvalidDidError);
    expect(() => book.add(BOB, { name: '   ' })).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(() => book.add(BOB, { name: 'x'.repeat(81) })).toThrow(expect.objectContaining({ code: 'too-large' }));
    expect(() => book.add(BOB, { name: 'Bob', roles: ['boss'] })).toThrow(/one of witness, trainer, client, device/);
    expect(() => book.edit(BOB, { name: 'Bob' })).toThrow(expect.objectContaining({ code: 'contact-not-found', did: BOB }));
    clock.advance(1000);
    expect(book.edit(ADA, { notes: 'met at the gym' })).toMatchObject({ name: 'Ada', notes: 'met at the gym', roles: ['trainer', 'witness'], updatedAt: ada.addedAt + 1000 });
    expect(() => book.edit(ADA, { roles: ['nobody'] })).toThrow(/role/);
    expect(book.list()).toEqual([{ ...ada, notes: 'met at the gym', updatedAt: ada.addedAt + 1000 }]);
    expect(() => book.remove(BOB)).toThrow(ContactNotFoundError);
    expect(book.remove(ADA).name).toBe('Ada');
    expect(book.list()).toEqual([]);
  });
});

describe('contacts through both faces', { timeout: 240_000 }, () => {
  let faces: TwoFaces | undefined;
  afterEach(() => faces?.close());

  it('add, edit and remove leave the same contacts whichever face did them, and no block', async () => {
    faces = await twoFaces();
    const f = faces;
    for (const args of [
      ['contacts', 'add', ADA, '--name', 'Ada', '--roles', 'witness,trainer', '--notes', 'gym'],
      ['contacts', 'add', BOB, '--name', 'Bob'],
      ['contacts', 'edit', BOB, '--roles', 'client'],
      ['contacts', 'rm', ADA],
    ]) {
      const r = f.cli(args);
      expect(r.code, r.stderr).toBe(0);
    }
    await f.wallet('contacts:add', { did: ADA, name: 'Ada', roles: ['witness', 'trainer'], notes: 'gym' });
    await f.wallet('contacts:add', { did: BOB, name: 'Bob' });
    await f.wallet('contacts:edit', { did: BOB, roles: ['client'] });
    await f.wallet('contacts:remove', { did: ADA });
    const listed = (home: string) => {
      const h = new Home(home);
      try {
        return h.contacts().list().map(({ addedAt: _a, updatedAt: _u, ...c }) => c);
      } finally {
        h.close();
      }
    };
    expect(listed(f.cliHome)).toEqual([{ did: BOB, name: 'Bob', notes: '', roles: ['client'] }]);
    expect(listed(f.walletHome)).toEqual(listed(f.cliHome));
    expect(f.cli(['contacts', 'list']).json()).toMatchObject([{ did: BOB, name: 'Bob' }]);
    const { cli, wallet } = f.stored();
    expect(cli.blocks).toEqual([]);
    expect(wallet.blocks).toEqual([]);
  });

  it('refusals are one clean line in the CLI and the same code in the wallet, and change nothing', async () => {
    faces = await twoFaces((cli) => cli(['contacts', 'add', ADA, '--name', 'Ada']));
    const f = faces;
    expectCleanError(f.cli(['contacts', 'add', ADA, '--name', 'Again']), /already in your contacts as Ada/);
    expectCleanError(f.cli(['contacts', 'add', 'did:key:zbad', '--name', 'X']), /did:key/);
    expectCleanError(f.cli(['contacts', 'add', BOB]), /needs --name/, 2);
    expectCleanError(f.cli(['contacts', 'rm', BOB]), /not in your contacts/);
    expectCleanError(f.cli(['contacts', 'edit', ADA, '--roles', 'boss']), /role/);
    const again = await f.service.call('contacts:add', { did: ADA, name: 'Again' });
    expect(again).toMatchObject({ ok: false, error: { code: 'contact-exists' } });
    const missing = await f.service.call('contacts:remove', { did: BOB });
    expect(missing).toMatchObject({ ok: false, error: { code: 'contact-not-found' } });
    const badDid = await f.service.call('contacts:add', { did: 'did:key:zbad', name: 'X' });
    expect(badDid).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((f.cli(['contacts', 'list']).json() as { name: string }[]).map((c) => c.name)).toEqual(['Ada']);
    expect(await f.wallet('contacts:list', {})).toMatchObject({ contacts: [{ did: ADA, name: 'Ada' }] });
  });
});
