// The wallet's challenge channels on temporary homes, every document passed through the received mail as a
// mailbox fetch leaves it (or taken into it from a file): a stranger challenges a proven feat; the holder
// takes the file in, sees it waiting and declines; the
// stranger sees the answer waiting on the challenge, resolves with it (the mail is taken), wins, and keeps
// the refutation of the witness; the holder sees the outcome waiting and takes it in, so the claim is
// refuted. Settling twice, an outcome that is not one, a challenge back on a feat of the wrong kind and an
// unknown challenge are refused with typed codes, changing nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-preload/api/contract.ts';
import type { Did } from '../../core/identity/did.ts';
import { envelopeFormat } from '../../core/identity/envelope.ts';
import { Home } from '../home.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';
const DAY = 24 * 3_600_000;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

interface Party { home: Home; service: WalletService; id: string }

async function open(dir: string, name: string): Promise<Party> {
  const home = new Home(join(dir, name));
  const service = new WalletService(home, { idleLockMs: 0 });
  const created = value(await service.call('session:create', { passphrase: PASS }));
  value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
  return { home, service, id: created.id };
}

const bytesOf = (file: { bytes: string }) => new Uint8Array(Buffer.from(file.bytes, 'base64'));

/** Leaves `file` (a sealed document) in `to`'s received mail from `from`, waiting, as `defaust mail` leaves what it fetched. */
function leaveMail(to: Party, from: Party, mail: string, file: { bytes: string }): void {
  const envelope = bytesOf(file);
  const now = Date.now();
  to.home.receivedMail().put({ id: mail, to: to.id as Did, from: from.id as Did, format: envelopeFormat(envelope) ?? 'unknown', ts: now, receivedAt: now, envelope, state: 'waiting', note: 'waiting' });
}

describe('wallet challenge channels over the received mail', { timeout: 240_000 }, () => {
  let dir: string;
  let holder: Party;
  let witness: Party;
  let stranger: Party;
  let claim = '';
  let proof = '';
  let other = '';
  let challenge = '';

  /** A marathon-kind claim of the holder, signed off by the witness (files) and proven for `nonce`: its CID and the proof text. */
  const provenClaim = async (title: string, type: string, nonce: string): Promise<[string, string]> => {
    const made = value(await holder.service.call('feats:claim', { title, type, policy: { kind: 'k-of-n', k: 1 } })).claim.cid;
    const [request] = value(await holder.service.call('feats:requestWitnesses', { claim: made, witnesses: [witness.id] })).requests;
    const signed = value(await witness.service.call('witness:sign', { bytes: request!.file!.bytes, verdict: 'yes' }));
    value(await holder.service.call('feats:importReply', { bytes: bytesOf(signed.reply) }));
    value(await holder.service.call('trust:add', { did: witness.id, featType: type }));
    const proved = value(await holder.service.call('feats:prove', { claim: made, nonce, job: `job-prove-${nonce}` }));
    return [made, Buffer.from(proved.file.bytes, 'base64').toString('utf8')];
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-challenges-'));
    holder = await open(dir, 'holder');
    witness = await open(dir, 'witness');
    stranger = await open(dir, 'stranger');
    [claim, proof] = await provenClaim('Marathon under 3h', 'marathon', '11');
    [, other] = await provenClaim('5 km under 20 min', 'running', '12');
  }, 200_000);
  afterAll(() => {
    for (const p of [holder, witness, stranger]) p?.service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the holder sees the challenge waiting and declines it; the stranger sees the answer waiting on its challenge', async () => {
    const sent = value(await stranger.service.call('challenges:send', { text: proof, deadline: Date.now() + 7 * DAY, witnesses: [witness.id], k: 1 }));
    challenge = sent.id;
    expect(sent).toMatchObject({ holder: holder.id, claim, file: { name: expect.stringMatching(/^challenge-for-/u) } });
    expect(value(await stranger.service.call('challenges:list', {})).challenges).toEqual([expect.objectContaining({ id: challenge, role: 'challenger', state: { phase: 'open' }, waiting: null })]);

    // The holder got it as a file: taken into the mail (once, however often), it waits for an answer; the witness cannot take it.
    expect(await witness.service.call('challenges:takeFile', { bytes: bytesOf(sent.file!) })).toMatchObject({ ok: false, error: { code: 'social/mismatch' } });
    const took = value(await holder.service.call('challenges:takeFile', { bytes: bytesOf(sent.file!) }));
    expect(took).toMatchObject({ kind: 'challenge', from: stranger.id, fresh: true });
    expect(value(await holder.service.call('challenges:takeFile', { bytes: bytesOf(sent.file!) }))).toEqual({ ...took, fresh: false });
    expect(value(await holder.service.call('challenges:list', {})).incoming).toEqual([expect.objectContaining({ mail: took.mail, id: challenge, from: stranger.id, claim })]);
    const answered = value(await holder.service.call('challenges:answer', { mail: took.mail, answer: 'decline' }));
    expect(answered).toMatchObject({ id: challenge, answer: 'decline', reperformance: null });

    leaveMail(stranger, holder, 'mail-answer', answered.file!);
    const [mine] = value(await stranger.service.call('challenges:list', {})).challenges;
    expect(mine).toMatchObject({ id: challenge, waiting: { mail: 'mail-answer', kind: 'answer', answer: 'decline' } });
  });

  it('the stranger resolves with the mailed answer and wins; the holder takes the outcome in and the claim is refuted', async () => {
    const resolved = value(await stranger.service.call('challenges:resolve', { id: challenge, answer: { mail: 'mail-answer' } }));
    expect(resolved).toMatchObject({ outcome: { challenge, result: 'declined', winner: stranger.id, refutes: claim }, accused: [witness.id], file: { name: expect.stringMatching(/^challenge-outcome-for-/u) } });
    expect(stranger.home.receivedMail().get(stranger.id as Did, 'mail-answer')?.state).toBe('taken');
    expect(value(await stranger.service.call('challenges:list', {})).challenges[0]).toMatchObject({ state: { phase: 'settled', result: 'declined', winner: 'challenger' }, waiting: null });
    expect(value(await stranger.service.call('honor:of', { did: witness.id }))).toMatchObject({ status: 'barred' });
    // Settled: a second resolve is refused, and the chain does not grow.
    const length = stranger.home.openStore().head(stranger.id as Did)?.seq;
    expect(await stranger.service.call('challenges:resolve', { id: challenge, answer: { mail: 'mail-answer' } })).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^social\//u) } });
    expect(stranger.home.openStore().head(stranger.id as Did)?.seq).toBe(length);

    leaveMail(holder, stranger, 'mail-outcome', resolved.file!);
    expect(value(await holder.service.call('challenges:list', {})).challenges[0]).toMatchObject({ id: challenge, role: 'holder', waiting: { mail: 'mail-outcome', kind: 'outcome', answer: null } });
    expect(await holder.service.call('challenges:takeOutcome', { bytes: new Uint8Array([1, 2, 3]) })).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^social\//u) } });
    const taken = value(await holder.service.call('challenges:takeOutcome', { mail: 'mail-outcome' }));
    expect(taken.outcome).toMatchObject({ challenge, result: 'declined', refutes: claim });
    expect(value(await holder.service.call('challenges:list', {})).challenges[0]).toMatchObject({ state: { phase: 'settled', winner: 'challenger' }, waiting: null });
    expect(await holder.service.call('feats:prove', { claim, nonce: '13', job: 'job-prove-refuted' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/refuted/u) } });
  });

  it('refuses a challenge back on a feat of another kind, and a challenge it does not know, in typed words', async () => {
    const panel = { deadline: Date.now() + 7 * DAY, witnesses: [witness.id], k: 1 };
    expect(await holder.service.call('challenges:back', { id: challenge, text: other, ...panel })).toMatchObject({ ok: false, error: { code: 'social/invalid', message: expect.stringContaining('propose a duel') } });
    expect(await stranger.service.call('challenges:resolve', { id: 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' })).toMatchObject({ ok: false, error: { code: 'social/unknown' } });
    expect(await stranger.service.call('challenges:resolve', { id: '' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
