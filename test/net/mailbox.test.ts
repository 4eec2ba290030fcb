// Mailboxes on a real loopback network of 10 nodes (`/defaust/msg/1.0.0`): a change request sent while its
// recipient is offline waits at the recipient's replicas, survives one of them going away, and reaches the
// recipient on a new node (new peer id, same keys), which opens it; then it is gone everywhere. Forged,
// oversized and expired deposits are refused, expired mail is never served, a sender over its quota is
// refused while another sender still gets through, and nobody but the recipient can fetch its mail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryMailboxStore, SqliteMailboxStore } from '../../src-main/adapters/db/mailbox-store.ts';
import { SqliteChainStore } from '../../src-main/adapters/db/sqlite-store.ts';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { startLoopbackNetwork, startLoopbackNode, stopLoopback, waitForRoutingTables, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';
import { createMessaging } from '../../src-main/adapters/p2p/messaging.ts';
import type { Libp2pPeer } from '../../src-main/adapters/p2p/network.ts';
import { createReplication } from '../../src-main/adapters/p2p/replication.ts';
import { concatBytes, utf8 } from '../../src-main/core/bytes.ts';
import { encode } from '../../src-main/core/chain/codec.ts';
import { InvalidInputError } from '../../src-main/core/errors.ts';
import { didFromPublicKey } from '../../src-main/core/identity/did.ts';
import { makeDeposit, type SigningIdentity } from '../../src-main/core/net/deposit.ts';
import { DEFAULT_TTL_MS } from '../../src-main/core/net/mailbox.ts';
import type { MailboxStore } from '../../src-main/core/ports.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { openProposal, sealProposal } from '../../src-main/core/requests/proposal.ts';
import { crypto, deps, ownerKeys, TestClock } from '../helpers.ts';

const NODES = 10;
const MAX_MESSAGE = 16 * 1024;
const SENDER_QUOTA = 3;
const DAY = 86_400_000;

function identity(): SigningIdentity {
  const ed25519Seed = crypto.randomBytes(32);
  return { did: didFromPublicKey(crypto.ed25519.publicKey(ed25519Seed)), ed25519Seed };
}

const live = (store: MailboxStore, to: string) => store.usage({ to }).count;

describe('mailboxes on a loopback network', () => {
  // One clock for senders and mailboxes, so TTLs can pass without waiting.
  const clock = new TestClock(Date.now());
  const mailboxes = new Map<string, MailboxStore>();
  let network: LoopbackPeer[] = [];
  let gone: LoopbackPeer | undefined;
  let owner: LoopbackPeer | undefined;
  let fresh: LoopbackPeer | undefined;
  const A = identity();
  const keysB = ownerKeys();
  let B: SigningIdentity;
  let alive: () => LoopbackPeer[];
  const storeOf = (peer: string) => mailboxes.get(peer)!;
  const peerOf = (p: LoopbackPeer): Libp2pPeer => ({ id: p.node.peerId, peerId: p.node.libp2p.peerId, multiaddrs: p.node.libp2p.getMultiaddrs() });

  // Half the mailboxes on SQLite, half in memory.
  const mailbox = (sqlite = false) => ({
    store: sqlite ? new SqliteMailboxStore(new SqliteChainStore(':memory:').database) : new MemoryMailboxStore(),
    clock,
    limits: { senderCount: SENDER_QUOTA, maxMessageBytes: MAX_MESSAGE },
  });
  const track = (peer: LoopbackPeer): LoopbackPeer => {
    mailboxes.set(peer.node.peerId, peer.node.mailbox!.store);
    return peer;
  };

  beforeAll(async () => {
    const started = Date.now();
    network = await startLoopbackNetwork(crypto, NODES, (i) => ({ mailbox: mailbox(i % 2 === 1) }));
    network.forEach(track);
    await waitForRoutingTables(network.map((p) => p.node), NODES - 1, 20_000);
    alive = () => network.filter((p) => p !== gone);
    console.log(`${NODES} nodes up with full routing tables in ${Date.now() - started} ms`);
  }, 40_000);

  afterAll(async () => {
    await stopLoopback([...network, owner, fresh]);
  }, 20_000);

  it('keeps a change request for an offline owner at its replicas and delivers it to the owner on a new node', async () => {
    // The owner publishes (3 replicas announce themselves), then its machine goes offline.
    const ownerStore = new MemoryChainStore();
    const profile = Profile.create(deps(ownerStore, clock), keysB);
    profile.set('contact', 'email', 'bea@example.org');
    B = { did: profile.id, ed25519Seed: keysB.identity.ed25519Seed };
    owner = track(await startLoopbackNode(crypto, { store: ownerStore, bootstrap: network[0]!.node.multiaddrs(), ownIdentities: () => [B.did], mailbox: mailbox() }));
    await waitForRoutingTables([owner.node], 5, 15_000);
    const published = await createReplication(owner.node, { clock }).publish(B.did, B.ed25519Seed);
    const replicas = published.replicas.map((r) => r.peer);
    expect(replicas).toHaveLength(3);
    await owner.node.stop();
    owner = undefined;

    // A sends from a node that is not one of the replicas.
    const senderPeer = network.find((p) => !replicas.includes(p.node.peerId) && p !== network[0])!;
    const request = sealProposal(crypto, A.ed25519Seed, A.did, B.did, 'contact', [{ op: 'set', path: 'phone', value: '+44 20 7946 0000' }], 1, clock.now());
    let t = Date.now();
    const sent = await createMessaging(senderPeer.node, { clock }).send(A, B.did, request.envelope);
    console.log(`send to an offline owner: ${Date.now() - t} ms, ${sent.deposited} mailboxes, ${sent.failures.length} failures (${sent.failures.map((f) => f.code).join(', ')})`);
    expect(sent.deposited).toBe(3);
    expect(sent.peers.map((p) => p.peer).sort()).toEqual([...replicas].sort());
    for (const peer of replicas) expect(live(storeOf(peer), B.did)).toBe(1);

    // One mailbox goes away: the others still hold the message.
    gone = network.find((p) => p.node.peerId === replicas[0] && p !== network[0]) ?? network.find((p) => p.node.peerId === replicas[1])!;
    await gone.node.stop();

    // The owner comes back on a new machine: same keys, new peer id, empty stores.
    fresh = track(await startLoopbackNode(crypto, { bootstrap: alive()[0]!.node.multiaddrs(), ownIdentities: () => [B.did], mailbox: mailbox() }));
    await waitForRoutingTables([fresh.node], 5, 15_000);
    const messaging = createMessaging(fresh.node, { clock });
    const taken: string[] = [];
    t = Date.now();
    const fetched = await messaging.fetchMail(B, { take: (mail) => void taken.push(...mail.map((m) => m.id)) });
    console.log(`fetch on a new node: ${Date.now() - t} ms, asked ${fetched.asked}, ${fetched.failures.length} failures`);
    expect(fetched.mail).toHaveLength(1);
    expect(fetched.rejected).toBe(0);
    const [mail] = fetched.mail;
    expect(mail).toMatchObject({ id: sent.id, from: A.did });
    expect(taken).toEqual([sent.id]);
    expect(mail!.envelope).toEqual(request.envelope);
    const opened = openProposal(crypto, mail!.envelope, B.ed25519Seed, B.did);
    expect(opened.id).toBe(request.id);
    expect(opened.proposal).toMatchObject({ from: A.did, target: B.did, section: 'contact' });

    // Acknowledged: gone from every mailbox still up; a second fetch finds nothing, and a replay is a duplicate.
    for (const peer of replicas.filter((p) => p !== gone!.node.peerId)) expect(live(storeOf(peer), B.did)).toBe(0);
    expect((await messaging.fetchMail(B)).mail).toEqual([]);
  }, 60_000);

  it('refuses forged and oversized deposits', async () => {
    const E = identity();
    const target = alive()[2]!;
    const messaging = createMessaging(alive()[3]!.node, { clock });
    const { deposit } = makeDeposit(crypto, A, { to: B.did, ts: clock.now(), ttl: DAY, envelope: utf8('hello') });
    const refusal = (bytes: Uint8Array) => messaging.depositAt(peerOf(target), bytes).then(() => null, (e: unknown) => e);

    // Signed by E, claiming to come from A.
    const unsigned = { v: 1, to: B.did, from: A.did, ts: clock.now(), ttl: DAY, envelope: utf8('from A, honest') };
    const byE = crypto.ed25519.sign(E.ed25519Seed, concatBytes(utf8('defaust/deposit/v1\n'), encode(unsigned)));
    expect(await refusal(encode({ ...unsigned, sig: byE }))).toMatchObject({ code: 'msg/forged', remote: true });
    // A's signature with one bit flipped, and A's signature over another envelope.
    const sig = deposit.sig.slice();
    sig[10]! ^= 0x04;
    expect(await refusal(encode({ ...deposit, sig }))).toMatchObject({ code: 'msg/forged' });
    expect(await refusal(encode({ ...deposit, envelope: utf8('hellO') }))).toMatchObject({ code: 'msg/forged' });
    expect(await refusal(encode({ ...deposit, extra: true }))).toMatchObject({ code: 'msg/malformed' });
    // Over the mailbox's largest message: refused by the sender itself, and by the mailbox when sent anyway.
    const big = crypto.randomBytes(MAX_MESSAGE);
    await expect(messaging.send(A, B.did, big)).rejects.toMatchObject({ code: 'msg/oversized' });
    expect(await refusal(makeDeposit(crypto, A, { to: B.did, ts: clock.now(), ttl: DAY, envelope: big }).bytes)).toMatchObject({ code: 'msg/oversized' });
    expect(live(storeOf(target.node.peerId), B.did)).toBe(0);
  }, 30_000);

  it('never serves expired mail and refuses deposits that expired', async () => {
    const sender = createMessaging(alive()[4]!.node, { clock });
    const sent = await sender.send(A, B.did, utf8('short-lived'), 60_000);
    expect(sent.deposited).toBe(3);
    const held = sent.peers.map((p) => storeOf(p.peer));
    expect(held.every((store) => live(store, B.did) === 1)).toBe(true);
    clock.advance(61_000);
    expect((await createMessaging(fresh!.node, { clock }).fetchMail(B)).mail).toEqual([]);
    expect(held.every((store) => store.list(B.did, clock.now(), 10).length === 0)).toBe(true);

    const late = makeDeposit(crypto, A, { to: B.did, ts: clock.now() - 10_000, ttl: 5_000, envelope: utf8('late') });
    const target = alive().find((p) => p.node.peerId === sent.peers[0]!.peer)!;
    await expect(sender.depositAt(peerOf(target), late.bytes)).rejects.toMatchObject({ code: 'msg/expired', remote: true });
  }, 30_000);

  it('refuses a sender over its quota while another sender still gets through', async () => {
    const S = identity();
    const C = identity();
    const D = identity();
    const messaging = createMessaging(alive()[5]!.node, { clock });
    const first = (await messaging.mailboxPeers(D.did)).find((p) => alive().some((a) => a.node.peerId === p.id));
    expect(first).toBeDefined();
    for (let i = 0; i < SENDER_QUOTA; i++) {
      const { bytes } = makeDeposit(crypto, S, { to: D.did, ts: clock.now(), ttl: DAY, envelope: utf8(`note ${i}`) });
      expect(await messaging.depositAt(first!, bytes)).toMatchObject({ duplicate: false });
    }
    const over = makeDeposit(crypto, S, { to: D.did, ts: clock.now(), ttl: DAY, envelope: utf8('one too many') });
    await expect(messaging.depositAt(first!, over.bytes)).rejects.toMatchObject({ code: 'msg/over-quota', remote: true });
    const other = makeDeposit(crypto, C, { to: D.did, ts: clock.now(), ttl: DAY, envelope: utf8('from C') });
    expect(await messaging.depositAt(first!, other.bytes)).toMatchObject({ duplicate: false });

    // Through `send`, the full mailbox refuses and the next closest takes the message instead.
    const sent = await messaging.send(S, D.did, utf8('one too many, again'));
    expect(sent.deposited).toBe(3);
    expect(sent.failures).toContainEqual(expect.objectContaining({ peer: first!.id, code: 'msg/over-quota' }));
    expect(sent.peers.map((p) => p.peer)).not.toContain(first!.id);

    const fetched = await createMessaging(alive()[6]!.node, { clock }).fetchMail(D);
    expect(fetched.mail.map((m) => m.from).sort()).toEqual([...Array(SENDER_QUOTA + 1).fill(S.did), C.did].sort());
  }, 30_000);

  it('lets nobody but the recipient fetch its mail', async () => {
    const E = identity();
    const sender = createMessaging(alive()[7]!.node, { clock });
    const ts = clock.now();
    const sent = await sender.send(A, B.did, utf8('for B only'));
    const holder = alive().find((p) => p.node.peerId === sent.peers[0]!.peer)!;
    const thief = createMessaging(alive().find((p) => p !== holder && p !== alive()[7])!.node, { clock });
    // E claims B's did but can only sign with its own key.
    await expect(thief.fetchFrom(peerOf(holder), { did: B.did, ed25519Seed: E.ed25519Seed })).rejects.toMatchObject({ code: 'msg/not-yours', remote: true });
    await expect(thief.fetchMail({ did: B.did, ed25519Seed: E.ed25519Seed })).rejects.toBeInstanceOf(InvalidInputError);
    expect((await thief.fetchMail(E)).mail).toEqual([]);
    expect(live(storeOf(holder.node.peerId), B.did)).toBe(1);

    const fetched = await createMessaging(fresh!.node, { clock }).fetchMail(B);
    expect(fetched.mail.map((m) => m.id)).toEqual([sent.id]);
    for (const peer of sent.peers) expect(live(storeOf(peer.peer), B.did)).toBe(0);
    // A replay of the delivered deposit is taken as a duplicate and not served again.
    const replay = makeDeposit(crypto, A, { to: B.did, ts, ttl: DEFAULT_TTL_MS, envelope: utf8('for B only') });
    expect(replay.id).toBe(sent.id);
    expect(await sender.depositAt(peerOf(holder), replay.bytes)).toMatchObject({ id: sent.id, duplicate: true });
    expect(live(storeOf(holder.node.peerId), B.did)).toBe(0);
    expect((await createMessaging(fresh!.node, { clock }).fetchMail(B)).mail).toEqual([]);
  }, 30_000);
});
