// Network commands: `net status`, `net peers`, `net limits` talk to the home's running node over the control
// channel; `publish`, `mail`, and the network modes of `recover`, `read` and `propose` join the network for the
// task (through --bootstrap, else through the home's running node) and leave.
import { kindOf, takeMail, type RoutedMail } from '../../app/mail.ts';
import { auditIntakeFor, peerIdOfMultiaddr, readThrough, type ReadThroughView } from '../../app/sharing/read-service.ts';
import type { SigningIdentity } from '../../core/net/deposit.ts';
import type { Did } from '../../core/identity/did.ts';
import { withEphemeralNode } from '../../app/network/ephemeral.ts';
import { bootstrapFromEnv, type NetworkOptions } from '../../app/network/options.ts';
import type { NetService } from '../../app/network/service.ts';
import { publishView } from '../../app/network/status.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { assertDid } from '../../core/identity/did.ts';
import type { RecoveryReport } from '../../core/net/replicator.ts';
import { callNode } from '../control.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, type Command, type CommandContext } from '../command.ts';
import { term } from '../terminal.ts';

const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');

const MULTIADDR = /^\/(ip4|ip6|dns4|dns6|dns)\/[^/\s]+\/(tcp|udp)\/\d{1,5}(\/[A-Za-z0-9.\-_/]*)?$/u;

/**
 * `--listen` and `--bootstrap` multiaddrs (bootstrap: else DEFAUST_BOOTSTRAP), checked; a bootstrap address
 * must name its peer with /p2p/.
 */
export function addressOptions(ctx: CommandContext): { listen: string[] | undefined; bootstrap: string[] } {
  const listen = list(ctx.options.listen);
  const given = list(ctx.options.bootstrap);
  const bootstrap = given.length > 0 ? given : bootstrapFromEnv(ctx.env);
  for (const addr of listen) if (!MULTIADDR.test(addr) && addr !== '/p2p-circuit' && addr !== '/webrtc') throw new UsageError(`--listen ${addr} is not a multiaddr such as /ip4/0.0.0.0/tcp/4001`);
  for (const addr of bootstrap) if (!MULTIADDR.test(addr) || !/\/p2p\/[1-9A-HJ-NP-Za-km-z]{32,128}$/u.test(addr)) throw new UsageError(`--bootstrap ${addr} is not a peer address such as /ip4/192.0.2.1/tcp/4001/p2p/12D3Koo…`);
  return { listen: listen.length > 0 ? listen : undefined, bootstrap };
}

export const NETWORK_OPTIONS = { bootstrap: { type: 'string', multiple: true } } as const;

/**
 * Runs `task` on a node that joins for it: through --bootstrap, else through the home's running node, and
 * says how to join when there is neither.
 */
export async function onTheNetwork<T>(ctx: CommandContext, task: (net: NetService) => Promise<T>, options: NetworkOptions = {}): Promise<T> {
  let { bootstrap } = addressOptions(ctx);
  if (bootstrap.length === 0) {
    const running = await callNode(ctx.home, 'network:status', {}).catch(() => null);
    bootstrap = running?.status?.addrs.map((addr) => (addr.includes('/p2p/') ? addr : `${addr}/p2p/${running.status!.peerId}`)) ?? [];
  }
  if (bootstrap.length === 0) throw new UsageError('this needs the network: pass --bootstrap <multiaddr> (a peer to join through), or start this home\'s node with defaust serve');
  return withEphemeralNode(ctx.home, { bootstrap, ...options }, task);
}

/** Bytes as people read them: KiB below a MiB, MiB above. */
export const kib = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);

export const netStatus: Command = {
  name: 'net status',
  usage: 'defaust net status',
  summary: 'the running node: peers, replicas of your archive, what it stores for others, usage against limits',
  arity: [0, 0],
  async run(ctx) {
    const view = await callNode(ctx.home, 'network:status', {});
    ctx.out.result(view, () => {
      const s = view.status;
      if (s === null) return 'The node is not running yet: it starts when the wallet is unlocked.';
      const owner = s.owner;
      return [
        term`peer ${s.peerId}`,
        ...s.addrs.map((a) => term`  ${a}`),
        term`connections ${s.connections}, routing table ${s.routingTable}`,
        owner === null ? 'no identity in this home' : term`archive ${owner.length} blocks; published ${owner.publishedSeq === null ? 'not yet' : term`up to seq ${owner.publishedSeq}`}; replicas ${owner.replicas.filter((r) => r.live).length}/${owner.wanted}`,
        ...(owner?.publishFailure == null ? [] : [term`the last publish failed (${owner.publishFailure.code}): ${owner.publishFailure.message}`]),
        term`stores for others: ${s.hosted.length} archive(s), ${kib(s.usage.hostedBytes)} of ${kib(s.limits.replicaStorageBytes)}`,
        term`traffic this minute: in ${kib(s.usage.thisMinute.in)}, out ${kib(s.usage.thisMinute.out)}` +
          (s.limits.bandwidthInPerMinute + s.limits.bandwidthOutPerMinute > 0 ? term` (caps ${kib(s.limits.bandwidthInPerMinute)} / ${kib(s.limits.bandwidthOutPerMinute)} per minute)` : ' (no bandwidth cap)'),
      ].join('\n');
    });
  },
};

export const netPeers: Command = {
  name: 'net peers',
  usage: 'defaust net peers',
  summary: 'the peers the running node is connected to',
  arity: [0, 0],
  async run(ctx) {
    const { peers } = await callNode(ctx.home, 'network:status', {});
    ctx.out.result(peers, () => peers.map((p) => term`${p.peerId}  ${p.direction}  ${p.addrs.join(' ')}`).join('\n') || '(no peers)');
  },
};

const LIMIT_NAMES = { quota: 'quotaBytes', storage: 'replicaStorageBytes', 'min-free-disk': 'minFreeDiskBytes', 'bandwidth-in': 'bandwidthInPerMinute', 'bandwidth-out': 'bandwidthOutPerMinute', connections: 'maxConnections' } as const;

export const netLimits: Command = {
  name: 'net limits',
  usage: 'defaust net limits [--quota BYTES] [--storage BYTES] [--min-free-disk BYTES] [--bandwidth-in BYTES/MIN] [--bandwidth-out BYTES/MIN] [--connections N]',
  summary: 'show or change the running node\'s limits (saved in the home)',
  options: Object.fromEntries(Object.keys(LIMIT_NAMES).map((name) => [name, { type: 'string' }])) as Record<keyof typeof LIMIT_NAMES, { type: 'string' }>,
  arity: [0, 0],
  async run(ctx) {
    const patch: Record<string, number> = {};
    for (const [option, key] of Object.entries(LIMIT_NAMES)) {
      const text = stringOption(ctx, option);
      if (text === undefined) continue;
      if (!/^\d{1,15}$/u.test(text)) throw new UsageError(`--${option} must be a whole number, not ${text}`);
      patch[key] = Number(text);
    }
    const limits = Object.keys(patch).length === 0
      ? (await callNode(ctx.home, 'network:status', {})).status?.limits
      : (await callNode(ctx.home, 'network:setLimits', patch)).limits;
    if (limits === undefined) throw new InvalidInputError('the node is not running yet: it starts when the wallet is unlocked');
    ctx.out.result(limits, () => Object.entries(limits).map(([k, v]) => term`${k} = ${v}`).join('\n'));
  },
};

export const publish: Command = {
  name: 'publish',
  usage: 'defaust publish [--bootstrap <multiaddr>]…',
  summary: 'sign your head record and push your archive to its replicas',
  options: NETWORK_OPTIONS,
  arity: [0, 0],
  async run(ctx) {
    const report = addressOptions(ctx).bootstrap.length === 0 && (await callNode(ctx.home, 'network:status', {}).then((v) => v.running, () => false))
      ? await callNode(ctx.home, 'network:publish', {})
      : await publishOnce(ctx);
    ctx.out.result(report, () => [
      ...(report.rebased === null ? [] : [term`another device had published first: took its ${report.rebased.taken} block(s) from #${report.rebased.fork} and wrote this device's ${report.rebased.replayed} after them again`]),
      term`published seq ${report.seq}: head record accepted by ${report.recordPeers} peer(s), ${report.replicas.length} replica(s)`,
      ...report.replicas.map((r) => term`  ${r.peer} holds ${r.length} blocks (${r.sent} sent)`),
      ...report.failures.map((f) => term`  ${f.peer} refused: ${f.message}`),
    ].join('\n'));
    if (report.replicas.length === 0) return 1;
  },
};

async function publishOnce(ctx: CommandContext) {
  const keys = ctx.home.unlock(await passphrase(ctx.env));
  return onTheNetwork(ctx, async (net) => {
    net.unlock(keys);
    return publishView(await net.publish({ announce: false }));
  });
}

/** Pulls `owner`'s archive from its replicas into this home (to read what they granted, or to recover it). */
export function pullArchive(ctx: CommandContext, owner: string): Promise<RecoveryReport> {
  assertDid(owner);
  return onTheNetwork(ctx, (net) => net.recover(owner));
}

/**
 * Reads `section` of `owner` through its registered client `via`: a did (found under the owner's read-service
 * key, through --bootstrap or the running node) or the client's multiaddr (joined directly).
 */
export function readViaClient(ctx: CommandContext, owner: Did, via: string, section: string, me: SigningIdentity): Promise<ReadThroughView> {
  const direct = !via.startsWith('did:');
  if (direct && (!MULTIADDR.test(via) || peerIdOfMultiaddr(via) === null)) throw new UsageError(`--via ${via} is neither a client's did:key nor its address such as /ip4/192.0.2.1/tcp/4001/p2p/12D3Koo…`);
  const task = (net: NetService) => readThrough(net, me, owner, via, section, ctx.home.clock.now());
  if (!direct) return onTheNetwork(ctx, task);
  return withEphemeralNode(ctx.home, { bootstrap: [...addressOptions(ctx).bootstrap, via] }, task);
}

export const mail: Command = {
  name: 'mail',
  usage: 'defaust mail [--bootstrap <multiaddr>]…',
  summary: 'fetch your mail: change requests into your inbox, attestations into your chain, attestation requests to answer',
  options: NETWORK_OPTIONS,
  arity: [0, 0],
  async run(ctx) {
    const { keys, profile } = ctx.home.openSession(await passphrase(ctx.env));
    const received = ctx.home.receivedMail();
    let routed: RoutedMail[] = [];
    const report = await onTheNetwork(ctx, async (net) => {
      net.unlock(keys);
      const fetched = await net.fetchMail((incoming) => {
        routed = takeMail(profile, received, ctx.home.clock, incoming, auditIntakeFor({ home: ctx.home, profile, keys }));
      });
      if (routed.some((r) => r.state === 'taken')) await net.publish({ announce: false }).catch(() => undefined);
      return fetched;
    });
    const waiting = received.list(profile.id, { state: 'waiting' }).map((m) => ({ id: m.id, from: m.from, kind: kindOf(m.format), note: m.note }));
    ctx.out.result({ routed, waiting, asked: report.asked }, () => [
      routed.length === 0 ? term`no new mail (${report.asked} mailbox(es) asked)` : term`${routed.length} new message(s):`,
      ...routed.map((r) => term`  ${r.kind} from ${r.from}: ${r.note}`),
      ...(waiting.length > 0 ? ['waiting for you:', ...waiting.map((w) => term`  ${w.id}  ${w.kind} from ${w.from}`)] : []),
    ].join('\n'));
  },
};
