// The wallet's `contacts:*` verbs over app/contacts: the address book of the unlocked identity.
import { addContact, editContact, listContacts, removeContact } from '../contacts/contacts.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type ContactsChannel = Extract<keyof Handlers, `contacts:${string}`>;

export function contactsHandlers(ctx: HandlerContext): Pick<Handlers, ContactsChannel> {
  return {
    'contacts:list': () => ({ contacts: listContacts(ctx.session()) }),
    'contacts:add': ({ did, name, notes, roles }) => ({ contact: addContact(ctx.session(), did, { name, ...(notes === undefined ? {} : { notes }), ...(roles === undefined ? {} : { roles }) }) }),
    'contacts:edit': ({ did, name, notes, roles }) => ({
      contact: editContact(ctx.session(), did, { ...(name === undefined ? {} : { name }), ...(notes === undefined ? {} : { notes }), ...(roles === undefined ? {} : { roles }) }),
    }),
    'contacts:remove': ({ did }) => ({ contact: removeContact(ctx.session(), did) }),
  };
}
