// The "Networks" part of the Network screen: the private networks of this home (app/network/private.ts through
// the wallet's `networks:*` channels) — list, create, invite a contact, join from a file or a mail, leave.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, Response } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type NetworksAct = 'load' | 'create' | 'invite' | 'join' | 'leave';

export interface NetworksState {
  listed: Response<'networks:list'> | null;
  busy: NetworksAct | null;
  failed: NetworksAct | null;
  error: ApiError | null;
  /** What the last act did, in words (shown until the next one). */
  done: string | null;
  /** The invite file of the last invite no mailbox took. */
  inviteFile: Download | null;
  load(): Promise<void>;
  create(name: string): Promise<boolean>;
  invite(name: string, to: string): Promise<boolean>;
  join(source: { bytes: Uint8Array } | { mail: string }): Promise<boolean>;
  leave(name: string): Promise<boolean>;
}

export function createNetworksStore(api: ApiClient) {
  return createStore<NetworksState>()((set, get) => {
    const act = async <T>(what: NetworksAct, call: () => Promise<T | null>, said: (value: T) => Partial<NetworksState>): Promise<boolean> => {
      set({ busy: what, failed: null, error: null, done: null, inviteFile: null });
      const value = await call();
      if (value === null) return false;
      set({ busy: null, ...said(value) });
      await get().load();
      return true;
    };
    const fail = (what: NetworksAct) => (error: ApiError) => set({ busy: null, failed: what, error });
    return {
      listed: null,
      busy: null,
      failed: null,
      error: null,
      done: null,
      inviteFile: null,
      async load() {
        const listed = await settle(api.call('networks:list', {}), fail('load'));
        if (listed !== null) set({ listed });
      },
      create: (name) => act('create', () => settle(api.call('networks:create', { name }), fail('create')), ({ network }) => ({ done: `Made the private network “${network.name}”. Invite members below.` })),
      invite: (name, to) => act('invite', () => settle(api.call('networks:invite', { name, to }), fail('invite')), (r) => (r.deposited
        ? { done: 'The invite is in their mailboxes: they join it from their Network screen.' }
        : { done: 'No mailbox of theirs took it: save the invite file and give it to them.', inviteFile: r.file })),
      join: (source) => act('join', () => settle(api.call('networks:join', source), fail('join')), ({ network }) => ({ done: `Joined the private network “${network.name}”.` })),
      leave: (name) => act('leave', () => settle(api.call('networks:leave', { name }), fail('leave')), () => ({ done: `Left “${name}”: its key is gone from this device.` })),
    };
  });
}
