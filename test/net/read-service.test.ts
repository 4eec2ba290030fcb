// Read on request (`/defaust/read/1.0.0`) on real homes on loopback: the owner registers an always-on client,
// publishes and goes offline; a grantee reads through the client (found by its did under the owner's
// read-service key, or at its address) and gets the section; a stranger without a grant is refused with the
// client's signed refusal; the client's signed audit reaches the owner's mailboxes, and the owner, back, sees
// both entries in its audit list; a forged audit entry (not signed by the client) and a batch from a peer that
// is no registered client are refused. From the command line: `defaust read <owner> --via …` prints the
// section; a stranger gets one line.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRoutingTables } from '../../src-main/adapters/p2p/loopback.ts';
import { Home } from '../../src-main/app/home.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import { NetworkHost } from '../../src-main/app/network/host.ts';
import { readThrough } from '../../src-main/app/sharing/read-service.ts';
import { WalletService } from '../../src-main/app/wallet/service.ts';
import type { Did } from '../../src-main/core/identity/did.ts';
import { sealEnvelope } from '../../src-main/core/identity/envelope.ts';
import { AUDIT_BATCH_FORMAT, signAuditEntry } from '../../src-main/core/registry/audit-record.ts';
import { ReadServiceError } from '../../src-main/core/registry/read-protocol.ts';
import { tempDir } from '../helpers.ts';
import { LOOPBACK, until, value } from './loopback-wallet.ts';

const PASS = 'correct-horse-battery';
const NODES = 3;
const BIN = new URL('../../bin/defaust.mjs', import.meta.url).pathname;

/** The real command in a child process, without blocking this process's nodes (the client runs here). */
function defaust(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('read on request through a registered client, on loopback', () => {
  const dir = tempDir('defaust-read-service-');
  const nodes: NetService[] = [];
  const homes: Home[] = [];
  const cleanup: (() => Promise<void> | void)[] = [];
  let bootstrap: string[] = [];
  let client: Home;
  let clientNet: NetService;
  let grantee: Home;
  let stranger: Home;
  let owner: Home;
  let ownerId: Did;
  const seeds = new Map<Home, Uint8Array>();
  const me = (home: Home) => {
    if (!seeds.has(home)) seeds.set(home, home.unlock(PASS).identity.ed25519Seed);
    return { did: home.id(), ed25519Seed: seeds.get(home)! };
  };

  beforeAll(async () => {
    for (let i = 0; i < NODES; i++) {
      const home = new Home(join(dir, `node-${i}`));
      const net = await NetService.start(home, { ...LOOPBACK, bootstrap });
      if (i === 0) bootstrap = net.addrs();
      nodes.push(net);
      homes.push(home);
    }
    client = new Home(join(dir, 'client'));
    client.init(PASS);
    clientNet = await NetService.start(client, { ...LOOPBACK, bootstrap }, client.unlock(PASS));
    grantee = new Home(join(dir, 'grantee'));
    grantee.init(PASS);
    stranger = new Home(join(dir, 'stranger'));
    stranger.init(PASS);
    homes.push(client, grantee, stranger);
    await waitForRoutingTables([...nodes.map((n) => n.node), clientNet.node], NODES - 1, 30_000);
  }, 90_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    await clientNet.stop().catch(() => undefined);
    await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
    for (const home of [...homes, owner]) home?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('serves a grantee while the owner is offline, refuses a stranger, and the owner later sees both in its audit list', async () => {
    // The owner: a wallet with a node; grants contact to the grantee and registers the client for contact.
    owner = new Home(join(dir, 'owner'));
    let host = new NetworkHost(owner, { ...LOOPBACK, bootstrap });
    let wallet = new WalletService(owner, { network: host, idleLockMs: 0 });
    cleanup.push(() => host.stop(), () => wallet.close());
    const created = value(await wallet.call('session:create', { passphrase: PASS }));
    ownerId = created.id as Did;
    value(await wallet.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
    await waitForRoutingTables([host.current()!.node], 2, 20_000);
    value(await wallet.call('profile:set', { section: 'contact', path: 'email', value: 'ada@example.org' }));
    value(await wallet.call('profile:set', { section: 'health', path: 'blood', value: 'AB-' }));
    value(await wallet.call('access:grant', { grantee: grantee.id(), section: 'contact', rights: 'read', until: Date.now() + 86_400_000 }));
    value(await wallet.call('registry:add', { client: client.id(), sections: ['contact'], peer: clientNet.peerId, label: 'home server' }));
    const head = owner.store.head(ownerId)!;
    await until('the registration to be published', async () => (value(await wallet.call('network:status', {})).status?.owner?.publishedSeq === head.seq ? true : undefined));

    // The client holds the owner's chain and announces itself as the owner's read service.
    await clientNet.recover(ownerId);
    expect((await clientNet.serveReads()).owners).toEqual([ownerId]);

    // The owner goes offline.
    await host.stop();
    wallet.close();

    // The grantee reads through the client, found by its did; then at its address.
    const readerNet = await NetService.start(grantee, { ...LOOPBACK, bootstrap: [...bootstrap, ...clientNet.addrs()], ephemeral: true });
    cleanup.push(() => readerNet.stop());
    await waitForRoutingTables([readerNet.node], 2, 20_000);
    const served = await readThrough(readerNet, me(grantee), ownerId, client.id(), 'contact', Date.now());
    expect(served).toMatchObject({ owner: ownerId, section: 'contact', client: client.id(), seq: head.seq, fields: { email: 'ada@example.org' } });
    const direct = await readThrough(readerNet, me(grantee), ownerId, clientNet.addrs()[0]!, 'contact', Date.now());
    expect(direct.fields).toEqual({ email: 'ada@example.org' });
    // A section the client serves nothing of: refused by the client, signed.
    await expect(readThrough(readerNet, me(grantee), ownerId, client.id(), 'health', Date.now())).rejects.toMatchObject({ code: 'read/not-registered', remote: true });
    await readerNet.stop();

    // A stranger without a grant is refused, with the client's signed refusal.
    const strangerNet = await NetService.start(stranger, { ...LOOPBACK, bootstrap, ephemeral: true });
    cleanup.push(() => strangerNet.stop());
    await waitForRoutingTables([strangerNet.node], 2, 20_000);
    const refusal = await readThrough(strangerNet, me(stranger), ownerId, client.id(), 'contact', Date.now()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ReadServiceError);
    expect(refusal).toMatchObject({ code: 'read/denied', remote: true });
    await strangerNet.stop();

    // The client's audit: every request signed, and sent to the owner's mailboxes (the owner is offline).
    expect(client.audit.list(ownerId).map((e) => [e.requester, e.section, e.served, e.client])).toEqual([
      [grantee.id(), 'contact', true, client.id()],
      [grantee.id(), 'contact', true, client.id()],
      [grantee.id(), 'health', false, client.id()],
      [stranger.id(), 'contact', false, client.id()],
    ]);
    await until('the audit to reach the owner\'s mailboxes', async () => {
      await clientNet.reads.flush();
      return client.audit.unsent(10).length === 0 ? true : undefined;
    });

    // A forged entry (signed by the stranger, naming the client) in a batch the client's key sent, and a batch
    // from the stranger, who is no registered client.
    const forged = signAuditEntry(client.crypto, me(stranger).ed25519Seed, { owner: ownerId, client: client.id(), requester: stranger.id(), section: 'contact', ts: Date.now(), served: true, reason: 'served' });
    const forgedBatch = sealEnvelope(client.crypto, AUDIT_BATCH_FORMAT, ownerId, { client: client.id(), entries: [forged.bytes] });
    const forgedSent = await clientNet.send(ownerId, forgedBatch);
    const strangerEntry = signAuditEntry(client.crypto, me(stranger).ed25519Seed, { owner: ownerId, client: stranger.id(), requester: stranger.id(), section: 'contact', ts: Date.now(), served: true, reason: 'served' });
    const byStranger = await clientNet.messaging.send(me(stranger), ownerId, sealEnvelope(client.crypto, AUDIT_BATCH_FORMAT, ownerId, { client: stranger.id(), entries: [strangerEntry.bytes] }));

    // The owner comes back: unlocking fetches the mail; the audit list holds the client's four entries.
    host = new NetworkHost(owner, { ...LOOPBACK, bootstrap });
    wallet = new WalletService(owner, { network: host, idleLockMs: 0 });
    value(await wallet.call('session:unlock', { passphrase: PASS }));
    const entries = await until('the audit in the owner\'s list', async () => {
      value(await wallet.call('network:fetchMail', {}));
      const list = value(await wallet.call('audit:list', {})).entries.filter((e) => e.owner === ownerId);
      return list.length >= 4 && owner.receivedMail().list(ownerId).length >= 3 ? list : undefined;
    }, 90_000);
    // Batches come from several mailboxes in any order; the list is by time.
    expect(entries.map((e) => e.ts)).toEqual(entries.map((e) => e.ts).sort((a, b) => a - b));
    expect(entries.map((e) => [e.requester, e.section, e.served])).toEqual([
      [grantee.id(), 'contact', true],
      [grantee.id(), 'contact', true],
      [grantee.id(), 'health', false],
      [stranger.id(), 'contact', false],
    ]);
    const states = new Map(owner.receivedMail().list(ownerId).map((m) => [m.id, m]));
    expect(states.get(forgedSent.id)).toMatchObject({ state: 'refused' });
    expect(states.get(forgedSent.id)!.note).toMatch(/^audit\/forged/u);
    expect(states.get(byStranger.id)).toMatchObject({ state: 'refused' });
    expect(states.get(byStranger.id)!.note).toMatch(/^audit\/not-registered/u);
    await host.stop();
    wallet.close();
  }, 240_000);

  it('from the wallet (Shared with me): the same read through the client, and the same refusal', async () => {
    const host = new NetworkHost(grantee, { ...LOOPBACK, bootstrap });
    const wallet = new WalletService(grantee, { network: host, idleLockMs: 0 });
    cleanup.push(() => host.stop(), () => wallet.close());
    expect(await wallet.call('shared:readVia', { owner: ownerId, via: client.id(), section: 'contact' })).toMatchObject({ ok: false });
    value(await wallet.call('session:unlock', { passphrase: PASS }));
    await waitForRoutingTables([host.current()!.node], 2, 20_000);
    const served = value(await wallet.call('shared:readVia', { owner: ownerId, via: client.id(), section: 'contact' }));
    expect(served).toMatchObject({ owner: ownerId, section: 'contact', client: client.id(), fields: { email: 'ada@example.org' } });
    const refused = await wallet.call('shared:readVia', { owner: ownerId, via: client.id(), section: 'health' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'read/not-registered' } });
    await host.stop();
    wallet.close();
  }, 120_000);

  it('from the command line: the grantee reads through the client in one command, a stranger gets one line', async () => {
    const read = await defaust(['read', ownerId, '--via', clientNet.addrs()[0]!, '--section', 'contact', '--home', grantee.dir, '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ owner: ownerId, section: 'contact', client: client.id(), fields: { email: 'ada@example.org' } });
    const refused = await defaust(['read', ownerId, '--via', client.id(), '--section', 'contact', '--home', stranger.dir, '--bootstrap', bootstrap[0]!]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^defaust: .*refused: .*holds no grant in term on contact/u);
    const usage = await defaust(['read', ownerId, '--via', client.id(), '--home', stranger.dir]);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toMatch(/--section/u);
  }, 120_000);
});
