// `defaust keychain status|forget` as a person runs them: the command line has no OS keychain of its own, but
// sees and removes the key the desktop app remembered for a home. The desktop's remembering is done here with
// a stand-in Keychain port (the OS keychain is Electron's safeStorage, which does not run under plain Node).
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { rememberOnThisDevice } from '../src-main/app/keychain/keychain.ts';
import type { Keychain } from '../src-main/core/secrets/keychain.ts';
import { expectCleanError, PASS, run } from './cli-helpers.ts';
import { tempDir } from './helpers.ts';

/** A stand-in keychain: XOR with a fixed pad (enough to tell the file holds no key in the clear). */
const standIn: Keychain = {
  state: () => 'ready',
  wrap: async (secret) => secret.map((b) => b ^ 0x5a),
  unwrap: async (wrapped) => wrapped.map((b) => b ^ 0x5a),
};

describe('defaust keychain', { timeout: 120_000 }, () => {
  const dir = tempDir('defaust-cli-keychain-');
  const home = join(dir, 'home');

  beforeAll(() => {
    expect(run(['init', '--home', home]).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says nothing is kept, then sees and forgets what the desktop app kept', async () => {
    expect(run(['keychain', 'status', '--home', home, '--json']).json()).toEqual({ state: 'none', remembered: false, file: false });
    expect(run(['keychain', 'status', '--home', home]).stdout).toMatch(/No key is kept in the OS keychain for this home/u);

    const desktop = new Home(home, { keychain: standIn });
    await rememberOnThisDevice(desktop, PASS);
    const file = desktop.rememberedKey.path;
    expect(existsSync(file)).toBe(true);

    expect(run(['keychain', 'status', '--home', home, '--json']).json()).toEqual({ state: 'none', remembered: false, file: true });
    const forgot = run(['keychain', 'forget', '--home', home]);
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toMatch(/Forgotten: the desktop app will ask for the passphrase/u);
    expect(existsSync(file)).toBe(false);
    expect(run(['keychain', 'forget', '--home', home, '--json']).json()).toEqual({ forgotten: false });
  });

  it('refuses a home with no identity, in one line', () => {
    expectCleanError(run(['keychain', 'status', '--home', join(dir, 'empty')]), /no DeFaust home|no identity/u);
  });
});
