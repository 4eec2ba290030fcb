// The renderer's only way to the wallet: `window.defaust` when the Electron preload provides it, else the
// headless node's HTTP API with the token taken from the URL fragment (or, in a tab opened without it, got
// by signing in with the passphrase). Both speak the same contract and
// both answer with a Result; a failure of the transport itself becomes a Result too, in plain words. Pushed
// events come from the preload in Electron, and from the node's event stream (POST /api/events) in a browser.
import type { ApiError, Channel, DefaustApi, EventName, EventPayload, Request, Response, Result } from '../../src-preload/api/contract.ts';

export interface ApiClient {
  call<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>>;
  /** Pushed events: the listener hears every `event` until the returned function is called. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** How the UI reaches its wallet: 'desktop' (Electron) or 'browser' (defaust serve). */
  readonly kind: 'desktop' | 'browser';
}

const TOKEN_KEY = 'defaust.token';

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export function electronClient(defaust: DefaustApi): ApiClient {
  return {
    kind: 'desktop',
    call(channel, request) {
      const [feature, verb] = channel.split(':') as [string, string];
      const api = defaust as unknown as Record<string, Record<string, (r: unknown) => Promise<unknown>>>;
      const fn = api[feature]?.[verb];
      if (fn === undefined) return Promise.resolve({ ok: false, error: { code: 'unknown-channel', message: 'This version of DeFaust does not know that request.' } });
      return fn(request) as Promise<Result<Response<typeof channel>>>;
    },
    subscribe: (event, listener) => defaust.events.subscribe(event, listener),
  };
}

/** Takes the token from `#token=…` once, keeps it for this tab, and removes it from the address bar. */
export function takeToken(location: { hash: string; pathname: string; search: string }, history: { replaceState(a: unknown, b: string, url: string): void }, storage: Pick<Storage, 'getItem' | 'setItem'>): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/u.exec(location.hash);
  if (match?.[1] !== undefined) {
    storage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return storage.getItem(TOKEN_KEY);
}

/** Reads a text/event-stream body and calls `onEvent` with each complete event's name and data; ends with the body. */
export async function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const lines = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length) ?? 'message';
      const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice('data: '.length));
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}

/** The pause before listening again after the event stream ended or failed: 1 s, doubling up to 10 s. */
export const nextListenPause = (pause: number | null): number => (pause === null ? 1000 : Math.min(pause * 2, 10_000));

export function httpClient(
  token: string | null,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  forgetToken: () => void = () => undefined,
): ApiClient {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  let listening: AbortController | null = null;

  /** Keeps one event stream open while anyone listens, opening it again after a pause when it ends. */
  async function listen(controller: AbortController): Promise<void> {
    let pause: number | null = null;
    while (!controller.signal.aborted) {
      try {
        const response = await fetchImpl('/api/events', {
          method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{}', credentials: 'omit', cache: 'no-store', signal: controller.signal,
        });
        if (response.ok && response.body !== null) {
          pause = null;
          await readEventStream(response.body, (event, data) => {
            let payload: never;
            try {
              payload = JSON.parse(data) as never;
            } catch {
              return;
            }
            for (const listener of listeners.get(event) ?? []) listener(payload);
          });
        }
      } catch {
        // The node went away or the page stopped listening: the loop decides below.
      }
      if (controller.signal.aborted) return;
      pause = nextListenPause(pause);
      await sleep(pause);
    }
  }

  return {
    kind: 'browser',
    async call(channel, request) {
      if (token === null) return { ok: false, error: { code: 'unauthorized', message: 'This page has no access yet. Reload it and sign in with your passphrase.' } };
      let response: globalThis.Response;
      try {
        response = await fetchImpl(`/api/${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(request, (_key, value: unknown) => (value instanceof Uint8Array ? toBase64(value) : value)),
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch {
        return { ok: false, error: { code: 'offline', message: 'DeFaust is not reachable. Is it still running in its terminal?' } };
      }
      if (response.status === 401) {
        // DeFaust was restarted with a new token: the old one is of no use to any later page.
        forgetToken();
        return { ok: false, error: { code: 'unauthorized', message: 'This page’s access has ended (DeFaust was restarted). Reload the page and sign in with your passphrase.' } };
      }
      try {
        return (await response.json()) as Result<Response<typeof channel>>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `DeFaust answered with an error (${response.status}).` } };
      }
    },
    subscribe(event, listener) {
      if (token === null) return () => undefined;
      const forEvent = listeners.get(event) ?? new Set();
      listeners.set(event, forEvent);
      forEvent.add(listener as (payload: never) => void);
      if (listening === null) {
        listening = new AbortController();
        void listen(listening);
      }
      return () => {
        forEvent.delete(listener as (payload: never) => void);
        if ([...listeners.values()].every((set) => set.size === 0)) {
          listening?.abort();
          listening = null;
        }
      };
    },
  };
}

declare global {
  interface Window {
    defaust?: DefaustApi;
  }
}

let client: ApiClient | null = null;

/** The client for this window, made once. */
export function api(): ApiClient {
  client ??=
    window.defaust !== undefined
      ? electronClient(window.defaust)
      : httpClient(takeToken(window.location, window.history, window.sessionStorage), undefined, undefined, () => window.sessionStorage.removeItem(TOKEN_KEY));
  return client;
}

/** False only in a browser tab that has no token yet: it must sign in with the passphrase first. */
export function hasAccess(): boolean {
  return window.defaust !== undefined || takeToken(window.location, window.history, window.sessionStorage) !== null;
}

/**
 * Trades the passphrase for the headless node's token and keeps it for this tab. Null on success; otherwise
 * the node's refusal (wrong passphrase, wait, no identity yet) in plain words.
 */
export async function signIn(passphrase: string, fetchImpl: typeof fetch = (...args) => fetch(...args), storage: Pick<Storage, 'setItem'> = window.sessionStorage): Promise<ApiError | null> {
  let response: globalThis.Response;
  try {
    response = await fetchImpl('/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ passphrase }), credentials: 'omit', cache: 'no-store' });
  } catch {
    return { code: 'offline', message: 'DeFaust is not reachable. Is it still running in its terminal?' };
  }
  let answer: Result<{ token: string }>;
  try {
    answer = (await response.json()) as Result<{ token: string }>;
  } catch {
    return { code: 'internal', message: `DeFaust answered with an error (${response.status}).` };
  }
  if (!answer.ok) return answer.error;
  storage.setItem(TOKEN_KEY, answer.value.token);
  return null;
}
