// The Electron main process: the composition root of the desktop app. One sandboxed window loads the UI
// from app://defaust (never file://), with a strict CSP; navigation, new windows, webviews and permission
// requests are denied; only https/mailto links open outside; one instance at a time. The peer node runs here
// too, started on unlock; proofs are made in a utility process (prover-process.ts). Everything it decides
// is in security.ts and ipc.ts, tested without Electron; this file only wires them to Electron's objects.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, shell, utilityProcess } from 'electron';
import { Home, resolveHomeDir } from '../app/home.ts';
import { bootstrapFromEnv } from '../app/network/options.ts';
import { NetworkHost } from '../app/network/host.ts';
import { WalletService } from '../app/wallet/service.ts';
import { SECURITY_HEADERS } from '../serve/policy.ts';
import { mimeType } from '../serve/static-files.ts';
import { registerIpc } from './ipc.ts';
import { mainProcessPaths } from './paths.ts';
import { safeStorageKeychain } from './keychain.ts';
import { forkUtilityProver } from './prover-process.ts';
import { APP_ENTRY, APP_SCHEME, appFileFor, isAppUrl, isSafeExternalUrl, webPreferencesFor } from './security.ts';

const paths = mainProcessPaths(dirname(fileURLToPath(import.meta.url)), app.isPackaged, process.resourcesPath);
const RENDERER_ROOT = paths.renderer;
const PRELOAD = paths.preload;
const development = !app.isPackaged && process.env.NODE_ENV === 'development';
// Packaged, the proving artifacts are extra resources beside the asar (electron-builder.yml), not in a checkout;
// the utility process inherits the environment, so it reads the same folder.
process.env.DEFAUST_ZK_DIR ??= paths.circuits;

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

let window: BrowserWindow | null = null;

function createWindow(): void {
  window = new BrowserWindow({
    width: 1200,
    height: 820,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'DeFaust',
    backgroundColor: '#f5f6f8',
    webPreferences: webPreferencesFor(PRELOAD, { development }),
  });
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => {
    window = null;
  });
  void window.loadURL(APP_ENTRY);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    protocol.handle(APP_SCHEME, (request) => {
      const file = appFileFor(RENDERER_ROOT, request.url);
      if (file === null) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
      return new Response(readFileSync(file), { headers: { ...SECURITY_HEADERS, 'Content-Type': mimeType(file) } });
    });
    // runAsNode is off (electron-builder.yml), so child_process.fork cannot start the prover: a utility process does.
    // The OS keychain (safeStorage) may keep the keystore's key, where it is a real one (not Linux's basic_text).
    const home = new Home(resolveHomeDir(), { proverProcess: forkUtilityProver(utilityProcess, paths.zkWorker), keychain: safeStorageKeychain(safeStorage) });
    // The peer node starts when the wallet is unlocked (its peer id comes from the device's sealed secret).
    const network = new NetworkHost(home, { bootstrap: bootstrapFromEnv() });
    const service = new WalletService(home, { version: app.getVersion(), network });
    registerIpc(ipcMain, service, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
    app.on('will-quit', () => {
      void network.stop().finally(() => service.close());
    });
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
