// The words of a long job's progress: which step of how many, what it does, n of m where it counts blocks,
// and the elapsed time (never a fake percentage).
import type { JobView } from '../../../src-preload/api/importui.ts';
import { IMPORT_STAGES, MAIL_STAGES, RECOVER_STAGES, type JobStage } from '../../../src-shared/rules/progress.ts';

const WORDS: Record<JobStage, string> = {
  reading: 'Reading the file',
  network: 'Asking the network for your newest head record',
  verifying: 'Checking every block',
  writing: 'Writing your chain',
  peers: 'Looking for peers',
  head: 'Finding your head record',
  pulling: 'Pulling your blocks',
  mailboxes: 'Finding your mailboxes',
  fetching: 'Asking your mailboxes',
};

/** The kinds of long job, each with its stages and what its counts count. */
export type JobKind = 'import' | 'recover' | 'mail';
const KINDS: Record<JobKind, { stages: readonly JobStage[]; unit: string }> = {
  import: { stages: IMPORT_STAGES, unit: 'blocks' },
  recover: { stages: RECOVER_STAGES, unit: 'blocks' },
  mail: { stages: MAIL_STAGES, unit: 'answered' },
};

/** Elapsed time in words: "4 s", "1 min 5 s". */
export function elapsedWords(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** "Step 3 of 4: Checking every block — 256 of 301", or the first step while nothing was reported yet. */
export function stageWords(kind: JobKind, view: JobView | null): string {
  const { stages, unit } = KINDS[kind];
  const stage = view?.stage ?? stages[0]!;
  const index = stages.indexOf(stage);
  const step = index === -1 ? '' : `Step ${index + 1} of ${stages.length}: `;
  const count = view !== null && view.done !== null && view.total !== null ? ` — ${view.done} of ${view.total} ${unit}` : '';
  return `${step}${WORDS[stage]}${count}…`;
}

