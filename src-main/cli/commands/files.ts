// Commands that move files: attach, media get, media list, export, import.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { refuseSymlink, writeFileAtomic } from '../../adapters/fs/atomic-file.ts';
import { DefaustError, InvalidInputError } from '../../core/errors.ts';
import { MAX_MEDIA_BYTES } from '../../core/media/media.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, textOption, type Command, type CommandContext } from '../command.ts';
import { addressOptions, NETWORK_OPTIONS, onTheNetwork } from './net.ts';
import { MAX_MEDIA_TYPE_CHARS } from '../../../src-shared/rules/text.ts';
import { term } from '../terminal.ts';
import { openSession } from '../../app/session.ts';
import { importArchiveFile } from '../../app/archive/import.ts';
import { MediaUnavailableError, readMedia } from '../../app/media/read.ts';

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp',
  '.svg': 'image/svg+xml', '.mp4': 'video/mp4', '.webm': 'video/webm', '.mov': 'video/quicktime', '.pdf': 'application/pdf',
  '.txt': 'text/plain',
};

class FileError extends DefaustError {
  override name = 'FileError';
  constructor(message: string) {
    super('file', message);
  }
}

/** Reads a whole input file, refusing a missing, non-regular, oversized or empty one with a clear error. */
export function readInputFile(path: string, limit = 4 * 1024 * 1024 * 1024, allowEmpty = true): Uint8Array {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new FileError(`${path} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`cannot read ${path}: no such file`);
  }
  if (size > limit) throw new FileError(`${path} is larger than ${limit} bytes`);
  if (size === 0 && !allowEmpty) throw new InvalidInputError(`${path} is empty`);
  return new Uint8Array(readFileSync(path));
}

/** Refuses an output path that is a symbolic link, or an existing file without --force (before a command acts). */
export function checkOutputFile(ctx: CommandContext, path: string): void {
  refuseSymlink(path);
  if (existsSync(path) && ctx.options.force !== true) throw new FileError(`${path} already exists (use --force to replace it)`);
}

/** Writes an output file atomically, mode 0600, after checkOutputFile. */
export function writeOutputFile(ctx: CommandContext, path: string, bytes: Uint8Array): void {
  checkOutputFile(ctx, path);
  writeFileAtomic(path, bytes);
}

export const attach: Command = {
  name: 'attach',
  usage: 'defaust attach <file> --section S --event E [--type MIME]',
  summary: 'attach a picture or film to an event in a section (chunked and encrypted)',
  options: { section: { type: 'string' }, event: { type: 'string' }, type: { type: 'string' } },
  arity: [1, 1],
  async run(ctx) {
    const file = ctx.positionals[0]!;
    const section = stringOption(ctx, 'section');
    const event = stringOption(ctx, 'event');
    if (!section || !event) throw new UsageError('attach needs --section and --event');
    const bytes = readInputFile(file, MAX_MEDIA_BYTES);
    const type = textOption(ctx, 'type', MAX_MEDIA_TYPE_CHARS) ?? MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const profile = ctx.home.openProfile(await passphrase(ctx.env));
    const { ref, block } = profile.attach(section, event, bytes, basename(file), type);
    const cid = ref.cid.toString();
    ctx.out.result({ cid, size: ref.size, chunks: ref.chunks, block: block.seq }, () => term`attached ${basename(file)} (${ref.size} bytes) as ${cid} in block ${block.seq}`);
  },
};

export const mediaGet: Command = {
  name: 'media get',
  usage: 'defaust media get <cid> --out FILE [--force] [--bootstrap <multiaddr>]…',
  summary: 'decrypt a media object back into a file, byte for byte (what this home lacks is fetched from the replicas)',
  options: { out: { type: 'string' }, force: { type: 'boolean' }, ...NETWORK_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    const out = stringOption(ctx, 'out');
    if (!out) throw new UsageError('media get needs --out FILE');
    checkOutputFile(ctx, out);
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const { ref } = session.profile.mediaItem(ctx.positionals[0]!);
    const bytes = await readMedia(session, ref).catch((error: unknown) => {
      if (!(error instanceof MediaUnavailableError)) throw error;
      return onTheNetwork(ctx, (net) => {
        ctx.out.note(`${error.missing} part(s) of this file are not stored here; fetching them from the replicas…`);
        return readMedia(session, ref, (owner, cids) => net.fetchBlobs(owner, cids));
      });
    });
    writeOutputFile(ctx, out, bytes);
    ctx.out.result({ cid: ref.cid.toString(), name: ref.name, type: ref.type, size: bytes.length, out }, () => term`wrote ${bytes.length} bytes to ${out}`);
  },
};

export const mediaList: Command = {
  name: 'media list',
  usage: 'defaust media list',
  summary: 'list the media attached to the profile',
  arity: [0, 0],
  async run(ctx) {
    const media = ctx.home.openProfile(await passphrase(ctx.env)).mediaList().map(({ section, event, ref }) => ({
      cid: ref.cid.toString(), section, event, name: ref.name, type: ref.type, size: ref.size,
    }));
    ctx.out.result(media, () => media.map((m) => term`${m.cid}  ${m.section}/${m.event}  ${m.name} (${m.type}, ${m.size} bytes)`).join('\n') || '(no media)');
  },
};

export const exportCommand: Command = {
  name: 'export',
  usage: 'defaust export --out FILE [--force]',
  summary: 'write the whole encrypted archive (headers, bodies, media) to one file',
  options: { out: { type: 'string' }, force: { type: 'boolean' } },
  arity: [0, 0],
  run(ctx) {
    const out = stringOption(ctx, 'out');
    if (!out) throw new UsageError('export needs --out FILE');
    const bytes = ctx.home.exportArchive();
    writeOutputFile(ctx, out, bytes);
    ctx.out.result({ out, bytes: bytes.length }, () => term`wrote the archive (${bytes.length} bytes) to ${out}`);
  },
};

export const importCommand: Command = {
  name: 'import',
  usage: 'defaust import <file> [--accept-older] [--without-media] [--bootstrap ADDR]',
  summary: 'verify an archive completely, then add what it has beyond the chain held here (with --bootstrap, checked against the network\'s head record)',
  options: { 'accept-older': { type: 'boolean' }, 'without-media': { type: 'boolean' }, ...NETWORK_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    const bytes = readInputFile(ctx.positionals[0]!, undefined, false);
    const id = ctx.home.id();
    const record = addressOptions(ctx).bootstrap.length > 0 ? await onTheNetwork(ctx, (net) => net.lookupHead(id)) : undefined;
    const keys = ctx.home.unlock(await passphrase(ctx.env));
    const outcome = await importArchiveFile(ctx.home, keys, bytes, {
      ...(record === undefined ? {} : { networkHead: () => Promise.resolve({ reached: true, length: record === null ? null : record.seq + 1 }) }),
      acceptOlder: ctx.options['accept-older'] === true,
      withoutMedia: ctx.options['without-media'] === true,
    });
    const result = { added: outcome.added, length: outcome.length };
    ctx.out.result(result, () => term`imported ${result.added} new blocks; the chain has ${result.length}`);
  },
};
