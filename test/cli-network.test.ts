// Private networks from the command line: `network create`, `invite` (to a file and as base64), `join`,
// `list` and `leave` on real homes; a refusal is one clear line (an invite for another did, an altered one, a
// name taken); `serve --network NAME` runs the node inside the network and says so in one line, WebRTC off.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, PASS, run } from './cli-helpers.ts';

const BIN = new URL('../bin/defaust.mjs', import.meta.url).pathname;

describe('private networks from the command line', { timeout: 420_000 }, () => {
  const dir = tempDir('defaust-cli-pnet-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const A = ['--home', join(dir, 'ada')];
  const B = ['--home', join(dir, 'bob')];
  const E = ['--home', join(dir, 'eve')];
  const idOf = (home: string[]) => (run([...home, 'whoami', '--json']).json() as { id: string }).id;

  it('creates, invites by file, joins, lists and leaves', () => {
    for (const home of [A, B, E]) expect(run([...home, 'init']).code).toBe(0);
    const bob = idOf(B);
    const made = run([...A, 'network', 'create', 'club', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const { id } = made.json() as { id: string };
    expect(id).toMatch(/^[0-9a-f]{32}$/u);
    expect(readFileSync(join(dir, 'ada', 'networks.json'), 'utf8')).toContain(id);

    const file = join(dir, 'bob.invite');
    const invited = run([...A, 'network', 'invite', 'club', bob, '--out', file]);
    expect(invited.code, invited.stderr).toBe(0);
    expect(invited.stdout).toMatch(/only did:key:\S+ can open it/u);

    // Eve cannot open Bob's invite; an altered invite is refused; neither leaves a network behind.
    expectCleanError(run([...E, 'network', 'join', file]), /this invite is for did:key:/u);
    const bytes = readFileSync(file);
    bytes[bytes.length - 5]! ^= 1;
    const altered = join(dir, 'altered.invite');
    writeFileSync(altered, bytes);
    const refused = run([...B, 'network', 'join', altered, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json()).toMatchObject({ ok: false, error: { code: 'pnet/forged' } });
    expect((run([...E, 'network', 'list', '--json']).json() as { networks: unknown[] }).networks).toEqual([]);

    const joined = run([...B, 'network', 'join', file, '--json']);
    expect(joined.code, joined.stderr).toBe(0);
    expect(joined.json()).toMatchObject({ name: 'club', id, from: idOf(A) });
    expectCleanError(run([...B, 'network', 'join', file]), /in that network already/u);
    const listed = run([...B, 'network', 'list']);
    expect(listed.stdout).toContain(`club  ${id}  invited by ${idOf(A)}`);

    // The base64 form on standard output joins as well.
    const eve = idOf(E);
    const printed = run([...A, 'network', 'invite', 'club', eve]);
    expect(printed.code, printed.stderr).toBe(0);
    const text = join(dir, 'eve.invite');
    writeFileSync(text, printed.stdout);
    expect(run([...E, 'network', 'join', text]).code).toBe(0);

    expectCleanError(run([...A, 'network', 'create', 'club']), /named "club" is in this home already/u);
    expectCleanError(run([...A, 'network', 'create', 'Public']), /a network name is/u);
    expectCleanError(run([...A, 'network', 'invite', 'nope', bob]), /no network named "nope"/u);

    expect(run([...E, 'network', 'leave', 'club']).code).toBe(0);
    expect((run([...E, 'network', 'list', '--json']).json() as { networks: unknown[] }).networks).toEqual([]);
    expectCleanError(run([...E, 'network', 'leave', 'club']), /no network named "club"/u);
  });

  it('serve --network runs the node in the private network and says so in one line', async () => {
    expectCleanError(run([...A, 'serve', '--network', 'nope']), /no network named "nope"/u);
    const child = spawn(process.execPath, [BIN, 'serve', ...A, '--network', 'club', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'], {
      env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not say it joined:\n${output}`)), 90_000);
        const seen = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Open http')) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', seen);
        child.stderr.on('data', seen);
        child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
      });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const lines = output.split('\n').filter((l) => l.includes('private network'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^In the private network "club" \([0-9a-f]{32}\): only its members can connect; WebRTC is off inside it/u);
    expect(output).not.toMatch(/webrtc/u);
  });
});
