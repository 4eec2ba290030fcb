// Background failures are told to the home's logger, never swallowed: a publish that the change timer starts
// after the wallet locked fails (it needs the identity key) and leaves a `warn` entry with its error code; a
// push a replica refuses leaves a `debug` entry on the replica with the peer and the code; a message no
// mailbox took and an unreadable `network.json` leave `warn` entries.
// And the file logger itself: JSON lines, mode 0600, rotation at its byte cap keeping three files.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { FileLogger } from '../../src-main/adapters/log/file-log.ts';
import { MemoryLogger } from '../../src-main/adapters/log/memory-log.ts';
import { startLoopbackNode, stopLoopback, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';
import { peerAt } from '../../src-main/adapters/p2p/network.ts';
import { Home } from '../../src-main/app/home.ts';
import { NetworkHost, sendThrough } from '../../src-main/app/network/host.ts';
import { savedLimits } from '../../src-main/app/network/limits.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import { runPush } from '../../src-main/core/net/sync-session.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, tempDir } from '../helpers.ts';

const LONE = { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, nat: false, transports: { webSockets: false, webRTC: false, relay: false } };

const PASS = 'correct-horse-battery';

describe('background failures go to the logger', () => {
  const dir = tempDir('defaust-bglog-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a timed publish that fails is logged with its code', async () => {
    const log = new MemoryLogger();
    const home = new Home(join(dir, 'lone'), { log });
    home.init(PASS);
    const net = await NetService.start(home, { ...LONE, publishDelayMs: 1 }, home.unlock(PASS));
    try {
      net.changed();
      net.lock();
      await expect.poll(() => log.entries.find((e) => e.event === 'publish failed'), { timeout: 5000, interval: 5 }).toBeDefined();
      expect(log.entries.find((e) => e.event === 'publish failed')).toMatchObject({ level: 'warn', fields: { code: 'invalid-input', error: expect.stringContaining('needs the wallet unlocked') } });
    } finally {
      await net.stop();
      home.close();
    }
  }, 30_000);

  it('a push the replica refuses is logged on the replica with the peer and the code', async () => {
    const log = new MemoryLogger();
    const peers: LoopbackPeer[] = [];
    try {
      const replica = await startLoopbackNode(crypto, { limits: { quotaBytes: 1 }, log });
      peers.push(replica);
      const sender = await startLoopbackNode(crypto);
      peers.push(sender);
      const source = new MemoryChainStore();
      const profile = Profile.create(deps(source), ownerKeys());
      profile.set('contact', 'name', 'Ada');
      const target = peerAt(replica.node.libp2p.peerId, replica.node.libp2p.getMultiaddrs());
      await expect(sender.node.network.withSync(target, (channel) => runPush(channel, source, profile.id))).rejects.toMatchObject({ code: 'sync/over-quota' });
      await expect.poll(() => log.entries.find((e) => e.event === 'sync session failed'), { timeout: 5000, interval: 5 }).toBeDefined();
      expect(log.entries.find((e) => e.event === 'sync session failed')).toMatchObject({
        level: 'debug', fields: { peer: sender.node.peerId, kind: 'push', id: profile.id, code: 'sync/over-quota' },
      });
    } finally {
      await stopLoopback(peers);
    }
  }, 30_000);

  it('a message no mailbox took is logged with its code', async () => {
    const log = new MemoryLogger();
    const home = new Home(join(dir, 'sender'), { log });
    home.init(PASS);
    const host = new NetworkHost(home, { ...LONE, limits: { queryTimeoutMs: 500 } });
    try {
      await host.unlocked(home.unlock(PASS));
      const stranger = Profile.create(deps(new MemoryChainStore()), ownerKeys()).id;
      expect(await sendThrough(host, stranger, new Uint8Array([1, 2, 3]))).toBe(false);
      expect(log.entries.find((e) => e.event === 'send failed')).toMatchObject({ level: 'warn', fields: { code: 'msg/unreachable' } });
    } finally {
      await host.stop();
      home.close();
    }
  }, 30_000);

  it('an unreadable network.json gives the default limits and is logged', () => {
    const log = new MemoryLogger();
    const home = new Home(join(dir, 'limits'), { log });
    mkdirSync(home.dir, { recursive: true });
    expect(savedLimits(home)).toEqual({});
    expect(log.entries).toEqual([]);
    writeFileSync(join(home.dir, 'network.json'), '{"quotaBytes": ');
    expect(savedLimits(home)).toEqual({});
    writeFileSync(join(home.dir, 'network.json'), '{"quotaBytes": "lots"}');
    expect(savedLimits(home)).toEqual({});
    expect(log.entries).toMatchObject([
      { level: 'warn', event: 'saved limits unreadable', fields: { file: 'network.json', code: 'internal' } },
      { level: 'warn', event: 'saved limits unreadable', fields: { file: 'network.json', code: 'invalid-input', error: expect.stringContaining('quotaBytes') } },
    ]);
    home.close();
  });
});

describe('the file logger', () => {
  const dir = tempDir('defaust-filelog-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('appends JSON lines in a 0600 file and rotates at its cap, keeping three files', () => {
    const path = join(dir, 'logs', 'defaust.log');
    const log = new FileLogger(path, { maxBytes: 200, now: () => 0 });
    log.info('first', { n: 1 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ts: '1970-01-01T00:00:00.000Z', level: 'info', event: 'first', n: 1 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    for (let n = 2; n <= 40; n++) log.warn('again', { n });
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['defaust.log', 'defaust.log.1', 'defaust.log.2']);
    for (const name of readdirSync(join(dir, 'logs'))) expect(statSync(join(dir, 'logs', name)).size).toBeLessThanOrEqual(200);
    const last = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { n: number });
    expect(last.at(-1)?.n).toBe(40);
  });
});
