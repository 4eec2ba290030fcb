// The service registry: a registered client serves granted sections while the owner is offline, enforces
// grants, and keeps an audit log of every request; revoking the client ends its access to later data.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { MemoryAuditStore, SqliteAuditStore } from '../src-main/adapters/db/audit-store.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { AccessDeniedError } from '../src-main/core/access/grants.ts';
import { DAY_MS } from '../src-main/core/chain/keyring.ts';
import { exportArchive, readArchive } from '../src-main/core/archive/archive.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import type { AuditStore } from '../src-main/core/ports.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { serveRead } from '../src-main/core/registry/serve.ts';
import { ServiceKeyIsPersonError } from '../src-main/core/registry/registry.ts';
import { crypto, deps, ownerKeys, tempDir, TestClock } from './helpers.ts';

const client = ownerKeys();
const clientId = identityPublic(crypto, client.identity).id;
const reader = ownerKeys();
const readerId = identityPublic(crypto, reader.identity).id;

function setup() {
  const store = new MemoryChainStore();
  const clock = new TestClock();
  const owner = Profile.create(deps(store, clock), ownerKeys());
  const serve = (audit: AuditStore, section: string, requester = readerId) =>
    serveRead(crypto, audit, { archive: readArchive(crypto, exportArchive(store, owner.id)), clientSeed: client.identity.ed25519Seed, client: clientId, requester, section, now: clock.now() });
  return { store, clock, owner, serve };
}

describe('service registry', () => {
  it('a registered client serves a granted section to a grantee and logs it; refusals are logged too', () => {
    const { owner, clock, serve, store } = setup();
    owner.set('contact', 'email', 'ada@example.org');
    owner.set('health', 'blood', 'O+');
    owner.registry.add(clientId, ['contact'], { label: 'home server' });
    owner.grant(readerId, 'contact', 'read', clock.now() + 5 * DAY_MS);
    const audit = new MemoryAuditStore();
    expect(serve(audit, 'contact')).toEqual({ email: 'ada@example.org' });
    expect(() => serve(audit, 'health')).toThrow(AccessDeniedError);
    const stranger = identityPublic(crypto, ownerKeys().identity).id;
    expect(() => serve(audit, 'contact', stranger)).toThrow(/no grant in term/);
    expect(audit.list(owner.id).map((e) => [e.section, e.served])).toEqual([['contact', true], ['health', false], ['contact', false]]);
    expect(owner.registry.list()).toMatchObject([{ client: clientId, label: 'home server', sections: ['contact'], revokedSeq: null }]);
    expect(verifyStoredChain(crypto, store, owner.id).ok).toBe(true);
  });

  it('an expired grant is refused by the client', () => {
    const { owner, clock, serve } = setup();
    owner.registry.add(clientId, ['contact']);
    owner.grant(readerId, 'contact', 'read', clock.now() + 2 * DAY_MS);
    clock.advance(10 * DAY_MS);
    const audit = new MemoryAuditStore();
    expect(() => serve(audit, 'contact')).toThrow(AccessDeniedError);
    expect(audit.list()[0]).toMatchObject({ served: false, reason: 'no grant in term' });
  });

  it('after the client is revoked it serves nothing and cannot open what is written afterwards', () => {
    const { owner, clock, serve } = setup();
    owner.registry.add(clientId, ['contact']);
    owner.grant(readerId, 'contact', 'read', clock.now() + 50 * DAY_MS);
    owner.set('contact', 'email', 'before@example.org');
    owner.registry.revoke(clientId);
    owner.set('contact', 'email', 'after@example.org');
    expect(() => serve(new MemoryAuditStore(), 'contact')).toThrow(/not registered/);
    expect(owner.registry.list()[0]!.revokedSeq).not.toBeNull();
    expect(owner.grants().map((g) => g.grantee)).toEqual([readerId]);
  });

  it('refuses bad registrations and writes nothing', () => {
    const { owner } = setup();
    const length = owner.length;
    expect(() => owner.registry.add('did:key:zbad', ['contact'])).toThrow(/did:key/);
    expect(() => owner.registry.add(clientId, [])).toThrow(/at least one section/);
    expect(() => owner.registry.add(clientId, ['nosuch'])).toThrow(/no section/);
    expect(() => owner.registry.revoke(clientId)).toThrow(/not a registered client/);
    expect(owner.length).toBe(length);
  });

  it('registering a service never re-grants a person: a just-revoked grantee gets no Read back (issue 14)', () => {
    const { owner, clock } = setup();
    owner.set('contact', 'email', 'ada@example.org');
    owner.grant(readerId, 'contact', 'read', clock.now() + 5 * DAY_MS);
    owner.revoke(readerId, 'contact');
    const length = owner.length;
    expect(() => owner.registry.add(readerId, ['contact'])).toThrow(ServiceKeyIsPersonError);
    expect(owner.length).toBe(length);
    expect(owner.grants().filter((g) => g.grantee === readerId)).toEqual([]);
    const holder = identityPublic(crypto, ownerKeys().identity).id;
    owner.grant(holder, 'contact', 'read', clock.now() + 5 * DAY_MS);
    expect(() => owner.registry.add(holder, ['contact'])).toThrow(expect.objectContaining({ code: 'service-key-is-person', client: holder }));
    // A service revoked and registered again is still a service, not a person.
    owner.registry.add(clientId, ['contact']);
    owner.registry.revoke(clientId);
    expect(() => owner.registry.add(clientId, ['contact'])).not.toThrow();
  });

  it('the SQLite audit log is append-only and ordered', () => {
    const sqlite = new SqliteAuditStore(new SqliteChainStore(join(tempDir(), 'a.db')).database);
    for (const audit of [sqlite, new MemoryAuditStore()]) {
      audit.append({ owner: 'o1', requester: 'r', section: 's', ts: 2, served: true, reason: 'served' });
      audit.append({ owner: 'o2', requester: 'r', section: 's', ts: 1, served: false, reason: 'x' });
      audit.append({ owner: 'o1', requester: 'r', section: 't', ts: 3, served: false, reason: 'y' });
      expect(audit.list('o1').map((e) => [e.section, e.served])).toEqual([['s', true], ['t', false]]);
      expect(audit.list()).toHaveLength(3);
    }
  });
});
