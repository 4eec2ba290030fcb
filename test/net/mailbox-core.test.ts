// Mailboxes without a network: the deposit format and its signature (any bit flip refused), fetch proofs,
// the strict message codec, the Mailbox rules (size, TTL, quotas, dedup, tombstones) and the sessions of
// `/defaust/msg/1.0.0` over an in-memory channel pair (every message still goes through the frame and
// message codecs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryMailboxStore } from '../../src-main/adapters/db/mailbox-store.ts';
import { concatBytes, utf8 } from '../../src-main/core/bytes.ts';
import { encode } from '../../src-main/core/chain/codec.ts';
import { InvalidInputError } from '../../src-main/core/errors.ts';
import { didFromPublicKey, type Did } from '../../src-main/core/identity/did.ts';
import { openEnvelope, sealEnvelope } from '../../src-main/core/identity/envelope.ts';
import {
  depositId, makeDeposit, signFetchProof, verifyDeposit, verifyFetchProof, type SigningIdentity,
} from '../../src-main/core/net/deposit.ts';
import { MessageError } from '../../src-main/core/net/errors.ts';
import { encodeFrame, FrameReader, encodeVarint } from '../../src-main/core/net/frames.ts';
import { DEFAULT_MAILBOX_LIMITS, Mailbox, type MailboxLimits } from '../../src-main/core/net/mailbox.ts';
import { decodeMsgMessage, encodeMsgMessage, MAX_BATCH, type MsgMessage } from '../../src-main/core/net/msg-messages.ts';
import { runDeposit, runFetch, serveMsg, type MsgChannel } from '../../src-main/core/net/msg-session.ts';
import { asMessageError } from '../../src-main/core/net/errors.ts';
import { crypto, TestClock } from '../helpers.ts';

function identity(): SigningIdentity {
  const ed25519Seed = crypto.randomBytes(32);
  return { did: didFromPublicKey(crypto.ed25519.publicKey(ed25519Seed)), ed25519Seed };
}

const A = identity();
const B = identity();
const C = identity();
const E = identity();
const MAILBOX_PEER = '12D3KooWMailboxPeer';

function refusal(run: () => unknown): MessageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MessageError);
    return error as MessageError;
  }
  throw new Error('expected a MessageError');
}

describe('deposits', () => {
  it('verify as made; the id is the hash of the signed part, so the same deposit has the same id', () => {
    const made = makeDeposit(crypto, A, { to: B.did, ts: 1000, ttl: 5000, envelope: utf8('sealed') });
    const verified = verifyDeposit(crypto, made.bytes);
    expect(verified.id).toBe(made.id);
    expect(verified.deposit).toMatchObject({ v: 1, to: B.did, from: A.did, ts: 1000, ttl: 5000, envelope: utf8('sealed') });
    expect(makeDeposit(crypto, A, { to: B.did, ts: 1000, ttl: 5000, envelope: utf8('sealed') }).bytes).toEqual(made.bytes);
    expect(depositId(crypto, verified.deposit)).toBe(made.id);
    expect(made.id).toMatch(/^bafyrei/);
  });

  it('refuse any single bit flip (fast-check)', () => {
    fc.assert(fc.property(
      fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 2 ** 45 }), fc.integer({ min: 1, max: 2 ** 40 }), fc.nat(), fc.nat({ max: 7 }),
      (envelope, ts, ttl, at, bit) => {
        const { bytes, id } = makeDeposit(crypto, A, { to: B.did, ts, ttl, envelope });
        expect(verifyDeposit(crypto, bytes).id).toBe(id);
        const flipped = bytes.slice();
        flipped[at % bytes.length]! ^= 1 << bit;
        expect(['malformed', 'forged']).toContain(refusal(() => verifyDeposit(crypto, flipped)).reason);
      },
    ), { numRuns: 300 });
  });

  it('are forged when signed by another key than the sender named', () => {
    const unsigned = { v: 1, to: B.did, from: A.did, ts: 1, ttl: 10, envelope: utf8('x') };
    const sig = crypto.ed25519.sign(E.ed25519Seed, concatBytes(utf8('defaust/deposit/v1\n'), encode(unsigned)));
    expect(refusal(() => verifyDeposit(crypto, encode({ ...unsigned, sig }))).code).toBe('msg/forged');
    // The right key over the wrong label (a head-record style signature) is no deposit signature either.
    const other = crypto.ed25519.sign(A.ed25519Seed, encode(unsigned));
    expect(refusal(() => verifyDeposit(crypto, encode({ ...unsigned, sig: other }))).code).toBe('msg/forged');
  });

  it('are malformed when not exactly the shape, and oversized before they are decoded', () => {
    const { deposit, bytes } = makeDeposit(crypto, A, { to: B.did, ts: 1, ttl: 10, envelope: utf8('x') });
    expect(refusal(() => verifyDeposit(crypto, encode({ ...deposit, extra: 1 }))).code).toBe('msg/malformed');
    expect(refusal(() => verifyDeposit(crypto, encode({ ...deposit, to: 'did:key:nope' }))).code).toBe('msg/malformed');
    expect(refusal(() => verifyDeposit(crypto, encode({ ...deposit, ttl: 0 }))).code).toBe('msg/malformed');
    expect(refusal(() => verifyDeposit(crypto, encode([deposit]))).code).toBe('msg/malformed');
    expect(refusal(() => verifyDeposit(crypto, bytes, bytes.length - 1)).code).toBe('msg/oversized');
    expect(refusal(() => verifyDeposit(crypto, new Uint8Array([0xa0, 0x00]))).code).toBe('msg/malformed');
  });

  it('are signed only with the sender\'s own key', () => {
    expect(() => makeDeposit(crypto, { did: A.did, ed25519Seed: E.ed25519Seed }, { to: B.did, ts: 1, ttl: 10, envelope: utf8('x') })).toThrow(InvalidInputError);
  });
});

describe('fetch proofs', () => {
  it('hold for one recipient, one mailbox and one challenge', () => {
    const nonce = crypto.randomBytes(32);
    const sig = signFetchProof(crypto, B, MAILBOX_PEER, nonce);
    expect(() => verifyFetchProof(crypto, B.did, MAILBOX_PEER, nonce, sig)).not.toThrow();
    expect(refusal(() => verifyFetchProof(crypto, B.did, 'another-peer', nonce, sig)).code).toBe('msg/not-yours');
    expect(refusal(() => verifyFetchProof(crypto, B.did, MAILBOX_PEER, crypto.randomBytes(32), sig)).code).toBe('msg/not-yours');
    const byE = signFetchProof(crypto, { did: B.did, ed25519Seed: E.ed25519Seed }, MAILBOX_PEER, nonce);
    expect(refusal(() => verifyFetchProof(crypto, B.did, MAILBOX_PEER, nonce, byE)).code).toBe('msg/not-yours');
  });
});

describe('the message codec', () => {
  const bytesOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
  const message: fc.Arbitrary<MsgMessage> = fc.oneof(
    fc.record({ t: fc.constant('deposit' as const), deposit: fc.uint8Array({ maxLength: 200 }) }),
    fc.record({ t: fc.constant('mail' as const), deposit: fc.uint8Array({ maxLength: 200 }) }),
    fc.record({ t: fc.constant('accepted' as const), id: fc.string({ maxLength: 100 }), expires: fc.nat(), duplicate: fc.boolean() }),
    fc.record({ t: fc.constant('fetch' as const), to: fc.constantFrom(A.did, B.did) }),
    fc.record({ t: fc.constant('challenge' as const), nonce: bytesOf(32) }),
    fc.record({ t: fc.constant('prove' as const), sig: bytesOf(64) }),
    fc.record({ t: fc.constant('end' as const), more: fc.boolean() }),
    fc.record({ t: fc.constant('ack' as const), ids: fc.array(fc.string({ maxLength: 60 }), { maxLength: 20 }) }),
    fc.record({ t: fc.constant('acked' as const), count: fc.nat() }),
    fc.record({ t: fc.constant('error' as const), code: fc.constantFrom('forged', 'expired', 'over-quota' as const), message: fc.string({ maxLength: 100 }) }),
  );

  it('round-trips every message through a frame, however the stream splits it (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }), async (messages, cuts) => {
      const all = concatBytes(...messages.map((m) => encodeFrame(encodeMsgMessage(m))));
      const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
      const parts = [...points, all.length].map((p, i) => all.subarray(i === 0 ? 0 : points[i - 1]!, p));
      const reader = new FrameReader((async function* () { yield* parts; })());
      for (const m of messages) expect(decodeMsgMessage((await reader.next())!)).toEqual(m);
      expect(await reader.next()).toBeNull();
    }), { numRuns: 200 });
  });

  it('refuses anything but the exact shape, canonically encoded', () => {
    const bad: unknown[] = [
      { t: 'fetch', to: A.did, extra: true },
      { t: 'fetch' },
      { t: 'fetch', to: 'someone' },
      { t: 'challenge', nonce: new Uint8Array(31) },
      { t: 'prove', sig: new Uint8Array(65) },
      { t: 'ack', ids: Array.from({ length: MAX_BATCH + 1 }, (_, i) => `id${i}`) },
      { t: 'error', code: 'bad-header', message: 'not ours' },
      { t: 'unknown' },
      [1, 2],
    ];
    for (const value of bad) expect(refusal(() => decodeMsgMessage(encode(value))).code).toBe('msg/malformed');
    // A non-canonical encoding of a good message: a map with its keys out of order.
    const good = encodeMsgMessage({ t: 'end', more: true });
    expect(decodeMsgMessage(good)).toEqual({ t: 'end', more: true });
    const swapped = new Uint8Array([0xa2, 0x64, 0x6d, 0x6f, 0x72, 0x65, 0xf5, 0x61, 0x74, 0x63, 0x65, 0x6e, 0x64]);
    expect(refusal(() => decodeMsgMessage(swapped)).code).toBe('msg/malformed');
  });

  it('maps an oversized frame to msg/oversized', async () => {
    const reader = new FrameReader((async function* () { yield encodeVarint(5000); })(), 4096);
    const error = await reader.next().catch((e: unknown) => asMessageError(e));
    expect(error).toMatchObject({ code: 'msg/oversized' });
  });
});

const DAY = 86_400_000;

function mailboxAt(clock: TestClock, limits: Partial<MailboxLimits> = {}): Mailbox {
  return new Mailbox({ crypto, store: new MemoryMailboxStore(), clock, limits });
}

describe('a mailbox', () => {
  const send = (from: SigningIdentity, to: Did, clock: TestClock, size = 10, ttl = DAY) =>
    makeDeposit(crypto, from, { to, ts: clock.now(), ttl, envelope: crypto.randomBytes(size) });

  it('keeps a deposit once, until the earlier of its TTL and the mailbox\'s longest', () => {
    const clock = new TestClock();
    const mailbox = mailboxAt(clock, { maxTtlMs: 2 * DAY });
    const d = send(A, B.did, clock);
    expect(mailbox.deposit(d.bytes)).toEqual({ id: d.id, to: B.did, from: A.did, expires: clock.now() + DAY, duplicate: false });
    expect(mailbox.deposit(d.bytes)).toMatchObject({ id: d.id, duplicate: true });
    expect(mailbox.usage()).toMatchObject({ count: 1 });
    const long = send(A, B.did, clock, 10, 90 * DAY);
    expect(mailbox.deposit(long.bytes).expires).toBe(clock.now() + 2 * DAY);
  });

  it('refuses what expired and never serves what expires while it waits', () => {
    const clock = new TestClock();
    const mailbox = mailboxAt(clock);
    const stale = makeDeposit(crypto, A, { to: B.did, ts: clock.now() - 2000, ttl: 1000, envelope: utf8('late') });
    expect(refusal(() => mailbox.deposit(stale.bytes)).code).toBe('msg/expired');
    const short = send(A, B.did, clock, 10, 60_000);
    const long = send(A, B.did, clock, 10, DAY);
    mailbox.deposit(short.bytes);
    mailbox.deposit(long.bytes);
    clock.advance(60_000);
    expect(mailbox.collect(B.did).deposits.map((d) => d.id)).toEqual([long.id]);
    expect(mailbox.usage({ to: B.did })).toMatchObject({ count: 1 });
    const future = makeDeposit(crypto, A, { to: B.did, ts: clock.now() + 10 * 60_000, ttl: DAY, envelope: utf8('early') });
    expect(refusal(() => mailbox.deposit(future.bytes)).code).toBe('msg/malformed');
  });

  it('refuses oversized deposits and forgeries', () => {
    const clock = new TestClock();
    const mailbox = mailboxAt(clock, { maxMessageBytes: 1024 });
    expect(refusal(() => mailbox.deposit(send(A, B.did, clock, 2000).bytes)).code).toBe('msg/oversized');
    const { deposit } = send(A, B.did, clock);
    expect(refusal(() => mailbox.deposit(encode({ ...deposit, envelope: utf8('swapped') }))).code).toBe('msg/forged');
    expect(mailbox.usage()).toEqual({ count: 0, bytes: 0 });
  });

  it('holds a sender to its quota while another sender still gets through', () => {
    const clock = new TestClock();
    const mailbox = mailboxAt(clock, { senderCount: 2, recipientCount: 5 });
    mailbox.deposit(send(A, B.did, clock).bytes);
    mailbox.deposit(send(A, C.did, clock).bytes);
    expect(refusal(() => mailbox.deposit(send(A, B.did, clock).bytes)).code).toBe('msg/over-quota');
    expect(mailbox.deposit(send(C, B.did, clock).bytes).duplicate).toBe(false);
  });

  it('holds each recipient to its count and bytes, and everyone to the total', () => {
    const clock = new TestClock();
    const counted = mailboxAt(clock, { recipientCount: 2 });
    counted.deposit(send(A, B.did, clock).bytes);
    counted.deposit(send(C, B.did, clock).bytes);
    expect(refusal(() => counted.deposit(send(E, B.did, clock).bytes)).code).toBe('msg/over-quota');
    expect(counted.deposit(send(E, C.did, clock).bytes).duplicate).toBe(false);

    const first = send(A, B.did, clock, 1000);
    const bytes = mailboxAt(clock, { recipientBytes: first.bytes.length + 300 });
    bytes.deposit(first.bytes);
    expect(refusal(() => bytes.deposit(send(C, B.did, clock, 200).bytes)).code).toBe('msg/over-quota');
    expect(bytes.deposit(send(C, B.did, clock, 10).bytes).duplicate).toBe(false);

    const total = mailboxAt(clock, { totalBytes: first.bytes.length + 300 });
    total.deposit(first.bytes);
    expect(refusal(() => total.deposit(send(C, E.did, clock, 200).bytes)).code).toBe('msg/over-quota');
  });

  it('drops acknowledged mail and takes a replay of it as a duplicate, not new mail', () => {
    const clock = new TestClock();
    const mailbox = mailboxAt(clock);
    const d = send(A, B.did, clock);
    mailbox.deposit(d.bytes);
    expect(mailbox.ack(E.did, [d.id])).toBe(0);
    expect(mailbox.ack(B.did, [d.id])).toBe(1);
    expect(mailbox.collect(B.did).deposits).toEqual([]);
    expect(mailbox.deposit(d.bytes)).toMatchObject({ duplicate: true });
    expect(mailbox.collect(B.did).deposits).toEqual([]);
    expect(mailbox.usage()).toEqual({ count: 0, bytes: 0 });
  });

  it('starts from the default limits and takes changes', () => {
    const mailbox = mailboxAt(new TestClock());
    expect(mailbox.limits).toEqual(DEFAULT_MAILBOX_LIMITS);
    mailbox.setLimits({ senderCount: 1 });
    expect(mailbox.limits.senderCount).toBe(1);
  });
});

/** Two ends of an in-memory channel; each message is framed, split and decoded again. */
function channelPair(maxFrameBytes?: number): [MsgChannel, MsgChannel] {
  const make = (inbox: Uint8Array[][], outbox: Uint8Array[][], wake: (() => void)[], wakeOther: (() => void)[]): MsgChannel => {
    let reader: FrameReader | null = null;
    const source = (async function* () {
      for (;;) {
        while (inbox.length === 0) await new Promise<void>((resolve) => wake.push(resolve));
        for (const part of inbox.shift()!) yield part;
      }
    })();
    return {
      async send(message) {
        const frame = encodeFrame(encodeMsgMessage(message));
        outbox.push([frame.subarray(0, 3), frame.subarray(3, 40), frame.subarray(40)]);
        wakeOther.splice(0).forEach((resolve) => resolve());
      },
      async receive() {
        reader ??= new FrameReader(source, maxFrameBytes);
        try {
          const payload = await reader.next();
          if (payload === null) throw new MessageError('closed', 'closed');
          return decodeMsgMessage(payload);
        } catch (error) {
          throw asMessageError(error);
        }
      },
    };
  };
  const aToB: Uint8Array[][] = [];
  const bToA: Uint8Array[][] = [];
  const wakeA: (() => void)[] = [];
  const wakeB: (() => void)[] = [];
  return [make(bToA, aToB, wakeA, wakeB), make(aToB, bToA, wakeB, wakeA)];
}

describe('msg sessions over a channel', () => {
  const clock = new TestClock();
  const deposit = (from: SigningIdentity, to: Did, text: string) =>
    makeDeposit(crypto, from, { to, ts: clock.now(), ttl: DAY, envelope: sealEnvelope(crypto, 'defaust/test', to, { text }) });

  async function depositVia(mailbox: Mailbox, bytes: Uint8Array) {
    const [client, server] = channelPair();
    const served = serveMsg(server, mailbox, MAILBOX_PEER).catch((e: unknown) => e);
    const result = await runDeposit(client, bytes).catch((e: unknown) => e);
    return { result, served: await served };
  }

  it('deposits, then the recipient fetches, opens and acknowledges; the mailbox is empty after', async () => {
    const mailbox = mailboxAt(clock);
    const one = deposit(A, B.did, 'one');
    const two = deposit(C, B.did, 'two');
    expect((await depositVia(mailbox, one.bytes)).result).toMatchObject({ t: 'accepted', id: one.id, duplicate: false });
    clock.advance(1);
    expect((await depositVia(mailbox, two.bytes)).served).toMatchObject({ kind: 'deposit', id: two.id, to: B.did, from: C.did, bytes: two.bytes.length });
    await depositVia(mailbox, deposit(A, C.did, 'for C').bytes);

    const [client, server] = channelPair();
    const served = serveMsg(server, mailbox, MAILBOX_PEER);
    const taken: string[] = [];
    const result = await runFetch(client, crypto, B, MAILBOX_PEER, { take: (ds) => void taken.push(...ds.map((d) => d.id)) });
    expect(await served).toEqual({ kind: 'fetch', to: B.did, served: 2, acked: 2 });
    expect(result).toMatchObject({ rejected: 0, acked: 2, more: false });
    expect(taken).toEqual([one.id, two.id]);
    const opened = result.deposits.map((d) => openEnvelope(crypto, d.deposit.envelope, 'defaust/test', B.did, B.ed25519Seed));
    expect(opened.map((o) => o.ok)).toEqual([true, true]);
    expect(mailbox.usage({ to: B.did })).toEqual({ count: 0, bytes: 0 });
    expect(mailbox.usage({ to: C.did }).count).toBe(1);
  });

  it('refuses a forged deposit with msg/forged on both sides', async () => {
    const mailbox = mailboxAt(clock);
    const { deposit: d } = deposit(A, B.did, 'x');
    const forged = encode({ ...d, from: E.did });
    const { result, served } = await depositVia(mailbox, forged);
    expect(result).toMatchObject({ code: 'msg/forged', remote: true });
    expect(served).toMatchObject({ code: 'msg/forged', remote: false });
    expect(mailbox.usage().count).toBe(0);
  });

  it('refuses a fetch by anyone but the recipient, and keeps the mail', async () => {
    const mailbox = mailboxAt(clock);
    await depositVia(mailbox, deposit(A, B.did, 'secret').bytes);
    const [client, server] = channelPair();
    const served = serveMsg(server, mailbox, MAILBOX_PEER).catch((e: unknown) => e);
    const error = await runFetch(client, crypto, { did: B.did, ed25519Seed: E.ed25519Seed }, MAILBOX_PEER).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'msg/not-yours', remote: true });
    expect(await served).toMatchObject({ code: 'msg/not-yours' });
    // A proof made for another mailbox does not open this one either.
    const [client2, server2] = channelPair();
    const served2 = serveMsg(server2, mailbox, MAILBOX_PEER).catch((e: unknown) => e);
    expect(await runFetch(client2, crypto, B, 'another-peer').catch((e: unknown) => e)).toMatchObject({ code: 'msg/not-yours' });
    await served2;
    expect(mailbox.usage({ to: B.did }).count).toBe(1);
  });

  it('acknowledges nothing when the recipient cannot take its mail', async () => {
    const mailbox = mailboxAt(clock);
    await depositVia(mailbox, deposit(A, B.did, 'keep me').bytes);
    const [client, server] = channelPair();
    const served = serveMsg(server, mailbox, MAILBOX_PEER).catch((e: unknown) => e);
    const error = await runFetch(client, crypto, B, MAILBOX_PEER, { take: () => { throw new Error('disk full'); } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'msg/internal' });
    expect(await served).toMatchObject({ code: 'msg/internal', remote: true });
    expect(mailbox.usage({ to: B.did }).count).toBe(1);
  });

  it('serves at most a batch per fetch and says there is more', async () => {
    const mailbox = mailboxAt(clock, { senderCount: 1000 });
    const store = mailbox.store;
    for (let i = 0; i < MAX_BATCH + 3; i++) mailbox.deposit(deposit(A, B.did, `m${i}`).bytes);
    const fetchOnce = async () => {
      const [client, server] = channelPair();
      const served = serveMsg(server, mailbox, MAILBOX_PEER);
      const result = await runFetch(client, crypto, B, MAILBOX_PEER);
      await served;
      return result;
    };
    expect(await fetchOnce()).toMatchObject({ acked: MAX_BATCH, more: true });
    expect(await fetchOnce()).toMatchObject({ acked: 3, more: false });
    expect(store.usage()).toEqual({ count: 0, bytes: 0 });
  });

  it('refuses a frame over the mailbox\'s cap as msg/oversized', async () => {
    const mailbox = mailboxAt(clock);
    const [client, server] = channelPair(1024);
    const served = serveMsg(server, mailbox, MAILBOX_PEER).catch((e: unknown) => e);
    const error = await runDeposit(client, deposit(A, B.did, 'x'.repeat(2000)).bytes).catch((e: unknown) => e);
    expect(await served).toMatchObject({ code: 'msg/oversized' });
    expect(error).toMatchObject({ code: 'msg/oversized', remote: true });
  });
});
