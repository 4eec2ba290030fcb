// The address book as the screens see it: the contacts by did (for every <Person>), and add / edit / remove
// through the wallet's `contacts:*` verbs. Loaded once when unlocked, and again after each change.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Contact, Request } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type ContactsAction = 'load' | 'add' | 'edit' | 'remove';

export interface ContactsState {
  contacts: Contact[] | null;
  byDid: ReadonlyMap<string, Contact>;
  busy: ContactsAction | null;
  error: ApiError | null;
  failed: ContactsAction | null;
  done: ContactsAction | null;
  load(): Promise<void>;
  add(input: Request<'contacts:add'>): Promise<Contact | null>;
  edit(input: Request<'contacts:edit'>): Promise<Contact | null>;
  remove(did: string): Promise<boolean>;
  reset(): void;
}

export function createContactsStore(api: ApiClient) {
  return createStore<ContactsState>()((set, get) => {
    const failAs = (action: ContactsAction) => (error: ApiError) => set({ error, failed: action, busy: null });
    const change = async (action: ContactsAction, call: () => Promise<{ contact: Contact } | null>): Promise<Contact | null> => {
      set({ busy: action, error: null, failed: null, done: null });
      const result = await call();
      if (result === null) return null;
      await get().load();
      set({ busy: null, done: action });
      return result.contact;
    };
    return {
      contacts: null,
      byDid: new Map(),
      busy: null,
      error: null,
      failed: null,
      done: null,
      async load() {
        const result = await settle(api.call('contacts:list', {}), failAs('load'));
        if (result !== null) set({ contacts: result.contacts, byDid: new Map(result.contacts.map((c) => [c.did, c])) });
      },
      add: (input) => change('add', () => settle(api.call('contacts:add', input), failAs('add'))),
      edit: (input) => change('edit', () => settle(api.call('contacts:edit', input), failAs('edit'))),
      remove: async (did) => (await change('remove', () => settle(api.call('contacts:remove', { did }), failAs('remove')))) !== null,
      reset() {
        set({ contacts: null, byDid: new Map(), busy: null, error: null, failed: null, done: null });
      },
    };
  });
}
