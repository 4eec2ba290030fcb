// The desktop shell with Playwright's _electron: runs only where the Electron binary (and, on Linux, a
// display) exists; elsewhere it says why it is skipped. The same UI is tested in Chromium by wallet.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

function electronBinary(): { path?: string; why?: string } {
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return { why: 'the Electron binary is not installed (it cannot be downloaded here)' };
  const binary = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { why: `the Electron binary is missing at ${binary}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { why: 'there is no display (DISPLAY or WAYLAND_DISPLAY)' };
  if (!existsSync(join(ROOT, 'dist', 'electron', 'main.cjs'))) return { why: 'dist/electron is not built (npm run build)' };
  return { path: binary };
}

const found = electronBinary();
const hasElectron = found.path !== undefined;
// The reason goes to stderr directly (a console.log at collection time is not always shown) and into the
// suite's title, which the reporter prints with the skip.
if (!hasElectron) process.stderr.write(`Electron e2e skipped: ${found.why}.\n`);

describe(hasElectron ? 'the desktop app (Electron)' : `the desktop app (Electron) — skipped: ${found.why}`, () => {
  it.skipIf(!hasElectron)('opens one sandboxed window on app://, with window.defaust and no Node', async () => {
    const home = mkdtempSync(join(tmpdir(), 'defaust-electron-'));
    const app = await electron.launch({ executablePath: found.path!, args: [ROOT], env: { ...process.env, DEFAUST_HOME: home } });
    try {
      const page = await app.firstWindow();
      await page.getByRole('heading', { name: 'Your identity, in your hands' }).waitFor();
      expect(page.url()).toBe('app://defaust/index.html');
      const globals = await page.evaluate(() => ({
        api: typeof (window as unknown as { defaust?: unknown }).defaust,
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(globals).toEqual({ api: 'object', require: 'undefined', process: 'undefined' });
      const status = await page.evaluate(() => (window as unknown as { defaust: { session: { status(r: object): Promise<unknown> } } }).defaust.session.status({}));
      expect(status).toEqual({ ok: true, value: { state: 'new', id: null, confirm: null, chain: false } });
      // Navigation away from the app is denied.
      await page.evaluate(() => {
        window.location.href = 'https://example.org/';
      });
      await new Promise((r) => setTimeout(r, 500));
      expect(page.url()).toBe('app://defaust/index.html');
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
