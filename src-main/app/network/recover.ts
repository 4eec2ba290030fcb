// Recovering one's chain from the network (`defaust recover --bootstrap`, the wallet's Recover and "fetch the
// newer chain"), written once, in stages a screen can show: a first peer (NoPeersError within seconds when
// none answers), the chain's signed head record, the blocks pulled from a replica (n of m, counted in the
// store as they land), and the whole stored chain verified. Cancelling stops at the next stage boundary;
// blocks a pull already stored are verified blocks of one's own chain and stay.
import { DefaustError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Home } from '../home.ts';
import { checkCancelled, silentProgress, type Progress } from '../jobs/progress.ts';
import type { NetService } from './service.ts';

/** Longest the first stage waits for a peer: a node started a moment ago (at the unlock) is still dialling its bootstrap. */
export const RECOVER_PEER_WAIT_MS = 10_000;

/** How often the pull's progress is read from the store. */
const PULL_POLL_MS = 250;

/** The stored chain did not verify after a recovery (it should not happen: each pulled block is verified). */
export class RecoveredChainError extends DefaustError {
  override name = 'RecoveredChainError';
  readonly rule: string | null;
  constructor(rule: string | null, detail: string) {
    super('recover/invalid', `the chain recovered from the network does not verify (${detail})`);
    this.rule = rule;
  }
}

export interface RecoverOutcome {
  /** False: the network holds no head record for this identity (nobody holds a copy). */
  found: boolean;
  /** Blocks of the chain held here now. */
  length: number;
  head: string | null;
}

/** Pulls `id`'s chain from its replicas into `home`'s store through `net`, reporting each stage. */
export async function recoverChainFromNetwork(home: Home, net: NetService, id: Did, progress: Progress = silentProgress()): Promise<RecoverOutcome> {
  const held = (): number => (home.store.head(id)?.seq ?? -1) + 1;
  progress.report('peers');
  await net.requirePeer(progress.signal, RECOVER_PEER_WAIT_MS);
  checkCancelled(progress, 'peers');
  progress.report('head');
  const record = await net.lookupHead(id);
  checkCancelled(progress, 'head');
  if (record === null) return { found: false, length: held(), head: home.store.head(id)?.cid ?? null };
  const total = record.seq + 1;
  progress.report('pulling', Math.min(held(), total), total);
  const poll = setInterval(() => progress.report('pulling', Math.min(held(), total), total), PULL_POLL_MS);
  try {
    await net.replication.recoverFromNetwork(id);
  } finally {
    clearInterval(poll);
  }
  progress.report('verifying', held(), total);
  const report = await home.verify();
  if (!report.ok) throw new RecoveredChainError(report.error?.rule ?? null, report.error?.message ?? 'unknown');
  return { found: true, length: report.length, head: report.head };
}
