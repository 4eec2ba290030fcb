// Background failures are told to the home's logger, never swallowed: a publish that the change timer starts
// after the wallet locked fails (it needs the identity key) and leaves a `warn` entry with its error code.
// And the file logger itself: JSON lines, mode 0600, rotation at its byte cap keeping three files.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileLogger } from '../../src-main/adapters/log/file-log.ts';
import { MemoryLogger } from '../../src-main/adapters/log/memory-log.ts';
import { Home } from '../../src-main/app/home.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import { tempDir } from '../helpers.ts';

const PASS = 'correct-horse-battery';

describe('background failures go to the logger', () => {
  const dir = tempDir('defaust-bglog-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a timed publish that fails is logged with its code', async () => {
    const log = new MemoryLogger();
    const home = new Home(join(dir, 'lone'), { log });
    home.init(PASS);
    const net = await NetService.start(home, { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, nat: false, publishDelayMs: 1, transports: { webSockets: false, webRTC: false, relay: false } }, home.unlock(PASS));
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
