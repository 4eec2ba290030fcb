// Recovery by friends on the command line: the owner splits (`recovery split`), custodians keep and release
// (`custody list|import|release`, by mail or file), the person who lost everything starts and combines
// (`recovery start`, `recovery combine`, which first fetches the releases that came by mail). Each command
// parses, calls the app verb (app/recovery/*) and prints.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeOutputFolder } from '../../adapters/fs/atomic-file.ts';
import { listCustody, releaseShare, takeShare } from '../../app/recovery/custody.ts';
import { fetchReleases, recoverWithShares, startRecovery } from '../../app/recovery/rebuild.ts';
import { splitRecovery, type Carrier } from '../../app/recovery/split.ts';
import { openSession, type Session } from '../../app/session.ts';
import { assertDid, type Did } from '../../core/identity/did.ts';
import { MAX_SHARE_BYTES } from '../../core/recovery/scheme.ts';
import { DefaustError } from '../../core/errors.ts';
import { stringOption, type Command, type CommandContext } from '../command.ts';
import { passphrase, readSecretInput, UsageError } from '../io.ts';
import { term } from '../terminal.ts';
import { readInputFile, writeOutputFile } from './files.ts';
import { bringChainBack } from './identity.ts';
import { addressOptions, NETWORK_OPTIONS, onTheNetwork } from './net.ts';

const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');

/** Shares and releases by mail: through the given bootstrap peers or this home's running node. */
function carrierOf(ctx: CommandContext, session: Session): Carrier {
  return (parcels) => onTheNetwork(ctx, async (net) => {
    net.unlock(session.keys);
    return Promise.all(parcels.map(async ({ to, envelope }) => (await net.send(to, envelope)).deposited));
  });
}

const NOT_REVOKED = 'Splitting again makes a new set; it does NOT revoke the shares you gave before: their custodians keep them.';

export const recoverySplit: Command = {
  name: 'recovery split',
  usage: 'defaust recovery split --custodian DID… --k K [--out DIR | --bootstrap <multiaddr>…] < PHRASE-FILE',
  summary: 'split your recovery phrase among custodians: any K of them can give it back; one sealed share each, by mail or to --out DIR',
  options: { custodian: { type: 'string', multiple: true }, k: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, ...NETWORK_OPTIONS },
  arity: [0, 0],
  async run(ctx) {
    const custodians = list(ctx.options.custodian);
    const kText = stringOption(ctx, 'k');
    if (kText === undefined || !/^\d{1,3}$/u.test(kText)) throw new UsageError('--k is the number of custodians needed to recover (a whole number)');
    for (const c of custodians) assertDid(c);
    const out = stringOption(ctx, 'out');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const mnemonic = await readSecretInput('Recovery phrase: ');
    const made = await splitRecovery(session, mnemonic, custodians as Did[], Number(kText), out === undefined ? carrierOf(ctx, session) : null);
    ctx.out.warn(NOT_REVOKED);
    if (out === undefined) {
      const sent = made.shares.map(({ custodian, index }, i) => ({ custodian, index, deposited: made.deposited[i] ?? 0 }));
      ctx.out.result({ set: made.set, k: made.k, n: made.n, sent }, () =>
        [term`Set ${made.set}: any ${made.k} of ${made.n} custodians can give your phrase back.`, ...sent.map((s) => term`  share ${s.index} → ${s.custodian} (${s.deposited} mailboxes)`)].join('\n'));
      return;
    }
    makeOutputFolder(out);
    const files = made.shares.map(({ custodian, index, envelope }) => {
      const file = join(out, `share-${index}-${custodian.slice(-8)}.recovery-share`);
      writeOutputFile(ctx, file, envelope);
      return { custodian, index, file };
    });
    ctx.out.result({ set: made.set, k: made.k, n: made.n, files }, () =>
      [term`Set ${made.set}: any ${made.k} of ${made.n} custodians can give your phrase back. Give each file to its custodian:`, ...files.map((f) => term`  ${f.file} → ${f.custodian}`)].join('\n'));
  },
};

export const custodyImport: Command = {
  name: 'custody import',
  usage: 'defaust custody import <FILE | mail-id>',
  summary: 'keep a recovery share someone gave you, as a file or by mail (checked: sealed to you, signed by its owner)',
  arity: [1, 1],
  async run(ctx) {
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const source = ctx.positionals[0]!;
    const entry = takeShare(session, existsSync(source) ? { bytes: readInputFile(source, MAX_SHARE_BYTES, false) } : { mail: source });
    ctx.out.result(entry, () =>
      entry.fresh ? term`Keeping share ${entry.index} of ${entry.n} (any ${entry.k} recover) for ${entry.owner}.` : term`You keep this share of ${entry.owner} already.`);
  },
};

export const custodyList: Command = {
  name: 'custody list',
  usage: 'defaust custody list',
  summary: 'the recovery shares you keep for others: whose, which set, when received',
  arity: [0, 0],
  async run(ctx) {
    const { entries, waiting } = listCustody(openSession(ctx.home, await passphrase(ctx.env)));
    ctx.out.result(entries, () => [
      ...(entries.length === 0 ? ['You keep no recovery shares.'] : entries.map((e) => term`${e.owner}  set ${e.set}  share ${e.index}/${e.n} (k ${e.k})  received ${new Date(e.receivedAt).toISOString()}`)),
      ...waiting.map((w) => term`waiting in your mail: ${w.id} from ${w.from} (keep it with defaust custody import ${w.id})`),
    ].join('\n'));
  },
};

export class ReleaseNotDeliveredError extends DefaustError {
  override name = 'ReleaseNotDeliveredError';
  constructor(to: Did) {
    super('not-delivered', `no mailbox of ${to} took the released share; try again later, or write it to a file with --out FILE and give it to them`);
  }
}

export const custodyRelease: Command = {
  name: 'custody release',
  usage: 'defaust custody release <owner-did> --to <temporary-did> (--out FILE | --bootstrap <multiaddr>…) [--set ID]',
  summary: "after checking by a call or in person that it is really them: seal your share of owner's phrase to the temporary id they gave you, to its mailboxes or to --out FILE",
  options: { to: { type: 'string' }, set: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, ...NETWORK_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    const owner = ctx.positionals[0]!;
    const to = stringOption(ctx, 'to');
    const out = stringOption(ctx, 'out');
    if (to === undefined) throw new UsageError('--to names the temporary id the owner gave you (defaust recovery start prints it)');
    assertDid(owner);
    assertDid(to);
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const released = releaseShare(session, owner, to, stringOption(ctx, 'set'));
    if (out !== undefined) {
      writeOutputFile(ctx, out, released.envelope);
      ctx.out.result({ owner, set: released.set, to, out }, () => term`Released your share of ${owner} to ${to}: give ${out} to them.`);
      return;
    }
    const [deposited = 0] = await carrierOf(ctx, session)([{ to, envelope: released.envelope }]);
    if (deposited === 0) throw new ReleaseNotDeliveredError(to);
    ctx.out.result({ owner, set: released.set, to, deposited }, () => term`Released your share of ${owner} to ${to}, sealed, in ${deposited} of its mailboxes.`);
  },
};

export const recoveryStart: Command = {
  name: 'recovery start',
  usage: 'defaust recovery start',
  summary: 'lost your phrase and your devices? make a temporary id in a new home and give it to your custodians',
  arity: [0, 0],
  async run(ctx) {
    const { temporaryId, fresh } = startRecovery(ctx.home, await passphrase(ctx.env, true));
    ctx.out.result({ temporaryId, fresh }, () =>
      [term`Your temporary id: ${temporaryId}`, '', 'Call each custodian (or meet them) so they know it is you, and give them this id.', 'Then: defaust recovery combine --bootstrap <multiaddr> (the shares they released by mail) [FILE…] (those they gave you as files).'].join('\n'));
  },
};

export const recoveryCombine: Command = {
  name: 'recovery combine',
  usage: 'defaust recovery combine [FILE…] [--bootstrap <multiaddr>…]',
  summary: 'rebuild your identity from the shares custodians released to your temporary id (as files, and by mail: those are fetched first and kept here); with --bootstrap, its chain from the network',
  options: { ...NETWORK_OPTIONS },
  arity: [0, 255],
  async run(ctx) {
    const pass = await passphrase(ctx.env);
    const releases = ctx.positionals.map((file) => readInputFile(file, MAX_SHARE_BYTES, false));
    if (releases.length === 0 || addressOptions(ctx).bootstrap.length > 0) {
      const mail = await fetchReleases(ctx.home, pass, (me, take) => onTheNetwork(ctx, (net) => net.messaging.fetchMail(me, { take })));
      ctx.out.note(`${mail.fetched} released share(s) came by mail; ${mail.kept} kept here in all.`);
      if (mail.refused > 0) ctx.out.warn(`${mail.refused} released share(s) in the mail did not open (altered, or sealed to another key): left out`);
    }
    const recovered = await recoverWithShares(ctx.home, pass, releases);
    await bringChainBack(ctx, recovered, pass, addressOptions(ctx).bootstrap.length > 0);
  },
};
