// Shared test fixtures: the real node:crypto adapter, in-memory and SQLite stores, a settable clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeCrypto } from '../src-main/adapters/crypto/node-crypto.ts';
import { deriveIdentitySecrets, newMnemonic } from '../src-main/core/identity/keys.ts';
import type { ChainStore, Clock, RequestStore } from '../src-main/core/ports.ts';
import { MemoryRequestStore } from '../src-main/adapters/db/request-store.ts';
import type { OwnerKeys } from '../src-main/core/profile/profile.ts';

export const crypto = createNodeCrypto();

export function tempDir(prefix = 'defaust-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export class TestClock implements Clock {
  ms: number;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.ms = start;
  }
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function ownerKeys(mnemonic = newMnemonic(crypto.randomBytes)): OwnerKeys {
  return { identity: deriveIdentitySecrets(crypto, mnemonic), deviceSeed: crypto.randomBytes(32), localKey: crypto.randomBytes(32) };
}

export function deps(store: ChainStore, clock: Clock = new TestClock(), requests: RequestStore = new MemoryRequestStore()) {
  return { crypto, store, clock, requests };
}
