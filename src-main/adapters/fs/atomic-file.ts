// Files DeFaust writes whole (exports, replies, proofs, the keystore, settings): written atomically, so a
// crash leaves the old file or the whole new one, and safely in a shared folder: the temporary file has a
// random name in the target's folder and is created exclusively without following links (O_EXCL|O_NOFOLLOW,
// mode 0600), and a symbolic link at the target itself is refused, never written through nor replaced.
import { closeSync, constants, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { DefaustError } from '../../core/errors.ts';

/** Owner read and write only: what every file DeFaust writes gets, whatever the umask. */
export const PRIVATE_FILE_MODE = 0o600;

/** The target (a file or an output folder) is a symbolic link: DeFaust does not write through one. */
export class SymlinkRefusedError extends DefaustError {
  override name = 'SymlinkRefusedError';
  readonly path: string;
  constructor(path: string) {
    super('file-is-symlink', `${path} is a symbolic link; DeFaust does not write through links (remove it or choose another path)`);
    this.path = path;
  }
}

/** The file could not be written; `errno` is the system's code (ENOSPC, EACCES, …). The target is unchanged. */
export class FileWriteError extends DefaustError {
  override name = 'FileWriteError';
  readonly path: string;
  readonly errno: string;
  constructor(path: string, errno: string) {
    super('file-write', `cannot write ${path}: ${errno}`);
    this.path = path;
    this.errno = errno;
  }
}

const errnoOf = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? 'error';

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw new FileWriteError(path, errnoOf(error));
  }
}

/** Throws SymlinkRefusedError when `path` itself is a symbolic link (a missing path is fine). */
export function refuseSymlink(path: string): void {
  if (isSymlink(path)) throw new SymlinkRefusedError(path);
}

/** Makes the output folder `path` (and its parents) unless it is there; refuses a symbolic link at `path`. */
export function makeOutputFolder(path: string): void {
  refuseSymlink(path);
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new FileWriteError(path, errnoOf(error));
  }
}

const EXCLUSIVE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
}

function syncFolder(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `bytes` to `path` so that a crash leaves either the old file or the whole new one, mode 0600.
 * Refuses a symbolic link at `path` (SymlinkRefusedError); on any failure the temporary file is removed and
 * `path` is as it was (FileWriteError).
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  refuseSymlink(path);
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  // The name's first 100 characters keep the temporary name under the 255 a file name may have.
  const tmp = join(dirname(path), `.${basename(path).slice(0, 100)}.${randomBytes(12).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, EXCLUSIVE_NEW, PRIVATE_FILE_MODE);
  } catch (error) {
    throw new FileWriteError(path, errnoOf(error));
  }
  try {
    try {
      fchmodSync(fd, PRIVATE_FILE_MODE);
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    refuseSymlink(path);
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone (renamed, or removed by someone else): nothing of ours is left behind.
    }
    if (error instanceof DefaustError) throw error;
    throw new FileWriteError(path, errnoOf(error));
  }
  try {
    syncFolder(dirname(path));
  } catch (error) {
    throw new FileWriteError(path, errnoOf(error));
  }
}
