// The Network screen against real nodes: a bootstrap node and two replica nodes (`defaust serve` on homes
// with no identity), and the owner's `defaust serve` whose node starts only when the wallet is unlocked in
// the UI. In Chromium: unlock, open Network, see the node running with its peers, change a profile field,
// publish now from the keyboard, see three replicas holding the latest change (and the replicas' own nodes
// confirm it), refuse a bad limit in words, save limits (network.json and `net limits` agree), and the usage
// charts once two samples exist. Then the wallet's process stops, a second device of the owner writes and
// publishes, and the wallet, started again, warns that its chain is behind and fetches the newer history.
// Screenshots (/tmp/network-*.png and e2e/artifacts) and axe-core.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, hasChromium, hasRenderer, launchBrowser, ROOT, shot, tabTo, watch, navTo } from './helpers.ts';

const PASS = 'owner passphrase for the network';
const ready = hasChromium && hasRenderer;
const LOCAL = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns', '--port', '0'];

interface Proc {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `re` in stdout and stderr together. */
  waitFor(re: RegExp, ms: number): Promise<RegExpExecArray>;
}

/** `defaust serve` in its own process group (so afterAll can stop it and anything it started). */
function serve(home: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), 'serve', '--home', home, ...LOCAL, ...args], {
    cwd: ROOT,
    env: { ...process.env, DEFAUST_PASSPHRASE: undefined, DEFAUST_HOME: undefined, DEFAUST_BOOTSTRAP: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    child,
    output: () => text,
    waitFor: (re, ms) => new Promise((resolve, reject) => {
      const check = () => {
        const match = re.exec(text);
        if (match === null) return false;
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match);
        return true;
      };
      const poll = setInterval(check, 50);
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`serve --home ${home} did not print ${re}:\n${text}`));
      }, ms);
      child.once('exit', (code) => {
        if (check()) return;
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`serve --home ${home} exited (${code}):\n${text}`));
      });
    }),
  };
}

/** The node's `Peer node <id>, reachable at <addr> …` line → its first address. */
async function nodeAddr(proc: Proc): Promise<string> {
  const [, addr] = await proc.waitFor(/^Peer node \S+, reachable at (\S+)/mu, 60_000);
  expect(addr).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//u);
  return addr!;
}

async function stopGroup(proc: Proc | undefined): Promise<void> {
  const pid = proc?.child.pid;
  if (proc === undefined || pid === undefined || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/** A call to a serve node's HTTP API with the token it printed. */
async function callApi(proc: Proc, channel: string, body: unknown): Promise<unknown> {
  const [, origin, token] = await proc.waitFor(/Open (http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/u, 30_000);
  const response = await fetch(`${origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return response.json();
}

/** The CLI as a person types it (several may run at once). */
function cliAsync(home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), '--home', home, ...args], {
      encoding: 'utf8',
      env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined },
      timeout: 60_000,
    }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }));
  });
}

describe.skipIf(!ready)('the Network screen against four real nodes', () => {
  let dir: string;
  let procs: Proc[] = [];
  let ownerHome: string;
  /** The wallet's own node (started again after each stop). */
  let owner: Proc;
  let ownerDid: string;
  let ownerWords: string;
  let bootstrap: string;
  let carolDid: string;
  let url: string;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const nav = (name: string) => navTo(page, name);
  const card = (title: string) => page.getByRole('region', { name: title });
  async function snap(name: string) {
    await shot(page, `network-${name}`);
    copyFileSync(join(ARTIFACTS, `network-${name}.png`), `/tmp/network-${name}.png`);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-network-'));
    ownerHome = join(dir, 'owner');
    // Everything that can start at once does: the identities are made while the nodes come up.
    const inits = Promise.all([cliAsync(ownerHome, ['init', '--json']), cliAsync(join(dir, 'carol'), ['init', '--json'])]);
    const boot = serve(join(dir, 'boot'), []);
    procs.push(boot);
    bootstrap = await nodeAddr(boot);
    const replicas = ['r1', 'r2'].map((name) => serve(join(dir, name), ['--bootstrap', bootstrap]));
    procs.push(...replicas);
    const [init, carol] = await inits;
    expect(init.code, init.stderr).toBe(0);
    expect(carol.code, carol.stderr).toBe(0);
    ({ id: ownerDid, mnemonic: ownerWords } = JSON.parse(init.stdout) as { id: string; mnemonic: string });
    carolDid = (JSON.parse(carol.stdout) as { id: string }).id;
    // No passphrase in its environment: the owner's node waits for the wallet to be unlocked in the UI.
    owner = serve(ownerHome, ['--bootstrap', bootstrap]);
    procs.push(owner);
    await Promise.all(replicas.map(nodeAddr));
    url = (await owner.waitFor(/Open (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/u, 60_000))[1]!;
    expect(owner.output()).toContain('The peer node starts when you unlock your wallet.');
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, permissions: ['clipboard-read', 'clipboard-write'] })).newPage();
    page.setDefaultTimeout(20_000);
    problems = watch(page);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(procs.map(stopGroup));
    procs = [];
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await snap(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/gu, '-')}`);
  });

  it('unlocks; the node starts and shows its peers', async () => {
    await page.goto(url);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    await nav('Network');
    await page.getByRole('heading', { name: 'Network', level: 1 }).waitFor();
    const node = card('This device on the network');
    await node.getByText('Running', { exact: true }).waitFor();
    const peerId = (await node.getByText(/^12D3Koo\w{40,}$/u).textContent())!;
    await node.getByRole('button', { name: 'Copy peer id' }).click();
    await node.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(peerId);
    // Three peers: the bootstrap node and both replicas (the screen polls; wait for the DHT to fill).
    const peers = page.getByRole('table', { name: 'Connected peers' });
    await expect.poll(() => peers.locator('tbody tr').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(async () => Number(/(\d+) peers? known/u.exec((await node.textContent()) ?? '')?.[1]), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await snap('1-node');
  }, 90_000);

  it('publishes a change now (from the keyboard) and shows three healthy replicas', async () => {
    await nav('Profile');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /contact/u }).click();
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field', { exact: true }).fill('email');
    await page.getByLabel('Value', { exact: true }).fill('owner@example.org');
    await page.getByRole('button', { name: 'Review change' }).click();
    await page.getByRole('button', { name: 'Sign and save' }).click();
    const saved = page.getByRole('status').filter({ hasText: /Saved in block #\d+/u });
    await saved.waitFor();
    const seq = Number(/#(\d+)/u.exec((await saved.textContent()) ?? '')?.[1]);

    await nav('Network');
    const archive = card('My archive');
    await archive.getByText(`${seq + 1} blocks, the latest is #${seq}`).waitFor();
    await page.getByRole('heading', { name: 'Network', level: 1 }).focus();
    await tabTo(page, /^Publish now$/u);
    await page.keyboard.press('Enter');
    const result = archive.getByRole('status').filter({ hasText: `Published up to block #${seq}.` });
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toMatch(/accepted by \d+ peers?; 3 replicas hold your archive\./u);
    await archive.getByText('3 of 3 replicas hold your latest change.').waitFor();
    const rows = page.getByRole('table', { name: /^Replicas/u }).locator('tbody tr');
    expect(await rows.count()).toBe(3);
    for (const row of await rows.all()) expect(await row.textContent()).toContain(`${seq + 1} of ${seq + 1} blocksUp to date`);
    await archive.getByText(new RegExp(`^Up to block #${seq}, `, 'u')).waitFor();
    // The replicas' own nodes hold the whole chain.
    const held = await Promise.all(procs.slice(0, 3).map(async (proc) => {
      const answer = await callApi(proc, 'network:status', {}) as { value: { status: { hosted: { id: string; length: number }[] } } };
      return answer.value.status.hosted.find((h) => h.id === ownerDid)?.length;
    }));
    expect(held).toEqual([seq + 1, seq + 1, seq + 1]);
    await archive.scrollIntoViewIfNeeded();
    await snap('2-published');
    await expectAccessible(page, 'network');
  }, 120_000);

  it('refuses a bad limit in words and saves good ones in the home', async () => {
    const form = page.getByRole('form', { name: 'Limits' });
    const storage = form.getByLabel('Storage for others in total (MiB)');
    const connections = form.getByLabel('Most connections');
    await connections.fill('2');
    await form.getByText('Most connections goes from 4 to 10000.').waitFor();
    expect(await form.getByRole('button', { name: 'Save limits' }).isDisabled()).toBe(true);
    await form.getByLabel('Storage per person (MiB)').fill('a lot');
    await form.getByText('Use digits only, like 64 or 0.5 (in MiB).').waitFor();
    await form.scrollIntoViewIfNeeded();
    await snap('3-limits-refused');
    await form.getByRole('button', { name: 'Undo changes' }).click();
    await storage.fill('512');
    await connections.fill('60');
    await form.getByLabel('Outgoing traffic per minute (KiB/min)').fill('2048');
    await form.getByLabel('Mail kept for others (MiB)').fill('128');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await form.getByRole('status').filter({ hasText: 'Limits saved.' }).waitFor();
    expect(JSON.parse(readFileSync(join(ownerHome, 'network.json'), 'utf8'))).toEqual({
      replicaStorageBytes: 512 * 1024 * 1024, mailboxBytes: 128 * 1024 * 1024, maxConnections: 60, bandwidthOutPerMinute: 2048 * 1024,
    });
    const limits = await cliAsync(ownerHome, ['net', 'limits', '--json']);
    expect(limits.code, limits.stderr).toBe(0);
    expect(JSON.parse(limits.stdout)).toMatchObject({
      replicaStorageBytes: 512 * 1024 * 1024, mailboxBytes: 128 * 1024 * 1024, maxConnections: 60, bandwidthOutPerMinute: 2048 * 1024, quotaBytes: 64 * 1024 * 1024,
    });
    await card('What I store for others').getByText(/^Archives: .* of 512 MiB/u).waitFor();
    await form.getByText('In use: 512 MiB.', { exact: false }).waitFor();
    await expectAccessible(page, 'network limits');
  }, 60_000);

  it('shows the archive it stores for someone else', async () => {
    // The other three nodes keep nothing for others now (through their own API, as their UI would), so
    // Carol's archive can only go to the owner's node.
    for (const proc of procs.slice(0, 3)) expect(await callApi(proc, 'network:setLimits', { replicaStorageBytes: 0 })).toMatchObject({ ok: true });
    // A node that joins for one command may not find every peer on its first DHT query when the machine is
    // loaded (it then reports no replica and exits 1): publishing again is what a person would do.
    let published = await cliAsync(join(dir, 'carol'), ['publish', '--bootstrap', bootstrap, '--json']);
    for (let attempt = 1; published.code !== 0 && attempt < 3; attempt++) published = await cliAsync(join(dir, 'carol'), ['publish', '--bootstrap', bootstrap, '--json']);
    expect(published.code, `${published.stdout}\n${published.stderr}`).toBe(0);
    const ownerPeer = (await page.getByText(/^12D3Koo\w{40,}$/u).textContent())!;
    expect((JSON.parse(published.stdout) as { replicas: { peer: string }[] }).replicas.map((r) => r.peer)).toEqual([ownerPeer]);
    const hosted = card('What I store for others');
    const row = hosted.getByRole('row', { name: new RegExp(carolDid.slice(8, 16), 'u') });
    await row.waitFor();
    expect(await row.getByRole('rowheader').getAttribute('title')).toBe(carolDid);
    const [blocks, size, share] = await row.getByRole('cell').allTextContents();
    expect(Number(blocks)).toBeGreaterThanOrEqual(1);
    expect(size).toMatch(/^\d+(\.\d)? (B|KiB)$/u);
    expect(share).toBe('less than 0.1 % of 64 MiB');
    expect(await hosted.getByRole('meter', { name: /^Archives: /u }).getAttribute('aria-valuetext')).toBe(`${size} of 512 MiB`);
    await hosted.getByRole('meter', { name: /^Mail: 0 messages, 0 B of 128 MiB/u }).waitFor();
    await hosted.scrollIntoViewIfNeeded();
    await snap('4-hosted');
  }, 60_000);

  it('draws usage over time once two samples exist', async () => {
    const usage = card('Usage over time');
    // One sample every 10 s from the moment the node started (at unlock).
    for (const name of ['Traffic per 10 s', 'Connections', 'Archives kept for others', 'Mail kept for others']) {
      await usage.getByRole('img', { name, exact: true }).waitFor({ timeout: 40_000 });
    }
    expect(await usage.locator('polyline').count()).toBe(5);
    expect(await usage.locator('.chart-summary').filter({ hasText: /^Last 10 s: .* in, .* out; the most in 10 s: /u }).count()).toBe(1);
    await usage.getByText('Limit 512 MiB, above this scale').waitFor();
    await usage.scrollIntoViewIfNeeded();
    await usage.screenshot({ path: join(ARTIFACTS, 'network-5-usage.png') });
    copyFileSync(join(ARTIFACTS, 'network-5-usage.png'), '/tmp/network-5-usage.png');
    await snap('6-full');
    await expectAccessible(page, 'network charts');
    expect(problems).toEqual([]);
  }, 60_000);

  /** Starts the wallet's node again and unlocks it in the page. */
  const restartWallet = async (): Promise<void> => {
    owner = serve(ownerHome, ['--bootstrap', bootstrap]);
    procs.push(owner);
    const again = (await owner.waitFor(/Open (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/u, 60_000))[1]!;
    await page.goto(again);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
  };
  let laptop = '';
  let laptopNode: ReturnType<typeof serve> | null = null;

  it('after a restart, warns that another device wrote meanwhile, and fetches the newer history', async () => {
    // The wallet's process stops (a running node would take the other device's push at once). Meanwhile a
    // second device of the owner — recovered from the words, with the chain from the network — writes one
    // change and runs its own node, which publishes it and serves it.
    await stopGroup(procs[3]);
    laptop = join(dir, 'owner-laptop');
    const recovered = await cliAsync(laptop, ['recover', '--mnemonic', ownerWords, '--bootstrap', bootstrap, '--json']);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect((await cliAsync(laptop, ['set', 'contact', 'phone', '+1 555 0100'])).code).toBe(0);
    laptopNode = serve(laptop, ['--bootstrap', bootstrap], { DEFAUST_PASSPHRASE: PASS });
    procs.push(laptopNode);
    await nodeAddr(laptopNode);
    const publishedNow = await callApi(laptopNode, 'network:publish', {}) as { ok: boolean; value: { seq: number } };
    expect(publishedNow.ok, JSON.stringify(publishedNow)).toBe(true);
    const known = publishedNow.value.seq + 1;

    // The wallet starts again and is unlocked: it asks when it opens (and each minute), and says it is behind.
    await restartWallet();
    await expect.poll(async () => ((await callApi(owner, 'archive:freshness', {})) as { value?: { older: boolean } }).value?.older, { timeout: 60_000, interval: 2_000 }).toBe(true);
    await page.reload();
    const banner = page.getByRole('alert').filter({ hasText: 'Your chain on this device is behind.' });
    await banner.waitFor({ timeout: 30_000 });
    const [, holds, knows] = /It holds (\d+) blocks; the network knows (\d+)/u.exec((await banner.textContent()) ?? '') ?? [];
    expect(Number(knows)).toBe(known);
    expect(Number(holds)).toBeLessThan(known);
    await snap('7-behind');
    await expectAccessible(page, 'chain behind');
    await banner.getByRole('button', { name: 'Fetch the newer history' }).click();
    await banner.waitFor({ state: 'detached', timeout: 60_000 });
    await nav('Profile');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /contact/u }).click();
    await page.getByText('+1 555 0100').waitFor();
    await snap('8-caught-up');
    // Checking the mail says what it asked and what came.
    await nav('Witness inbox');
    await page.getByRole('button', { name: 'Check for new requests' }).click();
    await page.getByRole('status').filter({ hasText: /^Asked \d+ mailbox(es)?: nothing new\./u }).waitFor({ timeout: 60_000 });
    await snap('9-mail-checked');
    expect(problems).toEqual([]);
  }, 180_000);

  it('publishing after the other device published first takes its history in and says so: one chain with both changes', async () => {
    // The other nodes keep archives for others again. The wallet stops; a change is written on it meanwhile
    // (from the CLI), while the laptop writes and publishes its own.
    for (const proc of procs.slice(0, 3)) expect(await callApi(proc, 'network:setLimits', { replicaStorageBytes: 512 * 1024 * 1024 })).toMatchObject({ ok: true });
    await stopGroup(owner);
    expect((await cliAsync(ownerHome, ['set', 'contact', 'city', 'Bern'])).code).toBe(0);
    expect((await cliAsync(laptop, ['set', 'public', 'nickname', 'Ada on the laptop'])).code).toBe(0);
    const laptopPublished = await callApi(laptopNode!, 'network:publish', {}) as { ok: boolean; value: { seq: number; rebased: unknown } };
    expect(laptopPublished.ok, JSON.stringify(laptopPublished)).toBe(true);
    expect(laptopPublished.value.rebased).toBeNull();
    expect((laptopPublished.value as unknown as { replicas: unknown[] }).replicas.length).toBeGreaterThan(0);

    await restartWallet();
    await nav('Network');
    await card('My archive').getByRole('button', { name: 'Publish now' }).click();
    const result = card('My archive').getByRole('status').filter({ hasText: 'Another of your devices had published first.' });
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toMatch(/Its 1 block was taken in from #\d+, and this device's 1 change was signed again after them: one history, no fork\./u);
    await snap('10-took-other-device-in');
    await expectAccessible(page, 'publish after another device');
    await nav('Profile');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /public/u }).click();
    await page.getByText('Ada on the laptop').waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /contact/u }).click();
    await page.getByText('Bern').waitFor();
    // The laptop takes the wallet's chain in as a continuation; nobody holds evidence against the owner.
    const laptopAgain = await callApi(laptopNode!, 'network:publish', {}) as { ok: boolean; value: { rebased: { replayed: number } | null } };
    expect(laptopAgain.ok, JSON.stringify(laptopAgain)).toBe(true);
    expect(laptopAgain.value.rebased?.replayed ?? 0).toBe(0);
    const verified = await cliAsync(laptop, ['verify', '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(problems).toEqual([]);
  }, 180_000);
});
