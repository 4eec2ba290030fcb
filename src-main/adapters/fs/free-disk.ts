// Free space on the disk a folder is on, for storage for others that follows the machine (the node limits'
// minFreeDiskBytes). A disk that cannot be asked counts as unwatched: the byte limits still hold.
import { statfsSync } from 'node:fs';

export function freeDiskBytes(dir: string): number {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
