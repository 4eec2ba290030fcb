// The churn simulation of `npm run net -- --simulate N` (bench/simulate.ts), small (10 nodes): real nodes on loopback,
// real chains, the project's publish, repair and recovery. Without churn every identity is recoverable by a
// fresh node (reads are reported with their failures named); with churn the figures are all reported, and the JSON document the CLI
// prints has the same shape. No timing is asserted (the machine is shared).
import { describe, expect, it } from 'vitest';
import { DEFAULTS, runSimulation, simulationOptions, type SimulationResult } from '../../bench/simulate.ts';

const spread = { median: expect.any(Number), p95: expect.any(Number), max: expect.any(Number) };

function expectShape(result: SimulationResult): void {
  expect(JSON.parse(JSON.stringify(result))).toMatchObject({
    nodes: expect.any(Number), identities: expect.any(Number), churn: expect.any(Number), rounds: expect.any(Number), seed: expect.any(Number),
    transport: 'loopback-tcp', hostedRepair: true, replaced: expect.any(Number),
    blocksPerIdentity: spread,
    publish: { publishes: expect.any(Number), replicas: spread, recordPeers: spread },
    recoverable: { share: expect.any(Number), latestShare: expect.any(Number), ok: expect.any(Number), latest: expect.any(Number), of: result.identities, failures: expect.any(Object) },
    readable: { share: expect.any(Number), ok: expect.any(Number), of: expect.any(Number), failures: expect.any(Object) },
    lookup: { ms: spread, hops: spread, peersAsked: spread, samples: expect.any(Number) },
    readMs: spread,
    replicaCounts: expect.any(Object),
    ownersGone: expect.any(Number),
    repair: { checks: expect.any(Number), repaired: expect.any(Number) },
    logged: expect.any(Object),
    target: 0.999,
    met: expect.any(Boolean),
    ms: { setup: expect.any(Number), publish: expect.any(Number), churn: expect.any(Number), recovery: expect.any(Number), total: expect.any(Number) },
  });
  const holders = Object.values(result.replicaCounts).reduce((sum, n) => sum + n, 0);
  expect(holders).toBe(result.identities);
  expect(result.recoverable.share).toBeGreaterThanOrEqual(0);
  expect(result.recoverable.share).toBeLessThanOrEqual(1);
}

describe('npm run net -- --simulate', () => {
  it('parses its command line, and refuses a bad number with the flag named', () => {
    expect(simulationOptions(['--simulate', '120', '--identities', '500', '--churn', '0.25', '--seed', '7', '--json'])).toMatchObject({ nodes: 120, identities: 500, churn: 0.25, seed: 7, json: true, hostedRepair: true });
    expect(simulationOptions(['--simulate', '100', '--no-hosted-repair'])).toMatchObject({ ...DEFAULTS, hostedRepair: false, json: false });
    expect(() => simulationOptions(['--simulate', '5'])).toThrow(/--simulate must be a whole number from 10/u);
    expect(() => simulationOptions(['--simulate', '20', '--churn', '1.5'])).toThrow(/--churn must be a number from 0 to 0.9/u);
  });

  it('without churn: every identity recoverable by a fresh node', async () => {
    const result = await runSimulation({ ...DEFAULTS, nodes: 10, identities: 6, churn: 0, rounds: 1, readsPerRound: 2, updates: 0 });
    expectShape(result);
    expect(result.replaced).toBe(0);
    expect(result.recoverable).toMatchObject({ share: 1, latestShare: 1, ok: 6, failures: {} });
    // A read is reported, not asserted: on a loaded machine a query may run out its timeout (the failure is named).
    expect(result.readable.of).toBe(2);
    expect(result.readable.ok + Object.values(result.readable.failures).reduce((sum, n) => sum + n, 0)).toBe(2);
    expect(result.lookup.samples).toBeLessThanOrEqual(2);
    expect(result.replicaCounts['0']).toBeUndefined();
    expect(result.met).toBe(true);
  }, 1_200_000);

  it('with churn: the figures are all reported (nodes replaced, owners gone, repairs)', async () => {
    const result = await runSimulation({ ...DEFAULTS, nodes: 10, identities: 4, churn: 0.3, rounds: 1, readsPerRound: 2, seed: 3 });
    expectShape(result);
    expect(result.replaced).toBe(3);
    expect(result.repair.checks).toBeGreaterThan(0);
    expect(result.readable.of).toBe(2);
  }, 1_200_000);
});
