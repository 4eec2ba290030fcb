// `npm run fuzz`: the decoder fuzzer at full size. Spreads --runs (default 10^6) over every decoder of
// received bytes by weight, prints runs, runs/s, refusals and findings per decoder, and exits 1 on a finding.
//   node test/fuzz/run.ts [--runs N] [--seed S] [--only NAME]
import { parseArgs } from 'node:util';
import { budget, fuzz } from './engine.ts';
import { buildTargets } from './targets.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' }, only: { type: 'string' } } });
const total = Number(values.runs);
const seed = Number(values.seed);
const targets = buildTargets().filter((t) => values.only === undefined || t.name === values.only);
const runs = budget(targets, total);
let findings = 0;
let done = 0;
let peakRss = process.memoryUsage().rss;
const started = performance.now();
console.log(`decoder fuzz: ${total} runs over ${targets.length} decoders, seed ${seed}`);
console.log('decoder'.padEnd(28) + 'runs'.padStart(9) + 'runs/s'.padStart(9) + 'refused'.padStart(9) + 'accepted'.padStart(9) + 'slowest ms'.padStart(11) + 'findings'.padStart(9));
for (const target of targets) {
  const report = await fuzz(target, runs.get(target.name)!, seed);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  done += report.runs;
  findings += report.findings.length;
  console.log(
    report.name.padEnd(28) + String(report.runs).padStart(9) + String(Math.round(report.runs / (report.ms / 1000))).padStart(9) +
      String(report.refused).padStart(9) + String(report.accepted).padStart(9) + report.slowestMs.toFixed(1).padStart(11) + String(report.findings.length).padStart(9),
  );
  for (const f of report.findings.slice(0, 3)) console.log(`  run ${f.run}: ${f.error}\n    input ${f.input}`);
}
const seconds = (performance.now() - started) / 1000;
console.log(`total: ${done} runs in ${seconds.toFixed(1)} s (${Math.round(done / seconds)} runs/s), peak RSS ${Math.round(peakRss / 2 ** 20)} MiB, ${findings} findings`);
process.exitCode = findings === 0 ? 0 : 1;
