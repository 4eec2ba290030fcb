// The wallet's handlers for sharing and trust: access (grants, revocation, sections), change requests (the
// inbox, and proposing to someone else), devices, registered services, the audit log and the archive export.
// They parse the request, call the verbs of app/sharing and app/requests, and tell listeners what moved.
import type { Did } from '../../core/identity/did.ts';
import type { RequestView } from '../../core/requests/inbox.ts';
import { approveRequest, importRequest, listRequests, rejectRequest } from '../requests/inbox.ts';
import type { NetworkHost } from '../network/host.ts';
import { hostCarrier, proposeOverNetwork, proposeToFile, type SealedProposal } from '../requests/propose.ts';
import type { Session } from '../session.ts';
import { createSection, grant, listAccess, revoke } from '../sharing/access.ts';
import { addDevice, listDevices, revokeDevice } from '../sharing/devices.ts';
import { addClient, listClients, revokeClient } from '../sharing/registry.ts';
import { readShared, readSharedArchive } from '../sharing/shared.ts';
import { NoNetworkError, readThrough } from '../sharing/read-service.ts';
import type { GrantedView } from '../../core/access/reader.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type SharingChannel = Exclude<Extract<keyof Handlers, `${'access' | 'inbox' | 'requests' | 'shared' | 'devices' | 'registry' | 'audit' | 'archive'}:${string}`>, 'archive:import' | 'archive:freshness'>;

export interface SharingContext extends HandlerContext {
  /** The unlocked session: the profile with the keys that sign for it (throws LockedError when locked). */
  session(): Session;
  /** The peer network that carries change requests to their owners' mailboxes; none: requests become files. */
  network: NetworkHost | undefined;
}

/** A change request as the UI sees it: the diff and the merge, not the raw ops. */
const shownRequest = (r: RequestView) => ({
  id: r.id, from: r.from, section: r.section, base: r.base, status: r.status, changes: r.changes, ...(r.merge ? { merge: r.merge } : {}),
});

/** What someone's grants open, section by section, as the Shared screen shows it. */
const shownShared = (view: GrantedView, fetched: boolean) => ({
  owner: view.owner,
  seq: view.seq,
  sections: Object.keys(view.sections).sort().map((name) => ({ name, right: view.sections[name]!, fields: view.state[name]?.fields ?? {} })),
  sealedBodies: view.sealedBodies,
  fetched,
});

/** A sealed change request as a file for the person to hand to the owner. */
const requestFile = (owner: Did, sealed: SealedProposal) => ({ name: `change-${owner.slice(-8)}-${sealed.id.slice(-12)}.request`, bytes: toBase64(sealed.envelope) });

const dateStamp = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function sharingHandlers(ctx: SharingContext): Pick<Handlers, SharingChannel> {
  return {
    'access:list': () => listAccess(ctx.session()),
    'access:grant': ({ grantee, section, rights, until, from }) => {
      const made = grant(ctx.session(), { grantee: grantee as Did, section, rights, until, ...(from === undefined ? {} : { from }) });
      ctx.headMoved();
      return { grant: made };
    },
    'access:revoke': ({ grantee, section }) => {
      const block = revoke(ctx.session(), grantee as Did, section);
      ctx.appended(block);
      return { block };
    },
    'access:createSection': ({ name, epochMs }) => {
      const block = createSection(ctx.session(), name, epochMs);
      ctx.appended(block);
      return { block };
    },

    'inbox:list': ({ status }) => ({ requests: listRequests(ctx.session(), status).map(shownRequest) }),
    'inbox:import': ({ bytes }) => {
      const { request, merged } = importRequest(ctx.session(), fromBytes(bytes));
      if (merged) ctx.headMoved();
      return { request: shownRequest(request) };
    },
    'inbox:approve': ({ id }) => {
      const { block, request } = approveRequest(ctx.session(), id);
      ctx.appended(block);
      return { block, request: shownRequest(request) };
    },
    'inbox:reject': ({ id, reason }) => {
      const { reply, request } = rejectRequest(ctx.session(), id, reason);
      return { reply: { name: `rejection-${id.slice(0, 16)}.reply`, bytes: toBase64(reply) }, request: shownRequest(request) };
    },

    'requests:propose': async ({ owner, section, ops, base }) => {
      const input = { owner: owner as Did, section, ops, ...(base === undefined ? {} : { base }) };
      const carrier = hostCarrier(ctx.network);
      const sent = carrier === null ? { ...proposeToFile(ctx.session(), input), deposited: 0 } : await proposeOverNetwork(ctx.session(), carrier, input);
      return { id: sent.id, base: sent.base, deposited: sent.deposited, file: sent.deposited > 0 ? null : requestFile(input.owner, sent) };
    },

    'shared:read': async ({ owner, section }) => {
      const carrier = hostCarrier(ctx.network);
      const view = await readShared(ctx.session(), owner as Did, { ...(section === undefined ? {} : { section }), ...(carrier === null ? {} : { pull: (o) => carrier.recover(o) }) });
      return shownShared(view, view.fetched);
    },
    'shared:readArchive': ({ bytes, section }) => shownShared(readSharedArchive(ctx.session(), fromBytes(bytes), section), false),
    'shared:readVia': async ({ owner, via, section }) => {
      const session = ctx.session();
      const net = ctx.network?.current() ?? null;
      if (net === null) throw new NoNetworkError();
      const me = { did: session.profile.id, ed25519Seed: session.keys.identity.ed25519Seed };
      return readThrough(net, me, owner as Did, via, section, ctx.home.clock.now());
    },

    'devices:list': () => ({ devices: listDevices(ctx.session()) }),
    'devices:add': ({ device, label }) => {
      const block = addDevice(ctx.session(), device as Did, label);
      ctx.appended(block);
      return { block };
    },
    'devices:revoke': ({ device }) => {
      const block = revokeDevice(ctx.session(), device as Did);
      ctx.appended(block);
      return { block };
    },

    'registry:list': () => ({ clients: listClients(ctx.session()) }),
    'registry:add': ({ client, sections, peer, label }) => {
      const block = addClient(ctx.session(), client as Did, sections, { ...(peer === undefined ? {} : { peer }), ...(label === undefined ? {} : { label }) });
      ctx.appended(block);
      return { block };
    },
    'registry:revoke': ({ client }) => {
      const block = revokeClient(ctx.session(), client as Did);
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
