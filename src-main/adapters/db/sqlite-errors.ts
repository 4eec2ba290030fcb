// SQLite's disk failures as typed storage errors: SQLITE_FULL (ENOSPC, or max_page_count reached) and the
// SQLITE_IOERR family (EIO and kin). SQLite rolls the transaction back in both cases; anything else passes on.
import { StorageFullError, StorageIoError } from '../../core/storage-errors.ts';

/** Runs a write, turning SQLite's disk-full and I/O errors into StorageFullError and StorageIoError; `lost` says what was not written. */
export function withDiskErrors<T>(write: () => T, lost = 'nothing was written'): T {
  try {
    return write();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_FULL') throw new StorageFullError(`the disk is full: ${lost} (free some space and try again)`);
    if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) throw new StorageIoError(`the disk failed to write (${code}): ${lost}`);
    throw error;
  }
}
