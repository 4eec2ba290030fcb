// The phase-2 (per-circuit) trusted-setup ceremony, many parties in turn: `init` makes the first proving key
// from a circuit's r1cs and a prepared Powers of Tau, each participant `contribute`s on their own machine
// (checking what they received, adding their randomness, checking the result), `finalize` applies a public
// random beacon and exports the verification key, and `verifyCeremony` lets anyone re-check every step. A
// ceremony lives in one directory (the r1cs, the proving keys so far and transcript.json) that is passed from
// participant to participant; the ptau is named by its sha-256 and given to each command. Also the local,
// development-only phase 1 (`localPhase1`). All of it is snarkjs, called through its JavaScript API so the
// contribution hashes recorded are exactly those snarkjs prints.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as snarkjs from 'snarkjs';

export const TRANSCRIPT = 'transcript.json';
export const FORMAT = 'defaust-ceremony/1';

export class CeremonyError extends Error {
  name = 'CeremonyError';
}

export const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const entropy = () => randomBytes(32).toString('hex');
const now = () => new Date().toISOString();

/** A snarkjs logger that keeps what snarkjs prints (and echoes it when `echo`). */
export function capture(echo) {
  const lines = [];
  const keep = (level) => (text) => {
    lines.push({ level, text: String(text) });
    if (echo) (level === 'error' ? console.error : console.log)(String(text));
  };
  // snarkjs also calls `log` (powersoftau new, past 100,000 points: power 16 and up).
  return { lines, logger: { debug() {}, log: keep('info'), info: keep('info'), warn: keep('warn'), error: keep('error') } };
}

/** A 64-byte hash as snarkjs prints it (16 groups of 8 hex digits), on one line. */
export const hashText = (bytes) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: 16 }, (_, i) => view.getUint32(i * 4).toString(16).padStart(8, '0')).join(' ');
};

/** The contributions `snarkjs zkey verify` lists (newest first), oldest first: [{ name, hash }] (hash as in hashText). */
function listedContributions(lines) {
  const out = [];
  for (const { text } of lines) {
    const m = /^contribution #(\d+) ?(.*):\n([\s\S]*)$/u.exec(text);
    if (m) out.push({ name: m[2], hash: m[3].trim().split(/\s+/u).join(' ') });
  }
  return out.reverse();
}

/** A local Powers of Tau (phase 1) of `power`: new, one contribution per name, prepared for phase 2. Only for
 * development: everyone who contributes here is on this machine. Returns the prepared file's path; the
 * unprepared phase-1 file is kept beside it (`<out>.phase1`). */
export async function localPhase1(power, out, names = ['local development'], echo = true) {
  const { logger } = capture(echo);
  const curve = await snarkjs.curves.getCurveFromName('bn128');
  let previous = `${out}.0`;
  await snarkjs.powersOfTau.newAccumulator(curve, power, previous, logger);
  for (const [i, name] of names.entries()) {
    const next = `${out}.${i + 1}`;
    await snarkjs.powersOfTau.contribute(previous, next, name, entropy(), logger);
    rmSync(previous);
    previous = next;
  }
  renameSync(previous, `${out}.phase1`);
  await snarkjs.powersOfTau.preparePhase2(`${out}.phase1`, `${out}.tmp`, logger);
  renameSync(`${out}.tmp`, out);
  return out;
}

const read = (dir) => {
  const file = join(dir, TRANSCRIPT);
  if (!existsSync(file)) throw new CeremonyError(`${dir} holds no ${TRANSCRIPT}: start the ceremony with init`);
  const transcript = JSON.parse(readFileSync(file, 'utf8'));
  if (transcript.format !== FORMAT) throw new CeremonyError(`${file} is not a ${FORMAT} transcript`);
  return transcript;
};
const write = (dir, transcript) => writeFileSync(join(dir, TRANSCRIPT), JSON.stringify(transcript, null, 2) + '\n');
const last = (transcript) => transcript.steps[transcript.steps.length - 1];

function checkPtau(transcript, ptau) {
  const digest = sha256(ptau);
  if (digest !== transcript.ptau.sha256) throw new CeremonyError(`${ptau} has sha-256 ${digest}, but this ceremony uses the ptau ${transcript.ptau.sha256}`);
}

/** Checks one proving key of the ceremony against the r1cs and ptau with snarkjs (`zkey verify`): the
 * contributions it carries must be exactly the transcript's up to that step. */
async function verifyKey(dir, transcript, ptau, step, echo) {
  const zkey = join(dir, step.zkey);
  if (!existsSync(zkey)) throw new CeremonyError(`${step.zkey} is missing from ${dir}`);
  const digest = sha256(zkey);
  if (digest !== step.sha256) throw new CeremonyError(`${step.zkey} has sha-256 ${digest}, the transcript says ${step.sha256}: the file was changed`);
  const { lines, logger } = capture(echo);
  const ok = await snarkjs.zKey.verifyFromR1cs(join(dir, transcript.r1cs.file), ptau, zkey, logger);
  if (!ok) throw new CeremonyError(`snarkjs zkey verify rejects ${step.zkey}: ${lines.filter((l) => l.level === 'error').map((l) => l.text).join('; ') || 'invalid'}`);
  const expected = transcript.steps.slice(1, transcript.steps.indexOf(step) + 1).map((s) => ({ name: s.name, hash: s.contributionHash }));
  const listed = listedContributions(lines);
  if (JSON.stringify(listed) !== JSON.stringify(expected)) {
    throw new CeremonyError(`${step.zkey} carries the contributions ${JSON.stringify(listed)}, the transcript records ${JSON.stringify(expected)}`);
  }
}

/** Starts a ceremony for `r1cs` in `dir` (which must not hold one): copies the r1cs, makes the first key. */
export async function init({ r1cs, ptau, dir, circuit = basename(r1cs, '.r1cs'), echo = true }) {
  if (existsSync(join(dir, TRANSCRIPT))) throw new CeremonyError(`${dir} already holds a ceremony`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(r1cs, join(dir, `${circuit}.r1cs`));
  const zkey = `${circuit}_0000.zkey`;
  const { logger } = capture(echo);
  await snarkjs.zKey.newZKey(join(dir, `${circuit}.r1cs`), ptau, join(dir, zkey), logger);
  const transcript = {
    format: FORMAT,
    circuit,
    r1cs: { file: `${circuit}.r1cs`, sha256: sha256(join(dir, `${circuit}.r1cs`)) },
    ptau: { file: basename(ptau), sha256: sha256(ptau) },
    steps: [{ kind: 'new', zkey, sha256: sha256(join(dir, zkey)), at: now() }],
  };
  write(dir, transcript);
  return transcript;
}

/** One participant's turn: verifies the key received, contributes, verifies the result, records it
 * (`check: false` skips both checks, for a local run that verifies the final key once). */
export async function contribute({ dir, ptau, name, entropy: given, echo = true, check = true }) {
  if (!name) throw new CeremonyError('a contribution needs --name (who contributes, as the transcript will show it)');
  const transcript = read(dir);
  if (transcript.final) throw new CeremonyError(`the ceremony in ${dir} is finalized; it takes no more contributions`);
  checkPtau(transcript, ptau);
  const previous = last(transcript);
  if (check) await verifyKey(dir, transcript, ptau, previous, echo);
  const zkey = `${transcript.circuit}_${String(transcript.steps.length).padStart(4, '0')}.zkey`;
  const { logger } = capture(echo);
  const hash = await snarkjs.zKey.contribute(join(dir, previous.zkey), join(dir, zkey), name, given ?? entropy(), logger);
  const step = { kind: 'contribution', name, contributionHash: hashText(hash), zkey, sha256: sha256(join(dir, zkey)), at: now() };
  transcript.steps.push(step);
  if (check) await verifyKey(dir, transcript, ptau, step, echo);
  write(dir, transcript);
  return step;
}

/** Ends the ceremony with a public random beacon (a value nobody could know before the last contribution,
 * e.g. a future block hash), then exports the verification key. */
export async function finalize({ dir, ptau, beacon, iterations = 10, echo = true, check = true }) {
  if (!/^[0-9a-fA-F]{64}$/u.test(beacon ?? '')) throw new CeremonyError('finalize needs --beacon: 32 bytes of public randomness in hex (64 digits)');
  const transcript = read(dir);
  if (transcript.final) throw new CeremonyError(`the ceremony in ${dir} is already finalized`);
  if (transcript.steps.length < 2) throw new CeremonyError('finalize needs at least one contribution');
  checkPtau(transcript, ptau);
  if (check) await verifyKey(dir, transcript, ptau, last(transcript), echo);
  const zkey = `${transcript.circuit}_final.zkey`;
  const name = 'final beacon';
  const { logger } = capture(echo);
  const hash = await snarkjs.zKey.beacon(join(dir, last(transcript).zkey), join(dir, zkey), name, beacon, iterations, logger);
  if (!hash) throw new CeremonyError('snarkjs refused the beacon');
  const step = { kind: 'beacon', name, beacon, iterationsExp: iterations, contributionHash: hashText(hash), zkey, sha256: sha256(join(dir, zkey)), at: now() };
  transcript.steps.push(step);
  await verifyKey(dir, transcript, ptau, step, echo);
  const vkey = `${transcript.circuit}.vkey.json`;
  writeFileSync(join(dir, vkey), JSON.stringify(await snarkjs.zKey.exportVerificationKey(join(dir, zkey), logger), null, 1));
  transcript.final = { zkey, sha256: step.sha256, vkey, vkeySha256: sha256(join(dir, vkey)) };
  write(dir, transcript);
  return transcript;
}

/** Re-checks a ceremony: the ptau and r1cs are the transcript's, every key still in the directory has its
 * recorded sha-256, the latest passes `zkey verify` (which checks the whole chain of contributions it
 * carries) with exactly the recorded contributions, and a finalized ceremony's verification key is the one
 * its final key exports. */
export async function verifyCeremony({ dir, ptau, echo = true }) {
  const transcript = read(dir);
  checkPtau(transcript, ptau);
  const r1cs = sha256(join(dir, transcript.r1cs.file));
  if (r1cs !== transcript.r1cs.sha256) throw new CeremonyError(`${transcript.r1cs.file} has sha-256 ${r1cs}, the transcript says ${transcript.r1cs.sha256}`);
  for (const step of transcript.steps.slice(0, -1)) {
    const file = join(dir, step.zkey);
    if (existsSync(file) && sha256(file) !== step.sha256) throw new CeremonyError(`${step.zkey} has sha-256 ${sha256(file)}, the transcript says ${step.sha256}: the file was changed`);
  }
  await verifyKey(dir, transcript, ptau, last(transcript), echo);
  if (transcript.final) {
    const exported = await snarkjs.zKey.exportVerificationKey(join(dir, transcript.final.zkey));
    const shipped = JSON.parse(readFileSync(join(dir, transcript.final.vkey), 'utf8'));
    if (JSON.stringify(exported) !== JSON.stringify(shipped)) throw new CeremonyError(`${transcript.final.vkey} is not the verification key of ${transcript.final.zkey}`);
  }
  return transcript;
}
