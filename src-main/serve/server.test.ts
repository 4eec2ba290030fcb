// The headless node's HTTP boundary: Host, Origin and token checks, static files without traversal, and
// a good request reaching the wallet service.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src-preload/api/contract.ts';
import { Home } from '../app/home.ts';
import { WalletService } from '../app/wallet/service.ts';
import { CONTENT_SECURITY_POLICY, checkRequest, tokenMatches } from './policy.ts';
import { MAX_BODY_BYTES, startServer, type RunningServer } from './server.ts';
import { EVENTS_PATH, MAX_EVENT_STREAMS } from './event-stream.ts';
import { resolveStaticPath } from './static-files.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/**
 * POSTs a body larger than the cap: with `declared` it announces that Content-Length and sends one byte, else
 * it streams chunks (no Content-Length) until the server answers. Resolves with the answer, rejects on a reset.
 */
function postTooLarge(port: number, token: string, declared?: number): Promise<Reply & { sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
    if (declared !== undefined) headers['Content-Length'] = String(declared);
    const req = request({ host: '127.0.0.1', port, path: '/api/session:status', method: 'POST', headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), sent });
        req.destroy();
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (declared !== undefined) {
      req.write('{');
      sent = 1;
      return;
    }
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      while (!answered && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

describe('defaust serve HTTP server', () => {
  let dir: string;
  let running: RunningServer;
  let service: WalletService;
  const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-serve-'));
    const root = join(dir, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>DeFaust</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    service = new WalletService(new Home(join(dir, 'home')));
    running = await startServer({ service, root, token: TOKEN });
  });
  afterAll(async () => {
    await running.close();
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
    call(running.port, `/api/${channel}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}`, Origin: `http://127.0.0.1:${running.port}`, ...headers },
    });

  it('listens on loopback and prints the token only in the fragment', () => {
    expect(running.url).toBe(`http://127.0.0.1:${running.port}/#token=${TOKEN}`);
    expect(running.server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('answers a good request', async () => {
    const reply = await api('session:status', {});
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: { state: 'new', id: null, confirm: null, chain: false } });
    expect(reply.headers['cache-control']).toBe('no-store');
    const viaLocalhost = await api('session:status', {}, { Host: `localhost:${running.port}`, Origin: `http://localhost:${running.port}` });
    expect(viaLocalhost.status).toBe(200);
  });

  it('refuses a request without the token, or with a wrong one (401)', async () => {
    expect((await api('session:status', {}, { Authorization: '' })).status).toBe(401);
    expect((await api('session:status', {}, { Authorization: `Bearer ${TOKEN.slice(1)}x` })).status).toBe(401);
    expect((await api('session:status', {}, { Authorization: TOKEN })).status).toBe(401);
    const reply = await api('session:status', {}, { Authorization: 'Bearer nope' });
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a foreign Host (421) — DNS rebinding — on the API and the files', async () => {
    expect((await api('session:status', {}, { Host: `evil.example:${running.port}` })).status).toBe(421);
    expect((await api('session:status', {}, { Host: `127.0.0.1:${running.port + 1}` })).status).toBe(421);
    expect((await call(running.port, '/', { headers: { Host: 'evil.example' } })).status).toBe(421);
  });

  it('refuses a foreign Origin (403)', async () => {
    expect((await api('session:status', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('session:status', {}, { Origin: `http://localhost:${running.port}` })).status).toBe(403);
    expect((await api('session:status', {}, { Origin: 'null' })).status).toBe(403);
  });

  it('refuses other methods, content types, bad JSON and huge bodies', async () => {
    expect((await call(running.port, '/api/session:status', { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
    expect((await call(running.port, '/', { method: 'POST' })).status).toBe(405);
    expect((await api('session:status', {}, { 'Content-Type': 'text/plain' })).status).toBe(415);
    const bad = await call(running.port, '/api/session:status', { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` } });
    expect(bad.status).toBe(400);
    const unknown = await api('fs:read', {});
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('answers 413 with a JSON error to a body over the cap, from its Content-Length without reading it', { timeout: 10_000 }, async () => {
    const reply = await postTooLarge(running.port, TOKEN, 100 * 1024 * 1024);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { code: 'too-large', message: expect.any(String) } });
    expect(reply.sent).toBe(1);
  });

  it('answers 413 to a streamed body once it passes the cap, instead of resetting the connection', async () => {
    const reply = await postTooLarge(running.port, TOKEN);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(reply.sent).toBeGreaterThan(MAX_BODY_BYTES);
    expect((await api('session:status', {})).status).toBe(200);
  });

  it('answers random JSON on every channel with a typed result, never a crash or a stack', async () => {
    const channels = [...CHANNELS, 'nope:nope', '', '..%2f..%2fetc', '__proto__'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), fc.jsonValue(), async (channel, body) => {
        if (['session:create', 'session:recover', 'settings:setTheme'].includes(channel)) return;
        const reply = await api(channel, body);
        expect(reply.status).toBe(200);
        const result = JSON.parse(reply.body) as { ok: boolean; error?: { code: string; message: string } };
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.error?.message).not.toMatch(/\n\s+at /u);
      }),
      { numRuns: 150 },
    );
  });

  it('pushes the wallet\'s events to a page listening on the event stream, in the text/event-stream format', async () => {
    const controller = new AbortController();
    const answer = await fetch(`http://127.0.0.1:${running.port}${EVENTS_PATH}`, {
      method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, signal: controller.signal,
    });
    try {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/event-stream/u);
      expect(answer.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      const reader = answer.body!.getReader();
      const next = async () => Buffer.from((await reader.read()).value ?? []).toString('utf8'); // ASCII frames here
      let text = '';
      while (!text.includes(': open')) text += await next();
      await api('session:lock', {});
      while (!text.includes('\n\nevent: session:changed\n') && !text.startsWith('event: session:changed\n')) text += await next();
      const frame = text.slice(text.indexOf('event: session:changed\n'));
      expect(JSON.parse(frame.split('\n')[1]!.slice('data: '.length))).toEqual({ state: 'new', id: null, confirm: null, chain: false });
    } finally {
      controller.abort();
    }
  });

  it('the event stream needs the token, and at most MAX_EVENT_STREAMS are open at once (then 429)', async () => {
    expect((await call(running.port, EVENTS_PATH, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(401);
    const controllers = Array.from({ length: MAX_EVENT_STREAMS + 1 }, () => new AbortController());
    const open = (signal: AbortSignal) => fetch(`http://127.0.0.1:${running.port}${EVENTS_PATH}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, signal });
    try {
      const answers = [];
      for (const controller of controllers) answers.push(await open(controller.signal));
      expect(answers.slice(0, MAX_EVENT_STREAMS).map((a) => a.status)).toEqual(Array(MAX_EVENT_STREAMS).fill(200));
      expect(answers[MAX_EVENT_STREAMS]!.headers.get('content-type')).toMatch(/json/u);
      expect(answers.at(-1)!.status).toBe(429);
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });

  it('serves the renderer with a strict CSP, nosniff and no-referrer, and nothing outside it', async () => {
    const index = await call(running.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect((await call(running.port, '/assets/app.js')).headers['content-type']).toMatch(/javascript/u);
    expect((await call(running.port, '/profile')).body).toContain('<title>DeFaust');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%5c..%5csecret.txt', '/x.js']) {
      expect((await call(running.port, path)).status, path).toBe(404);
    }
  });
});

describe('policy', () => {
  it('has no unsafe-inline or unsafe-eval', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe/u);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
  it('checks Host before Origin before token', () => {
    const expected = { port: 5000, token: 't', area: 'api' as const };
    const base = { method: 'POST', host: '127.0.0.1:5000', origin: 'http://127.0.0.1:5000', authorization: 'Bearer t' };
    expect(checkRequest(base, expected)).toBeNull();
    expect(checkRequest({ ...base, origin: undefined }, expected)).toBeNull();
    expect(checkRequest({ ...base, host: undefined }, expected)?.status).toBe(421);
    expect(checkRequest({ ...base, host: 'a:5000', authorization: undefined }, expected)?.status).toBe(421);
    expect(checkRequest({ ...base, origin: 'https://127.0.0.1:5000', authorization: undefined }, expected)?.status).toBe(403);
    expect(checkRequest({ ...base, authorization: undefined }, expected)?.status).toBe(401);
    expect(tokenMatches('Bearer t', 't')).toBe(true);
    expect(tokenMatches('bearer t', 't')).toBe(false);
  });
  it('never resolves a path outside the root', () => {
    const root = mkdtempSync(join(tmpdir(), 'defaust-static-'));
    try {
      writeFileSync(join(root, 'index.html'), 'x');
      expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'));
      expect(resolveStaticPath(root, '/%00')).toBeNull();
      expect(resolveStaticPath(root, '/%E0%A4%A')).toBeNull();
      expect(resolveStaticPath(root, '//etc/passwd')).toBe(join(root, 'index.html'));
      expect(resolveStaticPath(root, '/etc/passwd.txt')).toBeNull();
      expect(resolveStaticPath(root, '/../../etc/passwd')).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
