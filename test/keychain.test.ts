// The OS keychain behind the keystore. NO ELECTRON BINARY RUNS ON THESE MACHINES, so Electron's safeStorage is
// a FAKE here (FakeSafeStorage below: AES-GCM under a key only that fake holds, standing for one OS user's
// keychain, with a chosen Linux backend). The fake is used ONLY for the Electron adapter's own logic
// (src-main/electron/keychain.ts: which backends count as a real keychain, wrapping and unwrapping); everything
// behind it is real — the keystore file, scrypt, the remembered-key file, the wallet service and its SQLite home.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response, Result } from '../src-preload/api/contract.ts';
import { Home } from '../src-main/app/home.ts';
import { WalletService } from '../src-main/app/wallet/service.ts';
import { keychainState, safeStorageKeychain, type SafeStorageLike } from '../src-main/electron/keychain.ts';
import { tempDir } from './helpers.ts';

const PASS = 'correct-horse-battery';
type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>;

class FakeSafeStorage implements SafeStorageLike {
  backend: Backend;
  available = true;
  backendAsked = 0;
  private readonly key = randomBytes(32);
  constructor(backend: Backend = 'gnome_libsecret') {
    this.backend = backend;
  }
  isEncryptionAvailable() {
    return this.available;
  }
  getSelectedStorageBackend() {
    this.backendAsked++;
    return this.backend;
  }
  async encryptStringAsync(plainText: string) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }
  async decryptStringAsync(encrypted: Buffer) {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    return { result: Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8'), shouldReEncrypt: false };
  }
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('the safeStorage adapter decides what counts as a keychain', () => {
  it('on Linux: a keyring is ready, basic_text is not, unknown (before ready) is none; elsewhere availability decides', () => {
    const fake = new FakeSafeStorage();
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const) {
      fake.backend = backend;
      expect(keychainState(fake, 'linux'), backend).toBe('ready');
    }
    fake.backend = 'basic_text';
    expect(keychainState(fake, 'linux')).toBe('basic-text');
    fake.backend = 'unknown';
    expect(keychainState(fake, 'linux')).toBe('none');
    fake.backend = 'gnome_libsecret';
    fake.available = false;
    expect(keychainState(fake, 'linux')).toBe('none');
    const asked = fake.backendAsked;
    expect(keychainState(fake, 'darwin')).toBe('none');
    fake.available = true;
    expect(keychainState(fake, 'darwin')).toBe('ready');
    expect(keychainState(fake, 'win32')).toBe('ready');
    expect(fake.backendAsked).toBe(asked); // the Linux-only call is never made elsewhere
  });

  it('gives back exactly the bytes it wrapped, and refuses what another keychain wrapped', async () => {
    const mine = safeStorageKeychain(new FakeSafeStorage(), 'linux');
    const theirs = safeStorageKeychain(new FakeSafeStorage(), 'linux');
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (secret) => {
      const wrapped = await mine.wrap(secret);
      expect(Buffer.from(wrapped).includes(Buffer.from(secret)) && secret.length > 3).toBe(false);
      expect(await mine.unwrap(wrapped)).toEqual(secret);
      await expect(theirs.unwrap(wrapped)).rejects.toMatchObject({ code: 'keychain/refused' });
    }), { numRuns: 50 });
  });

  it('wraps nothing on basic_text', async () => {
    await expect(safeStorageKeychain(new FakeSafeStorage('basic_text'), 'linux').wrap(new Uint8Array(32))).rejects.toMatchObject({ code: 'keychain/basic-text' });
  });
});

describe('the wallet with a keychain', { timeout: 120_000 }, () => {
  const dir = tempDir('defaust-keychain-');
  const homeDir = join(dir, 'home');
  const storage = new FakeSafeStorage();
  const service = new WalletService(new Home(homeDir, { keychain: safeStorageKeychain(storage, 'linux') }), { version: '0.0.0' });
  const keyFile = join(homeDir, 'keychain-key.json');

  beforeAll(async () => {
    const created: Response<'session:create'> = value(await service.call('session:create', { passphrase: PASS }));
    value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
    value(await service.call('session:lock', {}));
  });
  afterAll(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('remembers nothing until asked, and a wrong passphrase writes nothing', async () => {
    expect(value(await service.call('keychain:status', {}))).toEqual({ state: 'ready', remembered: false });
    expect(await service.call('keychain:unlock', {})).toMatchObject({ ok: false, error: { code: 'keychain/not-remembered' } });
    expect(await service.call('keychain:remember', { passphrase: 'not-the-passphrase' })).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } });
    expect(existsSync(keyFile)).toBe(false);
  });

  it('keeps the wrapping key sealed by the keychain, never in the clear, and unlocks with it', async () => {
    expect(value(await service.call('keychain:remember', { passphrase: PASS }))).toEqual({ state: 'ready', remembered: true });
    const key = service.home.keystore.wrappingKey(PASS).key;
    const text = readFileSync(keyFile, 'utf8');
    for (const form of [Buffer.from(key).toString('base64'), Buffer.from(key).toString('hex'), PASS]) expect(text).not.toContain(form);
    expect(value(await service.call('keychain:unlock', {})).state).toBe('unlocked');
    expect(value(await service.call('profile:get', {}))).toBeDefined();
    value(await service.call('session:lock', {}));
  });

  it('another OS user (another keychain) cannot open it; the passphrase still can', async () => {
    const other = new WalletService(new Home(homeDir, { keychain: safeStorageKeychain(new FakeSafeStorage(), 'linux') }), { version: '0.0.0' });
    try {
      expect(await other.call('keychain:unlock', {})).toMatchObject({ ok: false, error: { code: 'keychain/refused' } });
      expect(value(await other.call('session:unlock', { passphrase: PASS })).state).toBe('unlocked');
    } finally {
      other.close();
    }
  });

  it('a passphrase changed in Settings: the keychain keeps the new key, and unlocks with it', async () => {
    value(await service.call('settings:changePassphrase', { old: PASS, new: 'a-third-passphrase' }));
    expect(value(await service.call('keychain:status', {}))).toEqual({ state: 'ready', remembered: true });
    value(await service.call('session:lock', {}));
    expect(value(await service.call('keychain:unlock', {})).state).toBe('unlocked');
  });

  it('a passphrase changed elsewhere (the CLI) makes the remembered key stale: it is removed and the new passphrase is asked', async () => {
    service.home.keystore.changePassphrase('a-third-passphrase', 'another-good-one');
    expect(value(await service.call('keychain:status', {}))).toEqual({ state: 'ready', remembered: false });
    expect(await service.call('keychain:unlock', {})).toMatchObject({ ok: false, error: { code: 'keychain/stale' } });
    expect(existsSync(keyFile)).toBe(false);
    value(await service.call('keychain:remember', { passphrase: 'another-good-one' }));
    expect(value(await service.call('keychain:forget', {}))).toEqual({ state: 'ready', remembered: false });
    expect(existsSync(keyFile)).toBe(false);
  });

  it('on basic_text the passphrase stays required: nothing is kept, and the status says why', async () => {
    storage.backend = 'basic_text';
    try {
      expect(value(await service.call('keychain:status', {}))).toEqual({ state: 'basic-text', remembered: false });
      expect(await service.call('keychain:remember', { passphrase: 'another-good-one' })).toMatchObject({ ok: false, error: { code: 'keychain/basic-text' } });
      expect(existsSync(keyFile)).toBe(false);
      expect(value(await service.call('session:unlock', { passphrase: 'another-good-one' })).state).toBe('unlocked');
    } finally {
      storage.backend = 'gnome_libsecret';
    }
  });

  it('under plain Node (the CLI, defaust serve) there is no keychain', async () => {
    const plain = new WalletService(new Home(homeDir), { version: '0.0.0' });
    try {
      expect(value(await plain.call('keychain:status', {}))).toEqual({ state: 'none', remembered: false });
      expect(await plain.call('keychain:remember', { passphrase: 'another-good-one' })).toMatchObject({ ok: false, error: { code: 'keychain/none' } });
    } finally {
      plain.close();
    }
  });
});
