// The session service behind IPC and HTTP: every verb end to end on a temporary home, and random payloads
// on every channel answered with a typed error, never a crash or a stack trace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, contract, type Channel, type Response, type Result } from '../../../src-preload/api/contract.ts';
import { Home } from '../home.ts';
import { proposeToFile } from '../requests/propose.ts';
import { readSharedArchive } from '../sharing/shared.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function answer(service: WalletService, created: Response<'session:create'>) {
  return service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) });
}

describe('WalletService', () => {
  let dir: string;
  let service: WalletService;
  const logged: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-service-'));
    service = new WalletService(new Home(join(dir, 'home')), { version: '9.9.9', log: (m) => logged.push(m) });
  });
  afterAll(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts empty and refuses profile calls', async () => {
    expect(value(await service.call('session:status', {}))).toEqual({ state: 'new', id: null, confirm: null, chain: false });
    const locked = await service.call('profile:get', {});
    expect(locked).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('creates an identity, shows the words once and asks three of them back', async () => {
    const events: string[] = [];
    const stop = service.subscribe((event) => events.push(event));
    expect((await service.call('session:create', { passphrase: 'short' }))).toMatchObject({ ok: false, error: { code: 'weak-passphrase' } });
    const created = value(await service.call('session:create', { passphrase: PASS, label: 'laptop' }));
    expect(created.words).toHaveLength(24);
    expect(created.confirm).toHaveLength(3);
    expect(created.id).toMatch(/^did:key:z6Mk/u);
    expect(value(await service.call('session:status', {}))).toMatchObject({ state: 'unlocked', confirm: created.confirm });
    // Writes wait for the confirmation.
    expect(await service.call('profile:get', {})).toMatchObject({ ok: false, error: { code: 'confirm-phrase' } });
    const wrong = await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: 'abandon' })) });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'confirm-phrase' } });
    // The same position three times is not three words.
    const p = created.confirm[0]!;
    const repeated = await service.call('session:confirmMnemonic', { words: [1, 2, 3].map(() => ({ position: p, word: created.words[p - 1]! })) });
    expect(repeated.ok).toBe(false);
    expect(value(await answer(service, created))).toMatchObject({ state: 'unlocked', confirm: null, chain: true });
    stop();
    expect(events).toContain('session:changed');
  });

  it('previews an edit exactly, then signs it into a block the timeline shows as a diff', async () => {
    const preview = value(await service.call('profile:preview', { section: 'contact', ops: [{ op: 'set', path: 'email', value: 'a@example.org' }] }));
    expect(preview.changes).toEqual([{ path: 'email', after: 'a@example.org' }]);
    const { block } = value(await service.call('profile:set', { section: 'contact', path: 'email', value: 'a@example.org' }));
    expect(block.kind).toBe('delta');
    const second = value(await service.call('profile:set', { section: 'contact', path: 'email', value: 'b@example.org' }));
    const detail = value(await service.call('chain:block', { seq: second.block.seq }));
    expect(detail.sections).toEqual([{ section: 'contact', changes: [{ path: 'email', before: 'a@example.org', after: 'b@example.org' }], media: [] }]);
    const profile = value(await service.call('profile:get', {}));
    expect(profile.sections.find((s) => s.name === 'contact')?.fields).toEqual({ email: 'b@example.org' });
    const log = value(await service.call('chain:log', { limit: 2 }));
    expect(log.total).toBe(profile.length);
    expect(log.items.map((b) => b.seq)).toEqual([second.block.seq, block.seq]);
    const asc = value(await service.call('chain:log', { order: 'asc', offset: 0, limit: 1 }));
    expect(asc.items[0]?.kind).toBe('genesis');
    expect(value(await service.call('chain:verify', {}))).toMatchObject({ ok: true, length: profile.length });
    expect(await service.call('profile:unset', { section: 'contact', path: 'phone' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // Other sections' writes in between do not disturb the diff of a removal.
    value(await service.call('profile:set', { section: 'public', path: 'email', value: 'public@example.org' }));
    const removed = value(await service.call('profile:unset', { section: 'contact', path: 'email' }));
    expect(value(await service.call('chain:block', { seq: removed.block.seq })).sections[0]?.changes).toEqual([{ path: 'email', before: 'b@example.org' }]);
    const again = value(await service.call('profile:set', { section: 'contact', path: 'email', value: 'c@example.org' }));
    expect(value(await service.call('chain:block', { seq: again.block.seq })).sections[0]?.changes).toEqual([{ path: 'email', after: 'c@example.org' }]);
    const genesis = value(await service.call('chain:block', { seq: 0 }));
    expect(genesis).toMatchObject({ block: { kind: 'genesis' }, sections: [] });
    expect(await service.call('chain:block', { seq: 10_000 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('attaches media as base64 or bytes and reads it back; keys never appear', async () => {
    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const a = value(await service.call('media:attach', { section: 'feats', event: 'marathon 2026', name: 'finish.png', type: 'image/png', bytes: Buffer.from(bytes).toString('base64') }));
    value(await service.call('media:attach', { section: 'feats', event: 'marathon 2026', name: 'raw.bin', type: 'application/octet-stream', bytes }));
    const list = value(await service.call('media:list', {}));
    expect(list.items.map((i) => i.name)).toEqual(['finish.png', 'raw.bin']);
    const got = value(await service.call('media:get', { cid: a.item.cid }));
    expect(Buffer.from(got.bytes, 'base64')).toEqual(Buffer.from(bytes));
    const detail = value(await service.call('chain:block', { seq: a.block.seq }));
    expect(JSON.stringify(detail)).not.toContain('"key"');
    expect(detail.sections[0]?.media[0]).toMatchObject({ event: 'marathon 2026', name: 'finish.png' });
    expect(await service.call('media:get', { cid: 'bafy-not-here' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('keeps settings, changes the passphrase, locks and unlocks', async () => {
    expect(value(await service.call('settings:get', {}))).toMatchObject({ theme: 'system', version: '9.9.9', home: service.home.dir });
    expect(value(await service.call('settings:setTheme', { theme: 'dark' })).theme).toBe('dark');
    expect(await service.call('settings:changePassphrase', { old: 'wrong-one-here', new: 'another-good-one' })).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } });
    value(await service.call('settings:changePassphrase', { old: PASS, new: 'another-good-one' }));
    expect(value(await service.call('session:lock', {})).state).toBe('locked');
    expect(await service.call('chain:log', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await service.call('session:unlock', { passphrase: PASS })).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } });
    expect(value(await service.call('session:unlock', { passphrase: 'another-good-one' })).state).toBe('unlocked');
  });

  it('grants, exports, imports a change request, approves and rejects, revokes; devices, services, audit', async () => {
    const bobHome = new Home(join(dir, 'bob'));
    try {
      const bob = bobHome.init(PASS).id;
      const month = Date.now() + 30 * 86_400_000;
      const initial = value(await service.call('access:list', {}));
      expect(initial.grants).toEqual([]);
      expect(initial.sections).toEqual(expect.arrayContaining(['contact', 'health', 'fitness']));
      expect(await service.call('access:grant', { grantee: 'bob', section: 'contact', rights: 'read', until: month })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      // Written like a did:key (the contract's rule), but its key is a point of order 8: the core refuses it.
      const lowOrder = 'did:key:z6MksrRtMyx4CiuAvgkmwsiPXKj7ULY8yG49hjvu11gGFbhb';
      expect(await service.call('access:grant', { grantee: lowOrder, section: 'contact', rights: 'read', until: month })).toMatchObject({ ok: false, error: { code: 'invalid-did' } });
      expect(await service.call('devices:add', { device: lowOrder })).toMatchObject({ ok: false, error: { code: 'invalid-did' } });
      expect(await service.call('access:grant', { grantee: bob, section: 'contact', rights: 'read', until: Date.now() - 86_400_000 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      const { grant } = value(await service.call('access:grant', { grantee: bob, section: 'contact', rights: 'read', until: month }));
      expect(grant).toMatchObject({ grantee: bob, section: 'contact', rights: 'read' });
      expect(grant.until).toBeGreaterThanOrEqual(month);
      expect(value(await service.call('access:list', {})).grants).toEqual([grant]);
      value(await service.call('access:createSection', { name: 'work' }));
      expect(value(await service.call('access:list', {})).sections).toContain('work');
      expect(await service.call('access:createSection', { name: 'work' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

      // The archive the grantee reads from.
      const archive = value(await service.call('archive:export', {}));
      expect(archive.name).toMatch(/\.defaust$/u);
      const bytes = new Uint8Array(Buffer.from(archive.bytes, 'base64'));
      const bobReads = { home: bobHome, keys: bobHome.unlock(PASS) };
      expect(JSON.stringify(readSharedArchive(bobReads, bytes))).toContain('c@example.org');
      expect(() => readSharedArchive(bobReads, bytes, 'health')).toThrow(/health/u);

      // A change request: imported with its exact diff, replay refused in plain words, approved into a merge block.
      value(await service.call('profile:set', { section: 'fitness', path: 'weight', value: 60 }));
      value(await service.call('access:grant', { grantee: bob, section: 'fitness', rights: 'propose', until: month }));
      let exported = await service.call('archive:export', {});
      const head = () => bobHome.archiveHead(new Uint8Array(Buffer.from(value(exported).bytes, 'base64'))).seq;
      const proposal = proposeToFile({ home: bobHome, keys: bobHome.unlock(PASS) }, { owner: service.home.id(), section: 'fitness', ops: [{ op: 'set', path: 'weight', value: 58.5 }], base: head() });
      const imported = value(await service.call('inbox:import', { bytes: proposal.envelope }));
      expect(imported.request).toEqual({ id: proposal.id, from: bob, section: 'fitness', base: head(), status: 'pending', changes: [{ path: 'weight', before: 60, after: 58.5 }] });
      const replay = await service.call('inbox:import', { bytes: Buffer.from(proposal.envelope).toString('base64') });
      expect(replay).toMatchObject({ ok: false, error: { code: 'request/replayed', message: 'You already received this request. It was not imported a second time.' } });
      expect(await service.call('inbox:import', { bytes: new Uint8Array([1, 2, 3]) })).toMatchObject({ ok: false, error: { code: 'request/malformed' } });
      expect(value(await service.call('inbox:list', { status: 'pending' })).requests).toHaveLength(1);
      const approved = value(await service.call('inbox:approve', { id: proposal.id }));
      expect(approved.block.kind).toBe('merge');
      expect(approved.request).toMatchObject({ status: 'approved', merge: { seq: approved.block.seq, signatureValid: true } });
      expect(await service.call('inbox:approve', { id: proposal.id })).toMatchObject({ ok: false, error: { code: 'request/replayed', message: 'This request was already answered.' } });
      expect(value(await service.call('profile:get', {})).sections.find((x) => x.name === 'fitness')?.fields).toEqual({ weight: 58.5 });

      // A request on a section changed since its base is stale; a fresh one is rejected with a signed reply.
      const stale = proposeToFile({ home: bobHome, keys: bobHome.unlock(PASS) }, { owner: service.home.id(), section: 'fitness', ops: [{ op: 'set', path: 'weight', value: 57 }], base: head() });
      expect(await service.call('inbox:import', { bytes: stale.envelope })).toMatchObject({ ok: false, error: { code: 'request/stale' } });
      exported = await service.call('archive:export', {});
      const second = proposeToFile({ home: bobHome, keys: bobHome.unlock(PASS) }, { owner: service.home.id(), section: 'fitness', ops: [{ op: 'set', path: 'weight', value: 57 }], base: head() });
      value(await service.call('inbox:import', { bytes: second.envelope }));
      const rejected = value(await service.call('inbox:reject', { id: second.id, reason: 'not this week' }));
      expect(Buffer.from(rejected.reply.bytes, 'base64').length).toBeGreaterThan(32);
      expect(rejected.request.status).toBe('rejected');
      const health = proposeToFile({ home: bobHome, keys: bobHome.unlock(PASS) }, { owner: service.home.id(), section: 'health', ops: [{ op: 'set', path: 'blood', value: 'A' }], base: head() });
      expect(await service.call('inbox:import', { bytes: health.envelope })).toMatchObject({ ok: false, error: { code: 'request/no-right', message: expect.stringContaining('propose changes to health') } });

      // Revocation ends the grant.
      const revoked = value(await service.call('access:revoke', { grantee: bob, section: 'contact' }));
      expect(revoked.block.kind).toBe('revoke');
      expect(value(await service.call('access:list', {})).grants.map((g) => g.section)).toEqual(['fitness']);
      expect(await service.call('access:revoke', { grantee: bob, section: 'contact' })).toMatchObject({ ok: false });

      // Devices: the current one is marked and cannot revoke itself; another is added and revoked.
      const devices = value(await service.call('devices:list', {})).devices;
      expect(devices.filter((d) => d.current)).toHaveLength(1);
      const other = new Home(join(dir, 'phone')).init(PASS).id;
      value(await service.call('devices:add', { device: other, label: 'phone' }));
      value(await service.call('devices:revoke', { device: other }));
      expect(value(await service.call('devices:list', {})).devices.find((d) => d.device === other)).toMatchObject({ label: 'phone', current: false, revokedSeq: expect.any(Number) });
      expect(await service.call('devices:revoke', { device: devices.find((d) => d.current)!.device })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

      // Services: registered for sections, then revoked; the audit log is readable (empty here).
      value(await service.call('registry:add', { client: other, sections: ['contact'], label: 'home server' }));
      expect(value(await service.call('registry:list', {})).clients).toEqual([expect.objectContaining({ client: other, sections: ['contact'], label: 'home server', revokedSeq: null })]);
      expect(await service.call('registry:add', { client: other, sections: [] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      value(await service.call('registry:revoke', { client: other }));
      expect(value(await service.call('registry:list', {})).clients[0]?.revokedSeq).toEqual(expect.any(Number));
      expect(value(await service.call('audit:list', {})).entries).toEqual([]);
      expect(value(await service.call('chain:verify', {}))).toMatchObject({ ok: true });
    } finally {
      bobHome.close();
    }
  });

  it('answers random payloads on every channel with a result, never a throw or a stack', async () => {
    const lockedChannels: Channel[] = ['session:create', 'session:recover', 'session:unlock', 'settings:changePassphrase', 'settings:setTheme'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), fc.anything({ withTypedArray: true, withBigInt: true, withMap: true, withSet: true }), async (channel, payload) => {
        // Random payloads must not create or replace identities: only check the channels that cannot do so when the payload is wrong.
        if (lockedChannels.includes(channel) && contract[channel].request.safeParse(payload).success) return;
        const result = await service.handle(channel, payload);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          expect(typeof result.error.code).toBe('string');
          expect(result.error.message).not.toMatch(/\n\s+at /u);
        }
      }),
      { numRuns: 300 },
    );
    expect(await service.handle('fs:readFile', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await service.handle('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await service.handle('profile:set', { section: 'contact', path: 'x', value: 1, extra: true })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await service.handle('profile:set', { section: 'Contact!', path: 'x', value: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(logged).toEqual([]);
  });

  it('rejects malformed payloads of every channel with invalid-input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), fc.oneof(fc.string(), fc.integer(), fc.array(fc.anything())), async (channel, payload) => {
        const result = await service.handle(channel, payload);
        expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      }),
    );
  });

  it('locks itself after a while without calls', async () => {
    const other = new WalletService(new Home(join(dir, 'idle')), { idleLockMs: 150 });
    try {
      const created = value(await other.call('session:create', { passphrase: PASS }));
      value(await answer(other, created));
      const changes: string[] = [];
      other.subscribe((event, payload) => changes.push(`${event}:${(payload as { state: string }).state}`));
      await new Promise((r) => setTimeout(r, 100));
      expect(value(await other.call('session:status', {})).state).toBe('unlocked');
      await new Promise((r) => setTimeout(r, 300));
      expect(changes).toEqual(['session:changed:locked']);
      expect(await other.call('profile:get', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    } finally {
      other.close();
    }
  });

  it('recovers the identity from the words in another home', async () => {
    const other = new WalletService(new Home(join(dir, 'other')));
    try {
      const status = value(await other.call('session:recover', { mnemonic: 'abandon '.repeat(23) + 'art', passphrase: PASS }));
      expect(status).toMatchObject({ state: 'locked', chain: false });
      expect(await other.call('session:unlock', { passphrase: PASS })).toMatchObject({ ok: false, error: { code: 'not-found' } });
      expect(await other.call('session:recover', { mnemonic: 'not words', passphrase: PASS })).toMatchObject({ ok: false });
    } finally {
      other.close();
    }
  });
});
