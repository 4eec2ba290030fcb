// Failures of the disk under a store port: full, or refusing to write. Adapters turn their own errors into
// these, so every face tells the user with a stable code that nothing was written and why.
import { DefaustError } from './errors.ts';

/** The disk (or the quota of the database) is full: the write was rolled back whole. */
export class StorageFullError extends DefaustError {
  override name = 'StorageFullError';
  constructor(message: string) {
    super('disk-full', message);
  }
}

/** The disk failed to read or write (EIO): the write was rolled back whole. */
export class StorageIoError extends DefaustError {
  override name = 'StorageIoError';
  constructor(message: string) {
    super('disk-io', message);
  }
}
