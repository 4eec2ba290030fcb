// Access: who can see or change which section until when; granting, revoking, creating a section.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Grant, Request } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type AccessAction = 'load' | 'grant' | 'revoke' | 'section';

export interface AccessState {
  grants: Grant[] | null;
  sections: string[];
  busy: AccessAction | null;
  /** The last failure and the action it belongs to (shown next to that form). */
  error: ApiError | null;
  failed: AccessAction | null;
  /** What the last successful action did, in words. */
  done: { action: AccessAction; text: string } | null;
  load(): Promise<void>;
  grant(input: Request<'access:grant'>): Promise<Grant | null>;
  revoke(grantee: string, section: string): Promise<boolean>;
  createSection(name: string): Promise<boolean>;
  clear(): void;
  reset(): void;
}

export function createAccessStore(api: ApiClient) {
  return createStore<AccessState>()((set, get) => {
    const failAs = (action: AccessAction) => (error: ApiError) => set({ error, failed: action, busy: null });
    const start = (action: AccessAction) => set({ busy: action, error: null, failed: null, done: null });
    return {
      grants: null,
      sections: [],
      busy: null,
      error: null,
      failed: null,
      done: null,
      async load() {
        const list = await settle(api.call('access:list', {}), failAs('load'));
        if (list !== null) set({ grants: list.grants, sections: list.sections });
      },
      async grant(input) {
        start('grant');
        const result = await settle(api.call('access:grant', input), failAs('grant'));
        if (result === null) return null;
        await get().load();
        set({ busy: null, done: { action: 'grant', text: `${result.grant.section}` } });
        return result.grant;
      },
      async revoke(grantee, section) {
        start('revoke');
        const result = await settle(api.call('access:revoke', { grantee, section }), failAs('revoke'));
        if (result === null) return false;
        await get().load();
        set({ busy: null, done: { action: 'revoke', text: section } });
        return true;
      },
      async createSection(name) {
        start('section');
        const result = await settle(api.call('access:createSection', { name }), failAs('section'));
        if (result === null) return false;
        await get().load();
        set({ busy: null, done: { action: 'section', text: name } });
        return true;
      },
      clear() {
        set({ error: null, failed: null, done: null });
      },
      reset() {
        set({ grants: null, sections: [], busy: null, error: null, failed: null, done: null });
      },
    };
  });
}
