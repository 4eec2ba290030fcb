// The benchmarks run: `npm run bench -- chain --json --tiny`, `-- net …` and `-- timeline …` each once, as child
// processes, and print one JSON object holding every figure with its same-run baseline. No time is asserted.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hasChromium, hasRenderer } from '../e2e/serve.ts';

function bench(name: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['bench/run.ts', name, '--json', '--tiny'], { encoding: 'utf8', timeout: 240_000 });
  const lines = out.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

const positive = expect.any(Number);

describe('benchmarks at a tiny size', { timeout: 300_000 }, () => {
  it('chain --json: raw one-thread Ed25519, raw verify through the pool (the ceiling), one-thread and parallel chain verify, their ratios', () => {
    const figures = bench('chain');
    expect(figures).toEqual({
      rounds: 1, chainBlocks: positive, workers: positive, appendPerSec: positive, verifyPerSec: positive, parallelVerifyPerSec: positive,
      nativeVerifyPerSec: positive, verifyRatio: positive, parallelVerifyRatio: positive, rawParallelPerSec: positive, rawParallelRatio: positive,
      parallelOfCeiling: positive, openBlocks: 300, openMs: positive,
    });
    for (const value of Object.values(figures)) expect(Number.isFinite(value) && (value as number) >= 0).toBe(true);
    expect(figures.verifyRatio).toBeCloseTo((figures.verifyPerSec as number) / (figures.nativeVerifyPerSec as number), 1);
    expect(figures.rawParallelRatio).toBeCloseTo((figures.rawParallelPerSec as number) / (figures.nativeVerifyPerSec as number), 1);
  });

  it('net --json: sync on one thread and on every core next to the local verify rate, the restart figure and read-on-request latency', () => {
    const figures = bench('net');
    expect(figures).toEqual({
      nodes: 5, blocks: 40, replicas: 3, networkStartMs: positive, publishMs: positive, headLookupMs: positive, headLookupHops: positive,
      headLookupMaxHops: positive, headLookupPeersAsked: positive, recoveryMs: positive, syncBlocksPerSec: positive,
      parallelSyncBlocksPerSec: positive, workers: positive, verifyBlocksPerSec: positive, syncToVerify: positive, parallelSyncToVerify: positive,
      restartNodes: positive, restartLookupMs: positive, readViaClientMs: positive,
    });
    for (const value of Object.values(figures)) expect(Number.isFinite(value) && (value as number) >= 0).toBe(true);
  });

  // The timeline bench drives Chromium against the built renderer; without them it is skipped, saying why.
  const browserMissing = !hasChromium || !hasRenderer;
  if (browserMissing) console.warn(`bench.test: timeline bench skipped: Chromium ${hasChromium ? 'found' : 'missing'}, renderer ${hasRenderer ? 'built' : 'not built (npm run build)'}`);
  it.skipIf(browserMissing)('timeline --json: frame times while scrolling next to the idle page\'s, in Chromium', () => {
    const figures = bench('timeline');
    expect(figures).toEqual({
      blocks: positive, rounds: 1, framesPerRound: 20, idleFrameP95Ms: positive, scrollFrameP50Ms: positive, scrollFrameP95Ms: positive,
      scrollFrameMaxMs: positive, scrollP95ToIdle: positive, rowsInPage: positive,
    });
    expect(figures.blocks).toBeGreaterThanOrEqual(300);
    // Virtualized: a window of rows, not the chain, is in the page.
    expect(figures.rowsInPage).toBeLessThan(60);
  });
});
