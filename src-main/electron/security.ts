// The Electron security baseline as plain data and pure checks, with no electron import, so every rule is
// unit-tested under Node: the window's webPreferences, the app:// origin and its file mapping (no path
// traversal), the IPC sender check, and which links may open outside the app.
import { resolveStaticPath } from '../serve/static-files.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'defaust';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** The webPreferences of every window: sandboxed, isolated, no Node, devtools only in development. */
export function webPreferencesFor(preload: string, options: { development: boolean }) {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.development,
  } as const;
}

/** True for URLs of the app's own origin (app://defaust/…). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Only https and mailto links leave the app, opened by the system; everything else is dropped. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '') || parsed.protocol === 'mailto:';
  } catch {
    return false;
  }
}

/** The file of the built renderer an app:// request names, or null (other host, traversal, missing). */
export function appFileFor(root: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl)) return null;
  const parsed = new URL(requestUrl);
  return resolveStaticPath(root, parsed.pathname);
}

/** The part of an IPC event the sender check looks at (Electron's IpcMainInvokeEvent has it). */
export interface SenderLike {
  senderFrame?: { url: string; parent: unknown } | null;
}

/** An IPC call is accepted only from the top frame of a page of the app's own origin. */
export function isTrustedSender(event: SenderLike): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}
