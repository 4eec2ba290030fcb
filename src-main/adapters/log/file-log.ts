// The home's log file, `logs/defaust.log`: one JSON line an entry, appended synchronously (a crash keeps
// what was told), mode 0600 in a 0700 folder; past `maxBytes` it rotates to `.1`, `.2`, keeping `keep` files in
// all and dropping the oldest. Written here rather than with a library: the CLI and the headless node are plain Node processes
// that exit right after their work (an async stream would lose the last lines), and this is 40 lines.
import { appendFileSync, chmodSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogFields, Logger, LogLevel } from '../../core/log.ts';

export const LOG_MAX_BYTES = 1024 * 1024;
/** Files kept in all: the live one and two rotated. */
export const LOG_KEEP = 3;

export class FileLogger implements Logger {
  private readonly path: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => number;

  constructor(path: string, options: { maxBytes?: number; keep?: number; now?: () => number } = {}) {
    this.path = path;
    this.maxBytes = options.maxBytes ?? LOG_MAX_BYTES;
    this.keep = options.keep ?? LOG_KEEP;
    this.now = options.now ?? Date.now;
  }

  debug(event: string, fields?: LogFields): void {
    this.write('debug', event, fields);
  }
  info(event: string, fields?: LogFields): void {
    this.write('info', event, fields);
  }
  warn(event: string, fields?: LogFields): void {
    this.write('warn', event, fields);
  }
  error(event: string, fields?: LogFields): void {
    this.write('error', event, fields);
  }

  private write(level: LogLevel, event: string, fields: LogFields = {}): void {
    const line = JSON.stringify({ ts: new Date(this.now()).toISOString(), level, event, ...fields }) + '\n';
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      if (this.size() + Buffer.byteLength(line) > this.maxBytes) this.rotate();
      appendFileSync(this.path, line, { mode: 0o600 });
      chmodSync(this.path, 0o600);
    } catch {
      // The log is the last resort for reporting: a full or read-only disk must not break the work it reports on.
    }
  }

  private size(): number {
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }

  private rotate(): void {
    rmSync(`${this.path}.${this.keep - 1}`, { force: true });
    for (let n = this.keep - 2; n >= 1; n--) {
      try {
        renameSync(`${this.path}.${n}`, `${this.path}.${n + 1}`);
      } catch {
        // That generation does not exist yet.
      }
    }
    renameSync(this.path, `${this.path}.1`);
  }
}
