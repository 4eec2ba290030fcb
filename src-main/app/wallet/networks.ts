// The wallet's `networks:*` handlers: private networks (app/network/private.ts) for the Network screen. An
// invite goes to the contact's mailboxes through the running node when it can, else back as a file.
import type { Did } from '../../core/identity/did.ts';
import { sendThrough, type NetworkHost } from '../network/host.ts';
import { createNetwork, inviteToNetwork, joinNetwork, leaveNetwork, listNetworks, waitingInvites } from '../network/private.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type NetworksChannel = Extract<keyof Handlers, `networks:${string}`>;

export function networksHandlers(ctx: Pick<HandlerContext, 'home' | 'session'>, host: NetworkHost | undefined): Pick<Handlers, NetworksChannel> {
  return {
    'networks:list': () => {
      const { home } = ctx.session();
      return { networks: listNetworks(home), running: host?.current()?.privateNetwork ?? null, waiting: waitingInvites(home) };
    },
    'networks:create': ({ name }) => {
      const { home, keys } = ctx.session();
      return { network: createNetwork(home, keys, name) };
    },
    'networks:invite': async ({ name, to }) => {
      const { home, keys } = ctx.session();
      const invite = inviteToNetwork(home, keys, name, to as Did);
      const deposited = await sendThrough(host, to as Did, invite);
      return { deposited, file: deposited ? null : { name: `${name}-${to.slice(-8)}.network-invite`, bytes: toBase64(invite) } };
    },
    'networks:join': (source) => {
      const { home, keys } = ctx.session();
      return { network: joinNetwork(home, keys, 'mail' in source ? { mail: source.mail } : { bytes: fromBytes(source.bytes) }) };
    },
    'networks:leave': ({ name }) => {
      leaveNetwork(ctx.session().home, name);
      return { left: name };
    },
  };
}
