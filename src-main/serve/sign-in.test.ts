// The sign-in of a tab without the token: the throttle's schedule on a fixed clock, and the real server trading
// the right passphrase (and only it, only from the page's own origin) for the token.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../app/home.ts';
import { WalletService } from '../app/wallet/service.ts';
import { SIGN_IN_PATH, startServer, type RunningServer } from './server.ts';
import { SignIn } from './sign-in.ts';

describe('SignIn throttle', () => {
  it('makes every caller wait after a wrong passphrase, doubling to 60 s, and forgets after a right one', () => {
    let now = 0;
    const signIn = new SignIn('tok', (p) => p === 'right', () => true, () => now);
    expect(signIn.attempt('wrong')).toEqual({ kind: 'wrong' });
    // Even the right passphrase waits its turn: a guesser cannot tell the pause from a refusal.
    expect(signIn.attempt('right')).toEqual({ kind: 'wait', seconds: 1 });
    const pauses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = signIn.attempt('x');
      if (answer.kind === 'wait') {
        pauses.push(answer.seconds);
        now += answer.seconds * 1000;
        expect(signIn.attempt('wrong')).toEqual({ kind: 'wrong' });
      }
    }
    expect(pauses).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    now += 60_000;
    expect(signIn.attempt('right')).toEqual({ kind: 'token', token: 'tok' });
    expect(signIn.attempt('wrong')).toEqual({ kind: 'wrong' });
    expect(signIn.attempt('x')).toEqual({ kind: 'wait', seconds: 1 });
  });

  it('says there is nothing to sign in to before an identity exists', () => {
    expect(new SignIn('tok', () => true, () => false).attempt('anything')).toEqual({ kind: 'no-identity' });
  });
});

describe('POST /sign-in on the headless node', () => {
  let dir: string;
  let running: RunningServer;
  let service: WalletService;
  const TOKEN = 'sign-in-token-0123456789abcdefghijklmnopqr';
  const PASS = 'correct horse battery';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-sign-in-'));
    const root = join(dir, 'renderer');
    mkdirSync(root);
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>DeFaust</title>');
    const home = new Home(join(dir, 'home'));
    home.init(PASS);
    service = new WalletService(home);
    // The throttle's clock stands still: the pause after a wrong passphrase cannot run out before the next request.
    running = await startServer({ service, root, token: TOKEN, now: () => 0 });
  });
  afterAll(async () => {
    await running.close();
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${running.port}${SIGN_IN_PATH}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${running.port}`, ...headers } });

  it('refuses a request from no page or another site, and bad bodies, before checking anything', async () => {
    const noOrigin = await fetch(`http://127.0.0.1:${running.port}${SIGN_IN_PATH}`, { method: 'POST', body: JSON.stringify({ passphrase: PASS }), headers: { 'Content-Type': 'application/json' } });
    expect(noOrigin.status).toBe(403);
    expect((await post(JSON.stringify({ passphrase: PASS }), { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('not json')).status).toBe(400);
    expect((await post(JSON.stringify({ passphrase: 7 }))).status).toBe(400);
    expect((await post(JSON.stringify({ passphrase: 'x'.repeat(5000) }))).status).toBe(400);
    const get = await fetch(`http://127.0.0.1:${running.port}${SIGN_IN_PATH}`);
    expect(get.status).toBe(405);
  });

  it('gives the token for the passphrase, refuses a wrong one with a pause, and the token then opens the API', async () => {
    const right = await post(JSON.stringify({ passphrase: PASS }));
    expect(right.status).toBe(200);
    const { value } = (await right.json()) as { value: { token: string } };
    expect(value.token).toBe(TOKEN);
    const status = await fetch(`http://127.0.0.1:${running.port}/api/session:status`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${value.token}` } });
    expect(((await status.json()) as { value: { state: string } }).value.state).toBe('locked');

    const wrong = await post(JSON.stringify({ passphrase: 'not the passphrase' }));
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('wrong-passphrase');
    const soon = await post(JSON.stringify({ passphrase: PASS }));
    expect(soon.status).toBe(429);
    expect(soon.headers.get('retry-after')).toBe('1');
  });
});
