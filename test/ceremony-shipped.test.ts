// The shipped proving artifacts are what their lock says and what the sources build: every file matches its
// sha-256 in circuits/artifacts.lock.json, each shipped verification key is the one its shipped proving key
// exports, circom2 rebuilds each circuit's wasm (and r1cs) byte for byte from circuits/src, and — when the
// ceremony's prepared ptau is at hand — `snarkjs zkey verify` accepts each shipped key against the rebuilt
// r1cs with the contributions of its transcript.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readLock, CIRCUITS } from '../src-main/adapters/zk/artifacts.ts';
import { tempDir } from './helpers.ts';

const CIRCUITS_DIR = new URL('../circuits/', import.meta.url).pathname;
const CIRCOM = new URL('../node_modules/.bin/circom2', import.meta.url).pathname;
const config = JSON.parse(readFileSync(join(CIRCUITS_DIR, 'circuits.json'), 'utf8')) as { circuits: Record<string, { source: string }> };
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface CeremonyLock {
  ptau?: { power: number; phase1: { file: string; sha256: string }; prepared: { sha256: string } };
  circuits: Record<string, { r1cs?: { sha256: string }; transcript?: { file: string; sha256: string } }>;
}

describe('the shipped proving artifacts', () => {
  const lock = readLock(CIRCUITS_DIR);
  const ceremonyLock = lock as unknown as CeremonyLock;
  const work = realpathSync(tempDir());
  afterAll(() => (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate());

  it('match the lock, and each verification key is the one its proving key exports', async () => {
    for (const name of CIRCUITS) {
      const entry = lock.circuits[name];
      for (const kind of ['wasm', 'zkey', 'vkey'] as const) expect(sha256(join(CIRCUITS_DIR, entry[kind].file)), `${name} ${kind}`).toBe(entry[kind].sha256);
      const transcript = ceremonyLock.circuits[name]?.transcript;
      if (transcript) expect(sha256(join(CIRCUITS_DIR, transcript.file)), `${name} transcript`).toBe(transcript.sha256);
      const exported = await snarkjs.zKey.exportVerificationKey(join(CIRCUITS_DIR, entry.zkey.file));
      expect(exported, name).toEqual(JSON.parse(readFileSync(join(CIRCUITS_DIR, entry.vkey.file), 'utf8')));
    }
  }, 120_000);

  it('rebuild from source: circom2 gives the shipped wasm (and r1cs); zkey verify where the ptau is at hand', async () => {
    const libs = realpathSync(new URL('../node_modules', import.meta.url).pathname);
    const ptau = ceremonyLock.ptau ? join(CIRCUITS_DIR, 'build', `pot${ceremonyLock.ptau.power}_final.ptau`) : undefined;
    const ptauReady = ptau !== undefined && existsSync(ptau) && sha256(ptau) === ceremonyLock.ptau!.prepared.sha256;
    if (!ptauReady) {
      console.log(ceremonyLock.ptau === undefined
        ? 'zkey verify skipped: the shipped keys predate the multi-party ceremony (artifacts.lock.json names no ptau); re-run `npm run circuits`'
        : `zkey verify skipped: circuits/build/pot${ceremonyLock.ptau.power}_final.ptau is not here; make it (deterministic) with: npx snarkjs powersoftau prepare phase2 circuits/${ceremonyLock.ptau.phase1.file} circuits/build/pot${ceremonyLock.ptau.power}_final.ptau`);
    }
    for (const name of CIRCUITS) {
      const source = join(CIRCUITS_DIR, config.circuits[name]!.source);
      const stem = basename(source, '.circom');
      const built = spawnSync(CIRCOM, [source, '--r1cs', '--wasm', '--O2', '-l', libs, '-o', work], { cwd: '/', encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      expect(sha256(join(work, `${stem}_js`, `${stem}.wasm`)), `${name} wasm rebuilt`).toBe(lock.circuits[name].wasm.sha256);
      const r1cs = join(work, `${stem}.r1cs`);
      const recorded = ceremonyLock.circuits[name]?.r1cs;
      if (recorded) expect(sha256(r1cs), `${name} r1cs rebuilt`).toBe(recorded.sha256);
      if (ptauReady) expect(await snarkjs.zKey.verifyFromR1cs(r1cs, ptau, join(CIRCUITS_DIR, lock.circuits[name].zkey.file)), `${name} zkey verify`).toBe(true);
    }
  }, 900_000);
});
