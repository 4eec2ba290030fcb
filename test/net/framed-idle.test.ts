// The framed channel's idle deadline on a real libp2p stream: a peer that goes silent fails the pending
// receive with `timeout` and aborts the session; messages that keep coming never trip it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackNode, stopLoopback, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';
import { runSession } from '../../src-main/adapters/p2p/sync.ts';
import { expectMessage } from '../../src-main/core/net/sync-session.ts';
import { crypto } from '../helpers.ts';

const PROTOCOL = '/defaust-test/idle/1.0.0';
const LIMITS = { maxFrameBytes: 1 << 16, idleTimeoutMs: 1500, sessionTimeoutMs: 60_000 };

describe('the idle deadline of a framed channel', () => {
  let quiet: LoopbackPeer;
  let caller: LoopbackPeer;

  beforeAll(async () => {
    quiet = await startLoopbackNode(crypto);
    caller = await startLoopbackNode(crypto);
    // Answers three pulls with `ready`, then says nothing more and keeps the stream open.
    await quiet.node.libp2p.handle(PROTOCOL, async (stream) => {
      await runSession(stream, { ...LIMITS, idleTimeoutMs: 60_000 }, async (channel) => {
        for (let i = 0; i < 3; i++) {
          await expectMessage(channel, 'pull');
          await channel.send({ t: 'ready', from: i, head: null });
        }
        await expectMessage(channel, 'pull');
        // Silent now: waits for a message that never comes, until the caller gives up and aborts.
        await expectMessage(channel, 'pull');
      }).catch(() => undefined);
    });
  }, 30_000);

  afterAll(() => stopLoopback([quiet, caller]), 20_000);

  it('answers that keep coming pass; silence fails with timeout', async () => {
    const stream = await caller.node.libp2p.dialProtocol(quiet.node.libp2p.getMultiaddrs(), PROTOCOL);
    const id = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' as const;
    const failure = await runSession(stream, LIMITS, async (channel) => {
      for (let i = 0; i < 3; i++) {
        await channel.send({ t: 'pull', id, from: i });
        expect(await expectMessage(channel, 'ready')).toMatchObject({ from: i });
      }
      await channel.send({ t: 'pull', id, from: 3 });
      return expectMessage(channel, 'ready').then(() => null, (error: unknown) => error);
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ reason: 'timeout' });
  }, 60_000);
});
