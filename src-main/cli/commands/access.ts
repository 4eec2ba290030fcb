// Access commands: section create, grant, grants, revoke (parsed here, done by app/sharing/access.ts), and the grantee's read.
import { RIGHTS, type Right } from '../../core/chain/meta.ts';
import { passphrase, UsageError } from '../io.ts';
import { iso, parseDuration, parseTime } from '../time.ts';
import { stringOption, type Command } from '../command.ts';
import { readInputFile } from './files.ts';
import { NETWORK_OPTIONS, pullArchive, readViaClient } from './net.ts';
import type { Did } from '../../core/identity/did.ts';
import { term } from '../terminal.ts';
import { openSession } from '../../app/session.ts';
import * as access from '../../app/sharing/access.ts';
import { readShared, readSharedArchive } from '../../app/sharing/shared.ts';

export const sectionCreate: Command = {
  name: 'section create',
  usage: 'defaust section create <name> [--epoch 1d]',
  summary: 'create a section with its own epoch length (how finely grants can be cut in time)',
  options: { epoch: { type: 'string' } },
  arity: [1, 1],
  async run(ctx) {
    const epoch = stringOption(ctx, 'epoch');
    const epochMs = epoch === undefined ? undefined : parseDuration(epoch);
    const block = access.createSection(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!, epochMs);
    ctx.out.result(block, () => term`created section ${ctx.positionals[0]} in block ${block.seq}`);
  },
};

export const grant: Command = {
  name: 'grant',
  usage: 'defaust grant <did> <section> --rights read|propose|write --until DATE [--from DATE]',
  summary: 'let someone read (or propose changes to) a section until a date, even while you are offline',
  options: { rights: { type: 'string' }, until: { type: 'string' }, from: { type: 'string' } },
  arity: [2, 2],
  async run(ctx) {
    const [grantee, section] = ctx.positionals as [string, string];
    const rights = stringOption(ctx, 'rights') ?? 'read';
    if (!RIGHTS.includes(rights as Right)) throw new UsageError(`--rights is one of ${RIGHTS.join(', ')}`);
    const until = stringOption(ctx, 'until');
    if (until === undefined) throw new UsageError('grant needs --until DATE');
    const from = stringOption(ctx, 'from');
    const input = { grantee: grantee as Did, section, rights: rights as Right, until: parseTime(until, '--until'), ...(from === undefined ? {} : { from: parseTime(from, '--from') }) };
    const g = access.grant(openSession(ctx.home, await passphrase(ctx.env)), input);
    const view = { grantee: g.grantee, section: g.section, rights: g.rights, from: iso(g.from), until: iso(g.until), block: g.seq };
    ctx.out.result(view, () => term`granted ${g.rights} on ${g.section} to ${g.grantee} from ${view.from} until ${view.until} (block ${g.seq})`);
  },
};

export const grants: Command = {
  name: 'grants',
  usage: 'defaust grants',
  summary: 'list who can read or change what, until when',
  arity: [0, 0],
  async run(ctx) {
    const list = access.listAccess(openSession(ctx.home, await passphrase(ctx.env))).grants.map((g) => ({
      grantee: g.grantee, section: g.section, rights: g.rights, from: iso(g.from), until: iso(g.until),
    }));
    ctx.out.result(list, () => list.map((g) => term`${g.section.padEnd(10)} ${g.rights.padEnd(8)} ${g.grantee}  ${g.from} → ${g.until}`).join('\n') || '(no grants)');
  },
};

export const revoke: Command = {
  name: 'revoke',
  usage: 'defaust revoke <did> <section>',
  summary: 'end a grant: new keys for what you write from now on (what was already read cannot be taken back)',
  arity: [2, 2],
  async run(ctx) {
    const [grantee, section] = ctx.positionals as [string, string];
    const block = access.revoke(openSession(ctx.home, await passphrase(ctx.env)), grantee as Did, section);
    ctx.out.note('Note: what this person already read cannot be taken back; they cannot read what you write from now on.');
    ctx.out.result(block, () => term`revoked ${grantee} on ${section} (block ${block.seq}); ${section} has new keys from now on`);
  },
};

export const read: Command = {
  name: 'read',
  usage: 'defaust read <archive-file | owner-did> [section] [--bootstrap <multiaddr>]… | defaust read <owner-did> --via <client-did | multiaddr> --section S',
  summary: "read the sections someone granted you, from a copy of their archive, from its replicas, or through their registered client (they need not be online)",
  options: { ...NETWORK_OPTIONS, via: { type: 'string' }, section: { type: 'string' } },
  arity: [1, 2],
  async run(ctx) {
    const [source, positional] = ctx.positionals as [string, string | undefined];
    const section = stringOption(ctx, 'section') ?? positional;
    const via = stringOption(ctx, 'via');
    const reader = { home: ctx.home, keys: ctx.home.unlock(await passphrase(ctx.env)) };
    if (via !== undefined) {
      if (!source.startsWith('did:')) throw new UsageError('--via reads through a client: name the owner by did');
      if (section === undefined) throw new UsageError('--via asks for one section: add --section NAME');
      const answer = await readViaClient(ctx, source as Did, via, section, { did: ctx.home.id(), ed25519Seed: reader.keys.identity.ed25519Seed });
      ctx.out.result(answer, () => [
        term`${answer.section} of ${answer.owner}, served by ${answer.client} (their chain at seq ${answer.seq}):`,
        ...Object.entries(answer.fields).map(([k, v]) => term`  ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`),
      ].join('\n'));
      return;
    }
    const view = source.startsWith('did:')
      ? await readShared(reader, source as Did, { ...(section === undefined ? {} : { section }), pull: (owner) => pullArchive(ctx, owner) })
      : { ...readSharedArchive(reader, readInputFile(source, undefined, false), section), fetched: true };
    if (!view.fetched) ctx.out.note(term`none of ${view.owner}'s replicas answered: this is the copy held here`);
    const out: Record<string, Record<string, unknown>> = {};
    for (const name of Object.keys(view.sections).sort()) if (section === undefined || name === section) out[name] = view.state[name]?.fields ?? {};
    ctx.out.result(out, () => [
      term`profile of ${view.owner}`,
      ...Object.entries(out).map(([name, fields]) => [term`${name} (${view.sections[name]}):`, ...Object.entries(fields).map(([k, v]) => term`  ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`)].join('\n')),
      ...(view.sealedBodies > 0 ? [term`(${view.sealedBodies} change(s) in these sections lie outside your grants and stay sealed)`] : []),
    ].join('\n'));
  },
};
