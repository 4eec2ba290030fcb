// Proving opens the keystore once: the scrypt stretch is paid once per proof, not once per key use.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { proveAttribute } from '../src-main/app/proofs/proofs.ts';
import { InvalidInputError } from '../src-main/core/errors.ts';
import { tempDir } from './helpers.ts';

describe('proveAttribute', () => {
  it('unlocks the keystore once', async () => {
    const home = new Home(join(tempDir(), 'home'));
    try {
      home.init('a long enough passphrase');
      const unlock = vi.spyOn(home.keystore, 'unlock');
      // A field that holds no number is refused after the keys and the profile are open, before any proving.
      await expect(proveAttribute(home, 'a long enough passphrase', 'fitness', 'vo2max', { op: 'gte', bound: 1n, set: [] })).rejects.toThrow(InvalidInputError);
      expect(unlock).toHaveBeenCalledTimes(1);
    } finally {
      home.close();
    }
  });
});
