// "Check for new …": fetches the mail now with its stages and elapsed time, then says what happened in
// plain words; `onDone` reloads the screen's list (what already waited is listed either way).
import { useStore } from 'zustand';
import { mailStore } from '../../app/stores.ts';
import { Button, ErrorNote } from '../../ui/primitives.tsx';
import { JobProgress } from '../import/JobProgress.tsx';

export function MailCheck({ label, onDone }: { label: string; onDone(): Promise<void> | void }) {
  const { running, view, result, error, fetch } = useStore(mailStore);
  const check = async () => {
    await fetch();
    await onDone();
  };
  return (
    <div className="stack">
      {running ? <JobProgress kind="mail" view={view} /> : null}
      {!running && result !== null ? (
        <p className="muted" role="status">
          {result.asked === 0 ? 'No mailbox of yours was found yet.' : `Asked ${result.asked} mailbox${result.asked === 1 ? '' : 'es'}`}
          {result.asked === 0 ? '' : result.routed.length === 0 ? ': nothing new.' : `: ${result.routed.length} new message${result.routed.length === 1 ? '' : 's'}.`}
          {result.failures > 0 ? ` ${result.failures} did not answer.` : ''}
        </p>
      ) : null}
      {!running && error !== null ? <ErrorNote error={error} /> : null}
      <div className="row">
        <Button onClick={() => void check()} busy={running} disabled={running}>{label}</Button>
      </div>
    </div>
  );
}
