#!/usr/bin/env node
// Builds the proving artifacts: compiles every circuit with circom2 (WebAssembly, no native toolchain), runs a
// LOCAL Powers of Tau and phase-2 ceremony (development only: whoever runs it knows its randomness), exports
// the verification keys, copies wasm/zkey/vkey to circuits/artifacts/ and records their sha-256 in
// circuits/artifacts.lock.json. Nothing is downloaded.
// Usage: npm run circuits [-- --force] [-- --only featAttested,featAuthority]
// --force makes a new Powers of Tau; --only rebuilds the named circuits and keeps the others' lock entries.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const project = resolve(root, '..');
const build = join(root, 'build');
const artifacts = join(root, 'artifacts');
const config = JSON.parse(readFileSync(join(root, 'circuits.json'), 'utf8'));
const force = process.argv.includes('--force');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt < 0 ? null : new Set(process.argv[onlyAt + 1]?.split(',') ?? []);
for (const name of only ?? []) if (!(name in config.circuits)) throw new Error(`circuits.json has no circuit ${name}`);
const bin = (name) => join(project, 'node_modules', '.bin', name);
const run = (cmd, args, cwd = project) => {
  console.log(`$ ${basename(cmd)} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
};
// circom2 runs in a WebAssembly sandbox that sees only its working directory and that directory's parents,
// and follows no symlink out of them: run it from / with node_modules' real path.
const circomLibs = realpathSync(join(project, 'node_modules'));
const entropy = () => randomBytes(32).toString('hex');
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

mkdirSync(build, { recursive: true });
mkdirSync(artifacts, { recursive: true });

const power = config.ptauPower;
const ptau = join(build, `pot${power}_final.ptau`);
if (!existsSync(ptau) || force) {
  run(bin('snarkjs'), ['powersoftau', 'new', 'bn128', String(power), join(build, `pot${power}_0.ptau`)]);
  run(bin('snarkjs'), ['powersoftau', 'contribute', join(build, `pot${power}_0.ptau`), join(build, `pot${power}_1.ptau`), '--name=local development', `-e=${entropy()}`]);
  run(bin('snarkjs'), ['powersoftau', 'prepare', 'phase2', join(build, `pot${power}_1.ptau`), ptau]);
}

const previous = only === null ? { circuits: {} } : JSON.parse(readFileSync(join(root, 'artifacts.lock.json'), 'utf8'));
const lock = { ceremony: `local single-party development ceremony (power ${power}); NOT for release`, circuits: {} };
for (const [name, circuit] of Object.entries(config.circuits)) {
  if (only !== null && !only.has(name)) {
    lock.circuits[name] = previous.circuits[name];
    continue;
  }
  const stem = basename(circuit.source, '.circom');
  run(bin('circom2'), [join(root, circuit.source), '--r1cs', '--wasm', '--O2', '-l', circomLibs, '-o', build], '/');
  const r1cs = join(build, `${stem}.r1cs`);
  const zkey0 = join(build, `${stem}_0.zkey`);
  const zkey = join(artifacts, `${stem}.zkey`);
  const vkey = join(artifacts, `${stem}.vkey.json`);
  const wasm = join(artifacts, `${stem}.wasm`);
  run(bin('snarkjs'), ['groth16', 'setup', r1cs, ptau, zkey0]);
  run(bin('snarkjs'), ['zkey', 'contribute', zkey0, zkey, '--name=local development', `-e=${entropy()}`]);
  run(bin('snarkjs'), ['zkey', 'export', 'verificationkey', zkey, vkey]);
  copyFileSync(join(build, `${stem}_js`, `${stem}.wasm`), wasm);
  const info = execFileSync(bin('snarkjs'), ['r1cs', 'info', r1cs], { cwd: project, encoding: 'utf8' });
  const constraints = Number(/# of Constraints: (\d+)/u.exec(info)?.[1] ?? 0);
  const entry = (file) => ({ file: `artifacts/${basename(file)}`, sha256: sha256(file) });
  lock.circuits[name] = { wasm: entry(wasm), zkey: entry(zkey), vkey: entry(vkey), params: circuit.params, constraints };
}
writeFileSync(join(root, 'artifacts.lock.json'), JSON.stringify(lock, null, 2) + '\n');
console.log('wrote circuits/artifacts.lock.json');
