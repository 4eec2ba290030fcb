// The headless node's HTTP server: the built renderer, the JSON API (POST /api/<channel>) and the pushed
// events (POST /api/events) on 127.0.0.1 only. Every request passes the Host check (DNS rebinding) and the Origin check (other sites); API calls
// also need the random token, which is printed once in the URL's fragment and never sent in a URL again. A tab
// without it signs in with the passphrase (POST /sign-in, throttled) and gets the same token.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MAX_UPLOAD_BYTES } from '../../src-preload/api/contract.ts';
import type { WalletService } from '../app/wallet/service.ts';
import { createEventStreams, EVENTS_PATH } from './event-stream.ts';
import { checkRequest, SECURITY_HEADERS, type Area } from './policy.ts';
import { SignIn } from './sign-in.ts';
import { mimeType, resolveStaticPath } from './static-files.ts';

/** The path a tab without the token posts `{"passphrase": …}` to. */
export const SIGN_IN_PATH = '/sign-in';

/** Largest sign-in body: a passphrase is short. */
const MAX_SIGN_IN_BYTES = 4096;

/** Largest API body: a maximal upload as base64 plus the JSON around it. */
export const MAX_BODY_BYTES = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + 64 * 1024;

export interface ServeOptions {
  service: WalletService;
  /** The built renderer (dist/renderer). */
  root: string;
  /** 0 picks a free port. */
  port?: number;
  /** Tests may fix it; by default 32 random bytes. */
  token?: string;
  /** The sign-in throttle's clock (tests); Date.now by default. */
  now?: () => number;
}

export interface RunningServer {
  server: Server;
  port: number;
  token: string;
  /** The URL to open, with the token in the fragment (never sent to the server). */
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string | Uint8Array, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8', { 'Cache-Control': 'no-store' });
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

/**
 * The whole body, or null as soon as its Content-Length or the bytes streamed so far pass `limit`. The rest is
 * never kept: once the answer is sent, Node discards what is still coming and the connection stays usable.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The JSON value of a body (an empty body is `{}`), or undefined when it is not JSON. */
function parseJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let port = options.port ?? 0;
  const eventStreams = createEventStreams(options.service);
  const signIn = new SignIn(token, (passphrase) => options.service.passphraseOpens(passphrase), () => options.service.hasIdentity(), options.now);

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, 'internal', 'Something went wrong inside DeFaust.');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const api = path.startsWith('/api/');
    const area: Area = api ? 'api' : path === SIGN_IN_PATH ? 'sign-in' : 'page';
    const refusal = checkRequest(
      { method: req.method ?? 'GET', host: req.headers.host, origin: req.headers.origin, authorization: req.headers.authorization },
      { port, token, area },
    );
    if (refusal !== null) {
      if (refusal.status === 405) res.setHeader('Allow', api ? 'POST' : 'GET, HEAD');
      refuse(res, refusal.status, refusal.status === 401 ? 'unauthorized' : refusal.status === 421 ? 'misdirected' : 'forbidden', refusal.reason);
      return;
    }
    if (area === 'sign-in') return answerSignIn(req, res);
    if (path === EVENTS_PATH) {
      if (!eventStreams.serve(req, res)) refuse(res, 429, 'too-many-streams', 'Too many pages are listening to this wallet; close one.');
      return;
    }
    if (api) {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'unsupported-media-type', 'send JSON');
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === null) return refuse(res, 413, 'too-large', 'This request is too large.');
      const payload = parseJson(body);
      if (payload === undefined) return refuse(res, 400, 'invalid-input', 'The request is not valid JSON.');
      let channel: string;
      try {
        channel = decodeURIComponent(path.slice('/api/'.length));
      } catch {
        channel = '';
      }
      sendJson(res, 200, await options.service.handle(channel, payload));
      return;
    }
    if (!existsSync(options.root)) {
      send(res, 503, 'The DeFaust UI is not built. Run: npm run build\n', 'text/plain; charset=utf-8');
      return;
    }
    const file = resolveStaticPath(options.root, path);
    if (file === null) {
      send(res, 404, 'Not found\n', 'text/plain; charset=utf-8');
      return;
    }
    const bytes = readFileSync(file);
    const cache = file.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable';
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': mimeType(file), 'Content-Length': String(bytes.length), 'Cache-Control': cache });
      res.end();
      return;
    }
    send(res, 200, bytes, mimeType(file), { 'Cache-Control': cache });
  }

  async function answerSignIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'unsupported-media-type', 'send JSON');
    const body = await readBody(req, MAX_SIGN_IN_BYTES);
    const payload = body === null ? undefined : parseJson(body);
    const passphrase = (payload as { passphrase?: unknown } | undefined)?.passphrase;
    if (typeof passphrase !== 'string' || passphrase.length === 0) return refuse(res, 400, 'invalid-input', 'Send {"passphrase": "…"}.');
    const answer = signIn.attempt(passphrase);
    switch (answer.kind) {
      case 'token':
        return sendJson(res, 200, { ok: true, value: { token: answer.token } });
      case 'wrong':
        return refuse(res, 401, 'wrong-passphrase', 'That passphrase does not open this wallet.');
      case 'wait':
        res.setHeader('Retry-After', String(answer.seconds));
        return refuse(res, 429, 'slow-down', `Too many wrong passphrases: try again in ${answer.seconds} s.`);
      case 'no-identity':
        return refuse(res, 409, 'no-identity', 'This wallet has no identity yet: open the link printed in the terminal where DeFaust runs.');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : port;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
