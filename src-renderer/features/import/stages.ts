// The words of a long job's progress: which step of how many, what it does, n of m where it counts blocks,
// and the elapsed time (never a fake percentage).
import type { JobView } from '../../../src-preload/api/importui.ts';
import { IMPORT_STAGES, RECOVER_STAGES, type JobStage } from '../../../src-shared/rules/progress.ts';

const WORDS: Record<JobStage, string> = {
  reading: 'Reading the file',
  network: 'Asking the network for your newest head record',
  verifying: 'Checking every block',
  writing: 'Writing your chain',
  peers: 'Looking for peers',
  head: 'Finding your head record',
  pulling: 'Pulling your blocks',
};

/** Elapsed time in words: "4 s", "1 min 5 s". */
export function elapsedWords(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** "Step 3 of 4: Checking every block — 256 of 301", or the first step while nothing was reported yet. */
export function stageWords(kind: 'import' | 'recover', view: JobView | null): string {
  const stages: readonly JobStage[] = kind === 'import' ? IMPORT_STAGES : RECOVER_STAGES;
  const stage = view?.stage ?? stages[0]!;
  const index = stages.indexOf(stage);
  const step = index === -1 ? '' : `Step ${index + 1} of ${stages.length}: `;
  const count = view !== null && view.done !== null && view.total !== null ? ` — ${view.done} of ${view.total} blocks` : '';
  return `${step}${WORDS[stage]}${count}…`;
}

