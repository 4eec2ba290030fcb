#!/usr/bin/env node
// The multi-party phase-2 ceremony, one command per step, each run by a different person on their own
// machine; the ceremony directory (r1cs, proving keys so far, transcript.json) is passed along between them.
//   node circuits/scripts/ceremony.mjs init       --r1cs X.r1cs --ptau P.ptau --dir D [--circuit NAME]
//   node circuits/scripts/ceremony.mjs contribute --dir D --ptau P.ptau --name "Who I am" [--entropy TEXT]
//   node circuits/scripts/ceremony.mjs finalize   --dir D --ptau P.ptau --beacon HEX64 [--iterations 10]
//   node circuits/scripts/ceremony.mjs verify     --dir D --ptau P.ptau
//   node circuits/scripts/ceremony.mjs phase1     --power N --out P.ptau [--name "Who"]   (LOCAL, development only)
// A failure prints one `ceremony: …` line and exits 1.
import { CeremonyError, contribute, finalize, init, localPhase1, verifyCeremony } from './ceremony-lib.mjs';

const [command, ...rest] = process.argv.slice(2);
const options = {};
for (let i = 0; i < rest.length; i++) {
  const m = /^--([a-z0-9]+)(?:=(.*))?$/u.exec(rest[i]);
  if (!m) fail(`unexpected argument ${rest[i]}`);
  options[m[1]] = m[2] ?? rest[++i];
}
const need = (name) => options[name] ?? fail(`${command} needs --${name}`);
const quiet = 'quiet' in options;

function fail(message) {
  console.error(`ceremony: ${message}`);
  process.exit(1);
}

try {
  if (command === 'init') {
    const t = await init({ r1cs: need('r1cs'), ptau: need('ptau'), dir: need('dir'), ...(options.circuit ? { circuit: options.circuit } : {}), echo: !quiet });
    console.log(`started the ceremony for ${t.circuit} in ${options.dir}; pass the directory to the first contributor`);
  } else if (command === 'contribute') {
    const step = await contribute({ dir: need('dir'), ptau: need('ptau'), name: need('name'), ...(options.entropy ? { entropy: options.entropy } : {}), echo: !quiet });
    console.log(`contribution by ${step.name} recorded: ${step.zkey}\ncontribution hash: ${step.contributionHash}\npublish this hash; pass the directory to the next contributor`);
  } else if (command === 'finalize') {
    const t = await finalize({ dir: need('dir'), ptau: need('ptau'), beacon: need('beacon'), iterations: Number(options.iterations ?? 10), echo: !quiet });
    console.log(`finalized: ${t.final.zkey} (sha-256 ${t.final.sha256}), ${t.final.vkey}`);
  } else if (command === 'verify') {
    const t = await verifyCeremony({ dir: need('dir'), ptau: need('ptau'), echo: !quiet });
    console.log(`ceremony for ${t.circuit} OK: ${t.steps.length - 1} contribution(s) after the initial key${t.final ? ', finalized' : ', not finalized yet'}`);
    for (const s of t.steps.slice(1)) console.log(`  ${s.name}: ${s.contributionHash}`);
  } else if (command === 'phase1') {
    const out = await localPhase1(Number(need('power')), need('out'), [options.name ?? 'local development'], !quiet);
    console.log(`wrote ${out} (LOCAL phase 1: development only) and ${out}.phase1`);
  } else {
    fail('usage: ceremony.mjs <init|contribute|finalize|verify|phase1> … (see the header of circuits/scripts/ceremony.mjs)');
  }
} catch (error) {
  if (error instanceof CeremonyError) fail(error.message);
  fail(`snarkjs failed: ${error?.message ?? error}`);
}
// snarkjs keeps its curve's worker threads alive.
process.exit(0);
