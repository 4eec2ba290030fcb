// The multi-party phase-2 ceremony (circuits/scripts/ceremony.mjs), run as its participants would: a tiny
// fixture circuit compiled with circom2, a local phase 1, two contributors in turn and a beacon, then
// `verify`; a changed proving key, a forged transcript and a tampered file passed to the next contributor
// are each refused with one clear line.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
// @ts-expect-error -- a plain .mjs build script without types
import { capture } from '../circuits/scripts/ceremony-lib.mjs';

const CEREMONY = new URL('../circuits/scripts/ceremony.mjs', import.meta.url).pathname;
const CIRCOM = new URL('../node_modules/.bin/circom2', import.meta.url).pathname;
const FIXTURE = new URL('./fixtures/ceremony/tiny.circom', import.meta.url).pathname;
const BEACON = '0b1e5a0c0ffee0ddba11f00dcafe0123456789abcdef0123456789abcdef0123';

const ceremony = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--no-warnings', CEREMONY, ...args, '--quiet'], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const ok = (r: ReturnType<typeof ceremony>) => {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};
const refused = (r: ReturnType<typeof ceremony>, pattern: RegExp) => {
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^ceremony: /u);
  expect(r.stderr).toMatch(pattern);
};
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const hashOf = (stdout: string) => /contribution hash: ([0-9a-f ]+)/u.exec(stdout)![1]!;

interface Transcript {
  steps: { kind: string; name?: string; contributionHash?: string; zkey: string; sha256: string }[];
  final?: { zkey: string; vkey: string };
}

// snarkjs calls `logger.log` only past 100,000 points (a phase 1 of power 16 and up, too slow to run here):
// without it the production build stopped with "logger.log is not a function".
it('the logger the ceremony hands snarkjs has every method snarkjs calls', () => {
  const sources = new URL('../node_modules/snarkjs/src/', import.meta.url).pathname;
  const called = new Set<string>();
  for (const file of readdirSync(sources).filter((name) => name.endsWith('.js'))) for (const m of readFileSync(join(sources, file), 'utf8').matchAll(/logger\.(\w+)\(/gu)) called.add(m[1]!);
  expect([...called]).toEqual(expect.arrayContaining(['debug', 'info', 'warn', 'error', 'log']));
  const { logger } = capture(false) as { logger: Record<string, unknown> };
  for (const method of called) expect(typeof logger[method], method).toBe('function');
});

describe('a multi-party phase-2 ceremony', () => {
  let work: string;
  let r1cs: string;
  let ptau: string;

  beforeAll(() => {
    // circom2's WebAssembly sandbox follows no symlink: hand it real paths.
    work = realpathSync(tempDir());
    copyFileSync(FIXTURE, join(work, 'tiny.circom'));
    const built = spawnSync(CIRCOM, [join(work, 'tiny.circom'), '--r1cs', '-o', work], { cwd: '/', encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    r1cs = join(work, 'tiny.r1cs');
    ptau = join(work, 'pot4.ptau');
    ok(ceremony('phase1', '--power', '4', '--out', ptau));
  }, 120_000);

  it('runs init, two contributors, a beacon; verify lists every contribution hash as snarkjs prints it', () => {
    const dir = join(work, 'good');
    ok(ceremony('init', '--r1cs', r1cs, '--ptau', ptau, '--dir', dir));
    const ann = hashOf(ok(ceremony('contribute', '--dir', dir, '--ptau', ptau, '--name', 'Ann')));
    const bo = hashOf(ok(ceremony('contribute', '--dir', dir, '--ptau', ptau, '--name', 'Bo')));
    expect(ann).not.toBe(bo);
    ok(ceremony('finalize', '--dir', dir, '--ptau', ptau, '--beacon', BEACON));
    const verified = ok(ceremony('verify', '--dir', dir, '--ptau', ptau));
    expect(verified).toContain('ceremony for tiny OK: 3 contribution(s) after the initial key, finalized');
    expect(verified).toContain(`Ann: ${ann}`);
    expect(verified).toContain(`Bo: ${bo}`);
    const t = JSON.parse(readFileSync(join(dir, 'transcript.json'), 'utf8')) as Transcript;
    expect(t.steps.map((s) => [s.kind, s.name])).toEqual([['new', undefined], ['contribution', 'Ann'], ['contribution', 'Bo'], ['beacon', 'final beacon']]);
    for (const s of t.steps) expect(sha256(join(dir, s.zkey))).toBe(s.sha256);
    expect(readFileSync(join(dir, t.final!.vkey), 'utf8')).toContain('"protocol": "groth16"');
    // No contribution after the beacon; a ptau that is not the ceremony's is refused.
    refused(ceremony('contribute', '--dir', dir, '--ptau', ptau, '--name', 'Late'), /finalized/u);
    const other = join(work, 'other.ptau');
    writeFileSync(other, readFileSync(ptau).subarray(0, 1000));
    refused(ceremony('verify', '--dir', dir, '--ptau', other), /this ceremony uses the ptau/u);
  }, 180_000);

  it('detects a tampered contribution, whether or not the transcript is rewritten to match', () => {
    const dir = join(work, 'tampered');
    ok(ceremony('init', '--r1cs', r1cs, '--ptau', ptau, '--dir', dir));
    ok(ceremony('contribute', '--dir', dir, '--ptau', ptau, '--name', 'Ann'));
    const file = join(dir, 'tiny_0001.zkey');
    const honest = readFileSync(file);
    const bytes = Buffer.from(honest);
    bytes[bytes.length - 40]! ^= 0x01; // inside the last section's points (H)
    writeFileSync(file, bytes);
    refused(ceremony('verify', '--dir', dir, '--ptau', ptau), /tiny_0001\.zkey has sha-256 .* the file was changed/u);
    // The next contributor checks what they received before adding to it.
    refused(ceremony('contribute', '--dir', dir, '--ptau', ptau, '--name', 'Bo'), /the file was changed/u);
    // A forger who also rewrites the transcript's file hash is caught by snarkjs zkey verify.
    const transcriptFile = join(dir, 'transcript.json');
    const honestTranscript = readFileSync(transcriptFile, 'utf8');
    const t = JSON.parse(honestTranscript) as Transcript;
    t.steps[1]!.sha256 = sha256(file);
    writeFileSync(transcriptFile, JSON.stringify(t));
    refused(ceremony('verify', '--dir', dir, '--ptau', ptau), /snarkjs zkey verify rejects tiny_0001\.zkey|snarkjs failed/u);
    // The honest file with a transcript claiming another contributor (or hash) is refused too.
    writeFileSync(file, honest);
    const forged = JSON.parse(honestTranscript) as Transcript;
    forged.steps[1]!.name = 'Mallory';
    writeFileSync(transcriptFile, JSON.stringify(forged));
    refused(ceremony('verify', '--dir', dir, '--ptau', ptau), /carries the contributions .*Ann.* the transcript records .*Mallory/u);
    writeFileSync(transcriptFile, honestTranscript);
    ok(ceremony('verify', '--dir', dir, '--ptau', ptau));
  }, 180_000);
});
