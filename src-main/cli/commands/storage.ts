// Storage tiers on the command line: `archive status` (what each tier holds) and `archive move --before DATE`
// (sign a checkpoint, then move the bodies of older blocks into archive segments). The verbs are
// app/history/tiers.ts's, shared with Settings → Storage.
import { moveToArchive, storageTiers } from '../../app/history/tiers.ts';
import { openSession } from '../../app/session.ts';
import { stringOption, type Command } from '../command.ts';
import { passphrase, UsageError } from '../io.ts';
import { term } from '../terminal.ts';
import { iso, parseTime } from '../time.ts';
import { kib } from './net.ts';

export const archiveStatus: Command = {
  name: 'archive status',
  usage: 'defaust archive status',
  summary: 'what each storage tier holds of your history: headers and recent bodies hot, older bodies in archive segments',
  arity: [0, 0],
  async run(ctx) {
    const tiers = storageTiers(openSession(ctx.home, await passphrase(ctx.env)));
    ctx.out.result(tiers, () => [
      term`${tiers.blocks} blocks; headers ${kib(tiers.headerBytes)} (always hot)`,
      term`hot:     ${tiers.hot.bodies} bodies, ${kib(tiers.hot.bytes)}${tiers.oldestHotTs === null || tiers.hot.bodies === 0 ? '' : term`, from ${iso(tiers.oldestHotTs)}`}`,
      tiers.archive.segments === 0
        ? 'archive: nothing yet (defaust archive move --before DATE)'
        : term`archive: ${tiers.archive.bodies} bodies of blocks 0..${tiers.archive.through - 1}, ${kib(tiers.archive.bytes)} in ${tiers.archive.segments} segment(s)`,
      ...tiers.warnings,
    ].join('\n'));
  },
};

export const archiveMove: Command = {
  name: 'archive move',
  usage: 'defaust archive move --before DATE',
  summary: 'sign a checkpoint, then move the bodies of the blocks written before DATE into archive segments (headers stay hot; everything reads and verifies as before)',
  options: { before: { type: 'string' } },
  arity: [0, 0],
  async run(ctx) {
    const text = stringOption(ctx, 'before');
    if (text === undefined) throw new UsageError('--before DATE: the bodies of blocks written before it move to the archive (2026-01-31, or 2026-01-31T12:00Z)');
    const before = parseTime(text, '--before');
    const move = moveToArchive(openSession(ctx.home, await passphrase(ctx.env)), before);
    ctx.out.result(move, () => move.checkpoint === null
      ? term`Nothing to move: the blocks before ${iso(before)} are archived already (bodies of blocks 0..${move.through - 1}).`
      : term`Signed a checkpoint at seq ${move.checkpoint.seq}; moved ${move.moved.bodies} bodies (${kib(move.moved.bytes)}) into ${move.moved.segments} segment(s): blocks 0..${move.through - 1} are archived.`);
  },
};
