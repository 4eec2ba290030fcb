// The wallet's pushed events for the browser UI: `POST /api/events` (the API's token, Host and Origin checks
// apply) answers a text/event-stream that carries every event the wallet service emits — a write by the CLI
// or another window reaches an open page at once. A comment line every 15 s keeps idle proxies and the
// page's reader honest; at most MAX_EVENT_STREAMS are open at once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WalletService } from '../app/wallet/service.ts';
import { SECURITY_HEADERS } from './policy.ts';

/** The path of the event stream; it is not a channel (channels are `feature:verb`). */
export const EVENTS_PATH = '/api/events';
export const MAX_EVENT_STREAMS = 8;
const HEARTBEAT_MS = 15_000;

/** One event in the text/event-stream format: its name, and its payload as one line of JSON. */
export function eventFrame(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Serves event streams for `service`; `open()` is how many are open now. */
export function createEventStreams(service: WalletService) {
  const open = new Set<ServerResponse>();
  return {
    open: () => open.size,
    /** Answers `req` with the stream until the page goes away; false when too many are open already. */
    serve(req: IncomingMessage, res: ServerResponse): boolean {
      if (open.size >= MAX_EVENT_STREAMS) return false;
      open.add(res);
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': open\n\n');
      const unsubscribe = service.subscribe((event, payload) => res.write(eventFrame(event, payload)));
      const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      };
      req.on('close', end);
      res.on('close', end);
      return true;
    },
  };
}
