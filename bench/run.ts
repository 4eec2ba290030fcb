// Benchmarks: `npm run bench -- <name> [--json] [--tiny]`. Each prints figures from one run next to a
// baseline measured in the same run, with medians over several rounds. `--tiny` runs each once at a small
// size, to prove it works (test/bench.test.ts); its figures mean nothing.
import { chainBench } from './chain.ts';
import { zkBench } from './zk.ts';
import { netBench } from './net.ts';
import { timelineBench } from './timeline.ts';
import type { BenchSize } from './stats.ts';

const BENCHES: Record<string, (json: boolean, size: BenchSize) => Promise<void> | void> = { chain: chainBench, zk: zkBench, net: netBench, timeline: timelineBench };

const args = process.argv.slice(2);
const json = args.includes('--json');
const size: BenchSize = args.includes('--tiny') ? 'tiny' : 'full';
const names = args.filter((a) => !a.startsWith('--'));
if (names.length === 0 || names.some((n) => !(n in BENCHES))) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--json] [--tiny]`);
  process.exit(2);
}
for (const name of names) await BENCHES[name]!(json, size);
