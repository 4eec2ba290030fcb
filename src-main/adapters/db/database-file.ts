// The database file on disk: created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the
// database's mode), existing files brought back to 0600 on open, and SQLite's open failures turned into typed
// errors a person can act on (another process holds the database; the file is not a DeFaust database).
import { chmodSync, closeSync, constants, openSync } from 'node:fs';
import { DefaustError } from '../../core/errors.ts';
import { PRIVATE_FILE_MODE } from '../fs/atomic-file.ts';

/** Another process holds the database locked for longer than the busy timeout. */
export class DatabaseBusyError extends DefaustError {
  override name = 'DatabaseBusyError';
  readonly path: string;
  constructor(path: string) {
    super('database-busy', `the database ${path} is locked by another process (another defaust, or a tool holding it open); close it and try again`);
    this.path = path;
  }
}

/** The file is not a SQLite database, or its pages are damaged. */
export class DatabaseCorruptError extends DefaustError {
  override name = 'DatabaseCorruptError';
  readonly path: string;
  constructor(path: string) {
    super('database-corrupt', `${path} is not a DeFaust database or is damaged; move it away and bring the chain back with defaust import or recover`);
    this.path = path;
  }
}

/** The files SQLite keeps for the database at `path`. */
const databaseFiles = (path: string) => [path, `${path}-wal`, `${path}-shm`];

/** Creates the database file 0600 when missing and sets 0600 on it and its -wal and -shm files when present. */
export function makeDatabaseFilesPrivate(path: string): void {
  closeSync(openSync(path, constants.O_RDONLY | constants.O_CREAT, PRIVATE_FILE_MODE));
  for (const file of databaseFiles(path)) {
    try {
      chmodSync(file, PRIVATE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** The typed error for SQLite's busy and not-a-database failures (by SQLite's result code); others as they are. */
export function databaseError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return error;
  if (code.startsWith('SQLITE_BUSY')) return new DatabaseBusyError(path);
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return new DatabaseCorruptError(path);
  return error;
}
