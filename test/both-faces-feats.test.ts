// The feats verbs through both faces (issue 10): `attest request`, `attest sign`, `attest import` on the command
// line and feats:requestWitnesses, witness:sign, feats:importReply in the wallet leave the same records — the
// witness log, the mail marked answered, the attestation in the chain — and refuse in the same words.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src-main/adapters/clock/clock.ts';
import { Home } from '../src-main/app/home.ts';
import { REQUEST_FORMAT, sealAttestRequest } from '../src-main/core/feats/claims.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import type { Channel, Request } from '../src-preload/api/contract.ts';
import { FACES_NOW, twoFaces, type TwoFaces } from './both-faces.ts';
import { expectCleanError, PASS, run } from './cli-helpers.ts';

/** A person of their own (not one of the two faces), on the command line at the faces' fixed time. */
function person(dir: string, name: string) {
  const home = join(dir, name);
  const cli = (args: string[]) => {
    const r = run([...args, '--json'], { env: { DEFAUST_HOME: home, DEFAUST_NOW: FACES_NOW } });
    if (r.code !== 0) throw new Error(`defaust ${args.join(' ')} failed: ${r.stderr}`);
    return r.json();
  };
  const id = (cli(['init']) as { id: string }).id;
  return { home, id, cli };
}

/** Puts a sealed request into a home's received mail, as `defaust mail` would have fetched it. */
function mailIn(home: string, to: string, from: string, envelope: Uint8Array, id = 'mail-1'): void {
  const h = new Home(home);
  try {
    h.receivedMail().put({ id, to: to as Did, from: from as Did, format: REQUEST_FORMAT, ts: 1, receivedAt: 2, envelope, state: 'waiting', note: '' });
  } finally {
    h.close();
  }
}

describe('the feats verbs through both faces', { timeout: 120_000 }, () => {
  let dir: string;
  let faces: TwoFaces | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-faces-feats-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    faces?.close();
    faces = undefined;
  });

  /** The wallet's refusal of an act, as the CLI would print it. */
  const refusal = async <C extends Channel>(channel: C, request: Request<C>): Promise<string> => {
    const result = await faces!.service.call(channel, request);
    if (result.ok) throw new Error(`${channel} was not refused`);
    return `defaust: ${result.error.message}`;
  };

  /** A holder with a claimed feat who asks the faces' identity to witness it; the request as a file. */
  const holderAsking = (name: string) => {
    const holder = person(dir, name);
    const { cid } = holder.cli(['feat', 'claim', 'Berlin marathon under 4 hours', '--type', 'marathon', '--policy', 'k-of-n:1', '--criteria', 'chip time < 4:00:00']) as { cid: string };
    const ask = (witness: string) => {
      const out = join(dir, `${name}-requests-${witness.slice(-6)}`);
      const [request] = holder.cli(['attest', 'request', cid, '--witness', witness, '--out', out]) as { file: string }[];
      return readFileSync(request!.file);
    };
    return { ...holder, cid, ask };
  };

  it('attest sign of a request file: the same witness-log entry either way', async () => {
    const holder = holderAsking('holder-file');
    let request = new Uint8Array();
    faces = await twoFaces((_cli, base) => {
      request = holder.ask(base.id);
    });
    const file = join(dir, 'request-file.attest-request');
    writeFileSync(file, request);
    const r = faces.cli(['attest', 'sign', file, '--verdict', 'yes', '--out', join(dir, 'reply-file')]);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('witness:sign', { bytes: request, verdict: 'yes' });
    const { cli, wallet } = faces.stored();
    expect(cli.witnessLog).toEqual([expect.objectContaining({ claim: holder.cid, holder: holder.id, verdict: 'yes', ts: Date.parse(FACES_NOW) })]);
    expect(wallet).toEqual(cli);
  });

  it('attest sign of a mailed request: the mail is answered and the verdict logged the same way', async () => {
    const holder = holderAsking('holder-mail');
    faces = await twoFaces((_cli, base) => mailIn(base.dir, base.id, holder.id, holder.ask(base.id)));
    const r = faces.cli(['attest', 'sign', 'mail-1', '--verdict', 'no', '--out', join(dir, 'reply-mail')]);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('witness:sign', { mail: 'mail-1', verdict: 'no' });
    const { cli, wallet } = faces.stored();
    expect(cli.receivedMail).toEqual([expect.objectContaining({ id: 'mail-1', state: 'answered' })]);
    expect(cli.witnessLog).toEqual([expect.objectContaining({ claim: holder.cid, verdict: 'no' })]);
    expect(wallet).toEqual(cli);
  });

  it('a witness cannot sign a request about their own feat: refused in the same words, nothing logged', async () => {
    faces = await twoFaces((cli) => cli(['feat', 'claim', 'My own marathon', '--type', 'marathon', '--policy', 'k-of-n:1']));
    const h = new Home(faces.cliHome, { clock: fixedClock(FACES_NOW) });
    let request: Uint8Array;
    try {
      const { profile } = h.openSession(PASS);
      const [own] = profile.feats.list();
      request = sealAttestRequest(h.crypto, profile.id, own!.claim);
    } finally {
      h.close();
    }
    const file = join(dir, 'own.attest-request');
    writeFileSync(file, request);
    const r = faces.cli(['attest', 'sign', file, '--verdict', 'yes', '--out', join(dir, 'own-reply')]);
    expectCleanError(r, /your own feat/);
    expect(r.stderr.trim()).toBe(await refusal('witness:sign', { bytes: request, verdict: 'yes' }));
    expect(readdirSync(dir)).not.toContain('own-reply');
    const { cli, wallet } = faces.stored();
    expect(cli.witnessLog).toEqual([]);
    expect(wallet).toEqual(cli);
  });

  it('attest import: the same attestation in the chain; a replayed or foreign reply refused in the same words', async () => {
    const witness = person(dir, 'witness-import');
    let reply = '';
    let cid = '';
    faces = await twoFaces((cli) => {
      cid = (cli(['feat', 'claim', 'Swim 5 km', '--type', 'swim', '--policy', 'k-of-n:1']).json() as { cid: string }).cid;
      // Only a trusted witness's yes counts toward the policy.
      cli(['trust', 'add', witness.id, '--for', 'swim']);
      const out = join(dir, 'import-requests');
      const [request] = cli(['attest', 'request', cid, '--witness', witness.id, '--out', out]).json() as { file: string }[];
      reply = join(dir, 'import-reply');
      witness.cli(['attest', 'sign', request!.file, '--verdict', 'yes', '--out', reply]);
    });
    const bytes = new Uint8Array(readFileSync(reply));
    const r = faces.cli(['attest', 'import', reply]);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('feats:importReply', { bytes });
    const { cli, wallet } = faces.stored();
    expect(cli.feats).toEqual([expect.objectContaining({ status: { met: true, have: 1, need: 1 } })]);
    expect(wallet).toEqual(cli);

    const again = faces.cli(['attest', 'import', reply]);
    expectCleanError(again, /already recorded/);
    expect(again.stderr.trim()).toBe(await refusal('feats:importReply', { bytes }));
    // The witness takes in a reply meant for the holder.
    const foreign = run(['attest', 'import', reply], { env: { DEFAUST_HOME: witness.home } });
    expectCleanError(foreign, /meant for someone else/);
  });

  it('attest request: no records either way; a witness named twice is refused in the same words', async () => {
    const witness = person(dir, 'witness-request');
    let cid = '';
    faces = await twoFaces((cli) => {
      cid = (cli(['feat', 'claim', 'Climb 6a', '--type', 'climb', '--policy', 'k-of-n:1']).json() as { cid: string }).cid;
    });
    const r = faces.cli(['attest', 'request', cid, '--witness', witness.id, '--out', join(dir, 'request-out')]);
    expect(r.code, r.stderr).toBe(0);
    const { requests } = await faces.wallet('feats:requestWitnesses', { claim: cid, witnesses: [witness.id] });
    expect(requests).toEqual([expect.objectContaining({ witness: witness.id, delivered: false })]);
    expect(new Uint8Array(readFileSync((r.json() as { file: string }[])[0]!.file)).length).toBe(Buffer.from(requests[0]!.file!.bytes, 'base64').length);
    const twice = faces.cli(['attest', 'request', cid, '--witness', witness.id, '--witness', witness.id, '--out', join(dir, 'request-twice')]);
    expectCleanError(twice, /named twice/);
    expect(twice.stderr.trim()).toBe(await refusal('feats:requestWitnesses', { claim: cid, witnesses: [witness.id, witness.id] }));
    const { cli, wallet } = faces.stored();
    expect(cli.blocks).toEqual([]);
    expect(wallet).toEqual(cli);
  });

  it('feat claim: the same claim recorded either way, its title trimmed', async () => {
    faces = await twoFaces();
    const r = faces.cli(['feat', 'claim', '  Climb 6a  ', '--type', 'climb', '--policy', 'k-of-n:2', '--criteria', 'lead, no falls']);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('feats:claim', { title: '  Climb 6a  ', type: 'climb', criteria: 'lead, no falls', policy: { kind: 'k-of-n', k: 2 }, evidence: [] });
    const { cli, wallet } = faces.stored();
    expect(cli.feats).toEqual([expect.objectContaining({ claim: expect.objectContaining({ title: 'Climb 6a' }) })]);
    expect(wallet).toEqual(cli);
  });
});
