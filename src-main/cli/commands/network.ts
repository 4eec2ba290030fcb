// Private network commands (app/network/private.ts; docs/network.md "Private networks"): `network create`,
// `network invite` (to a file, standard output as base64, or the invitee's mailboxes with --send), `network
// join` (from a file or a mail), `network leave`, `network list`. The node runs in one with `serve --network`.
import { createNetwork, inviteToNetwork, joinNetwork, leaveNetwork, listNetworks, waitingInvites } from '../../app/network/private.ts';
import { toBase64 } from '../../app/wallet/bytes.ts';
import { assertDid } from '../../core/identity/did.ts';
import { MAX_NETWORK_INVITE_BYTES } from '../../../src-shared/rules/networks.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, type Command } from '../command.ts';
import { term } from '../terminal.ts';
import { iso } from '../time.ts';
import { readInputFile, writeOutputFile } from './files.ts';
import { NETWORK_OPTIONS, onTheNetwork } from './net.ts';

export const networkCreate: Command = {
  name: 'network create',
  usage: 'defaust network create <name>',
  summary: 'make a private network (a fresh pre-shared key, kept sealed in this home)',
  arity: [1, 1],
  async run(ctx) {
    const keys = ctx.home.unlock(await passphrase(ctx.env));
    const entry = createNetwork(ctx.home, keys, ctx.positionals[0]!);
    ctx.out.result(entry, () => term`made the private network ${entry.name} (${entry.id}); invite members with defaust network invite ${entry.name} <did>, run in it with defaust serve --network ${entry.name}`);
  },
};

export const networkInvite: Command = {
  name: 'network invite',
  usage: 'defaust network invite <name> <did> [--out FILE | --send [--bootstrap <multiaddr>]…]',
  summary: "give a did the network's key: signed by you, sealed to the did (to a file, or with --send to its mailboxes; else base64 on standard output)",
  options: { out: { type: 'string' }, force: { type: 'boolean' }, send: { type: 'boolean' }, ...NETWORK_OPTIONS },
  arity: [2, 2],
  async run(ctx) {
    const [name, to] = ctx.positionals as [string, string];
    assertDid(to);
    const out = stringOption(ctx, 'out');
    const send = ctx.options.send === true;
    if (out !== undefined && send) throw new UsageError('give --out FILE or --send, not both');
    const keys = ctx.home.unlock(await passphrase(ctx.env));
    const invite = inviteToNetwork(ctx.home, keys, name, to);
    if (send) {
      const report = await onTheNetwork(ctx, (net) => {
        net.unlock(keys);
        return net.send(to, invite);
      });
      ctx.out.result({ name, to, deposited: report.deposited }, () => (report.deposited > 0
        ? term`invite to ${name} left in ${report.deposited} mailbox(es) of ${to}`
        : term`no mailbox of ${to} took the invite: send a file instead (--out FILE)`));
      return report.deposited > 0 ? undefined : 1;
    }
    if (out === undefined) {
      process.stdout.write(toBase64(invite) + '\n');
      return;
    }
    writeOutputFile(ctx, out, invite);
    ctx.out.result({ name, to, out }, () => term`wrote the invite to ${name} for ${to} to ${out} (only ${to} can open it)`);
  },
};

/** An invite file's bytes: as written by --out, or the base64 line printed without it. */
function inviteBytes(file: Uint8Array): Uint8Array {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(file).trim();
  return /^[A-Za-z0-9+/]+={0,2}$/u.test(text) ? new Uint8Array(Buffer.from(text, 'base64')) : file;
}

export const networkJoin: Command = {
  name: 'network join',
  usage: 'defaust network join <invite-file> | --mail <id> [--as NAME]',
  summary: 'open an invite sealed to you, check who signed it, and keep the network key sealed here',
  options: { mail: { type: 'string' }, as: { type: 'string' } },
  arity: [0, 1],
  async run(ctx) {
    const mail = stringOption(ctx, 'mail');
    const file = ctx.positionals[0];
    if ((mail === undefined) === (file === undefined)) throw new UsageError('network join needs an invite file, or --mail <id> (defaust network list shows the invites in your mail)');
    const keys = ctx.home.unlock(await passphrase(ctx.env));
    const entry = joinNetwork(ctx.home, keys, mail !== undefined ? { mail } : { bytes: inviteBytes(readInputFile(file!, MAX_NETWORK_INVITE_BYTES * 2, false)) }, stringOption(ctx, 'as'));
    ctx.out.result(entry, () => term`joined the private network ${entry.name} (${entry.id}), invited by ${entry.from ?? 'you'}; run in it with defaust serve --network ${entry.name}`);
  },
};

export const networkLeave: Command = {
  name: 'network leave',
  usage: 'defaust network leave <name>',
  summary: "forget a private network's key (a node running in it stays until it stops)",
  arity: [1, 1],
  run(ctx) {
    const name = ctx.positionals[0]!;
    leaveNetwork(ctx.home, name);
    ctx.out.result({ name, left: true }, () => term`left the private network ${name}: its key is gone from this home`);
  },
};

export const networkList: Command = {
  name: 'network list',
  usage: 'defaust network list',
  summary: 'the private networks this home belongs to, and invites waiting in your mail',
  arity: [0, 0],
  run(ctx) {
    const networks = listNetworks(ctx.home);
    const waiting = ctx.home.hasIdentity() ? waitingInvites(ctx.home) : [];
    ctx.out.result({ networks, waiting }, () => [
      networks.length === 0 ? 'no private network: this home is in the public one only (defaust network create <name>, or join an invite)' : 'private networks:',
      ...networks.map((n) => term`  ${n.name}  ${n.id}  ${n.from === null ? 'made here' : term`invited by ${n.from}`}  ${iso(n.joinedAt)}`),
      ...(waiting.length > 0 ? ['invites in your mail:', ...waiting.map((w) => term`  ${w.id} from ${w.from}: defaust network join --mail ${w.id}`)] : []),
    ].join('\n'));
  },
};

export const NETWORK_COMMANDS = [networkCreate, networkInvite, networkJoin, networkLeave, networkList];
