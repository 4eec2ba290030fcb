// Challenge–response, through both faces: a verifier issues a nonce (`verify request` / verify:request), the
// holder proves against it once, and the verifier takes that proof once — not from a home that did not issue
// the nonce, not after it expired, not a second time (a replay). `--nonce N` stays a stateless check.
// One proof serves every check (proofs are slow): the CLI verifies in one home, the wallet API in its copy.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../src-main/adapters/clock/clock.ts';
import { Home } from '../src-main/app/home.ts';
import { WalletService } from '../src-main/app/wallet/service.ts';
import { tempDir } from './helpers.ts';
import { run } from './cli-helpers.ts';

const ISSUED = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T00:30:00.000Z';
const TOO_LATE = '2026-01-01T01:00:00.000Z';

function value<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('verifier-issued nonces (CLI and wallet API)', { timeout: 240_000 }, () => {
  it('a proof is taken once, for a nonce issued here, before it expires', async () => {
    const dir = tempDir();
    const home = (name: string) => ['--home', join(dir, name)];
    const H = home('holder');
    run([...H, 'init']);
    const witness = run([...home('w'), 'init', '--json']).json().id as string;
    run([...H, 'trust', 'add', witness, '--for', 'marathon']);
    const { cid } = run([...H, 'feat', 'claim', 'Berlin marathon', '--type', 'marathon', '--policy', 'k-of-n:1', '--json']).json() as { cid: string };
    const [request] = run([...H, 'attest', 'request', cid, '--witness', witness, '--out', join(dir, 'requests'), '--json']).json() as { file: string }[];
    run([...home('w'), 'attest', 'sign', request!.file, '--verdict', 'yes', '--out', join(dir, 'reply')]);
    expect(run([...H, 'attest', 'import', join(dir, 'reply')]).code).toBe(0);

    // The verifier (no identity needed) asks for a proof: a nonce that lives an hour.
    const at = (iso: string) => ({ env: { DEFAUST_NOW: iso, DEFAUST_PASSPHRASE: undefined } });
    const asked = run([...home('verifier'), 'verify', 'request', '--ttl', '1h'], at(ISSUED));
    expect(asked.code, asked.stderr).toBe(0);
    const nonce = /^nonce (\d+) \(expires 2026-01-01T01:00:00\.000Z\)$/mu.exec(asked.stdout)?.[1];
    expect(nonce).toBeDefined();
    expect(asked.stdout).toContain(`defaust prove feat <claim> --nonce ${nonce}`);
    const json = run([...home('verifier'), 'verify', 'request', '--json'], at(ISSUED)).json() as { nonce: string; expires: string };
    expect(json).toEqual({ nonce: expect.stringMatching(/^\d+$/u), expires: '2026-01-02T00:00:00.000Z' });
    expect(json.nonce).not.toBe(nonce);
    cpSync(join(dir, 'verifier'), join(dir, 'wallet-verifier'), { recursive: true });

    const proof = join(dir, 'proof.json');
    const proved = run([...H, 'prove', 'feat', cid, '--nonce', nonce!, '--out', proof]);
    expect(proved.code, proved.stderr).toBe(0);

    // CLI: another home never issued it; the issuing home refuses it once expired, takes it once, then refuses the replay.
    const verify = (name: string, iso: string, ...extra: string[]) => run([...home(name), 'verify-proof', proof, ...extra, '--json'], at(iso));
    expect(verify('stranger', LATER).json()).toMatchObject({ valid: false, nonce, refused: 'unknown', reason: expect.stringMatching(/did not issue/u) });
    expect(verify('verifier', TOO_LATE).json()).toMatchObject({ valid: false, refused: 'expired', reason: `the proof answers a nonce that expired at ${TOO_LATE}` });
    const taken = verify('verifier', LATER);
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.json()).toMatchObject({ valid: true, kind: 'feat', claim: cid, nonce });
    const replay = verify('verifier', LATER);
    expect(replay.code).toBe(1);
    expect(replay.json()).toMatchObject({ valid: false, refused: 'already-used', reason: `the proof answers a nonce already used at ${LATER} (replay)` });
    const plain = run([...home('verifier'), 'verify-proof', proof], at(LATER));
    expect([plain.code, plain.stdout.trim()]).toEqual([1, `INVALID: the proof answers a nonce already used at ${LATER} (replay)`]);
    // A verifier with its own memory names the nonce: checked alone, as often as it likes, in any home.
    for (let i = 0; i < 2; i++) expect(verify('stranger', LATER, '--nonce', nonce!).json()).toMatchObject({ valid: true, nonce });

    // Wallet API, on a copy of the verifier's home taken before any proof: the same verdicts.
    const text = readFileSync(proof, 'utf8');
    const wallet = (name: string, iso: string) => new WalletService(new Home(join(dir, name), { clock: fixedClock(iso) }), { idleLockMs: 0 });
    const stranger = wallet('wallet-stranger', LATER);
    expect(value(await stranger.call('verify:proof', { text }))).toMatchObject({ valid: false, refused: 'unknown', reason: expect.stringMatching(/did not issue/u) });
    expect(value(await stranger.call('verify:proof', { text, nonce: nonce! }))).toMatchObject({ valid: true, reason: null });
    stranger.close();
    const late = wallet('wallet-verifier', TOO_LATE);
    expect(value(await late.call('verify:proof', { text }))).toMatchObject({ valid: false, refused: 'expired' });
    late.close();
    const verifier = wallet('wallet-verifier', LATER);
    const both = await Promise.all([0, 1].map(async () => value(await verifier.call('verify:proof', { text }))));
    expect(both.map((v) => v.valid).sort()).toEqual([false, true]);
    expect(both.find((v) => !v.valid)).toMatchObject({ refused: 'already-used', reason: expect.stringMatching(/replay/u) });
    const issued = value(await verifier.call('verify:request', { ttlMs: 60_000 }));
    expect(issued).toEqual({ nonce: expect.stringMatching(/^\d+$/u), expires: Date.parse(LATER) + 60_000 });
    expect(value(await verifier.call('verify:request', {})).expires).toBe(Date.parse(LATER) + 24 * 3_600_000);
    verifier.close();
  });
});
