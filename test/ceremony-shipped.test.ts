// The shipped proving artifacts are what their lock says and what the sources build: every file matches its
// sha-256 in circuits/artifacts.lock.json, each shipped verification key is the one its shipped proving key
// exports, circom2 rebuilds each circuit's wasm (and r1cs) byte for byte from circuits/src, the committed
// phase 1 prepares (deterministically) to the ptau the lock names, and `snarkjs zkey verify` accepts each
// shipped key against the rebuilt r1cs and that ptau: the keys are those of the sources and the ceremony.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, renameSync } from 'node:fs';
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
  ptau: { power: number; phase1: { file: string; sha256: string }; prepared: { sha256: string } };
  circuits: Record<string, { r1cs: { sha256: string }; transcript: { file: string; sha256: string } }>;
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
      const { transcript } = ceremonyLock.circuits[name]!;
      expect(sha256(join(CIRCUITS_DIR, transcript.file)), `${name} transcript`).toBe(transcript.sha256);
      const exported = await snarkjs.zKey.exportVerificationKey(join(CIRCUITS_DIR, entry.zkey.file));
      expect(exported, name).toEqual(JSON.parse(readFileSync(join(CIRCUITS_DIR, entry.vkey.file), 'utf8')));
    }
  }, 120_000);

  it('rebuild from source: circom2 gives the shipped wasm (and r1cs); zkey verify of each key against the prepared phase 1', async () => {
    const libs = realpathSync(new URL('../node_modules', import.meta.url).pathname);
    const { power, phase1, prepared } = ceremonyLock.ptau;
    expect(sha256(join(CIRCUITS_DIR, phase1.file)), 'the committed phase 1').toBe(phase1.sha256);
    // The prepared ptau of an earlier `npm run circuits`, or made here (deterministic; minutes on two cores).
    let ptau = join(CIRCUITS_DIR, 'build', `pot${power}_final.ptau`);
    if (!existsSync(ptau) || sha256(ptau) !== prepared.sha256) {
      ptau = join(work, `pot${power}_final.ptau`);
      const started = performance.now();
      await snarkjs.powersOfTau.preparePhase2(join(CIRCUITS_DIR, phase1.file), `${ptau}.tmp`);
      renameSync(`${ptau}.tmp`, ptau);
      console.log(`prepared circuits/${phase1.file} for phase 2 in ${Math.round((performance.now() - started) / 1000)} s`);
    }
    expect(sha256(ptau), 'the prepared ptau').toBe(prepared.sha256);
    for (const name of CIRCUITS) {
      const source = join(CIRCUITS_DIR, config.circuits[name]!.source);
      const stem = basename(source, '.circom');
      const built = spawnSync(CIRCOM, [source, '--r1cs', '--wasm', '--O2', '-l', libs, '-o', work], { cwd: '/', encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      expect(sha256(join(work, `${stem}_js`, `${stem}.wasm`)), `${name} wasm rebuilt`).toBe(lock.circuits[name].wasm.sha256);
      const r1cs = join(work, `${stem}.r1cs`);
      expect(sha256(r1cs), `${name} r1cs rebuilt`).toBe(ceremonyLock.circuits[name]!.r1cs.sha256);
      expect(await snarkjs.zKey.verifyFromR1cs(r1cs, ptau, join(CIRCUITS_DIR, lock.circuits[name].zkey.file)), `${name} zkey verify`).toBe(true);
    }
  }, 2_400_000);
});
