// SQLite's failures a person can act on, as typed errors, by SQLite's result code: another process holds the
// database (SQLITE_BUSY), the file is not a DeFaust database (SQLITE_NOTADB, SQLITE_CORRUPT), the disk is full
// (SQLITE_FULL: ENOSPC, or max_page_count reached) or failed (the SQLITE_IOERR family). SQLite rolls the
// transaction back in every case; any other error passes on as it is.
import { DefaustError } from '../../core/errors.ts';
import { StorageFullError, StorageIoError } from '../../core/storage-errors.ts';

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

/** The typed error for a SQLite failure on the database at `path`; `lost` says what was not written. */
export function databaseError(error: unknown, path: string, lost = 'nothing was written'): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  if (code.startsWith('SQLITE_BUSY')) return new DatabaseBusyError(path);
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return new DatabaseCorruptError(path);
  if (code === 'SQLITE_FULL') return new StorageFullError(`the disk is full: ${lost} (free some space and try again)`);
  if (code.startsWith('SQLITE_IOERR')) return new StorageIoError(`the disk failed to write (${code}): ${lost}`);
  return error;
}

/** Runs a write on the database at `path`, its SQLite failures turned into the typed errors above. */
export function withDatabaseErrors<T>(path: string, write: () => T, lost?: string): T {
  try {
    return write();
  } catch (error) {
    throw databaseError(error, path, lost);
  }
}
