// `npm start`: builds the UI, then opens the desktop app when the Electron binary and a display exist;
// otherwise says why in one line and starts the headless node (`defaust serve --open`), which names its data
// folder, says how to stop, prints its URL last and opens it in the browser where there is one.
// Arguments after `--` go to `defaust serve` (for example: npm start -- --home /tmp/alice --port 7777).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `bash scripts/dev start -- --home X` and `npm start -- --home X` both arrive here; a leading `--` is not an argument.
const given = process.argv.slice(2);
const args = given[0] === '--' ? given.slice(1) : given;

/** The Electron binary, found without `require('electron')` (which would try to download it). */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return { path: process.env.ELECTRON_OVERRIDE_DIST_PATH };
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return { why: 'the Electron binary is not installed (its download is not possible here)' };
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { why: `the Electron binary is missing at ${binary}` };
}

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
console.log('defaust: building the UI (under a minute)…');
const building = Date.now();
const built = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
console.log(`defaust: UI built in ${Math.round((Date.now() - building) / 1000)} s`);

const electron = electronBinary();
if (electron.path && hasDisplay()) {
  run(electron.path, [root, ...args]);
} else {
  const why = electron.path ? 'there is no display (DISPLAY or WAYLAND_DISPLAY)' : electron.why;
  console.log(`defaust: not opening the desktop window because ${why}; starting the headless node instead.`);
  run(process.execPath, [join(root, 'bin', 'defaust.mjs'), 'serve', '--open', ...args]);
}
