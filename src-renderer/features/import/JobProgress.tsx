// A long job's progress as a person reads it: the step and what it does (n of m blocks where it counts), the
// time since it began, and Cancel. A live region announces each new step, not every tick.
import type { JobView } from '../../../src-preload/api/importui.ts';
import { Button } from '../../ui/primitives.tsx';
import { elapsedWords, stageWords, type JobKind } from './stages.ts';

export function JobProgress({ kind, view, onCancel, cancelLabel = 'Cancel' }: { kind: JobKind; view: JobView | null; onCancel?: () => void; cancelLabel?: string }) {
  const counted = view !== null && view.done !== null && view.total !== null && view.total > 0;
  return (
    <div className="job-progress stack" data-testid="job-progress">
      <p className="busy" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />{stageWords(kind, view)}</p>
      {counted ? <progress max={view.total!} value={view.done!} aria-label={kind === 'mail' ? 'Mailboxes asked' : 'Blocks done'} /> : null}
      <p className="muted small">{view === null ? 'Starting…' : `${elapsedWords(view.elapsedMs)} so far`}</p>
      {onCancel !== undefined ? <div className="row"><Button onClick={onCancel}>{cancelLabel}</Button></div> : null}
    </div>
  );
}
