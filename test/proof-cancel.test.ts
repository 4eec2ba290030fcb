// Progress and cancel of a proof: stages arrive in order with their elapsed time; aborting during proving
// kills the proving process at once and rejects with the typed ProofCancelledError, while another caller's
// proof on the same prover still completes; on the CLI, Ctrl-C during `prove attribute` ends with one clean
// line and writes no file.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Prover, ProofCancelledError, type ProveStage } from '../src-main/adapters/zk/prover.ts';
import { createNodeCrypto } from '../src-main/adapters/crypto/node-crypto.ts';
import { readLock } from '../src-main/adapters/zk/artifacts.ts';
import { utf8 } from '../src-main/core/bytes.ts';
import { bytesToField, deriveIdentitySecrets, newMnemonic } from '../src-main/core/identity/keys.ts';
import { digestToField } from '../src-main/core/zk/field.ts';
import { attributeCommitment, attributeInputs } from '../src-main/core/zk/inputs.ts';
import { tempDir } from './helpers.ts';
import { PASS, run } from './cli-helpers.ts';

const crypto = createNodeCrypto();

function attributeProofInputs() {
  const { bits, setSize } = readLock().circuits.attributePredicate.params as { bits: number; setSize: number };
  const secret = deriveIdentitySecrets(crypto, newMnemonic(crypto.randomBytes)).babyJubjubSecret;
  const owner = crypto.babyJubjub.publicKey(secret);
  const fieldTag = digestToField(crypto.sha256(utf8('fitness/age')));
  const salt = bytesToField(crypto.randomBytes(16));
  const signature = crypto.babyJubjub.sign(secret, attributeCommitment(fieldTag, 34n, salt));
  return attributeInputs({ owner, fieldTag, op: 'gte', bound: 18n, set: [], value: 34n, salt, signature }, bits, setSize);
}

describe('proof progress and cancel', { timeout: 180_000 }, () => {
  const prover = new Prover();
  afterAll(() => prover.close());

  it('reports loading, witness, proving, done in order with elapsed time, and verifying for a check', async () => {
    const seen: [ProveStage, number][] = [];
    const proof = await prover.prove('attributePredicate', attributeProofInputs(), (stage, ms) => seen.push([stage, ms]));
    expect(seen.map(([s]) => s)).toEqual(['loading', 'witness', 'proving', 'done']);
    const times = seen.map(([, ms]) => ms);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const checked: ProveStage[] = [];
    expect(await prover.verify('attributePredicate', proof, (stage) => checked.push(stage))).toBe(true);
    expect(checked).toEqual(['verifying', 'done']);
  });

  it('cancel during proving rejects at once with ProofCancelledError; another waiting proof still completes', async () => {
    const controller = new AbortController();
    const stages: ProveStage[] = [];
    let abortedAt = 0;
    const cancelled = prover.prove('attributePredicate', attributeProofInputs(), (stage) => {
      stages.push(stage);
      if (stage === 'proving') {
        abortedAt = performance.now();
        controller.abort();
      }
    }, controller.signal);
    const other = prover.prove('attributePredicate', attributeProofInputs());
    await expect(cancelled).rejects.toBeInstanceOf(ProofCancelledError);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(stages).toEqual(['loading', 'witness', 'proving']);
    expect(await prover.verify('attributePredicate', await other)).toBe(true);
    // Already aborted: refused before any work.
    await expect(prover.prove('attributePredicate', attributeProofInputs(), undefined, AbortSignal.abort())).rejects.toBeInstanceOf(ProofCancelledError);
  });

  it('CLI: --progress prints the stages on stderr (stdout stays JSON); Ctrl-C cancels and writes no file', async () => {
    const dir = tempDir();
    const A = ['--home', join(dir, 'alice')];
    run([...A, 'init', '--json']);
    run([...A, 'set', 'fitness', 'age', '34', '--type', 'number']);
    const made = run([...A, 'prove', 'attribute', 'fitness', 'age', '--gte', '18', '--out', join(dir, 'ok.json'), '--json', '--progress']);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ kind: 'attribute' });
    expect(made.stderr.split('\n').filter(Boolean).map((l) => /^… (\w+) \(\d+\.\d s\)$/u.exec(l)?.[1])).toEqual(['loading', 'witness', 'proving', 'done']);

    const out = join(dir, 'cancelled.json');
    const child = spawn(process.execPath, [new URL('../bin/defaust.mjs', import.meta.url).pathname, ...A, 'prove', 'attribute', 'fitness', 'age', '--gte', '18', '--out', out, '--progress'], {
      env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/… proving/u.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/^defaust: the proof was cancelled$/mu);
    expect(stderr).not.toMatch(/\n\s+at /u);
    expect(existsSync(out)).toBe(false);
  });
});
