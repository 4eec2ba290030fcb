// The home folder on disk: created 0700 (whatever the umask), an existing one that the group or others can
// read tightened to 0700 when it is ours, and a file where the folder should be refused with a typed error.
import { chmodSync, mkdirSync, statSync, type Stats } from 'node:fs';
import { DefaustError } from '../../core/errors.ts';

/** Owner only: the home holds the keystore and the database. */
export const PRIVATE_FOLDER_MODE = 0o700;

/** The home path (`--home`, DEFAUST_HOME) names a file, or passes through one. */
export class HomeNotAFolderError extends DefaustError {
  override name = 'HomeNotAFolderError';
  readonly path: string;
  constructor(path: string) {
    super('home-not-a-folder', `${path} is not a folder; --home (or DEFAUST_HOME) must name a folder`);
    this.path = path;
  }
}

/** The folder's stat, undefined when nothing is at `dir`; HomeNotAFolderError when a file is. */
export function folderStat(dir: string): Stats | undefined {
  let stat: Stats;
  try {
    stat = statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new HomeNotAFolderError(dir);
    throw error;
  }
  if (!stat.isDirectory()) throw new HomeNotAFolderError(dir);
  return stat;
}

/** Makes `dir` a folder only its owner can enter: created 0700, or tightened to 0700 when it is ours. */
export function preparePrivateFolder(dir: string): void {
  const stat = folderStat(dir);
  if (stat === undefined) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
    chmodSync(dir, PRIVATE_FOLDER_MODE);
  } else if ((stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) {
    chmodSync(dir, stat.mode & PRIVATE_FOLDER_MODE);
  }
}
