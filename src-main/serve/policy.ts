// The security policy of the UI, for both shells: the Content-Security-Policy (no inline scripts or styles,
// no eval), the response headers, and the checks the headless node makes on every request (Host against
// DNS rebinding, Origin against cross-site requests, the bearer token against other local users' processes; the
// sign-in, which hands a further tab the token for the passphrase, is throttled by the server).
import { timingSafeEqual } from 'node:crypto';

/** No 'unsafe-inline', no 'unsafe-eval'; media are shown from blob: URLs made in the page. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** The only Host values accepted on port `port`. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export type Refusal = { status: 401 | 403 | 405 | 421; reason: string };

/** What a path is: the built page, the API (token required), or the sign-in that trades a passphrase for the token. */
export type Area = 'page' | 'api' | 'sign-in';

/** Checks a request's Host, Origin and (for the API) its token. Null when it may go on. */
export function checkRequest(
  req: { method: string; host: string | undefined; origin: string | undefined; authorization: string | undefined },
  expected: { port: number; token: string; area: Area },
): Refusal | null {
  const hosts = allowedHosts(expected.port);
  if (req.host === undefined || !hosts.includes(req.host)) return { status: 421, reason: 'this server answers only on 127.0.0.1 and localhost' };
  if (req.origin !== undefined && req.origin !== `http://${req.host}`) return { status: 403, reason: 'cross-origin requests are refused' };
  if (expected.area === 'page') return req.method === 'GET' || req.method === 'HEAD' ? null : { status: 405, reason: 'method not allowed' };
  if (expected.area === 'sign-in') {
    if (req.method !== 'POST') return { status: 405, reason: 'sign-in takes POST only' };
    // A browser always names the page's origin on a POST; a request without one did not come from this page.
    return req.origin === undefined ? { status: 403, reason: 'sign-in is only for the wallet page itself' } : null;
  }
  if (req.method !== 'POST') return { status: 405, reason: 'the API takes POST only' };
  if (!tokenMatches(req.authorization, expected.token)) return { status: 401, reason: 'a valid token is required' };
  return null;
}

/** Constant-time comparison of `Authorization: Bearer <token>` with the expected token. */
export function tokenMatches(authorization: string | undefined, token: string): boolean {
  if (authorization === undefined || !authorization.startsWith('Bearer ')) return false;
  const given = Buffer.from(authorization.slice(7));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
