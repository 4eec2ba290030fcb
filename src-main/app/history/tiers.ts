// The storage tiers of this identity (rule 3: the CLI's `archive status|move`, the wallet's `storage:*` and
// Settings → Storage call these). Headers always stay hot; `moveToArchive` first signs a checkpoint over all
// history (the tier move is then committed by the owner's key), then packs the bodies of every block written
// before the date into archive segment files. Reading, verifying, syncing and exporting read them back as if
// they were hot. Deep archive and purge are not built yet (docs/storage.md says what that leaves).
import type { CheckpointMeta } from '../../core/chain/checkpoint.ts';
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

export interface ArchivePlan {
  /** Blocks from..through−1 would have their bodies moved (`bodies` of them). */
  from: number;
  through: number;
  bodies: number;
  /** The checkpoint signed first: the accumulator's root over the first `size` headers; null when nothing would move. */
  checkpoint: CheckpointMeta | null;
}

/** What a move before `before` would do (for the dialog that shows what will be signed); signs nothing. */
export function planArchive(session: Session, before: number): ArchivePlan {
  const { home, profile } = session;
  profile.refresh();
  const from = home.tiers.archivedThrough(profile.id);
  const through = Math.max(from, home.tiers.blocksBefore(profile.id, before));
  const bodies = through > from ? home.tiers.hotBodiesIn(profile.id, from, through) : 0;
  // Nothing hot before the date (only blocks without bodies, like checkpoints): nothing is signed either.
  return { from, through, bodies, checkpoint: bodies === 0 ? null : profile.historyRoot() };
}

/** Moves the bodies of the blocks written before `before` (ms) into archive segments, after a checkpoint. */
export function moveToArchive(session: Session, before: number): ArchiveMove {
  const { from, through, checkpoint: plan } = planArchive(session, before);
  if (plan === null) return { through: from, moved: { segments: 0, bodies: 0, bytes: 0 }, checkpoint: null };
  const checkpoint = writeCheckpoint(session);
  // The last segment ends at `through`: the archive is then blocks 0..through−1.
  const moved = session.home.tiers.archiveBodies(session.profile.id, through, session.home.clock.now());
  return { through, moved, checkpoint };
}
