// The home's log after a real CLI session (init, set, publish with no peers): the failures are there with
// their codes, in a 0600 file, and nothing secret is: no recovery phrase, no passphrase, no decrypted value.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PASS, run } from './cli-helpers.ts';
import { tempDir } from './helpers.ts';

describe('the log of a CLI session', () => {
  const dir = tempDir('defaust-cli-log-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps failures with their codes and no secret', () => {
    const h = ['--home', join(dir, 'home')];
    const init = run([...h, 'init', '--json']);
    expect(init.code, init.stderr).toBe(0);
    const { mnemonic } = init.json() as { mnemonic: string };
    const secretValue = 'Zyxwvutsrq-private-name';
    expect(run([...h, 'set', 'basics', 'name', secretValue]).code).toBe(0);
    expect(run([...h, 'publish']).code).toBe(2);
    expect(run([...h, 'publish', '--bootstrap', '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWFV5eE67HzeAMvCfMDANBtDY9sEBir3an3HqUjz82sm2b']).code).toBe(1);

    const path = join(dir, 'home', 'logs', 'defaust.log');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    const entries = text.trim().split('\n').map((line) => JSON.parse(line) as { level: string; event: string; command?: string; code?: string });
    expect(entries).toEqual(expect.arrayContaining([
      expect.objectContaining({ event: 'command failed', command: 'publish', code: 'usage' }),
      expect.objectContaining({ event: 'command failed', command: 'publish', code: 'network/no-peers' }),
    ]));
    expect(text).not.toContain(mnemonic);
    // Any three words of the phrase in a row (single words are ordinary English and may appear in wording).
    const words = mnemonic.split(' ');
    for (let i = 0; i + 3 <= words.length; i++) expect(text).not.toContain(words.slice(i, i + 3).join(' '));
    expect(text).not.toContain(PASS);
    expect(text).not.toContain(secretValue);
  }, 60_000);
});
