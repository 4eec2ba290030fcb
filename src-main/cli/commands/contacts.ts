// Address book commands: contacts list, contacts add, contacts edit, contacts rm (parsed here, done by
// app/contacts/contacts.ts, the same verbs the wallet calls). Contacts stay in this home.
import { passphrase, UsageError } from '../io.ts';
import { stringOption, textOption, type Command, type CommandContext } from '../command.ts';
import { term } from '../terminal.ts';
import { openSession } from '../../app/session.ts';
import { addContact, editContact, listContacts, removeContact } from '../../app/contacts/contacts.ts';
import type { Contact } from '../../core/contacts/contact.ts';
import { CONTACT_ROLES, MAX_CONTACT_NAME_CHARS, MAX_CONTACT_NOTES_CHARS } from '../../../src-shared/rules/contacts.ts';

const FIELDS = { name: { type: 'string' }, notes: { type: 'string' }, roles: { type: 'string' } } as const;

/** `--roles witness,trainer` as a list (an empty value clears the roles). */
function rolesOption(ctx: CommandContext): string[] | undefined {
  const value = stringOption(ctx, 'roles');
  return value === undefined ? undefined : value.split(',').map((r) => r.trim()).filter((r) => r !== '');
}

/** The fields given on the command line, with their caps. */
function fields(ctx: CommandContext): { name?: string; notes?: string; roles?: string[] } {
  const name = textOption(ctx, 'name', MAX_CONTACT_NAME_CHARS);
  const notes = textOption(ctx, 'notes', MAX_CONTACT_NOTES_CHARS);
  const roles = rolesOption(ctx);
  return { ...(name === undefined ? {} : { name }), ...(notes === undefined ? {} : { notes }), ...(roles === undefined ? {} : { roles }) };
}

const line = (c: Contact): string => term`${c.name}  ${c.did}${c.roles.length > 0 ? `  (${c.roles.join(', ')})` : ''}${c.notes ? `  — ${c.notes}` : ''}`;

export const contactsList: Command = {
  name: 'contacts list',
  usage: 'defaust contacts list',
  summary: 'list your contacts (kept on this device only)',
  arity: [0, 0],
  async run(ctx) {
    const list = listContacts(openSession(ctx.home, await passphrase(ctx.env)));
    ctx.out.result(list, () => (list.length === 0 ? 'no contacts yet' : list.map(line).join('\n')));
  },
};

export const contactsAdd: Command = {
  name: 'contacts add',
  usage: `defaust contacts add <did> --name NAME [--notes TEXT] [--roles ${CONTACT_ROLES.join(',')}]`,
  summary: 'give a did a name in your contacts',
  options: FIELDS,
  arity: [1, 1],
  async run(ctx) {
    const { name, ...rest } = fields(ctx);
    if (name === undefined) throw new UsageError('contacts add needs --name NAME');
    const contact = addContact(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!, { name, ...rest });
    ctx.out.result(contact, () => term`added ${contact.name} (${contact.did})`);
  },
};

export const contactsEdit: Command = {
  name: 'contacts edit',
  usage: 'defaust contacts edit <did> [--name NAME] [--notes TEXT] [--roles ROLE,…]',
  summary: "change a contact's name, notes or roles",
  options: FIELDS,
  arity: [1, 1],
  async run(ctx) {
    const change = fields(ctx);
    if (Object.keys(change).length === 0) throw new UsageError('contacts edit needs --name, --notes or --roles');
    const contact = editContact(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!, change);
    ctx.out.result(contact, () => line(contact));
  },
};

export const contactsRemove: Command = {
  name: 'contacts rm',
  usage: 'defaust contacts rm <did>',
  summary: 'remove a contact (nothing signed or published changes)',
  arity: [1, 1],
  async run(ctx) {
    const contact = removeContact(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!);
    ctx.out.result(contact, () => term`removed ${contact.name} (${contact.did})`);
  },
};
