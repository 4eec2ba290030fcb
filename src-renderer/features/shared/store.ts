// Shared with me: the profiles others granted this identity, read from their replicas (or an archive file),
// or one section through their registered service (a signed read request), and the changes proposed to them —
// each signed only after the person saw exactly what it says.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, Request, Response } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type SharedView = Response<'shared:read'>;
export type Proposal = Request<'requests:propose'>;
export type ViaView = Response<'shared:readVia'>;
export type ViaRequest = Request<'shared:readVia'>;

/** Where the view came from, in the person's words. */
export type SharedSource = 'network' | 'held' | 'archive';

/** What a sent proposal became: left in the owner's mailboxes, or a file to hand over. */
export interface SentProposal {
  owner: string;
  section: string;
  deposited: number;
  file: Download | null;
}

export interface SharedState {
  view: SharedView | null;
  source: SharedSource | null;
  busy: 'read' | 'propose' | 'via' | null;
  /** The last section read through a service. */
  via: ViaView | null;
  error: ApiError | null;
  sent: SentProposal | null;
  read(owner: string): Promise<boolean>;
  readArchive(bytes: Uint8Array): Promise<boolean>;
  readVia(request: ViaRequest): Promise<boolean>;
  propose(proposal: Proposal): Promise<boolean>;
  reset(): void;
}

export function createSharedStore(api: ApiClient) {
  return createStore<SharedState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, busy: null });
    return {
      view: null,
      source: null,
      busy: null,
      via: null,
      error: null,
      sent: null,
      async read(owner) {
        set({ busy: 'read', error: null, sent: null });
        const view = await settle(api.call('shared:read', { owner }), fail);
        if (view === null) return false;
        set({ view, source: view.fetched ? 'network' : 'held', busy: null });
        return true;
      },
      async readArchive(bytes) {
        set({ busy: 'read', error: null, sent: null });
        const view = await settle(api.call('shared:readArchive', { bytes }), fail);
        if (view === null) return false;
        set({ view, source: 'archive', busy: null });
        return true;
      },
      async readVia(request) {
        set({ busy: 'via', error: null, sent: null, via: null });
        const via = await settle(api.call('shared:readVia', request), fail);
        if (via === null) return false;
        set({ via, busy: null });
        return true;
      },
      async propose(proposal) {
        set({ busy: 'propose', error: null, sent: null });
        const sent = await settle(api.call('requests:propose', proposal), fail);
        if (sent === null) return false;
        // Read again (unless it came from a file): a change the owner approved meanwhile shows, and the next
        // proposal has the newest base.
        const again = get().source === 'archive' ? null : await settle(api.call('shared:read', { owner: proposal.owner }), fail);
        set({
          busy: null,
          sent: { owner: proposal.owner, section: proposal.section, deposited: sent.deposited, file: sent.file },
          ...(again === null ? {} : { view: again, source: again.fetched ? 'network' : 'held' }),
        });
        return true;
      },
      reset() {
        set({ view: null, source: null, busy: null, via: null, error: null, sent: null });
      },
    };
  });
}
