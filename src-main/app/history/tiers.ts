// The storage tiers of this identity (rule 3: the CLI's `archive status|move`, the wallet's `storage:*` and
// Settings → Storage call these). Headers always stay hot; `moveToArchive` first signs a checkpoint over all
// history (the tier move is then committed by the owner's key), then packs the bodies of every block written
// before the date into archive segment files. Reading, verifying, syncing and exporting read them back as if
// they were hot. Deep archive and purge are not built yet (docs/storage.md says what that leaves).
import type { BlockSummary } from '../../core/chain/writer.ts';
import type { TierSizes } from '../../core/ports.ts';
import type { Session } from '../session.ts';
import { writeCheckpoint } from './inclusion.ts';

export interface StorageTiers extends TierSizes {
  /** When the oldest hot block was written (ms), null when every body is archived or there is none. */
  oldestHotTs: number | null;
  /** Plain warnings for the owner (nothing archived yet on a large chain, segments that cannot be read…). */
  warnings: string[];
}

/** Hot bodies past this many bytes make Settings suggest moving old ones to the archive. */
const HOT_WARNING_BYTES = 256 * 1024 * 1024;

export function storageTiers(session: Session): StorageTiers {
  const { home, profile } = session;
  const sizes = home.tiers.tierSizes(profile.id);
  const oldestHot = sizes.archive.through < sizes.blocks ? home.store.header(profile.id, sizes.archive.through) : undefined;
  const warnings: string[] = [];
  if (sizes.hot.bytes > HOT_WARNING_BYTES) warnings.push(`Your hot store holds ${Math.round(sizes.hot.bytes / 1024 / 1024)} MiB of bodies: moving old ones to the archive keeps the database small.`);
  return { ...sizes, oldestHotTs: oldestHot?.ts ?? null, warnings };
}

export interface ArchiveMove {
  /** The bodies of blocks 0..through−1 are archived now. */
  through: number;
  moved: { segments: number; bodies: number; bytes: number };
  /** The checkpoint signed before the move; null when there was nothing to move (nothing is signed then). */
  checkpoint: BlockSummary | null;
}

/** How many blocks a move before `before` would archive that are not archived yet (for the dialog). */
export function archivable(session: Session, before: number): { from: number; through: number } {
  const { home, profile } = session;
  profile.refresh();
  return { from: home.tiers.archivedThrough(profile.id), through: home.tiers.blocksBefore(profile.id, before) };
}

/** Moves the bodies of the blocks written before `before` (ms) into archive segments, after a checkpoint. */
export function moveToArchive(session: Session, before: number): ArchiveMove {
  const { from, through } = archivable(session, before);
  if (through <= from) return { through: from, moved: { segments: 0, bodies: 0, bytes: 0 }, checkpoint: null };
  const checkpoint = writeCheckpoint(session);
  const moved = session.home.tiers.archiveBodies(session.profile.id, through, session.home.clock.now());
  return { through: session.home.tiers.archivedThrough(session.profile.id), moved, checkpoint };
}
