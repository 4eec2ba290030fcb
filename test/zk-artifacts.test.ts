// The proving artifacts are read and hash-checked once per process and directory, then served from memory.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactIntegrityError, loadCircuit, readLock } from '../src-main/adapters/zk/artifacts.ts';
import { tempDir } from './helpers.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A circuits folder holding one small circuit whose files match their recorded hashes. */
function circuitsFolder(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'artifacts'));
  const files = { wasm: Buffer.from([0, 97, 115, 109]), zkey: Buffer.from([1, 2, 3]), vkey: Buffer.from('{"protocol":"groth16"}') };
  const entry = (kind: keyof typeof files) => {
    const file = `artifacts/x.${kind}`;
    writeFileSync(join(dir, file), files[kind]);
    return { file, sha256: sha256(files[kind]) };
  };
  const lock = { ceremony: 'test', circuits: { attributeIssued: { wasm: entry('wasm'), zkey: entry('zkey'), vkey: entry('vkey'), params: { bits: 8, setSize: 2 }, constraints: 1 } } };
  writeFileSync(join(dir, 'artifacts.lock.json'), JSON.stringify(lock));
  return dir;
}

describe('proving artifacts', () => {
  it('reads the lock and each circuit once per directory: later calls do not touch the disk', () => {
    const dir = circuitsFolder();
    const lock = readLock(dir);
    const circuit = loadCircuit('attributeIssued', dir);
    expect(circuit.vkey).toEqual({ protocol: 'groth16' });
    rmSync(join(dir, 'artifacts'), { recursive: true });
    writeFileSync(join(dir, 'artifacts.lock.json'), 'not json');
    expect(readLock(dir)).toBe(lock);
    expect(readLock(`${dir}/`)).toBe(lock);
    expect(loadCircuit('attributeIssued', dir)).toBe(circuit);
  });

  it('keeps nothing of a failed read, and checks every hash on the first load', () => {
    const dir = tempDir();
    expect(() => readLock(dir)).toThrow(ArtifactIntegrityError);
    const good = circuitsFolder();
    writeFileSync(join(good, 'artifacts/x.zkey'), Buffer.from([9]));
    expect(() => loadCircuit('attributeIssued', good)).toThrow(ArtifactIntegrityError);
    writeFileSync(join(good, 'artifacts/x.zkey'), Buffer.from([1, 2, 3]));
    expect(loadCircuit('attributeIssued', good).zkey).toEqual(new Uint8Array([1, 2, 3]));
  });
});
