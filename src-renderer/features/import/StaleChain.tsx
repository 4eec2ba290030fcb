// The shell's warning while the chain on this device is behind the network's head record: how far behind,
// that editing now would fork it, and "Fetch the newer history" (network:recoverChain, with its stages and
// Cancel). Once fetched, the screens reload from the newer chain and the warning goes. Silent otherwise.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { chainStore, freshnessStore, importStore, profileStore } from '../../app/stores.ts';
import { Button, ErrorNote } from '../../ui/primitives.tsx';
import { JobProgress } from './JobProgress.tsx';

/** How often the shell asks whether the network knows a newer head of this chain. */
const CHECK_EVERY_MS = 60_000;

export function StaleChainBanner() {
  const { freshness, check } = useStore(freshnessStore);
  const { running: job, view, error, fetchNewer, cancel } = useStore(importStore);
  const behind = freshness?.older === true;
  // When the wallet opens, then each minute while it is not behind (the node may start after the unlock,
  // and another device may write at any time).
  useEffect(() => {
    if (behind) return undefined;
    void check();
    const timer = setInterval(() => void check(), CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, [check, behind]);
  if (freshness === null || !freshness.older) return null;
  const fetch = async () => {
    if (await fetchNewer()) {
      await Promise.all([profileStore.getState().load(), chainStore.getState().refresh()]);
      await check();
    }
  };
  return (
    <section className="note note-warning stack stale-chain" role="alert" aria-labelledby="stale-chain">
      <p id="stale-chain"><strong>Your chain on this device is behind.</strong> It holds {freshness.local} blocks; the network knows {freshness.network.length} — another device of yours wrote since. Editing now would fork your chain.</p>
      {job === 'recover' ? <JobProgress kind="recover" view={view} onCancel={() => void cancel()} /> : (
        <div className="row"><Button variant="primary" onClick={() => void fetch()}>Fetch the newer history</Button></div>
      )}
      {job === null ? <ErrorNote error={error} /> : null}
    </section>
  );
}
