// Progress of long work (an archive import, a recovery from the network): the use cases report their stage
// through a `Progress` and stop at the next stage boundary when its signal is aborted; the wallet keeps the
// last report of recent jobs on a JobBoard so a screen can ask after a job by the id it chose, and cancel it.
import { DefaustError } from '../../core/errors.ts';
import type { JobStage } from '../../../src-shared/rules/progress.ts';

/** One report: the stage reached and, where it counts something (blocks), how far of how many. */
export interface StageReport {
  stage: JobStage;
  done: number | null;
  total: number | null;
}

/** What a use case is handed to say how far it is, and to learn that the person cancelled. */
export interface Progress {
  report(stage: JobStage, done?: number | null, total?: number | null): void;
  readonly signal: AbortSignal;
}

/** The person cancelled: nothing was written. */
export class CancelledError extends DefaustError {
  override name = 'CancelledError';
  readonly stage: JobStage | null;
  constructor(stage: JobStage | null) {
    super('cancelled', 'Cancelled. Nothing was changed.');
    this.stage = stage;
  }
}

/** A Progress that reports to nobody and is never cancelled (the CLI, tests). */
export function silentProgress(report: (r: StageReport) => void = () => undefined): Progress {
  return { report: (stage, done = null, total = null) => report({ stage, done, total }), signal: new AbortController().signal };
}

/** Throws CancelledError when the signal is aborted (checked at every stage boundary). */
export function checkCancelled(progress: Progress, stage: JobStage | null): void {
  if (progress.signal.aborted) throw new CancelledError(stage);
}

/** Gives way to the event loop (so progress polls and cancels are answered during long checks). */
export function giveWay(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface JobView {
  /** Null until the job reported its first stage. */
  stage: JobStage | null;
  done: number | null;
  total: number | null;
  elapsedMs: number;
  finished: boolean;
  error: { code: string; message: string } | null;
}

interface Job {
  last: StageReport | null;
  startedAt: number;
  endedAt: number | null;
  error: { code: string; message: string } | null;
  controller: AbortController;
}

/** How many finished jobs are remembered (the oldest is forgotten first). */
const KEPT = 32;

/** The wallet's recent jobs by the id the screen chose: their last stage, elapsed time, end and failure. */
export class JobBoard {
  private readonly jobs = new Map<string, Job>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Starts job `id` (a job with that id already running is refused by its caller's check of `running`). */
  start(id: string): Progress {
    const job: Job = { last: null, startedAt: this.now(), endedAt: null, error: null, controller: new AbortController() };
    this.jobs.delete(id);
    this.jobs.set(id, job);
    while (this.jobs.size > KEPT) this.jobs.delete(this.jobs.keys().next().value!);
    return {
      report: (stage, done = null, total = null) => {
        job.last = { stage, done, total };
      },
      signal: job.controller.signal,
    };
  }

  /** Ends job `id`, with the failure a screen should show (null: it succeeded). */
  finish(id: string, error: { code: string; message: string } | null = null): void {
    const job = this.jobs.get(id);
    if (job === undefined) return;
    job.endedAt = this.now();
    job.error = error;
  }

  /** Runs `work` as job `id` (when given), ending it with its failure's code and words. */
  async run<T>(id: string | undefined, work: (progress: Progress) => Promise<T>): Promise<T> {
    if (id === undefined) return work(silentProgress());
    const progress = this.start(id);
    try {
      const value = await work(progress);
      this.finish(id);
      return value;
    } catch (error) {
      this.finish(id, error instanceof DefaustError ? { code: error.code, message: error.message } : { code: 'internal', message: 'Something went wrong inside DeFaust.' });
      throw error;
    }
  }

  view(id: string): JobView | null {
    const job = this.jobs.get(id);
    if (job === undefined) return null;
    return {
      stage: job.last?.stage ?? null,
      done: job.last?.done ?? null,
      total: job.last?.total ?? null,
      elapsedMs: (job.endedAt ?? this.now()) - job.startedAt,
      finished: job.endedAt !== null,
      error: job.error,
    };
  }

  /** Asks a running job to stop at its next stage boundary; false when it is not running. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (job === undefined || job.endedAt !== null) return false;
    job.controller.abort();
    return true;
  }
}
