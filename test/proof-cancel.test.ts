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
import { attributeCommitment, attributeFieldTag } from '../src-main/core/attributes/credential.ts';
import { bytesToField, deriveIdentitySecrets, newMnemonic } from '../src-main/core/identity/keys.ts';
import { attributeInputs } from '../src-main/core/zk/inputs.ts';
import { tempDir } from './helpers.ts';
import { PASS, run } from './cli-helpers.ts';

const crypto = createNodeCrypto();

/** An issuer's signed age 34 for a holder, and the inputs of a proof that it is at least 18. */
function attributeProofInputs() {
  const { bits, setSize } = readLock().circuits.attributeIssued.params as { bits: number; setSize: number };
  const secret = deriveIdentitySecrets(crypto, newMnemonic(crypto.randomBytes)).babyJubjubSecret;
  const issuer = crypto.babyJubjub.publicKey(secret);
  const holder = crypto.babyJubjub.publicKey(deriveIdentitySecrets(crypto, newMnemonic(crypto.randomBytes)).babyJubjubSecret);
  const fieldTag = attributeFieldTag(crypto, 'age');
  const salt = bytesToField(crypto.randomBytes(16));
  const signature = crypto.babyJubjub.sign(secret, attributeCommitment(holder, fieldTag, 34n, salt));
  return attributeInputs({ issuer, holder, fieldTag, value: 34n, salt, signature }, { op: 'gte', bound: 18n, set: [] }, 42n, bits, setSize);
}

describe('proof progress and cancel', { timeout: 180_000 }, () => {
  const prover = new Prover();
  afterAll(() => prover.close());

  it('reports loading, witness, proving, done in order with elapsed time, and verifying for a check', async () => {
    const seen: [ProveStage, number][] = [];
    const proof = await prover.prove('attributeIssued', attributeProofInputs(), (stage, ms) => seen.push([stage, ms]));
    expect(seen.map(([s]) => s)).toEqual(['loading', 'witness', 'proving', 'done']);
    const times = seen.map(([, ms]) => ms);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const checked: ProveStage[] = [];
    expect(await prover.verify('attributeIssued', proof, (stage) => checked.push(stage))).toBe(true);
    expect(checked).toEqual(['verifying', 'done']);
  });

  it('cancel during proving rejects at once with ProofCancelledError; another waiting proof still completes', async () => {
    const controller = new AbortController();
    const stages: ProveStage[] = [];
    let abortedAt = 0;
    const cancelled = prover.prove('attributeIssued', attributeProofInputs(), (stage) => {
      stages.push(stage);
      if (stage === 'proving') {
        abortedAt = performance.now();
        controller.abort();
      }
    }, controller.signal);
    const other = prover.prove('attributeIssued', attributeProofInputs());
    await expect(cancelled).rejects.toBeInstanceOf(ProofCancelledError);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(stages).toEqual(['loading', 'witness', 'proving']);
    expect(await prover.verify('attributeIssued', await other)).toBe(true);
    // Already aborted: refused before any work.
    await expect(prover.prove('attributeIssued', attributeProofInputs(), undefined, AbortSignal.abort())).rejects.toBeInstanceOf(ProofCancelledError);
  });

  it('CLI: --progress prints the stages on stderr (stdout stays JSON); Ctrl-C cancels and writes no file', async () => {
    const dir = tempDir();
    const A = ['--home', join(dir, 'alice')];
    const me = run([...A, 'init', '--json']).json().id as string;
    const credential = join(dir, 'age.credential');
    expect(run([...A, 'attribute', 'issue', '--holder', me, '--field', 'age', '--value', '34', '--out', credential]).code).toBe(0);
    expect(run([...A, 'attribute', 'import', credential]).code).toBe(0);
    const prove = (out: string) => [...A, 'prove', 'attribute', '--field', 'age', '--op', 'gte', '--bound', '18', '--nonce', '7', '--out', out, '--progress'];
    const made = run([...prove(join(dir, 'ok.json')), '--json']);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ kind: 'attribute' });
    expect(made.stderr.split('\n').filter(Boolean).map((l) => /^… (\w+) \(\d+\.\d s\)$/u.exec(l)?.[1])).toEqual(['loading', 'witness', 'proving', 'done']);

    const out = join(dir, 'cancelled.json');
    const child = spawn(process.execPath, [new URL('../bin/defaust.mjs', import.meta.url).pathname, ...prove(out)], {
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
