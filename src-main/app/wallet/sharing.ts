// The wallet verbs of sharing and trust: access (grants, revocation, sections), the change-request inbox,
// devices, registered services, the audit log and the archive export. Split from service.ts, which
// keeps the session, the profile, the timeline, media and settings; both fill one handler table.
import { DefaustError } from '../../core/errors.ts';
import type { BlockSummary } from '../../core/chain/writer.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Profile } from '../../core/profile/profile.ts';
import type { RequestView } from '../../core/requests/inbox.ts';
import { RequestError } from '../../core/requests/proposal.ts';
import type { Home } from '../home.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { Handlers } from './handlers.ts';

type SharingChannel = Extract<keyof Handlers, `${'access' | 'inbox' | 'devices' | 'registry' | 'audit' | 'archive'}:${string}`>;

export interface SharingContext {
  home: Home;
  /** The unlocked profile (throws LockedError when locked). */
  profile(): Profile;
  appended(block: BlockSummary): void;
  headMoved(): void;
}

/** A change request as the UI sees it: the diff and the merge, not the raw ops. */
const shownRequest = (r: RequestView) => ({
  id: r.id, from: r.from, section: r.section, base: r.base, status: r.status, changes: r.changes, ...(r.merge ? { merge: r.merge } : {}),
});

/** The inbox's refusals, in words for the person who imported the file (the code stays `request/<reason>`). */
function plainRequestError(error: RequestError): DefaustError {
  const words: Record<string, string> = {
    malformed: 'This file is not a DeFaust change request, or it is damaged. Nothing was imported.',
    forged: 'This request does not open with your key, or its signature does not check out: it was altered or sealed to someone else. Nothing was imported.',
    'not-for-me': 'This request is addressed to someone else, not to you. Nothing was imported.',
    replayed: error.seen === 'received'
      ? 'You already received this request. It was not imported a second time.'
      : 'This request was already answered.',
    stale: 'This section of your profile changed after the request was made. Ask its author for a new one, made from a fresh copy of your archive.',
    'no-right': `The author of this request may not propose changes to ${error.section ?? 'this section'}. Grant them “propose” on it first if you want their changes.`,
    unknown: 'There is no such request in your inbox.',
  };
  return new DefaustError(error.code, words[error.reason] ?? error.message);
}

function plainRequests<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw error instanceof RequestError ? plainRequestError(error) : error;
  }
}

const dateStamp = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function sharingHandlers(ctx: SharingContext): Pick<Handlers, SharingChannel> {
  return {
    'access:list': () => {
      const profile = ctx.profile();
      return { grants: profile.grants(), sections: profile.sections() };
    },
    'access:grant': ({ grantee, section, rights, until, from }) => {
      const grant = ctx.profile().grant(grantee as Did, section, rights, until, from);
      ctx.headMoved();
      return { grant };
    },
    'access:revoke': ({ grantee, section }) => {
      const block = ctx.profile().revoke(grantee as Did, section);
      ctx.appended(block);
      return { block };
    },
    'access:createSection': ({ name, epochMs }) => {
      const block = ctx.profile().createSection(name, epochMs);
      ctx.appended(block);
      return { block };
    },

    'inbox:list': ({ status }) => ({ requests: plainRequests(() => ctx.profile().inbox.list(status)).map(shownRequest) }),
    'inbox:import': ({ bytes }) => {
      const profile = ctx.profile();
      const before = profile.length;
      const request = plainRequests(() => profile.inbox.receive(fromBytes(bytes)));
      if (profile.length !== before) ctx.headMoved();
      return { request: shownRequest(request) };
    },
    'inbox:approve': ({ id }) => {
      const profile = ctx.profile();
      const block = plainRequests(() => profile.inbox.approve(id));
      ctx.appended(block);
      const request = profile.inbox.get(id)!;
      return { block, request: shownRequest(request) };
    },
    'inbox:reject': ({ id, reason }) => {
      const profile = ctx.profile();
      const reply = plainRequests(() => profile.inbox.reject(id, reason));
      const request = profile.inbox.get(id)!;
      return { reply: { name: `rejection-${id.slice(0, 16)}.reply`, bytes: toBase64(reply) }, request: shownRequest(request) };
    },

    'devices:list': () => ({ devices: ctx.profile().devices.list() }),
    'devices:add': ({ device, label }) => {
      const block = ctx.profile().devices.add(device as Did, label);
      ctx.appended(block);
      return { block };
    },
    'devices:revoke': ({ device }) => {
      const block = ctx.profile().devices.revoke(device as Did);
      ctx.appended(block);
      return { block };
    },

    'registry:list': () => ({ clients: ctx.profile().registry.list() }),
    'registry:add': ({ client, sections, peer, label }) => {
      const options: { peer?: string; label?: string } = {};
      if (peer !== undefined) options.peer = peer;
      if (label !== undefined) options.label = label;
      const block = ctx.profile().registry.add(client as Did, sections, options);
      ctx.appended(block);
      return { block };
    },
    'registry:revoke': ({ client }) => {
      const block = ctx.profile().registry.revoke(client as Did);
      ctx.appended(block);
      return { block };
    },

    'audit:list': () => {
      ctx.profile();
      return { entries: ctx.home.audit.list() };
    },

    'archive:export': () => {
      const profile = ctx.profile();
      const bytes = ctx.home.exportArchive();
      return { name: `defaust-${profile.id.slice(-8)}-${dateStamp(ctx.home.clock.now())}.defaust`, bytes: toBase64(bytes) };
    },
  };
}
