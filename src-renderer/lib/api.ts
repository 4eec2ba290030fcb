// The renderer's only way to the wallet: `window.defaust` when the Electron preload provides it, else the
// headless node's HTTP API with the token taken from the URL fragment. Both speak the same contract and
// both answer with a Result; a failure of the transport itself becomes a Result too, in plain words.
import type { Channel, DefaustApi, EventName, EventPayload, Request, Response, Result } from '../../src-preload/api/contract.ts';

export interface ApiClient {
  call<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>>;
  /** Pushed events (Electron); the HTTP client has none and returns a no-op unsubscribe. */
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

export function httpClient(token: string | null, fetchImpl: typeof fetch = (...args) => fetch(...args)): ApiClient {
  return {
    kind: 'browser',
    async call(channel, request) {
      if (token === null) return { ok: false, error: { code: 'unauthorized', message: 'This page has no access token. Open the link that “defaust serve” printed.' } };
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
        return { ok: false, error: { code: 'offline', message: 'DeFaust is not reachable. Is “defaust serve” still running?' } };
      }
      if (response.status === 401) return { ok: false, error: { code: 'unauthorized', message: 'The access token is not valid. Open the link that “defaust serve” printed.' } };
      try {
        return (await response.json()) as Result<Response<typeof channel>>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `DeFaust answered with an error (${response.status}).` } };
      }
    },
    subscribe: () => () => undefined,
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
  client ??= window.defaust !== undefined ? electronClient(window.defaust) : httpClient(takeToken(window.location, window.history, window.sessionStorage));
  return client;
}
