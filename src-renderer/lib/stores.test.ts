// The renderer's feature stores and API clients over a fake API: what each action calls, what it keeps,
// and that a failure becomes a remembered error in plain words, never a throw.
import { describe, expect, it, vi } from 'vitest';
import type { Response } from '../../src-preload/api/contract.ts';
import { createChainStore, PAGE } from '../features/chain/store.ts';
import { createMediaStore } from '../features/media/store.ts';
import { createProfileStore } from '../features/profile/store.ts';
import { createSessionStore } from '../features/session/store.ts';
import { createSettingsStore } from '../features/settings/store.ts';
import { createStorageStore } from '../features/settings/storage-store.ts';
import { httpClient, nextListenPause, readEventStream, takeToken, toBase64, fromBase64 } from './api.ts';
import { fakeApi, ok } from './fake-api.ts';

const block = (seq: number) => ({ seq, cid: `bafy${seq}`, kind: seq === 0 ? 'genesis' : 'delta', author: 'did:key:z6Mk', ts: 1_700_000_000_000 + seq });

describe('session store', () => {
  it('keeps the words from creation until they are confirmed', async () => {
    const words = Array.from({ length: 24 }, (_, i) => `w${i + 1}`);
    const api = fakeApi({
      'session:create': () => ok({ id: 'did:key:z6Mk1', words, confirm: [2, 9, 17] }),
      'session:confirmMnemonic': () => ok({ state: 'unlocked', id: 'did:key:z6Mk1', confirm: null, chain: true }),
    });
    const store = createSessionStore(api);
    expect(await store.getState().create('a good passphrase')).toBe(true);
    expect(store.getState()).toMatchObject({ words, step: 'show', status: { state: 'unlocked', confirm: [2, 9, 17] } });
    store.getState().setStep('confirm');
    expect(await store.getState().confirm([{ position: 2, word: 'w2' }, { position: 9, word: 'w9' }, { position: 17, word: 'w17' }])).toBe(true);
    expect(store.getState().words).toBeNull();
    expect(api.calls.map(([c]) => c)).toEqual(['session:create', 'session:confirmMnemonic']);
  });

  it('remembers a failure in plain words and clears it on the next try', async () => {
    let attempt = 0;
    const api = fakeApi({
      'session:unlock': () => (++attempt === 1 ? { ok: false, error: { code: 'wrong-passphrase', message: 'wrong passphrase' } } : ok({ state: 'unlocked', id: 'x', confirm: null, chain: true })),
    });
    const store = createSessionStore(api);
    expect(await store.getState().unlock('nope')).toBe(false);
    expect(store.getState()).toMatchObject({ busy: false, error: { code: 'wrong-passphrase' } });
    expect(await store.getState().unlock('right')).toBe(true);
    expect(store.getState()).toMatchObject({ error: null, status: { state: 'unlocked' } });
  });

  it('normalises a pasted recovery phrase', async () => {
    const api = fakeApi({ 'session:recover': () => ok({ state: 'locked', id: 'x', confirm: null, chain: false }) });
    await createSessionStore(api).getState().recover('  Abandon\n abandon   ART ', 'passphrase');
    expect(api.calls[0]?.[1]).toEqual({ mnemonic: 'abandon abandon art', passphrase: 'passphrase', job: expect.stringMatching(/^job-[0-9a-f]{24}$/u) });
  });
});

describe('profile store', () => {
  const profile = { id: 'did:key:z6Mk1', device: 'did:key:z6Mk2', length: 3, head: 'bafy2', sections: [{ name: 'contact', fields: {}, events: [] }] };

  it('previews a draft, signs it, then reloads', async () => {
    const api = fakeApi({
      'profile:get': () => ok(profile),
      'profile:preview': () => ok({ changes: [{ path: 'email', after: 'a@b.c' }] }),
      'profile:set': () => ok({ block: block(3) }),
    });
    const store = createProfileStore(api);
    await store.getState().load();
    expect(store.getState().section).toBe('contact');
    expect(await store.getState().review({ section: 'contact', op: { op: 'set', path: 'email', value: 'a@b.c' } })).toBe(true);
    expect(store.getState().changes).toEqual([{ path: 'email', after: 'a@b.c' }]);
    expect(api.calls.some(([c]) => c === 'profile:set')).toBe(false);
    expect(await store.getState().sign()).toEqual(block(3));
    expect(store.getState()).toMatchObject({ draft: null, changes: null, saved: block(3) });
    expect(api.calls.map(([c]) => c)).toEqual(['profile:get', 'profile:preview', 'profile:set', 'profile:get']);
    store.getState().reset();
    expect(store.getState().profile).toBeNull();
  });

  it('signs a removal with unset', async () => {
    const api = fakeApi({ 'profile:preview': () => ok({ changes: [{ path: 'email', before: 'a' }] }), 'profile:unset': () => ok({ block: block(4) }), 'profile:get': () => ok(profile) });
    const store = createProfileStore(api);
    await store.getState().review({ section: 'contact', op: { op: 'unset', path: 'email' } });
    await store.getState().sign();
    expect(api.calls[1]).toEqual(['profile:unset', { section: 'contact', path: 'email' }]);
  });
});

describe('chain store', () => {
  it('fetches the timeline page by page, newest first, once per page', async () => {
    const total = 10_000;
    const api = fakeApi({
      'chain:log': (r) => {
        const offset = r.offset ?? 0;
        const limit = r.limit ?? 200;
        return ok({ total, archivedThrough: 4_000, items: Array.from({ length: Math.min(limit, total - offset) }, (_, i) => block(total - 1 - offset - i)) });
      },
    });
    const store = createChainStore(api);
    await store.getState().refresh();
    expect(store.getState().total).toBe(total);
    expect(store.getState().archivedThrough).toBe(4_000);
    expect(store.getState().rows[0]?.seq).toBe(total - 1);
    await store.getState().ensure(PAGE * 20 + 5, PAGE * 21 + 3);
    await store.getState().ensure(PAGE * 20 + 5, PAGE * 21 + 3);
    expect(store.getState().rows[PAGE * 20 + 5]?.seq).toBe(total - 1 - (PAGE * 20 + 5));
    expect(api.calls.map(([, r]) => (r as { offset: number }).offset)).toEqual([0, PAGE * 20, PAGE * 21]);
    expect(Object.keys(store.getState().rows)).toHaveLength(PAGE * 3);
  });

  it('loads a block detail and a verification report', async () => {
    const api = fakeApi({
      'chain:block': (r) => ok({ block: block(r.seq), sections: [] }),
      'chain:verify': () => ok({ ok: true, head: 'bafy9', length: 10 }),
    });
    const store = createChainStore(api);
    await store.getState().select(7);
    expect(store.getState()).toMatchObject({ selected: 7, detailLoading: false, detail: { block: { seq: 7 } } });
    await store.getState().verify();
    expect(store.getState()).toMatchObject({ verifying: false, report: { ok: true, length: 10 } });
  });
});

describe('media store', () => {
  it('attaches bytes, lists them, and opens an item once', async () => {
    const item = { section: 'feats', event: 'race', cid: 'bafyM', name: 'a.png', type: 'image/png', size: 3 };
    const api = fakeApi({
      'media:attach': () => ok({ item, block: block(5) }),
      'media:list': () => ok({ items: [item] }),
      'media:get': () => ok({ item, bytes: toBase64(new Uint8Array([1, 2, 3])) }),
    });
    const store = createMediaStore(api);
    await store.getState().load();
    expect(store.getState().items).toEqual([item]);
    store.getState().reset();
    expect(await store.getState().open('bafyM')).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.getState().open('bafyM')).toEqual(new Uint8Array([1, 2, 3]));
    expect(api.calls.filter(([c]) => c === 'media:get')).toHaveLength(1);
  });
});

describe('settings store', () => {
  it('applies a theme at once and keeps the server answer', async () => {
    const api = fakeApi({
      'settings:get': () => ok({ theme: 'system', home: '/h', version: '1' }),
      'settings:setTheme': (r) => ok({ theme: r.theme, home: '/h', version: '1' }),
      'settings:changePassphrase': () => ({ ok: false, error: { code: 'wrong-passphrase', message: 'wrong passphrase' } }),
    });
    const store = createSettingsStore(api);
    await store.getState().load();
    const pending = store.getState().setTheme('dark');
    expect(store.getState().settings?.theme).toBe('dark');
    await pending;
    expect(store.getState().settings?.theme).toBe('dark');
    expect(await store.getState().changePassphrase('a', 'b')).toBe(false);
    expect(store.getState()).toMatchObject({ changing: false, error: { code: 'wrong-passphrase' } });
  });
});

describe('API clients', () => {
  it('takes the token from the fragment once and removes it from the address bar', () => {
    const saved = new Map<string, string>();
    const storage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) };
    const replaced: string[] = [];
    const history = { replaceState: (_a: unknown, _b: string, url: string) => void replaced.push(url) };
    expect(takeToken({ hash: '#token=abc_DEF-1', pathname: '/', search: '' }, history, storage)).toBe('abc_DEF-1');
    expect(replaced).toEqual(['/']);
    expect(takeToken({ hash: '', pathname: '/', search: '' }, history, storage)).toBe('abc_DEF-1');
    expect(takeToken({ hash: '#token=<script>', pathname: '/', search: '' }, history, { getItem: () => null, setItem: () => undefined })).toBeNull();
  });

  it('sends the token as a bearer header, bytes as base64, and turns transport failures into results', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fetchOk = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ ok: true, value: { theme: 'light', home: '/h', version: '1' } }), { status: 200 });
    }) as unknown as typeof fetch;
    const client = httpClient('tok', fetchOk);
    expect(await client.call('settings:get', {})).toMatchObject({ ok: true });
    expect(seen[0]?.url).toBe('/api/settings:get');
    expect((seen[0]?.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    await client.call('media:attach', { section: 'feats', event: 'e', name: 'n', type: 't', bytes: new Uint8Array([255, 0, 1]) });
    expect(JSON.parse(seen[1]?.init.body as string).bytes).toBe('/wAB');
    expect(fromBase64('/wAB')).toEqual(new Uint8Array([255, 0, 1]));

    const down = httpClient('tok', (async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch);
    expect(await down.call('session:status', {})).toMatchObject({ ok: false, error: { code: 'offline' } });
    const refused = httpClient('tok', (async () => new Response('{}', { status: 401 })) as unknown as typeof fetch);
    expect(await refused.call('session:status', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await httpClient(null).call('session:status', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});

describe('events in the browser', () => {
  const streamOf = (chunks: string[]) => new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

  it('reads text/event-stream frames split anywhere, skipping comments', async () => {
    const text = ': open\n\nevent: chain:appended\ndata: {"seq":4}\n\n: still here\n\nevent: session:changed\ndata: {"state":"locked"}\n\n';
    for (const cut of [1, 7, 19, 33, text.length - 1]) {
      const heard: [string, string][] = [];
      await readEventStream(streamOf([text.slice(0, cut), text.slice(cut)]), (event, data) => heard.push([event, data]));
      expect(heard).toEqual([['chain:appended', '{"seq":4}'], ['session:changed', '{"state":"locked"}']]);
    }
  });

  it('listens on the node\'s event stream while someone subscribes, listens again after a pause, and stops', async () => {
    const opened: RequestInit[] = [];
    const pauses: number[] = [];
    let release: () => void = () => undefined;
    const fetchEvents = (async (url: string, init: RequestInit) => {
      expect(url).toBe('/api/events');
      opened.push(init);
      // The first stream ends at once (the node restarted); the second carries an event, then stays open.
      if (opened.length === 1) return new Response(streamOf([]), { status: 200 });
      return new Response(streamOf(['event: chain:appended\ndata: {"seq":7}\n\nevent: other\ndata: {}\n\n']), { status: 200 });
    }) as unknown as typeof fetch;
    const client = httpClient('tok', fetchEvents, async (ms) => {
      pauses.push(ms);
      if (pauses.length > 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const heard: unknown[] = [];
    const stop = client.subscribe('chain:appended', (block) => heard.push(block));
    await vi.waitFor(() => expect(heard).toEqual([{ seq: 7 }]));
    expect((opened[0]?.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(pauses).toEqual([1000, 1000]);
    stop();
    expect(opened.at(-1)?.signal?.aborted).toBe(true);
    release();
    expect(httpClient(null).subscribe('chain:appended', () => undefined)).toBeTypeOf('function');
    expect([null, 1000, 8000, 10_000].map(nextListenPause)).toEqual([1000, 2000, 10_000, 10_000]);
  });
});

describe('storage store', () => {
  const tiers = (through: number) => ({ blocks: 10, headerBytes: 4000, hot: { bodies: 10 - through, bytes: 100 }, archive: { segments: through > 0 ? 1 : 0, bodies: through, bytes: 50, through }, oldestHotTs: 5, warnings: [] });
  it('previews a move for the dialog, moves only the previewed date, and reloads the tiers', async () => {
    let through = 0;
    const api = fakeApi({
      'history:tiers': () => ok(tiers(through)),
      'history:previewArchive': (r) => ok({ from: 0, through: 6, bodies: 6, checkpoint: r.before > 0 ? { size: 10, root: 'ab'.repeat(32) } : null }),
      'history:archive': (r) => {
        through = 6;
        return ok({ through: 6, moved: { segments: 1, bodies: 6, bytes: 50 }, checkpoint: { seq: 10, cid: 'bafy', kind: 'checkpoint', author: 'did:key:z', ts: r.before } });
      },
    });
    const store = createStorageStore(api);
    await store.getState().load();
    expect(store.getState().tiers?.archive.segments).toBe(0);
    await store.getState().preview(1234);
    expect(store.getState().plan).toMatchObject({ before: 1234, checkpoint: { size: 10 } });
    store.getState().cancel();
    expect(store.getState().plan).toBeNull();
    await store.getState().preview(1234);
    await store.getState().move();
    expect(api.calls.find(([channel]) => channel === 'history:archive')?.[1]).toEqual({ before: 1234 });
    expect(store.getState()).toMatchObject({ plan: null, moved: { through: 6 }, tiers: { archive: { through: 6 } } });
  });
});
