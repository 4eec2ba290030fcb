// Progress and cancel for the CLI's proving commands: one line per stage with the time so far on stderr (on
// a terminal, or with --progress; never on stdout, so --json stays one clean document), and Ctrl-C (SIGINT)
// cancels the proof: the proving process is killed, the command fails with ProofCancelledError and writes
// nothing.
import type { ProgressListener } from '../adapters/zk/prover.ts';
import type { CommandContext } from './command.ts';

export const PROGRESS_OPTION = { progress: { type: 'boolean' } } as const;

export interface ProofRun {
  progress: ProgressListener;
  signal: AbortSignal;
  /** Stops listening for Ctrl-C. */
  done(): void;
}

export function proofRun(ctx: CommandContext, stderr: NodeJS.WriteStream = process.stderr): ProofRun {
  const show = ctx.options.progress === true || stderr.isTTY === true;
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  return {
    progress: (stage, elapsedMs) => {
      if (show) stderr.write(`… ${stage} (${(elapsedMs / 1000).toFixed(1)} s)\n`);
    },
    signal: controller.signal,
    done: () => process.off('SIGINT', cancel),
  };
}
