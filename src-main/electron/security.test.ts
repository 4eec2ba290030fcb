// The Electron security baseline, tested without Electron: webPreferences, the CSP the app:// protocol
// sends, the path check of app://, the IPC sender check and the one IPC wrapper, and external links.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNELS, EVENT_CHANNEL, type Result } from '../../src-preload/api/contract.ts';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../serve/policy.ts';
import { registerIpc } from './ipc.ts';
import { APP_ENTRY, appFileFor, isAppUrl, isSafeExternalUrl, isTrustedSender, webPreferencesFor } from './security.ts';

describe('webPreferences', () => {
  it('sandboxes and isolates every window, with no Node and devtools only in development', () => {
    const prefs = webPreferencesFor('/app/preload.cjs', { development: false });
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(webPreferencesFor('/p', { development: true }).devTools).toBe(true);
  });
});

describe('CSP', () => {
  it('allows only the app itself: no inline script or style, no eval, no framing, no plugins', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/u);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });
});

describe('app:// protocol', () => {
  const root = mkdtempSync(join(tmpdir(), 'defaust-app-'));
  mkdirSync(join(root, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(root, 'renderer', 'index.html'), 'x');
  writeFileSync(join(root, 'renderer', 'assets', 'a.js'), 'x');
  writeFileSync(join(root, 'outside.txt'), 'secret');
  const renderer = join(root, 'renderer');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps the app origin to the built renderer', () => {
    expect(APP_ENTRY).toBe('app://defaust/index.html');
    expect(appFileFor(renderer, APP_ENTRY)).toBe(join(renderer, 'index.html'));
    expect(appFileFor(renderer, 'app://defaust/assets/a.js')).toBe(join(renderer, 'assets', 'a.js'));
  });

  it('never leaves the renderer folder and refuses other hosts and schemes', () => {
    for (const url of [
      'app://defaust/../outside.txt', 'app://defaust/%2e%2e/outside.txt', 'app://defaust/assets/%2e%2e%2f%2e%2e%2foutside.txt',
      'app://defaust/assets/..%5c..%5coutside.txt', 'app://defaust/%00', 'app://other/index.html', 'file:///etc/passwd', 'https://defaust/index.html',
      'app://user:pw@defaust/index.html', 'not a url',
    ]) {
      const file = appFileFor(renderer, url);
      expect(file === null || file.startsWith(renderer + '/'), url).toBe(true);
      expect(file, url).not.toBe(join(root, 'outside.txt'));
    }
    expect(appFileFor(renderer, 'app://other/index.html')).toBeNull();
  });
});

describe('IPC', () => {
  const top = (url: string) => ({ senderFrame: { url, parent: null } });

  it('trusts only the top frame of an app:// page', () => {
    expect(isTrustedSender(top('app://defaust/index.html'))).toBe(true);
    expect(isTrustedSender(top('https://evil.example/'))).toBe(false);
    expect(isTrustedSender(top('file:///tmp/x.html'))).toBe(false);
    expect(isTrustedSender(top('app://evil/index.html'))).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'app://defaust/index.html', parent: {} } })).toBe(false);
    expect(isTrustedSender({ senderFrame: null })).toBe(false);
    expect(isTrustedSender({})).toBe(false);
  });

  it('registers every channel through one wrapper that checks the sender before the service sees anything', async () => {
    const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<Result<unknown>>>();
    const calls: [string, unknown][] = [];
    let listener: ((event: string, payload: unknown) => void) | null = null;
    const sent: unknown[] = [];
    const ipcMain = {
      handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<Result<unknown>>) => void handlers.set(channel, fn),
      removeHandler: (channel: string) => void handlers.delete(channel),
    };
    const service = {
      handle: async (channel: unknown, payload: unknown): Promise<Result<unknown>> => {
        calls.push([channel as string, payload]);
        return { ok: true, value: 'fine' };
      },
      subscribe: (fn: (event: string, payload: unknown) => void) => {
        listener = fn;
        return () => {
          listener = null;
        };
      },
    };
    const windows = [
      { send: (...args: unknown[]) => void sent.push(args), getURL: () => 'app://defaust/index.html', isDestroyed: () => false },
      { send: () => expect.unreachable('a foreign page got an event'), getURL: () => 'https://evil.example/', isDestroyed: () => false },
    ];
    const stop = registerIpc(ipcMain as never, service as never, () => windows as never);
    expect([...handlers.keys()].sort()).toEqual([...CHANNELS].sort());

    const handler = handlers.get('profile:get')!;
    expect(await handler(top('https://evil.example/'), {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
    expect(await handler(top('app://defaust/index.html'), { x: 1 })).toEqual({ ok: true, value: 'fine' });
    expect(calls).toEqual([['profile:get', { x: 1 }]]);

    listener!('session:changed', { state: 'locked' });
    expect(sent).toEqual([[EVENT_CHANNEL, { event: 'session:changed', payload: { state: 'locked' } }]]);
    stop();
    expect(handlers.size).toBe(0);
    expect(listener).toBeNull();
  });
});

describe('external links', () => {
  it('opens only https and mailto outside the app', () => {
    expect(isSafeExternalUrl('https://defaust.example/help')).toBe(true);
    expect(isSafeExternalUrl('mailto:help@defaust.example')).toBe(true);
    for (const url of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://defaust/x', 'https://user:pw@example.org', '']) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
    expect(isAppUrl('app://defaust/')).toBe(true);
    expect(isAppUrl('app://defaust.evil/')).toBe(false);
  });
});
