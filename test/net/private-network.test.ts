// Private networks on loopback with real homes (issue 13 item 4): members of one pre-shared-key network find
// each other through its own DHT and publish and read there; a node of another private network, a public node
// (no key) and the private node itself dialing out to the public one are all refused at the connection; WebRTC
// is off inside a private network whatever the options say; an invite also travels by mailbox.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { waitForRoutingTables } from '../../src-main/adapters/p2p/loopback.ts';
import { createDefaustNode } from '../../src-main/adapters/p2p/node.ts';
import { peerKeyFromLocalSecret } from '../../src-main/adapters/p2p/peer-key.ts';
import { Home } from '../../src-main/app/home.ts';
import { takeMail, type RoutedMail } from '../../src-main/app/mail.ts';
import { createNetwork, inviteToNetwork, joinNetwork, privateNetworkOf, waitingInvites } from '../../src-main/app/network/private.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import type { Did } from '../../src-main/core/identity/did.ts';
import { PrivateNetworkError } from '../../src-main/core/net/private-network.ts';
import type { OwnerKeys } from '../../src-main/core/profile/profile.ts';
import { crypto, tempDir } from '../helpers.ts';
import { LOOPBACK, until } from './loopback-wallet.ts';

const PASS = 'correct-horse-battery';
const tcp = (net: NetService): string => net.addrs().find((a) => a.startsWith('/ip4/127.0.0.1/tcp/'))!;

describe('private networks on loopback', () => {
  const dir = tempDir('defaust-pnet-');
  const homes: Home[] = [];
  const nets: NetService[] = [];
  const member: { home: Home; keys: OwnerKeys; id: Did }[] = [];
  let rival: NetService;
  let publicNode: NetService;

  const home = (name: string): { home: Home; keys: OwnerKeys; id: Did } => {
    const h = new Home(join(dir, name));
    homes.push(h);
    const made = h.init(PASS);
    return { home: h, keys: made.keys, id: made.id };
  };
  const start = async (h: Home, keys: OwnerKeys | null, network: string | undefined, bootstrap: string[] = []): Promise<NetService> => {
    const net = await NetService.start(h, { ...LOOPBACK, bootstrap, ...(network === undefined ? {} : { network }) }, keys);
    nets.push(net);
    return net;
  };

  beforeAll(async () => {
    for (const name of ['ada', 'bob', 'cy', 'dee']) member.push(home(name));
    const [ada, ...others] = member as [typeof member[0], ...typeof member];
    createNetwork(ada.home, ada.keys, 'club');
    for (const m of others) joinNetwork(m.home, m.keys, { bytes: inviteToNetwork(ada.home, ada.keys, 'club', m.id) });
    const first = await start(ada.home, ada.keys, 'club');
    for (const m of others) await start(m.home, m.keys, 'club', [tcp(first)]);
    const eve = home('eve');
    createNetwork(eve.home, eve.keys, 'club'); // the same name, another key
    rival = await start(eve.home, eve.keys, 'club');
    const pub = home('pub');
    publicNode = await start(pub.home, pub.keys, undefined);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(nets.map((n) => n.stop().catch(() => undefined)));
    for (const h of homes) h.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('members find each other through the network\'s own DHT, which no public node speaks', async () => {
    await waitForRoutingTables(nets.slice(0, 4).map((n) => n.node), 3, 30_000);
    expect(nets[0]!.privateNetwork?.name).toBe('club');
    const protocols = nets[0]!.node.libp2p.getProtocols();
    expect(protocols).toContain(`/defaust/net/${nets[0]!.privateNetwork!.id}/kad/1.0.0`);
    expect(protocols).not.toContain('/defaust/kad/1.0.0');
  }, 60_000);

  it('refuses a node of another private network, a public node without the key, and dials out to the public network', async () => {
    const club = nets[0]!;
    await expect(rival.node.libp2p.dial(multiaddr(tcp(club)), { signal: AbortSignal.timeout(20_000) })).rejects.toThrow();
    await expect(publicNode.node.libp2p.dial(multiaddr(tcp(club)), { signal: AbortSignal.timeout(20_000) })).rejects.toThrow();
    await expect(club.node.libp2p.dial(multiaddr(tcp(publicNode)), { signal: AbortSignal.timeout(20_000) })).rejects.toThrow();
    const clubPeer = club.node.libp2p.peerId;
    expect(rival.node.libp2p.getConnections(clubPeer)).toHaveLength(0);
    expect(publicNode.node.libp2p.getConnections(clubPeer)).toHaveLength(0);
    expect(club.node.libp2p.getConnections().map((c) => c.remotePeer.toString()).sort()).toEqual(nets.slice(1, 4).map((n) => n.peerId).sort());
  }, 90_000);

  it('publishes and reads inside the network', async () => {
    const [ada, , cy] = member as [typeof member[0], typeof member[0], typeof member[0]];
    ada.home.openProfile(PASS).set('public', 'name', 'Ada of the club');
    const report = await nets[0]!.publish();
    expect(report.replicas.length).toBeGreaterThanOrEqual(2);
    const recovered = await until('the chain to be readable in the network', () => nets[2]!.recover(ada.id).catch(() => undefined), 60_000);
    expect(recovered.record.head.toString()).toBe(ada.home.store.head(ada.id)!.cid);
    expect(cy.home.openStore().head(ada.id)?.cid).toBe(ada.home.store.head(ada.id)!.cid);
    // The network's DHT and peer state live under its own prefix of the home's datastore: none mixes with the public network's.
    const keys: string[] = [];
    for await (const key of member[1]!.home.nodeDatastore().queryKeys({})) keys.push(key.toString());
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith(`/pnet/${nets[0]!.privateNetwork!.id}/`))).toBe(true);
  }, 120_000);

  it('a public node cannot read what is published in the private network', async () => {
    const ada = member[0]!;
    const head = await publicNode.lookupHead(ada.id);
    expect(head).toBeNull();
  }, 60_000);

  it('runs no WebRTC inside a private network, even when asked for it', async () => {
    for (const net of nets.slice(0, 4)) expect(net.addrs().some((a) => a.includes('webrtc'))).toBe(false);
    const { swarmKey, dhtProtocol } = privateNetworkOf(member[0]!.home, member[0]!.keys, 'club');
    const node = await createDefaustNode({
      crypto, store: new MemoryChainStore(), mdns: false, nat: false, privateAddresses: true, iceServers: [],
      listen: ['/ip4/127.0.0.1/tcp/0', '/p2p-circuit'], transports: { webRTC: true, webSockets: false, relay: true }, privateNetwork: { swarmKey, dhtProtocol },
    });
    try {
      const transports = (node.libp2p as unknown as { components: { transportManager: { getTransports(): { [Symbol.toStringTag]: string }[] } } }).components.transportManager.getTransports().map((t) => t[Symbol.toStringTag]);
      expect(transports.some((t) => /webrtc/iu.test(t))).toBe(false);
      expect(transports.some((t) => /tcp/iu.test(t))).toBe(true);
    } finally {
      await node.stop();
    }
  }, 30_000);

  it('delivers an invite by mailbox: it waits in the mail as a network invite and the invitee joins from it', async () => {
    const [ada, bob] = member as [typeof member[0], typeof member[0]];
    createNetwork(ada.home, ada.keys, 'inner');
    const sent = await nets[0]!.send(bob.id, inviteToNetwork(ada.home, ada.keys, 'inner', bob.id));
    expect(sent.deposited).toBeGreaterThan(0);
    const profile = bob.home.openProfile(PASS);
    let routed: RoutedMail[] = [];
    await until('the invite to reach Bob\'s mail', async () => {
      await nets[1]!.fetchMail((mail) => {
        routed = [...routed, ...takeMail(profile, bob.home.receivedMail(), bob.home.clock, mail)];
      });
      return routed.length > 0 ? routed : undefined;
    }, 60_000);
    expect(routed).toMatchObject([{ kind: 'network-invite', state: 'waiting', from: ada.id }]);
    expect(waitingInvites(bob.home).map((w) => w.id)).toEqual([routed[0]!.id]);
    expect(joinNetwork(bob.home, bob.keys, { mail: routed[0]!.id })).toMatchObject({ name: 'inner', from: ada.id });
    expect(waitingInvites(bob.home)).toEqual([]);
  }, 90_000);

  it('gives a device another peer id in a private network, the same at every start: members cannot tie it to its public one', async () => {
    const publicId = (await peerKeyFromLocalSecret(crypto, member[0]!.keys.localKey)).publicKey.toString();
    expect(nets[0]!.peerId).not.toBe(publicId);
    const again = await NetService.start(member[0]!.home, { ...LOOPBACK, network: 'club' }, member[0]!.keys);
    try {
      expect(again.peerId).toBe(nets[0]!.peerId);
    } finally {
      await again.stop();
    }
  }, 30_000);

  it('joins a private network only with the wallet unlocked (its key is sealed under the device secret)', async () => {
    await expect(NetService.start(member[1]!.home, { ...LOOPBACK, network: 'club' }, null)).rejects.toBeInstanceOf(PrivateNetworkError);
  });
});
