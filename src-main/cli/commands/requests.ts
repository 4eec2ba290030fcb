// Change-request commands: propose (the grantee's side), requests / requests import / approve / reject (the
// owner's). They parse the arguments and show the result; app/requests does the act.
import { InvalidInputError } from '../../core/errors.ts';
import type { RequestView } from '../../core/requests/inbox.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, textOption, type Command, type CommandContext } from '../command.ts';
import { MAX_REASON_CHARS } from '../../../src-shared/rules/text.ts';
import { parseValue, valueOptions } from './profile.ts';
import { checkOutputFile, readInputFile, writeOutputFile } from './files.ts';
import { NETWORK_OPTIONS, onTheNetwork } from './net.ts';
import { assertDid, type Did } from '../../core/identity/did.ts';
import { MAX_REQUEST_BYTES } from '../../../src-shared/rules/limits.ts';
import { parseWhole } from '../../../src-shared/rules/number.ts';
import { term } from '../terminal.ts';
import { openSession } from '../../app/session.ts';
import { approveRequest, importRequest, listRequests, rejectRequest } from '../../app/requests/inbox.ts';
import { proposeOverNetwork, proposeToFile } from '../../app/requests/propose.ts';

const readFile = (path: string): Uint8Array => readInputFile(path, undefined, false);

const shown = (r: RequestView) => ({ id: r.id, from: r.from, section: r.section, ops: r.ops, status: r.status, base: r.base, changes: r.changes, ...(r.merge ? { merge: r.merge } : {}) });

function describe(r: RequestView): string {
  const lines = [term`${r.id}  from ${r.from}  section ${r.section}  [${r.status}]`];
  for (const c of r.changes) lines.push(term`    ${c.path}: ${JSON.stringify(c.before) ?? '(none)'} → ${JSON.stringify(c.after) ?? '(removed)'}`);
  if (r.merge) lines.push(term`    merged in block ${r.merge.seq}; author's signature ${r.merge.signatureValid ? 'verifies' : 'DOES NOT verify'}`);
  return lines.join('\n');
}

export const propose: Command = {
  name: 'propose',
  usage: 'defaust propose <owner-did> <section> <path> <value> [--out FILE (--archive OWNER-ARCHIVE | --base SEQ)] [--bootstrap …] [--unset] [--type …]',
  summary: "propose a change to someone's profile (you need propose or write on that section); sent to their mailboxes, or written to --out",
  options: { ...valueOptions, out: { type: 'string' }, archive: { type: 'string' }, base: { type: 'string' }, force: { type: 'boolean' }, unset: { type: 'boolean' }, ...NETWORK_OPTIONS },
  arity: [3, 4],
  async run(ctx) {
    const [owner, section, path, raw] = ctx.positionals as [string, string, string, string | undefined];
    assertDid(owner);
    const out = stringOption(ctx, 'out');
    if (ctx.options.unset !== true && raw === undefined) throw new UsageError('give a value, or --unset');
    const op = ctx.options.unset === true ? { op: 'unset' as const, path } : { op: 'set' as const, path, value: parseValue(ctx, raw!) };
    const input = { owner, section, ops: [op] };
    if (!out) {
      // Over the network: the owner's newest archive from its replicas gives the base; the sealed request
      // goes to the owner's mailboxes, to be fetched when the owner is back.
      const session = { home: ctx.home, keys: ctx.home.unlock(await passphrase(ctx.env)) };
      const sent = await onTheNetwork(ctx, (net) => proposeOverNetwork(session, {
        recover: (did) => net.recover(did),
        send: (did, envelope) => {
          net.unlock(session.keys);
          return net.send(did, envelope);
        },
      }, input));
      const view = { id: sent.id, base: sent.base, deposited: sent.deposited };
      ctx.out.result(view, () => term`sent change request ${sent.id} to ${owner}'s mailboxes (${sent.deposited}); it is delivered when they fetch their mail`);
      return;
    }
    const base = baseOption(ctx, owner);
    const { id, envelope } = proposeToFile({ home: ctx.home, keys: ctx.home.unlock(await passphrase(ctx.env)) }, { ...input, base });
    writeOutputFile(ctx, out, envelope);
    ctx.out.result({ id, out }, () => term`wrote change request ${id} to ${out}; send it to ${owner}`);
  },
};

/** The base of a proposal written to a file: the head of the owner's archive (--archive), or --base SEQ. */
function baseOption(ctx: CommandContext, owner: Did): number {
  const archive = stringOption(ctx, 'archive');
  const baseText = stringOption(ctx, 'base');
  if (archive !== undefined) {
    const head = ctx.home.archiveHead(readFile(archive));
    if (head.id !== owner) throw new InvalidInputError(`${archive} is the archive of ${head.id}, not of ${owner}`);
    return head.seq;
  }
  if (baseText !== undefined) {
    const seq = parseWhole(baseText);
    if (seq === null) throw new UsageError(`--base must be a block's sequence number, not ${JSON.stringify(baseText)}`);
    return seq;
  }
  throw new UsageError('give --archive OWNER-ARCHIVE (the copy you read) or --base SEQ');
}

export const requestsList: Command = {
  name: 'requests',
  usage: 'defaust requests [--all]',
  summary: 'list change requests waiting for you, with the exact change each would make',
  options: { all: { type: 'boolean' } },
  arity: [0, 0],
  async run(ctx) {
    const list = listRequests(openSession(ctx.home, await passphrase(ctx.env)), ctx.options.all === true ? undefined : 'pending');
    ctx.out.result(list.map(shown), () => list.map(describe).join('\n') || '(no change requests waiting)');
  },
};

export const requestsImport: Command = {
  name: 'requests import',
  usage: 'defaust requests import <file>',
  summary: 'take in a change request file (refused with its reason when forged, replayed, stale or unauthorised)',
  arity: [1, 1],
  async run(ctx) {
    const { request: view } = importRequest(openSession(ctx.home, await passphrase(ctx.env)), readInputFile(ctx.positionals[0]!, MAX_REQUEST_BYTES, false));
    ctx.out.result(shown(view), () => describe(view) + (view.status === 'approved' ? '\n(approved at once: the sender holds write on this section)' : term`\napprove with: defaust approve ${view.id}`));
  },
};

export const approve: Command = {
  name: 'approve',
  usage: 'defaust approve <request-id>',
  summary: 'approve a change request: a merge block carrying the proposal and its signature',
  arity: [1, 1],
  async run(ctx) {
    const { block } = approveRequest(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!);
    ctx.out.result(block, () => term`approved; merge block ${block.seq} ${block.cid}`);
  },
};

export const reject: Command = {
  name: 'reject',
  usage: 'defaust reject <request-id> --out REPLY-FILE [--reason TEXT]',
  summary: 'reject a change request and write the signed reply for its author',
  options: { reason: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } },
  arity: [1, 1],
  async run(ctx) {
    const out = stringOption(ctx, 'out');
    if (!out) throw new UsageError('reject needs --out REPLY-FILE');
    checkOutputFile(ctx, out);
    const { reply } = rejectRequest(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!, textOption(ctx, 'reason', MAX_REASON_CHARS) ?? '');
    writeOutputFile(ctx, out, reply);
    ctx.out.result({ id: ctx.positionals[0], out }, () => term`rejected; the signed reply is in ${out}`);
  },
};
