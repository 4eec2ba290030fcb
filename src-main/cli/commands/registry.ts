// Service registry commands: registry add / list / revoke (parsed here, done by app/sharing/registry.ts), and
// the audit log of a client's served reads.
import { passphrase, UsageError } from '../io.ts';
import { stringOption, textOption, type Command } from '../command.ts';
import { MAX_LABEL_CHARS } from '../../../src-shared/rules/text.ts';
import { term } from '../terminal.ts';
import { openSession } from '../../app/session.ts';
import { addClient, listClients, revokeClient } from '../../app/sharing/registry.ts';

export const registryAdd: Command = {
  name: 'registry add',
  usage: 'defaust registry add <client-did> --sections a,b [--peer PEER-ID] [--label NAME]',
  summary: 'authorise an always-on client to serve sections while you are offline',
  options: { sections: { type: 'string' }, peer: { type: 'string' }, label: { type: 'string' } },
  arity: [1, 1],
  async run(ctx) {
    const sections = stringOption(ctx, 'sections');
    if (!sections) throw new UsageError('registry add needs --sections a,b');
    const peer = stringOption(ctx, 'peer');
    const label = textOption(ctx, 'label', MAX_LABEL_CHARS);
    const block = addClient(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!, sections.split(',').map((s) => s.trim()), {
      ...(peer === undefined ? {} : { peer }), ...(label === undefined ? {} : { label }),
    });
    ctx.out.result(block, () => term`registered ${ctx.positionals[0]} for ${sections} (block ${block.seq})`);
  },
};

export const registryList: Command = {
  name: 'registry list',
  usage: 'defaust registry list',
  summary: 'list registered clients and the sections they serve',
  arity: [0, 0],
  async run(ctx) {
    const list = listClients(openSession(ctx.home, await passphrase(ctx.env))).map((c) => ({
      client: c.client, peer: c.peer, label: c.label, sections: c.sections, revoked: c.revokedSeq !== null,
    }));
    ctx.out.result(list, () => list.map((c) => term`${c.client}  ${c.label || '(no label)'}  serves ${c.sections.join(', ')}${c.revoked ? '  REVOKED' : ''}`).join('\n') || '(no registered clients)');
  },
};

export const registryRevoke: Command = {
  name: 'registry revoke',
  usage: 'defaust registry revoke <client-did>',
  summary: "end a client's authorisation and its access to what you write from now on",
  arity: [1, 1],
  async run(ctx) {
    const block = revokeClient(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!);
    ctx.out.result(block, () => term`revoked client ${ctx.positionals[0]} (block ${block.seq})`);
  },
};

export const audit: Command = {
  name: 'audit',
  usage: 'defaust audit [--owner DID]',
  summary: 'the reads this home served (or refused) as a registered client',
  options: { owner: { type: 'string' } },
  arity: [0, 0],
  run(ctx) {
    ctx.home.requireIdentity();
    const entries = ctx.home.audit.list(stringOption(ctx, 'owner')).map((e) => ({ ...e, ts: new Date(e.ts).toISOString() }));
    ctx.out.result(entries, () => entries.map((e) => term`${e.ts}  ${e.served ? 'served ' : 'REFUSED'}  ${e.section}  to ${e.requester}  (${e.reason})`).join('\n') || '(no reads served yet)');
  },
};
