#!/usr/bin/env node
// Builds the proving artifacts: compiles every circuit with circom2 (WebAssembly, no native toolchain), runs
// a phase-2 ceremony per circuit with several LOCAL contributors and a beacon (ceremony-lib.mjs; every step is
// checked with `snarkjs zkey verify`), exports the verification keys, copies wasm/zkey/vkey to artifacts/
// and records in artifacts.lock.json their sha-256, the r1cs's, the ptau's and each ceremony transcript's
// (the transcripts go to ceremony/). Development only: all contributors run on this machine, so whoever runs
// it could keep their randomness; a release runs the same steps with ceremony.mjs, one participant per
// machine (docs/proofs.md). The Powers of Tau (phase 1) is ceremony/pot<P>_phase1.ptau when it exists
// (prepared for phase 2 deterministically), else a new local one is made. Nothing is downloaded.
// Usage: npm run circuits [-- --force] [-- --only featAttested,featAuthority] [-- --contributors "Ann,Bo"]
//        npm run circuits -- --production     (the release sizes of circuits.json, into circuits/build/production)
// --force makes a new Powers of Tau; --only rebuilds the named circuits and keeps the others' lock entries.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as snarkjs from 'snarkjs';
import { contribute, finalize, init, localPhase1, sha256, verifyCeremony } from './ceremony-lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const project = resolve(root, '..');
const config = JSON.parse(readFileSync(join(root, 'circuits.json'), 'utf8'));
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const force = args.includes('--force');
const production = args.includes('--production');
const only = option('--only') === undefined ? null : new Set(option('--only').split(','));
for (const name of only ?? []) if (!(name in config.circuits)) throw new Error(`circuits.json has no circuit ${name}`);
const contributors = (option('--contributors') ?? 'local contributor 1,local contributor 2').split(',').map((n) => n.trim()).filter(Boolean);
// The shipped artifacts live in circuits/; a production build is a scratch directory of the same layout.
const out = production ? join(root, 'build', 'production') : root;
const build = production ? out : join(root, 'build');
const artifacts = join(out, 'artifacts');
const ceremonyDir = join(out, 'ceremony');
const paramsOf = (name) => {
  if (!production) return config.circuits[name].params;
  const { ptauPower: _power, ...params } = config.production[name];
  return params;
};
const power = production ? Math.max(...Object.keys(config.circuits).map((n) => config.production[n].ptauPower)) : config.ptauPower;
const bin = (name) => join(project, 'node_modules', '.bin', name);
const run = (cmd, cmdArgs, cwd = project) => {
  console.log(`$ ${basename(cmd)} ${cmdArgs.join(' ')}`);
  execFileSync(cmd, cmdArgs, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
};
// circom2 runs in a WebAssembly sandbox that sees only its working directory and that directory's parents,
// and follows no symlink out of them: run it from / with node_modules' real path.
const circomLibs = realpathSync(join(project, 'node_modules'));
const started = performance.now();

mkdirSync(build, { recursive: true });
mkdirSync(artifacts, { recursive: true });
mkdirSync(ceremonyDir, { recursive: true });

const phase1 = join(ceremonyDir, `pot${power}_phase1.ptau`);
const ptau = join(build, `pot${power}_final.ptau`);
if (force || !existsSync(phase1)) {
  console.log(`making a LOCAL Powers of Tau of power ${power} (development only) …`);
  await localPhase1(power, ptau, ['local development'], false);
  copyFileSync(`${ptau}.phase1`, phase1);
  rmSync(`${ptau}.phase1`);
} else if (!existsSync(ptau)) {
  console.log(`preparing ${relative(project, phase1)} for phase 2 (deterministic) …`);
  await snarkjs.powersOfTau.preparePhase2(phase1, ptau);
}

/** The circom source to compile: the shipped one, or for --production a copy whose main takes the release parameters. */
function sourceOf(name) {
  const source = join(root, config.circuits[name].source);
  if (!production) return source;
  const text = readFileSync(source, 'utf8').replace(/include "\.\//gu, `include "${dirname(source)}/`);
  const main = /(component main[^=]*= *\w+)\([^)]*\);/u;
  if (!main.test(text)) throw new Error(`${source} has no component main to size`);
  const sized = join(build, basename(source));
  writeFileSync(sized, text.replace(main, `$1(${Object.values(paramsOf(name)).join(', ')});`));
  return sized;
}

const lockFile = join(out, 'artifacts.lock.json');
const previous = only === null || !existsSync(lockFile) ? { circuits: {} } : JSON.parse(readFileSync(lockFile, 'utf8'));
const lock = {
  ceremony: `development phase 2 by ${contributors.length} local contributor(s) and a random beacon, over a LOCAL Powers of Tau (power ${power}); NOT for release: see docs/proofs.md`,
  ptau: {
    origin: 'local development phase 1, one contribution on the build machine (not the public perpetual Powers of Tau)',
    power,
    phase1: { file: relative(out, phase1), sha256: sha256(phase1) },
    prepared: { sha256: sha256(ptau), how: `snarkjs powersoftau prepare phase2 ${relative(out, phase1)} pot${power}_final.ptau` },
  },
  circuits: {},
};
for (const name of Object.keys(config.circuits)) {
  if (only !== null && !only.has(name)) {
    lock.circuits[name] = previous.circuits[name];
    continue;
  }
  const stem = basename(config.circuits[name].source, '.circom');
  run(bin('circom2'), [sourceOf(name), '--r1cs', '--wasm', '--O2', '-l', circomLibs, '-o', build], '/');
  const r1cs = join(build, `${stem}.r1cs`);
  const dir = join(build, 'ceremony', stem);
  rmSync(dir, { recursive: true, force: true });
  console.log(`phase 2 for ${name}: ${contributors.join(', ')}, then a beacon`);
  await init({ r1cs, ptau, dir, circuit: stem, echo: false });
  for (const contributor of contributors) await contribute({ dir, ptau, name: contributor, echo: false, check: false });
  await finalize({ dir, ptau, beacon: randomBytes(32).toString('hex'), echo: false, check: false });
  // One `zkey verify` of the final key checks every contribution it carries against the transcript.
  const transcript = await verifyCeremony({ dir, ptau, echo: false });
  const zkey = join(artifacts, `${stem}.zkey`);
  const vkey = join(artifacts, `${stem}.vkey.json`);
  const wasm = join(artifacts, `${stem}.wasm`);
  copyFileSync(join(dir, transcript.final.zkey), zkey);
  copyFileSync(join(dir, transcript.final.vkey), vkey);
  copyFileSync(join(build, `${stem}_js`, `${stem}.wasm`), wasm);
  const transcriptFile = join(ceremonyDir, `${stem}.transcript.json`);
  copyFileSync(join(dir, 'transcript.json'), transcriptFile);
  const info = execFileSync(bin('snarkjs'), ['r1cs', 'info', r1cs], { cwd: project, encoding: 'utf8' });
  const constraints = Number(/# of Constraints: (\d+)/u.exec(info)?.[1] ?? 0);
  const entry = (file) => ({ file: relative(out, file), sha256: sha256(file) });
  lock.circuits[name] = { wasm: entry(wasm), zkey: entry(zkey), vkey: entry(vkey), r1cs: { sha256: sha256(r1cs) }, transcript: entry(transcriptFile), params: paramsOf(name), constraints };
}
writeFileSync(lockFile, JSON.stringify(lock, null, 2) + '\n');
console.log(`wrote ${relative(project, lockFile)} in ${Math.round((performance.now() - started) / 1000)} s`);
// snarkjs keeps its curve's worker threads alive.
process.exit(0);
