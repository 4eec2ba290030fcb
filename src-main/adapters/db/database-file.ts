// The database file on disk: created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the
// database's mode), and existing files brought back to 0600 on open.
import { chmodSync, closeSync, constants, openSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../fs/atomic-file.ts';

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
