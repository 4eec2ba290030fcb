// The named trust lists prove feat --against/--witnesses, verify-proof --trust/--trust-list and trust root --of
// take, and where their chains are read from: archive files, or this home's store (filled over the network).
import { fetchListChains, storeOfArchives, type TrustSource } from '../../app/proofs/trust.ts';
import type { Did } from '../../core/identity/did.ts';
import type { ChainStore } from '../../core/ports.ts';
import { UsageError } from '../io.ts';
import { stringOption, type CommandContext } from '../command.ts';
import { readInputFile } from './files.ts';
import { addressOptions, NETWORK_OPTIONS, onTheNetwork } from './net.ts';

/** Where a named list's chains come from: archive files, or this home's store (filled over the network with --bootstrap). */
export const LIST_CHAIN_OPTIONS = { archive: { type: 'string', multiple: true }, ...NETWORK_OPTIONS } as const;

/** The list an option names: an authority's published list (`authority`), or members given as did,did,… (`members`). */
export function trustSourceOption(ctx: CommandContext, authority: string, members: string): TrustSource | undefined {
  const of = stringOption(ctx, authority);
  const named = stringOption(ctx, members);
  if (of !== undefined && named !== undefined) throw new UsageError(`give --${authority} or --${members}, not both`);
  if (of !== undefined) return { authority: of as Did };
  if (named !== undefined) return { members: named.split(',').map((d) => d.trim()).filter((d) => d !== '') as Did[] };
  return undefined;
}

/** The store the list's chains are read from: the --archive files (verified whole), else this home's, after pulling what it lacks when --bootstrap is given. */
export async function listStore(ctx: CommandContext, source: TrustSource): Promise<ChainStore> {
  const archives = ctx.options.archive;
  if (Array.isArray(archives) && archives.length > 0) return storeOfArchives(ctx.home.crypto, archives.map((file) => readInputFile(String(file), undefined, false)));
  const store = ctx.home.openStore();
  if (addressOptions(ctx).bootstrap.length > 0) await onTheNetwork(ctx, (net) => fetchListChains(net, ctx.home.crypto, store, source));
  return store;
}

