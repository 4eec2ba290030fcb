// Resolving a URL path to a file of the built renderer without ever leaving its folder. Shared by the
// headless node's HTTP server and Electron's app:// protocol.
import { existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The absolute file under `root` that `urlPath` names, or null when it would leave `root` (`..`, encoded
 * separators, NUL, absolute paths) or names no file. `/` and unknown paths without an extension give
 * index.html, so the single-page app can own its routes.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split(/[?#]/u)[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const base = resolve(root);
  const candidate = resolve(base, ...segments);
  const rel = relative(base, candidate);
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  const isFile = (path: string) => existsSync(path) && statSync(path).isFile();
  if (segments.length > 0 && isFile(candidate)) return candidate;
  if (segments.length === 0 || extname(decoded) === '') {
    const index = resolve(base, 'index.html');
    return isFile(index) ? index : null;
  }
  return null;
}

export function mimeType(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
