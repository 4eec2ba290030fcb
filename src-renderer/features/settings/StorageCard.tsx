// Settings → Storage: the size of each tier of this identity's history (headers and recent bodies hot in the
// database, older bodies in archive files), plain warnings, and moving the bodies of blocks written before a
// date to the archive tier behind a dialog that shows the checkpoint it signs first.
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { storageStore } from '../../app/stores.ts';
import { formatBytes, formatTime } from '../../lib/format.ts';
import { Button, Card, ErrorNote, SignDialog, SuccessNote, TextField } from '../../ui/primitives.tsx';

/** Midnight (this machine's time zone) at the start of a `YYYY-MM-DD` day; null when it is not one. */
function dayStart(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(text)) return null;
  const ms = new Date(`${text}T00:00`).getTime();
  return Number.isNaN(ms) ? null : ms;
}

export function StorageCard() {
  const { tiers, plan, moved, busy, error, load, preview, move, cancel } = useStore(storageStore);
  const [day, setDay] = useState('');
  useEffect(() => {
    void load();
  }, [load]);
  const before = dayStart(day);
  const ask = (e: FormEvent) => {
    e.preventDefault();
    if (before !== null) void preview(before);
  };
  return (
    <Card title="Storage">
      <p className="muted">Block headers always stay in the database on this device. The bodies of old blocks can move to archive files beside it: they still read, verify and sync as before, and the database stays small.</p>
      {tiers === null ? null : (
        <dl className="facts">
          <dt>History</dt><dd>{tiers.blocks} blocks, headers {formatBytes(tiers.headerBytes)}</dd>
          <dt>Hot (database)</dt><dd>{tiers.hot.bodies} bodies, {formatBytes(tiers.hot.bytes)}{tiers.oldestHotTs !== null && tiers.hot.bodies > 0 ? `, from ${formatTime(tiers.oldestHotTs)}` : ''}</dd>
          <dt>Archive (files)</dt>
          <dd>{tiers.archive.segments === 0 ? 'Nothing yet' : `${tiers.archive.bodies} bodies of blocks #0–#${tiers.archive.through - 1}, ${formatBytes(tiers.archive.bytes)} in ${tiers.archive.segments} file${tiers.archive.segments === 1 ? '' : 's'}`}</dd>
        </dl>
      )}
      {tiers?.warnings.map((w) => <p key={w} className="note note-warning">{w}</p>)}
      <form className="stack narrow" onSubmit={ask} noValidate>
        <TextField label="Move to the archive the blocks written before" type="date" value={day} onChange={(e) => setDay(e.target.value)} error={day !== '' && before === null ? 'Not a date.' : null} />
        <div className="row">
          <Button type="submit" disabled={before === null} busy={busy && plan === null}>Move to archive…</Button>
        </div>
      </form>
      <ErrorNote error={error} />
      {plan !== null && plan.checkpoint === null ? <p className="note" role="status">Nothing to move: every block written before that day is in the archive already, or has no body.</p> : null}
      {moved !== null && moved.checkpoint !== null ? (
        <SuccessNote>Moved {moved.moved.bodies} bodies ({formatBytes(moved.moved.bytes)}) into {moved.moved.segments} archive file{moved.moved.segments === 1 ? '' : 's'}, after the checkpoint at block #{moved.checkpoint.seq}. Blocks #0–#{moved.through - 1} are archived.</SuccessNote>
      ) : null}
      {plan?.checkpoint ? (
        <SignDialog
          title="Move old bodies to the archive?"
          confirmLabel="Sign and move"
          busy={busy}
          onConfirm={() => void move()}
          onCancel={cancel}
          signs="Confirming signs this checkpoint, with your identity key, as a new block of your chain; then the bodies move into archive files in your data folder. Your replicas keep their copies."
          facts={[
            ['Checkpoint over', `your first ${plan.checkpoint.size} blocks`],
            ['Its root', <span key="root" className="mono break">{plan.checkpoint.root}</span>],
            ['Then moves', `${plan.bodies} bodies of blocks #${plan.from}–#${plan.through - 1}`],
          ]}
        />
      ) : null}
    </Card>
  );
}
