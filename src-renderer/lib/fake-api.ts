// A fake ApiClient for the store tests: it answers each channel from a table (a missing answer is an
// `unexpected` failure), records every call, and lets a test push events to what the stores subscribed.
import type { Channel, EventName, EventPayload, Request, Response, Result } from '../../src-preload/api/contract.ts';
import type { ApiClient } from './api.ts';

export type Answers = { [C in Channel]?: (request: Request<C>) => Result<Response<C>> | Promise<Result<Response<C>>> };

export type FakeApi = ApiClient & {
  calls: [Channel, unknown][];
  push<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** How many listeners are subscribed now (a store must let go of what it no longer needs). */
  listening(): number;
};

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function fakeApi(answers: Answers, kind: 'desktop' | 'browser' = 'browser'): FakeApi {
  const calls: [Channel, unknown][] = [];
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  return {
    kind,
    calls,
    async call(channel, request) {
      calls.push([channel, request]);
      const answer = answers[channel] as ((r: unknown) => Result<unknown> | Promise<Result<unknown>>) | undefined;
      return (answer ? await answer(request) : { ok: false, error: { code: 'unexpected', message: `no answer for ${channel}` } }) as never;
    },
    subscribe(event, listener) {
      const list = listeners.get(event) ?? [];
      list.push(listener as (payload: unknown) => void);
      listeners.set(event, list);
      return () => listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener));
    },
    push(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listening: () => [...listeners.values()].reduce((n, l) => n + l.length, 0),
  };
}
