// The chain timeline, newest first: every block's kind, time, author and verification status, in a
// virtualized list (only the visible rows are in the page, so 10,000 blocks scroll smoothly). Selecting a
// block shows its decrypted delta as a diff, and offers its inclusion bundle ("Prove this block is in my
// history"); checkpoint blocks say plainly what they sign.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { BlockSummary, Response } from '../../../src-preload/api/contract.ts';
import { chainStore, inclusionStore, sessionStore } from '../../app/stores.ts';
import { saveText } from '../../lib/download.ts';
import { formatBytes, formatTime, kindLabel, shortId } from '../../lib/format.ts';
import { Busy, Button, Card, ErrorNote, PageHeader } from '../../ui/primitives.tsx';
import { ChangeTable } from '../profile/ProfileScreen.tsx';

const ROW_HEIGHT = 60;

type Mark = { label: string; tone: 'ok' | 'bad' | 'unknown' } | null;

function markFor(seq: number, report: Response<'chain:verify'> | null): Mark {
  if (report === null) return null;
  if (report.ok) return seq < report.length ? { label: 'Verified', tone: 'ok' } : { label: 'New since check', tone: 'unknown' };
  const bad = report.error?.seq ?? -1;
  if (seq < bad) return { label: 'Verified', tone: 'ok' };
  if (seq === bad) return { label: `Failed: ${report.error?.rule ?? 'invalid'}`, tone: 'bad' };
  return { label: 'Not verified', tone: 'unknown' };
}

function author(block: BlockSummary, id: string | null): string {
  return block.author === id ? 'Identity key' : `Device ${shortId(block.author)}`;
}

function Row({ block, selected, mark, id, archived, onSelect }: { block: BlockSummary; selected: boolean; mark: Mark; id: string | null; archived: boolean; onSelect(): void }) {
  return (
    <button type="button" className="block-row" aria-pressed={selected} onClick={onSelect}>
      <span className="block-seq mono"><span className="sr-only">Block </span>#{block.seq}</span>
      <span className={`kind kind-${block.kind}`}>{kindLabel(block.kind)}</span>
      <span className="block-meta">
        <span>{formatTime(block.ts)}</span>
        <span className="muted">{author(block, id)}{archived ? ' · archive tier' : ''}</span>
      </span>
      {mark ? <span className={`mark mark-${mark.tone}`}>{mark.label}</span> : <span />}
    </button>
  );
}

/** Downloads the inclusion bundle of block `seq`: no block is written and nothing new is signed by a key of yours in a block. */
function ProveThisBlock({ seq }: { seq: number }) {
  const { making, error, prove } = useStore(inclusionStore);
  const [made, setMade] = useState<string | null>(null);
  const save = async (reveal: boolean) => {
    const bundle = await prove(seq, reveal);
    if (bundle === null) return;
    saveText(bundle.name, bundle.text);
    setMade(`Saved ${bundle.name}: block #${bundle.seq} under the ${bundle.by.kind === 'checkpoint' ? 'checkpoint' : 'head record'} at block #${bundle.by.seq}${bundle.revealed ? ', with what it says' : ''}.`);
  };
  return (
    <div className="stack">
      <div className="row wrap">
        <Button onClick={() => void save(false)} busy={making === seq}>Prove this block is in my history</Button>
        <Button variant="ghost" onClick={() => void save(true)} disabled={making !== null}>…and reveal what it says</Button>
      </div>
      <p className="muted small">Anyone can check the file offline on their Verify screen. Revealing hands over the key of this section for the whole epoch of this block (a day by default): whoever holds the file can read that section’s other changes of the same epoch too.</p>
      {made ? <p className="note note-success" role="status">{made}</p> : null}
      <ErrorNote error={error} />
    </div>
  );
}

function Detail() {
  const { detail, detailLoading, selected, select, archivedThrough } = useStore(chainStore);
  const id = useStore(sessionStore, (s) => s.status?.id ?? null);
  if (selected === null) return <Card title="Block details"><p className="muted">Select a block to see what it changed.</p></Card>;
  return (
    <Card title={`Block #${selected}`} actions={<Button variant="ghost" onClick={() => void select(null)}>Close</Button>}>
      {detailLoading ? <Busy label="Decrypting the block…" /> : null}
      {detail ? (
        <div className="stack">
          <dl className="facts">
            <dt>Kind</dt><dd>{kindLabel(detail.block.kind)}</dd>
            <dt>Time</dt><dd>{formatTime(detail.block.ts)}</dd>
            <dt>Signed by</dt><dd>{author(detail.block, id)}</dd>
            <dt>CID</dt><dd className="mono break">{detail.block.cid}</dd>
            <dt>Stored</dt><dd>{detail.block.seq < archivedThrough ? 'Header in the database, body in an archive file (Settings → Storage)' : 'In the database (hot)'}</dd>
          </dl>
          {detail.block.kind === 'checkpoint'
            ? <p className="note">A checkpoint: your identity key signed one hash that stands for all {detail.block.seq} blocks before it, so any of them can be proved to be in your history. One is written every 256 blocks, and before each move to the archive.</p>
            : detail.sections.length === 0 ? <p className="muted">This block carries no profile data (it manages keys or devices).</p> : null}
          {detail.sections.map((s) => (
            <div key={s.section} className="stack">
              {s.changes.length > 0 ? <ChangeTable changes={s.changes} caption={`Changes in ${s.section}`} /> : null}
              {s.media.length > 0 ? (
                <ul className="plain">
                  {s.media.map((m) => <li key={m.cid}>Attached <strong>{m.name}</strong> ({formatBytes(m.size)}) to “{m.event}” in {s.section}</li>)}
                </ul>
              ) : null}
            </div>
          ))}
          <ProveThisBlock seq={detail.block.seq} />
        </div>
      ) : null}
    </Card>
  );
}

export function TimelineScreen() {
  const { total, archivedThrough, rows, report, verifying, error, selected, refresh, ensure, select, verify } = useStore(chainStore);
  const id = useStore(sessionStore, (s) => s.status?.id ?? null);
  const parent = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const virtualizer = useVirtualizer({ count: total ?? 0, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (total !== null && total > 0) void ensure(first, last + 1);
  }, [first, last, total, ensure]);
  return (
    <>
      <PageHeader title="Timeline">
        <span className="muted">{total === null ? '' : `${total} blocks`}</span>
        <Button onClick={() => void verify()} busy={verifying}>Verify chain</Button>
      </PageHeader>
      <ErrorNote error={error} />
      {verifying ? <Busy label="Checking every signature and link…" /> : null}
      {report ? (
        report.ok
          ? <div className="note note-success" role="status">Your chain is intact: {report.length} blocks, every signature and link checked.</div>
          : <div className="note note-error" role="alert">Your chain failed verification at block #{report.error?.seq}: {report.error?.message}</div>
      ) : null}
      <div className="split split-wide">
        <div className="timeline" ref={parent} role="region" aria-label="Blocks, newest first" tabIndex={-1}>
          {total === null ? <Busy label="Loading the timeline…" /> : null}
          <ul className="timeline-inner" style={{ height: virtualizer.getTotalSize() }} aria-label="Blocks">
            {items.map((item) => {
              const block = rows[item.index];
              return (
                <li key={item.key} className="timeline-row" style={{ transform: `translateY(${item.start}px)`, height: item.size }} data-index={item.index}>
                  {block ? <Row block={block} id={id} archived={block.seq < archivedThrough} selected={selected === block.seq} mark={markFor(block.seq, report)} onSelect={() => void select(block.seq)} /> : <span className="block-row placeholder">Loading…</span>}
                </li>
              );
            })}
          </ul>
        </div>
        <Detail />
      </div>
    </>
  );
}
