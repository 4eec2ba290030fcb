// Progress of the long jobs written once in app/: an archive import reports reading → verifying n of m
// (monotone, ending at m) → writing, stops before anything is written when cancelled, and refuses an archive
// older than the network's head record unless told to take it; the JobBoard keeps each job's last stage,
// its end and its failure; a recovery from the network on a lone node fails fast with NoPeersError after
// reporting only its first stage, and the wallet's Recover says so through `jobs:status`.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { importArchiveFile } from '../src-main/app/archive/import.ts';
import { CancelledError, JobBoard, silentProgress, type Progress, type StageReport } from '../src-main/app/jobs/progress.ts';
import { OlderArchiveError } from '../src-main/core/archive/archive.ts';
import { NetworkHost } from '../src-main/app/network/host.ts';
import { WalletService } from '../src-main/app/wallet/service.ts';
import { tempDir } from './helpers.ts';
import { LOOPBACK, value } from './net/loopback-wallet.ts';

const PASS = 'correct horse battery';

/** A home with a chain of `edits` + genesis blocks, its archive, and a second home recovered from the same words (no chain yet). */
function setup(edits: number): { source: Home; archive: Uint8Array; target: Home; mnemonic: string } {
  const dir = tempDir();
  const source = new Home(join(dir, 'source'), { verifyWorkers: 1 });
  const { mnemonic, profile } = source.init(PASS);
  for (let i = 0; i < edits; i++) profile.set('contact', 'n', i);
  const archive = source.exportArchive();
  const target = new Home(join(dir, 'target'), { verifyWorkers: 1 });
  target.recover(mnemonic, PASS);
  return { source, archive, target, mnemonic };
}

function recording(onReport: (r: StageReport, controller: AbortController) => void = () => undefined): { progress: Progress; seen: StageReport[] } {
  const seen: StageReport[] = [];
  const controller = new AbortController();
  return {
    seen,
    progress: {
      signal: controller.signal,
      report: (stage, done = null, total = null) => {
        seen.push({ stage, done, total });
        onReport({ stage, done, total }, controller);
      },
    },
  };
}

describe('importing an archive reports its stages', { timeout: 120_000 }, () => {
  const homes: Home[] = [];
  afterAll(() => homes.forEach((h) => h.close()));

  it('reading → verifying n of m, monotone up to m → writing; the chain is stored whole', async () => {
    const { source, archive, target } = setup(300);
    homes.push(source, target);
    const { progress, seen } = recording();
    const outcome = await importArchiveFile(target, target.unlock(PASS), archive, {}, progress);
    const total = source.store.head(source.id())!.seq + 1;
    expect(outcome).toEqual({ added: total, length: total, network: null });
    expect(seen[0]).toEqual({ stage: 'reading', done: null, total: null });
    const verifying = seen.filter((r) => r.stage === 'verifying');
    expect(verifying.length).toBeGreaterThanOrEqual(3); // 0, then a report per batch of 256
    expect(verifying.every((r) => r.total === total)).toBe(true);
    expect(verifying.map((r) => r.done)).toEqual([...verifying.map((r) => r.done!)].sort((a, b) => a - b));
    expect(verifying.at(-1)!.done).toBe(total);
    expect(seen.at(-1)).toEqual({ stage: 'writing', done: null, total: null });
    // The archive's blocks, then the block that certifies this device (the chain is new here).
    expect(target.store.header(target.id(), total - 1)!.cid).toBe(source.store.head(source.id())!.cid);
  });

  it('cancelled while verifying: CancelledError, nothing written', async () => {
    const { source, archive, target } = setup(300);
    homes.push(source, target);
    const { progress, seen } = recording((r, controller) => {
      if (r.stage === 'verifying' && (r.done ?? 0) > 0) controller.abort();
    });
    await expect(importArchiveFile(target, target.unlock(PASS), archive, {}, progress)).rejects.toBeInstanceOf(CancelledError);
    expect(seen.some((r) => r.stage === 'writing')).toBe(false);
    expect(target.store.head(target.id())).toBeUndefined();
  });

  it("older than the network's head: refused before verifying (nothing written), taken with acceptOlder", async () => {
    const { source, archive, target } = setup(3);
    homes.push(source, target);
    const length = source.store.head(source.id())!.seq + 1;
    const networkHead = () => Promise.resolve({ reached: true, length: length + 2 });
    const { progress, seen } = recording();
    const refused = await importArchiveFile(target, target.unlock(PASS), archive, { networkHead }, progress).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OlderArchiveError);
    expect(refused).toMatchObject({ code: 'archive-older', source: 'network', archiveLength: length, knownLength: length + 2 });
    expect(seen.map((r) => r.stage)).toEqual(['reading', 'network']);
    expect(target.store.head(target.id())).toBeUndefined();
    const taken = await importArchiveFile(target, target.unlock(PASS), archive, { networkHead, acceptOlder: true });
    expect(taken).toEqual({ added: length, length, network: { reached: true, length: length + 2 } });
  });

  it("another identity's archive: refused at reading", async () => {
    const a = setup(1);
    const b = setup(1);
    homes.push(a.source, a.target, b.source, b.target);
    await expect(importArchiveFile(a.target, a.target.unlock(PASS), b.archive, {}, silentProgress())).rejects.toMatchObject({ code: 'home' });
  });
});

describe('the JobBoard keeps the last stage, the end and the failure of a job', () => {
  it('reports, cancels and finishes', async () => {
    let now = 1000;
    const board = new JobBoard(() => now);
    expect(board.view('job-00001')).toBeNull();
    const progress = board.start('job-00001');
    expect(board.view('job-00001')).toEqual({ stage: null, done: null, total: null, elapsedMs: 0, finished: false, error: null });
    progress.report('verifying', 3, 10);
    now = 1500;
    expect(board.view('job-00001')).toMatchObject({ stage: 'verifying', done: 3, total: 10, elapsedMs: 500, finished: false });
    expect(board.cancel('job-00001')).toBe(true);
    expect(progress.signal.aborted).toBe(true);
    board.finish('job-00001', { code: 'cancelled', message: 'Cancelled. Nothing was changed.' });
    now = 9000;
    expect(board.view('job-00001')).toMatchObject({ elapsedMs: 500, finished: true, error: { code: 'cancelled' } });
    expect(board.cancel('job-00001')).toBe(false);
    await expect(board.run('job-00002', () => Promise.reject(new CancelledError('reading')))).rejects.toBeInstanceOf(CancelledError);
    expect(board.view('job-00002')).toMatchObject({ finished: true, error: { code: 'cancelled' } });
  });
});

describe('recovering from the network on a lone node', { timeout: 120_000 }, () => {
  it('fails fast with no-peers after the first stage; the wallet stays locked, its job says why', async () => {
    const { source, target } = setup(1);
    source.close();
    const home = new Home(join(tempDir(), 'lone'), { verifyWorkers: 1 });
    const host = new NetworkHost(home, { ...LOOPBACK, bootstrap: [] });
    const wallet = new WalletService(home, { network: host, watchMs: 0 });
    try {
      const mnemonic = setup(0).mnemonic; // an identity nobody published
      const status = value(await wallet.call('session:recover', { mnemonic, passphrase: PASS, job: 'recover-0001' }));
      expect(status).toMatchObject({ state: 'locked', chain: false });
      const job = value(await wallet.call('jobs:status', { job: 'recover-0001' })).job;
      expect(job).toMatchObject({ stage: 'peers', finished: true, error: { code: 'network/no-peers' } });
      const fetched = await wallet.call('session:fetchChain', { passphrase: PASS, job: 'fetch-00001' });
      expect(fetched).toMatchObject({ ok: false, error: { code: 'network/no-peers' } });
      expect(value(await wallet.call('session:status', {}))).toMatchObject({ state: 'locked', chain: false });
    } finally {
      await host.stop();
      wallet.close();
      target.close();
    }
  });
});
