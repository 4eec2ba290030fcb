// The feats, witness and verify verbs end to end on temporary homes: a holder claims a feat with evidence,
// three witnesses open their requests (evidence checked against the claim), sign or decline, the holder takes
// the replies in (forged, foreign and duplicate ones refused in plain words), trusts the witnesses, proves
// the feat with progress events, and anyone verifies the proof file — locked, with no session at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response, Result } from '../../../src-preload/api/contract.ts';
import { importArchive, readArchive } from '../../core/archive/archive.ts';
import { Home } from '../home.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function open(dir: string, name: string, options: ConstructorParameters<typeof WalletService>[1] = {}): Promise<{ service: WalletService; id: string }> {
  const service = new WalletService(new Home(join(dir, name)), { idleLockMs: 0, ...options });
  const created = value(await service.call('session:create', { passphrase: PASS }));
  value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
  return { service, id: created.id };
}

const bytesOf = (file: { bytes: string }) => new Uint8Array(Buffer.from(file.bytes, 'base64'));

describe('wallet feats, witness and verify verbs', { timeout: 240_000 }, () => {
  let dir: string;
  let holder: { service: WalletService; id: string };
  let witnesses: { service: WalletService; id: string }[];
  let cid: string;
  let evidenceCid: string;
  const picture = new Uint8Array(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
  let requests: Response<'feats:requestWitnesses'>['requests'];
  let replies: Uint8Array[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-feats-'));
    holder = await open(dir, 'holder');
    witnesses = [];
    for (const name of ['w1', 'w2', 'w3']) witnesses.push(await open(dir, name));
  }, 120_000);
  afterAll(() => {
    holder?.service.close();
    for (const w of witnesses ?? []) w.service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('claims a feat whose evidence is attached media, and refuses evidence that is not', async () => {
    const { item } = value(await holder.service.call('media:attach', { section: 'feats', event: 'marathon 2026', name: 'finish.png', type: 'image/png', bytes: picture }));
    evidenceCid = item.cid;
    const missing = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    expect(await holder.service.call('feats:claim', { title: 'Berlin marathon', type: 'marathon', policy: { kind: 'k-of-n', k: 3 }, evidence: [missing] }))
      .toMatchObject({ ok: false, error: { code: 'feat/invalid', message: expect.stringContaining('not media attached') } });
    expect(await holder.service.call('feats:claim', { title: 'x', type: 'Marathon!', policy: { kind: 'k-of-n', k: 3 } })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const { claim, block } = value(await holder.service.call('feats:claim', {
      title: 'Berlin marathon under 4 hours', type: 'marathon', criteria: 'chip time < 4:00:00', policy: { kind: 'k-of-n', k: 3 }, evidence: [evidenceCid],
    }));
    cid = claim.cid;
    expect(block.kind).toBe('feat');
    expect(claim).toMatchObject({
      title: 'Berlin marathon under 4 hours', type: 'marathon', criteria: 'chip time < 4:00:00', policy: { kind: 'k-of-n', k: 3 },
      evidence: [{ cid: evidenceCid, name: 'finish.png', type: 'image/png', size: picture.length }],
      status: { met: false, have: 0, need: 3 }, attestations: [], proof: { needs: 3, trusted: 0 },
    });
    expect(value(await holder.service.call('feats:list', {})).claims.map((c) => c.cid)).toEqual([cid]);
  });

  it('writes one sealed request per witness as files; names twice or itself are refused', async () => {
    expect(await holder.service.call('feats:requestWitnesses', { claim: cid, witnesses: [witnesses[0]!.id, witnesses[0]!.id] })).toMatchObject({ ok: false, error: { code: 'feat/invalid' } });
    expect(await holder.service.call('feats:requestWitnesses', { claim: cid, witnesses: [holder.id] })).toMatchObject({ ok: false, error: { code: 'feat/invalid' } });
    requests = value(await holder.service.call('feats:requestWitnesses', { claim: cid, witnesses: witnesses.map((w) => w.id) })).requests;
    expect(requests.map((r) => [r.witness, r.delivered])).toEqual(witnesses.map((w) => [w.id, false]));
    expect(requests[0]!.file?.name).toMatch(/^feat-.{8}-for-.{8}\.attest-request$/u);
  });

  it('shows a witness the claim and its evidence, checked against the claim; another witness cannot open it', async () => {
    const [w1, w2] = witnesses as [typeof holder, typeof holder];
    const opened = value(await w1.service.call('witness:open', { bytes: requests[0]!.file!.bytes }));
    expect(opened.request.claim).toMatchObject({ cid, title: 'Berlin marathon under 4 hours', type: 'marathon', criteria: 'chip time < 4:00:00', holder: holder.id, policy: { kind: 'k-of-n', k: 3 } });
    expect(opened.request.evidence).toEqual([{ cid: evidenceCid, name: 'finish.png', type: 'image/png', size: picture.length, state: 'included', bytes: Buffer.from(picture).toString('base64') }]);
    expect(opened.request.answered).toBeNull();
    expect(await w2.service.call('witness:open', { bytes: requests[0]!.file!.bytes }))
      .toMatchObject({ ok: false, error: { code: 'feat/not-for-me', message: expect.stringContaining('addressed to someone else') } });
    expect(await w1.service.call('witness:open', { bytes: new Uint8Array([1, 2, 3]) })).toMatchObject({ ok: false, error: { code: 'feat/malformed' } });
  });

  it('signs yes (or declines), keeps the history across a restart, and the holder records the replies', async () => {
    replies = [];
    for (const [i, w] of witnesses.entries()) {
      const signed = value(await w.service.call('witness:sign', { bytes: requests[i]!.file!.bytes, verdict: 'yes' }));
      expect(signed.entry).toMatchObject({ claim: cid, holder: holder.id, title: 'Berlin marathon under 4 hours', featType: 'marathon', verdict: 'yes' });
      expect(signed.reply.name).toMatch(/signed\.attest-reply$/u);
      replies.push(bytesOf(signed.reply));
    }
    // The history survives a restart of the witness's wallet (SQLite, migration 6).
    const w1 = witnesses[0]!;
    w1.service.close();
    w1.service = new WalletService(new Home(join(dir, 'w1')), { idleLockMs: 0 });
    value(await w1.service.call('session:unlock', { passphrase: PASS }));
    expect(value(await w1.service.call('witness:history', {})).entries).toEqual([expect.objectContaining({ claim: cid, verdict: 'yes' })]);
    expect(value(await w1.service.call('witness:open', { bytes: requests[0]!.file!.bytes })).request.answered).toMatchObject({ verdict: 'yes' });

    const first = value(await holder.service.call('feats:importReply', { bytes: replies[0]! }));
    expect(first).toMatchObject({ witness: witnesses[0]!.id, verdict: 'yes', claim: { status: { met: false, have: 0, need: 3 } } }); // not trusted yet: no count
    expect(await holder.service.call('feats:importReply', { bytes: replies[0]! }))
      .toMatchObject({ ok: false, error: { code: 'feat/replayed', message: 'This witness’s answer for this feat is already recorded. It was not recorded a second time.' } });
    expect(await holder.service.call('feats:importReply', { bytes: new Uint8Array([9, 9, 9]) })).toMatchObject({ ok: false, error: { code: 'feat/malformed' } });
    // A reply sealed to someone else, and a damaged one.
    expect(await witnesses[1]!.service.call('feats:importReply', { bytes: replies[1]! })).toMatchObject({ ok: false, error: { code: 'feat/not-for-me' } });
    const damaged = replies[1]!.slice();
    damaged[damaged.length - 5]! ^= 1;
    expect(await holder.service.call('feats:importReply', { bytes: damaged })).toMatchObject({ ok: false, error: { code: 'feat/forged' } });
    for (const reply of replies.slice(1)) value(await holder.service.call('feats:importReply', { bytes: reply }));
    const [claim] = value(await holder.service.call('feats:list', {})).claims;
    // Three yes verdicts, but from witnesses the holder does not trust (yet): the policy is not met.
    expect(claim).toMatchObject({ status: { met: false, have: 0, need: 3 }, proof: { needs: 3, trusted: 0 } });
    expect(claim!.attestations.map((a) => [a.witness, a.verdict, a.trusted])).toEqual(witnesses.map((w) => [w.id, 'yes', false]));
  });

  it('refuses to prove before the witnesses are trusted, in plain words', async () => {
    const refused = await holder.service.call('feats:prove', { claim: cid, nonce: '7', job: 'job-untrusted' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'zk/input', message: expect.stringMatching(/needs 3 different witnesses you trust .* 0 have/u) } });
  });

  it('refuses to prove an authority claim no trusted authority signed, in plain words', async () => {
    const { claim } = value(await holder.service.call('feats:claim', { title: 'Coached squat form', type: 'lifting', policy: { kind: 'authority' } }));
    const refused = await holder.service.call('feats:prove', { claim: claim.cid, nonce: '7', job: 'job-authority' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'zk/input', message: expect.stringMatching(/needs a yes from an authority you trust/u) } });
  });

  it('trusts the witnesses, gives the root, proves with progress, and anyone verifies — even locked', async () => {
    for (const w of witnesses) value(await holder.service.call('trust:add', { did: w.id, featType: 'marathon' }));
    const extra = await open(dir, 'w4');
    value(await holder.service.call('trust:add', { did: extra.id, featType: '*', authority: true }));
    expect(value(await holder.service.call('trust:list', {})).entries).toHaveLength(4);
    value(await holder.service.call('trust:remove', { did: extra.id, featType: '*' }));
    expect(await holder.service.call('trust:remove', { did: extra.id, featType: '*' })).toMatchObject({ ok: false, error: { code: 'feat/unknown' } });
    extra.service.close();
    const root = value(await holder.service.call('trust:root', { featType: 'marathon' }));
    expect(root.members.sort()).toEqual(witnesses.map((w) => w.id).sort());
    expect(root.missing).toEqual([]);
    expect(value(await holder.service.call('feats:list', {})).claims.find((c) => c.cid === cid)).toMatchObject({ status: { met: true, have: 3, need: 3 }, proof: { needs: 3, trusted: 3 } });

    const stages: string[] = [];
    const stop = holder.service.subscribe((event, payload) => {
      if (event === 'feats:progress' && (payload as { job: string }).job === 'job-0001') stages.push((payload as { stage: string }).stage);
    });
    const polled = new Set<string | null>();
    const proving = holder.service.call('feats:prove', { claim: cid, nonce: '424242', job: 'job-0001' });
    const poll = setInterval(() => void holder.service.call('feats:proveStatus', { job: 'job-0001' }).then((r) => polled.add(value(r).stage)), 50);
    const started = performance.now();
    const proved = value(await proving);
    const ms = performance.now() - started;
    clearInterval(poll);
    stop();
    console.log(`feat proof made in ${ms.toFixed(0)} ms`);
    expect(stages).toEqual(['loading', 'witness', 'proving', 'done']);
    expect(value(await holder.service.call('feats:proveStatus', { job: 'job-0001' })).stage).toBe('done');
    expect([...polled].some((s) => s === 'witness' || s === 'proving')).toBe(true);
    expect(proved).toMatchObject({ root: root.root, nonce: '424242' });
    expect(proved.file.name).toMatch(/^feat-proof-.{8}-424242\.json$/u);
    const text = Buffer.from(proved.file.bytes, 'base64').toString('utf8');

    // Cancel at the proving stage: the proving process is killed and the call fails with zk/cancelled.
    const stopCancel = holder.service.subscribe((event, payload) => {
      const p = payload as { job: string; stage: string };
      if (event === 'feats:progress' && p.job === 'job-0002' && p.stage === 'proving') void holder.service.call('feats:cancelProof', { job: 'job-0002' });
    });
    const cancelled = await holder.service.call('feats:prove', { claim: cid, nonce: '434343', job: 'job-0002' });
    stopCancel();
    expect(cancelled).toMatchObject({ ok: false, error: { code: 'zk/cancelled' } });
    expect(value(await holder.service.call('feats:cancelProof', { job: 'job-0002' }))).toEqual({ cancelled: false });

    value(await holder.service.call('session:lock', {}));
    const verified = value(await holder.service.call('verify:proof', { text, trustRoot: root.root, nonce: '424242' }));
    expect(verified).toMatchObject({
      valid: true, kind: 'feat', reason: null, claim: cid, holder: holder.id, root: root.root, nonce: '424242', witnesses: 3,
      title: 'Berlin marathon under 4 hours', featType: 'marathon', criteria: 'chip time < 4:00:00', policy: { kind: 'k-of-n', k: 3 },
    });
    // The home's one prover serves calls that overlap: the first to finish does not stop the other's worker.
    const both = await Promise.all([0, 1].map(() => holder.service.call('verify:proof', { text, trustRoot: root.root, nonce: '424242' })));
    expect(both.map((r) => value(r).valid)).toEqual([true, true]);
    expect(value(await holder.service.call('verify:proof', { text, nonce: '1' }))).toMatchObject({ valid: false, kind: 'feat', reason: expect.stringMatching(/another nonce/u) });
    expect(value(await holder.service.call('verify:proof', { text, trustRoot: '12345' }))).toMatchObject({ valid: false, reason: expect.stringMatching(/root differs/u) });

    // Lists the verifier names, their roots computed here from the members' genesis blocks (never from the file).
    const ids = witnesses.map((w) => w.id);
    expect(await holder.service.call('verify:proof', { text, nonce: '424242', trust: { members: ids } })).toMatchObject({ ok: false, error: { code: 'trust/missing', message: expect.stringContaining('are not held here') } });
    const verifierStore = holder.service.home.openStore();
    for (const w of witnesses) importArchive(holder.service.home.crypto, verifierStore, readArchive(holder.service.home.crypto, w.service.home.exportArchive()));
    expect(value(await holder.service.call('verify:proof', { text, nonce: '424242', trust: { members: ids.slice(0, 2) } }))).toMatchObject({ valid: false, members: 2, reason: expect.stringMatching(/^made against a tree your list does not give/u) });
    expect(value(await holder.service.call('verify:proof', { text, nonce: '424242', trust: { members: ids } }))).toMatchObject({ valid: true, members: 3, checkedAgainst: 'the 3 members named' });
    expect(await holder.service.call('verify:proof', { text, nonce: '424242', trust: { list: 'mine' } })).toMatchObject({ ok: false, error: { code: 'locked' } });
    value(await holder.service.call('session:unlock', { passphrase: PASS }));
    expect(value(await holder.service.call('verify:proof', { text, nonce: '424242', trust: { list: 'mine' } }))).toMatchObject({ valid: true, members: 3 });
    value(await holder.service.call('session:lock', {}));

    // Tampering: another claim's CID named in the file; a changed proof point; not a proof at all.
    const file = JSON.parse(text) as { claim: string; claimDocument?: string; proof: { pi_a: string[] } };
    const otherClaim = { ...file, claim: evidenceCid };
    expect(value(await holder.service.call('verify:proof', { text: JSON.stringify(otherClaim) }))).toMatchObject({ valid: false, kind: 'feat', reason: expect.stringMatching(/not about the claim/u) });
    const bent = { ...file, proof: { ...file.proof, pi_a: [String(BigInt(file.proof.pi_a[0]!) + 1n), ...file.proof.pi_a.slice(1)] } };
    expect(value(await holder.service.call('verify:proof', { text: JSON.stringify(bent) }))).toMatchObject({ valid: false, kind: 'feat', reason: 'the proof does not verify' });
    expect(value(await holder.service.call('verify:proof', { text: 'hello' }))).toMatchObject({ valid: false, kind: null, reason: expect.stringMatching(/not a proof file/u) });
    value(await holder.service.call('session:unlock', { passphrase: PASS }));
  });

  it('a declined request records a no, which does not count toward the policy', async () => {
    const { claim } = value(await holder.service.call('feats:claim', { title: 'Half marathon', type: 'marathon', policy: { kind: 'k-of-n', k: 2 } }));
    const [request] = value(await holder.service.call('feats:requestWitnesses', { claim: claim.cid, witnesses: [witnesses[1]!.id] })).requests;
    const declined = value(await witnesses[1]!.service.call('witness:sign', { bytes: request!.file!.bytes, verdict: 'no' }));
    expect(declined.reply.name).toMatch(/declined\.attest-reply$/u);
    const imported = value(await holder.service.call('feats:importReply', { bytes: declined.reply.bytes }));
    expect(imported).toMatchObject({ verdict: 'no', claim: { status: { met: false, have: 0, need: 2 } } });
    expect(value(await witnesses[1]!.service.call('witness:history', {})).entries.map((e) => [e.title, e.verdict])).toEqual([['Half marathon', 'no'], ['Berlin marathon under 4 hours', 'yes']]);
  });

  it('hands requests to a swapped-in transport (the network, later) instead of files', async () => {
    const delivered: string[] = [];
    const other = await open(dir, 'networked', {
      featsNetwork: { carry: (parcels) => Promise.resolve(parcels.map((p) => (delivered.push(p.to), 1))), fetchChains: () => Promise.reject(new Error('no chains here')) },
    });
    try {
      const { claim } = value(await other.service.call('feats:claim', { title: 'Swim 5 km', type: 'swim', policy: { kind: 'authority' } }));
      const sent = value(await other.service.call('feats:requestWitnesses', { claim: claim.cid, witnesses: [witnesses[2]!.id] }));
      expect(sent.requests).toEqual([{ witness: witnesses[2]!.id, delivered: true, file: null }]);
      expect(delivered).toEqual([witnesses[2]!.id]);
    } finally {
      other.service.close();
    }
  });

  it('refuses everything but verify while locked', async () => {
    const locked = new WalletService(new Home(join(dir, 'holder-2')), { idleLockMs: 0 });
    try {
      for (const channel of ['feats:list', 'trust:list', 'witness:history'] as const) expect(await locked.call(channel, {})).toMatchObject({ ok: false });
      expect(value(await locked.call('verify:proof', { text: '{"format":"defaust/proof","v":1}' }))).toMatchObject({ valid: false, kind: null });
    } finally {
      locked.close();
    }
  });
});
