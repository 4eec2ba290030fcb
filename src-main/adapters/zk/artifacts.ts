// The proving artifacts (circuit wasm, proving key, verification key) shipped with the app, checked against
// the sha-256 recorded in circuits/artifacts.lock.json before anything is loaded. Nothing is ever downloaded.
// Each is read and checked once per process and directory, then served from memory.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaustError } from '../../core/errors.ts';

export const CIRCUITS = ['featAttestedFew', 'featAttested', 'featAuthority', 'attributeIssued'] as const;
export type CircuitName = (typeof CIRCUITS)[number];

export interface ArtifactEntry {
  file: string;
  sha256: string;
}

export interface CircuitLock {
  wasm: ArtifactEntry;
  zkey: ArtifactEntry;
  vkey: ArtifactEntry;
  /** The circuit's parameters (k, depth, bits, setSize) and its constraint count. */
  params: Record<string, number>;
  constraints: number;
}

export interface ArtifactsLock {
  ceremony: string;
  circuits: Record<CircuitName, CircuitLock>;
}

export class ArtifactIntegrityError extends DefaustError {
  override name = 'ArtifactIntegrityError';
  constructor(message: string) {
    super('zk/artifact', message);
  }
}

/** Where circuits/ is: the checkout in development, or DEFAUST_ZK_DIR (packaged apps point it at resources). */
export function circuitsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DEFAUST_ZK_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../circuits');
}

export interface LoadedCircuit {
  name: CircuitName;
  wasm: Uint8Array;
  zkey: Uint8Array;
  vkey: unknown;
  lock: CircuitLock;
}

const locks = new Map<string, ArtifactsLock>();
const loaded = new Map<string, LoadedCircuit>();

/** The lock file of `dir`, read once per process (a failed read is not kept, so it is tried again). */
export function readLock(dir = circuitsDir()): ArtifactsLock {
  const key = resolve(dir);
  let lock = locks.get(key);
  if (lock === undefined) {
    try {
      lock = JSON.parse(readFileSync(join(key, 'artifacts.lock.json'), 'utf8')) as ArtifactsLock;
    } catch {
      throw new ArtifactIntegrityError(`no readable artifacts.lock.json in ${dir}; run: npm run circuits`);
    }
    locks.set(key, lock);
  }
  return lock;
}

function checked(dir: string, entry: ArtifactEntry): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, entry.file));
  } catch {
    throw new ArtifactIntegrityError(`missing proving artifact ${entry.file}; run: npm run circuits`);
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== entry.sha256) throw new ArtifactIntegrityError(`${entry.file} does not match its sha-256 in artifacts.lock.json; refusing to load it`);
  return new Uint8Array(bytes);
}

/** Loads one circuit's artifacts after checking every hash, once per process and directory. */
export function loadCircuit(name: CircuitName, dir = circuitsDir()): LoadedCircuit {
  const key = `${resolve(dir)}|${name}`;
  const held = loaded.get(key);
  if (held !== undefined) return held;
  const lock = readLock(dir).circuits[name];
  if (lock === undefined) throw new ArtifactIntegrityError(`artifacts.lock.json lists no circuit ${name}`);
  const vkeyBytes = checked(dir, lock.vkey);
  const circuit = { name, wasm: checked(dir, lock.wasm), zkey: checked(dir, lock.zkey), vkey: JSON.parse(Buffer.from(vkeyBytes).toString('utf8')), lock };
  loaded.set(key, circuit);
  return circuit;
}
