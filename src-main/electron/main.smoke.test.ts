// Loads the bundled Electron main process (dist/electron/main.cjs) with a minimal fake `electron`, since the
// real binary cannot run here, and checks the wiring: sandbox, single instance, the app:// protocol with its
// CSP and path check, denied permissions, navigation and new windows, the IPC sender check, and the OS
// keychain it asks (safeStorage on basic_text). Its utilityProcess is test/electron-shim's (child_process).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src-preload/api/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../serve/policy.ts';
import { utilityProcess } from '../../test/electron-shim/utility-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'electron', 'main.cjs');
const built = existsSync(BUNDLE) && existsSync(join(ROOT, 'dist', 'renderer', 'index.html'));
if (!built) console.log('Electron main smoke test skipped: dist/ is not built (npm run build).');

type Fn = (...args: never[]) => unknown;

describe.skipIf(!built)('the bundled Electron main process, with a fake electron', () => {
  const home = mkdtempSync(join(tmpdir(), 'defaust-main-'));
  const seen = {
    sandbox: false,
    singleInstance: false,
    schemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
    appHandlers: new Map<string, Fn>(),
    protocols: new Map<string, (request: { url: string }) => Response>(),
    ipc: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
    windows: [] as { options: { webPreferences: Record<string, unknown> }; url?: string }[],
    permission: null as null | ((contents: unknown, permission: string, callback: (ok: boolean) => void) => void),
    permissionCheck: null as null | (() => boolean),
    opened: [] as string[],
  };
  const fake = {
    app: {
      isPackaged: false,
      enableSandbox: () => void (seen.sandbox = true),
      requestSingleInstanceLock: () => (seen.singleInstance = true),
      on: (event: string, fn: Fn) => void seen.appHandlers.set(event, fn),
      whenReady: () => Promise.resolve(),
      getVersion: () => '0.1.0',
      quit: () => undefined,
    },
    BrowserWindow: class {
      options: { webPreferences: Record<string, unknown> };
      url?: string;
      webContents = { send: () => undefined, getURL: () => this.url ?? '', isDestroyed: () => false };
      constructor(options: { webPreferences: Record<string, unknown> }) {
        this.options = options;
        seen.windows.push(this);
      }
      once() {}
      on() {}
      loadURL(url: string) {
        this.url = url;
        return Promise.resolve();
      }
      static getAllWindows() {
        return seen.windows;
      }
    },
    ipcMain: { handle: (channel: string, fn: never) => void seen.ipc.set(channel, fn), removeHandler: () => undefined },
    protocol: {
      registerSchemesAsPrivileged: (schemes: never[]) => void seen.schemes.push(...schemes),
      handle: (scheme: string, fn: never) => void seen.protocols.set(scheme, fn),
    },
    session: { defaultSession: { setPermissionRequestHandler: (fn: never) => void (seen.permission = fn), setPermissionCheckHandler: (fn: never) => void (seen.permissionCheck = fn) } },
    shell: { openExternal: async (url: string) => void seen.opened.push(url) },
    // Linux with no keyring: safeStorage's basic_text backend, which the wallet must not trust.
    safeStorage: { isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'basic_text' },
    utilityProcess,
  };
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = loader._load;

  beforeAll(async () => {
    process.env.DEFAUST_HOME = join(home, 'home');
    loader._load = function (request: string, ...rest: unknown[]) {
      return request === 'electron' ? fake : originalLoad.call(this, request, ...rest);
    };
    createRequire(import.meta.url)(BUNDLE);
    await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(() => {
    loader._load = originalLoad;
    (seen.appHandlers.get('will-quit') as (() => void) | undefined)?.();
    rmSync(home, { recursive: true, force: true });
  });

  it('sandboxes the app, takes the single-instance lock and opens one window on app://', () => {
    expect(seen.sandbox).toBe(true);
    expect(seen.singleInstance).toBe(true);
    expect(seen.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(seen.windows).toHaveLength(1);
    expect(seen.windows[0]!.url).toBe('app://defaust/index.html');
    expect(seen.windows[0]!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, devTools: false });
    expect(String(seen.windows[0]!.options.webPreferences.preload)).toMatch(/dist[\\/]electron[\\/]preload\.cjs$/u);
  });

  it('serves the renderer from app:// with the CSP, and nothing outside it', async () => {
    const handle = seen.protocols.get('app')!;
    const index = handle({ url: 'app://defaust/index.html' });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toContain('<div id="root">');
    expect(handle({ url: 'app://defaust/..%2f..%2fpackage.json' }).status).toBe(404);
    expect(handle({ url: 'app://elsewhere/index.html' }).status).toBe(404);
  });

  it('denies permissions, navigation away, new windows and webviews; opens only https outside', () => {
    let granted: boolean | null = null;
    seen.permission!({}, 'media', (ok) => void (granted = ok));
    expect(granted).toBe(false);
    expect(seen.permissionCheck!()).toBe(false);
    const on = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    const contents = { on: (event: string, fn: never) => void on.set(event, fn), setWindowOpenHandler: (fn: never) => void (openHandler = fn) };
    (seen.appHandlers.get('web-contents-created') as (e: unknown, c: unknown) => void)({}, contents);
    const attempt = (event: string, url?: string) => {
      let prevented = false;
      on.get(event)!({ preventDefault: () => void (prevented = true) }, url);
      return prevented;
    };
    expect(attempt('will-navigate', 'https://example.org/')).toBe(true);
    expect(attempt('will-navigate', 'app://defaust/index.html')).toBe(false);
    expect(attempt('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(attempt('will-attach-webview')).toBe(true);
    expect(openHandler!({ url: 'https://defaust.example/help' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(seen.opened).toEqual(['https://defaust.example/help']);
  });

  it('registers every channel and answers only the app page', async () => {
    expect([...seen.ipc.keys()].sort()).toEqual([...CHANNELS].sort());
    const status = seen.ipc.get('session:status')!;
    expect(await status({ senderFrame: { url: 'app://defaust/index.html', parent: null } }, {})).toEqual({ ok: true, value: { state: 'new', id: null, confirm: null, chain: false } });
    expect(await status({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('asks safeStorage whether a real keychain exists: on basic_text it says so, and keeps nothing', async () => {
    const keychain = seen.ipc.get('keychain:status')!;
    expect(await keychain({ senderFrame: { url: 'app://defaust/index.html', parent: null } }, {})).toEqual({ ok: true, value: { state: 'basic-text', remembered: false } });
  });
});

describe.skipIf(!built)('the bundled preload, with a fake electron', () => {
  it('exposes one object per feature, one function per verb, and subscriptions that unsubscribe', async () => {
    let exposed: { name: string; api: Record<string, Record<string, (...args: unknown[]) => unknown>> } | null = null;
    const invoked: [string, unknown][] = [];
    const listeners = new Set<(event: unknown, message: unknown) => void>();
    const fake = {
      contextBridge: { exposeInMainWorld: (name: string, api: never) => void (exposed = { name, api }) },
      ipcRenderer: {
        invoke: async (channel: string, payload: unknown) => {
          invoked.push([channel, payload]);
          return { ok: true, value: null };
        },
        on: (_channel: string, fn: never) => void listeners.add(fn),
        removeListener: (_channel: string, fn: never) => void listeners.delete(fn),
      },
    };
    const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const originalLoad = loader._load;
    loader._load = function (request: string, ...rest: unknown[]) {
      return request === 'electron' ? fake : originalLoad.call(this, request, ...rest);
    };
    try {
      createRequire(import.meta.url)(join(ROOT, 'dist', 'electron', 'preload.cjs'));
    } finally {
      loader._load = originalLoad;
    }
    const { name, api } = exposed!;
    expect(name).toBe('defaust');
    for (const channel of CHANNELS) {
      const [feature, verb] = channel.split(':') as [string, string];
      expect(typeof api[feature]?.[verb], channel).toBe('function');
    }
    // One object per feature of the contract, and `events`; nothing else reaches the page.
    expect(Object.keys(api).sort()).toEqual([...new Set(CHANNELS.map((c) => c.split(':')[0]!)), 'events'].sort());
    expect(Object.keys(api)).toEqual(expect.arrayContaining(['access', 'archive', 'feats', 'trust', 'verify', 'witness', 'events']));
    await api.profile!.set!({ section: 'contact', path: 'email', value: 'a' });
    expect(invoked).toEqual([['profile:set', { section: 'contact', path: 'email', value: 'a' }]]);
    const got: unknown[] = [];
    const stop = api.events!.subscribe!('session:changed', (payload: unknown) => got.push(payload)) as () => void;
    for (const fn of listeners) fn({}, { event: 'session:changed', payload: { state: 'locked' } });
    for (const fn of listeners) fn({}, { event: 'chain:appended', payload: {} });
    stop();
    expect(listeners.size).toBe(0);
    expect(got).toEqual([{ state: 'locked' }]);
  });
});
