// The Network screen's store over a fake API, and its arithmetic: replica health in words, limits from the
// form's units to bytes and back, chart scales.
import { describe, expect, it } from 'vitest';
import type { NetStatus, Result } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { chartScale, formatShare, formatSize, limitsDraft, limitsPatch, linePoints, replicaHealth, sampleInterval, shortPeer, type Owner } from './model.ts';
import { createNetworkStore } from './store.ts';

const LIMITS: NetStatus['limits'] = {
  quotaBytes: 64 * 1024 * 1024, replicaStorageBytes: 1024 ** 3, minFreeDiskBytes: 2 * 1024 ** 3, bandwidthInPerMinute: 0, bandwidthOutPerMinute: 0, maxConnections: 100, maxConcurrentSessions: 4, maxFrameBytes: 4 * 1024 * 1024, mailboxBytes: 256 * 1024 * 1024,
};

function status(owner: Owner | null = null): NetStatus {
  return {
    peerId: '12D3KooWFUcWRX5CeQohepScSLKibN7aTsVFumXzv3ugP2oTF9DS', addrs: [], connections: 2, routingTable: 2, owner, hosted: [],
    usage: { hostedBytes: 0, mailbox: { count: 0, bytes: 0 }, thisMinute: { in: 0, out: 0 }, totalIn: 0, totalOut: 0, samples: [] }, limits: LIMITS, rejections: {},
  };
}

const owner = (replicas: Owner['replicas'], length = 5, publishedSeq: number | null = 4): Owner =>
  ({ id: 'did:key:z6Mk', length, head: 'bafy', publishedSeq, publishedAt: publishedSeq === null ? null : 1, replicas, wanted: 3, publishFailure: null });

function fakeApi(answers: Record<string, (request: unknown) => Result<unknown>>): ApiClient & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  return {
    kind: 'browser',
    calls,
    async call(channel, request) {
      calls.push([channel, request]);
      const answer = answers[channel];
      return (answer ? answer(request) : { ok: false, error: { code: 'unexpected', message: `no answer for ${channel}` } }) as never;
    },
    subscribe: () => () => undefined,
  };
}

describe('network store', () => {
  it('keeps the last status when a poll fails, and clears the failure on the next answer', async () => {
    let up = true;
    const api = fakeApi({ 'network:status': () => (up ? { ok: true, value: { running: true, reason: null, status: status(), peers: [] } } : { ok: false, error: { code: 'offline', message: 'gone' } }) });
    const store = createNetworkStore(api, () => 42);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ running: true, updatedAt: 42, failed: null });
    up = false;
    await store.getState().load();
    expect(store.getState()).toMatchObject({ running: true, failed: 'load', error: { code: 'offline' } });
    expect(store.getState().status?.peerId).toMatch(/^12D3/u);
    up = true;
    await store.getState().load();
    expect(store.getState()).toMatchObject({ failed: null, error: null });
  });

  it('does not start a poll while one is in flight', async () => {
    let release: () => void = () => undefined;
    const api: ApiClient & { n: number } = {
      kind: 'browser',
      n: 0,
      async call() {
        this.n++;
        await new Promise<void>((resolve) => (release = resolve));
        return { ok: true, value: { running: false, status: null, peers: [] } } as never;
      },
      subscribe: () => () => undefined,
    };
    const store = createNetworkStore(api);
    const first = store.getState().load();
    await store.getState().load();
    release();
    await first;
    expect(api.n).toBe(1);
    expect(store.getState().running).toBe(false);
  });

  it('publishes and keeps the report, then reloads', async () => {
    const report = { seq: 4, recordPeers: 3, replicas: [{ peer: 'p1', length: 5, sent: 2 }], failures: [{ peer: 'p2', code: 'sync/over-quota', message: 'over its quota' }], rebased: null };
    const api = fakeApi({ 'network:publish': () => ({ ok: true, value: report }), 'network:status': () => ({ ok: true, value: { running: true, reason: null, status: status(), peers: [] } }) });
    const store = createNetworkStore(api);
    expect(await store.getState().publish()).toEqual(report);
    expect(store.getState()).toMatchObject({ busy: null, published: report });
    expect(api.calls.map(([c]) => c)).toEqual(['network:publish', 'network:status']);
  });

  it('saves limits, shows them at once, and keeps a refusal with its action', async () => {
    const api = fakeApi({
      'network:status': () => ({ ok: true, value: { running: true, reason: null, status: status(), peers: [] } }),
      'network:setLimits': (patch) => ((patch as { maxConnections?: number }).maxConnections === 1
        ? { ok: false, error: { code: 'invalid-input', message: 'too few' } }
        : { ok: true, value: { limits: { ...LIMITS, ...(patch as object) } } }),
    });
    const store = createNetworkStore(api);
    await store.getState().load();
    expect(await store.getState().setLimits({ maxConnections: 50 })).toBe(true);
    expect(store.getState()).toMatchObject({ limitsSaved: true, status: { limits: { maxConnections: 50 } } });
    expect(await store.getState().setLimits({ maxConnections: 1 })).toBe(false);
    expect(store.getState()).toMatchObject({ limitsSaved: false, failed: 'limits', busy: null, status: { limits: { maxConnections: 50 } } });
    store.getState().reset();
    expect(store.getState()).toMatchObject({ running: null, status: null, failed: null });
  });
});

describe('replica health', () => {
  it('says when nothing is published', () => {
    expect(replicaHealth(owner([], 3, null))).toEqual({ tone: 'none', text: 'No one holds a copy yet: publish to peers when you are connected.' });
  });
  it('counts replicas holding the latest change', () => {
    const all = owner([{ peer: 'a', length: 5, live: true }, { peer: 'b', length: 5, live: true }, { peer: 'c', length: 5, live: true }]);
    expect(replicaHealth(all)).toEqual({ tone: 'ok', text: '3 of 3 replicas hold your latest change.' });
  });
  it('names replicas behind and gone', () => {
    const mixed = owner([{ peer: 'a', length: 5, live: true }, { peer: 'b', length: 4, live: true }, { peer: 'c', length: 5, live: false }]);
    expect(replicaHealth(mixed)).toEqual({ tone: 'warn', text: '1 of 3 replicas hold your latest change. 1 replica is behind. 1 replica has gone away.' });
    expect(replicaHealth(owner([]))).toEqual({ tone: 'none', text: 'No one holds a copy yet: publish to peers when you are connected.' });
    expect(replicaHealth(owner([{ peer: 'a', length: 5, live: true }])).text).toBe('1 of 3 replicas hold your latest change. Only 1 peer took a copy so far.');
  });
});

describe('limits form', () => {
  it('shows bytes in MiB and KiB/min and sends back only what changed, in bytes', () => {
    const initial = limitsDraft({ ...LIMITS, bandwidthInPerMinute: 1024 * 1024, quotaBytes: 64 * 1024 });
    expect(initial).toEqual({ quotaBytes: '0.0625', replicaStorageBytes: '1024', minFreeDiskBytes: '2', mailboxBytes: '256', bandwidthInPerMinute: '1024', bandwidthOutPerMinute: '0', maxConnections: '100' });
    expect(limitsPatch(initial, initial)).toEqual({ patch: {}, errors: {} });
    expect(limitsPatch(initial, { ...initial, replicaStorageBytes: '512', bandwidthOutPerMinute: '2,5', maxConnections: ' 80 ' })).toEqual({
      patch: { replicaStorageBytes: 512 * 1024 * 1024, bandwidthOutPerMinute: 2560, maxConnections: 80 },
      errors: {},
    });
  });
  it('refuses what the node would refuse, in words', () => {
    const initial = limitsDraft(LIMITS);
    const { patch, errors } = limitsPatch(initial, { ...initial, quotaBytes: '0.01', maxConnections: '2.5', bandwidthInPerMinute: 'lots', replicaStorageBytes: '' });
    expect(patch).toEqual({});
    expect(errors).toEqual({
      quotaBytes: 'Storage per person goes from 0.0625 MiB (64 KiB) to 65536 MiB (64 GiB).',
      maxConnections: 'Use a whole number, like 100.',
      bandwidthInPerMinute: 'Use digits only, like 64 or 0.5 (in KiB/min).',
      replicaStorageBytes: 'Enter a number from 0 to 1048576 MiB (1 TiB).',
    });
  });
});

describe('formatting and charts', () => {
  it('formats sizes, shares and peer ids', () => {
    expect([formatSize(0), formatSize(1023), formatSize(2210), formatSize(64 * 1024 * 1024), formatSize(1024 ** 3)]).toEqual(['0 B', '1023 B', '2.2 KiB', '64 MiB', '1 GiB']);
    expect([formatShare(0, 100), formatShare(1, 1e9), formatShare(5, 100), formatShare(50, 100), formatShare(1, 0)]).toEqual(['0 %', 'less than 0.1 %', '5 %', '50 %', 'over the limit']);
    expect(shortPeer('12D3KooWFUcWRX5CeQohepScSLKibN7aTsVFumXzv3ugP2oTF9DS')).toBe('12D3…oTF9DS');
  });
  it('scales to the data, and to the limit only when it is near', () => {
    expect(chartScale([0, 0], null, 1024)).toEqual({ top: 1024, limitShown: false });
    expect(chartScale([10, 30], 100)).toMatchObject({ limitShown: true });
    expect(chartScale([10, 30], 100).top).toBeCloseTo(108);
    expect(chartScale([10, 20], 1e9)).toMatchObject({ limitShown: false });
    expect(chartScale([10, 20], 1e9).top).toBeCloseTo(23);
    expect(linePoints([0, 50, 100], 100, 300, 80)).toBe('0,80 150,40 300,0');
    expect(sampleInterval([{ ts: 0 }, { ts: 10_000 }, { ts: 20_000 }, { ts: 31_000 }].map((s) => ({ ...s, connections: 0, in: 0, out: 0, hostedBytes: 0, mailboxBytes: 0 })))).toBe(10_000);
  });
});
