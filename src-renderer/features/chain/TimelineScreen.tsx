// The chain timeline, newest first: every block's kind, time, author and verification status, in a
// virtualized list (only the visible rows are in the page, so 10,000 blocks scroll smoothly). Selecting a
// block shows its decrypted delta as a diff.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import type { BlockSummary, Response } from '../../../src-preload/api/contract.ts';
import { chainStore, sessionStore } from '../../app/stores.ts';
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

function Row({ block, selected, mark, id, onSelect }: { block: BlockSummary; selected: boolean; mark: Mark; id: string | null; onSelect(): void }) {
  return (
    <button type="button" className="block-row" aria-pressed={selected} onClick={onSelect}>
      <span className="block-seq mono"><span className="sr-only">Block </span>#{block.seq}</span>
      <span className={`kind kind-${block.kind}`}>{kindLabel(block.kind)}</span>
      <span className="block-meta">
        <span>{formatTime(block.ts)}</span>
        <span className="muted">{author(block, id)}</span>
      </span>
      {mark ? <span className={`mark mark-${mark.tone}`}>{mark.label}</span> : <span />}
    </button>
  );
}

function Detail() {
  const { detail, detailLoading, selected, select } = useStore(chainStore);
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
          </dl>
          {detail.sections.length === 0 ? <p className="muted">This block carries no profile data (it manages keys or devices).</p> : null}
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
        </div>
      ) : null}
    </Card>
  );
}

export function TimelineScreen() {
  const { total, rows, report, verifying, error, selected, refresh, ensure, select, verify } = useStore(chainStore);
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
                  {block ? <Row block={block} id={id} selected={selected === block.seq} mark={markFor(block.seq, report)} onSelect={() => void select(block.seq)} /> : <span className="block-row placeholder">Loading…</span>}
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
