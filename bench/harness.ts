// The network harness: `npm run net -- --nodes N [--blocks B] [--restart] [--json]` (and `-- --adversarial`:
// the DHT simulation of adversarial.ts; `-- --simulate N`: the churn simulation of simulate.ts). Starts N real `defaust serve` nodes on
// loopback, each with its own home (a bootstrap node, replicas, and the owner's node), runs the life of one
// identity through the command line — publish, a grantee's read while the owner is offline, a change request
// to the offline owner delivered when it returns, loss of the owner's machine and recovery from the phrase —
// prints what each step took, and stops every node, also on failure or Ctrl-C. With --restart, after the
// grantee's read every node stops and starts again on the same ports (same peer ids, from their node key
// files), and the harness times how long until the restarted network serves that read again; the rest of the
// life then runs on the restarted network.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Home } from '../src-main/app/home.ts';

const BIN = fileURLToPath(new URL('../bin/defaust.mjs', import.meta.url));
const PASS = 'harness-passphrase';

interface Node {
  name: string;
  home: string;
  peerId: string;
  addrs: string[];
  child: ChildProcess;
}

// `--adversarial` runs the DHT simulation instead (adversarial.ts): nodes in this process, no CLI.
if (process.argv.includes('--adversarial')) {
  const { adversarialSimulation } = await import('./adversarial.ts');
  process.exit(await adversarialSimulation(process.argv.slice(2).filter((arg) => arg !== '--adversarial')).catch((error: unknown) => {
    console.error(`npm run net -- --adversarial: ${(error as Error).message}`);
    return 2;
  }));
}

// `--simulate N` runs the churn simulation instead (simulate.ts): N nodes in this process, no CLI.
if (process.argv.includes('--simulate')) {
  const { simulation } = await import('./simulate.ts');
  process.exit(await simulation(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`npm run net -- --simulate: ${(error as Error).message}`);
    return 2;
  }));
}

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '10' }, blocks: { type: 'string', default: '200' }, json: { type: 'boolean' }, restart: { type: 'boolean' } } });
const count = Number(values.nodes);
const blocks = Number(values.blocks);
if (!Number.isInteger(count) || count < 4 || count > 64) fail('--nodes must be a whole number from 4 to 64 (a bootstrap node, replicas, the owner)');
if (!Number.isInteger(blocks) || blocks < 1 || blocks > 100_000) fail('--blocks must be a whole number from 1 to 100000');

function fail(message: string): never {
  console.error(`npm run net: ${message}`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'defaust-net-'));
const nodes: Node[] = [];
const figures: { step: string; ms: number; detail: string }[] = [];
const say = (line: string) => {
  if (!values.json) console.error(line);
};

function cli(home: string, args: string[], input = ''): { code: number | null; stdout: string; stderr: string; json: <T>() => T } {
  const result = spawnSync(process.execPath, [BIN, '--home', home, ...args], { encoding: 'utf8', input, env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json: <T>() => JSON.parse(result.stdout) as T };
}

function ok<T>(what: string, home: string, args: string[], input = ''): T {
  const result = cli(home, [...args, '--json'], input);
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return result.json<T>();
}

async function timed<T>(step: string, run: () => Promise<T> | T, detail: (value: T) => string = () => ''): Promise<T> {
  const start = performance.now();
  const value = await run();
  const ms = performance.now() - start;
  figures.push({ step, ms, detail: detail(value) });
  say(`  ${step}: ${ms.toFixed(0)} ms ${detail(value)}`);
  return value;
}

function serve(name: string, bootstrap: string[], withPassphrase = false, listen = '/ip4/127.0.0.1/tcp/0'): Promise<Node> {
  const home = join(dir, name);
  const child = spawn(process.execPath, [BIN, 'serve', '--home', home, '--json', '--no-mdns', '--listen', listen, ...bootstrap.flatMap((b) => ['--bootstrap', b])], {
    env: { ...process.env, DEFAUST_PASSPHRASE: withPassphrase ? PASS : undefined, DEFAUST_HOME: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 180_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const end = output.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      const started = JSON.parse(output.slice(0, end)) as { peerId: string; addrs: string[] };
      const node = { name, home, peerId: started.peerId, addrs: started.addrs, child };
      nodes.push(node);
      resolve(node);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${output}`)));
  });
}

async function stop(node: Node): Promise<void> {
  nodes.splice(nodes.indexOf(node), 1);
  if (node.child.exitCode !== null) return;
  const exited = new Promise((resolve) => node.child.once('exit', resolve));
  node.child.kill('SIGTERM');
  await exited;
}

async function stopAll(): Promise<void> {
  await Promise.all([...nodes].map(stop));
  rmSync(dir, { recursive: true, force: true });
}

process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

async function waitForRouting(node: Node, min: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = ok<{ status: { routingTable: number } | null }>('net status', node.home, ['net', 'status']);
    const size = view.status?.routingTable ?? 0;
    if (size >= min || Date.now() > deadline) return size;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Stops every running node and starts each again on its port; returns when the grantee's read works again. */
async function restartEverything(read: () => ReturnType<typeof cli>): Promise<void> {
  const before = nodes.map((n) => ({ name: n.name, peerId: n.peerId, listen: n.addrs.find((a) => a.startsWith('/ip4/127.0.0.1/tcp/'))!.replace(/\/p2p\/.*$/u, '') }));
  const entry = nodes.find((n) => n.name === 'boot')!.addrs[0]!;
  await timed(`stop every node (${before.length})`, () => Promise.all([...nodes].map(stop)));
  const restartedAt = performance.now();
  await timed(`start all ${before.length} again on their ports`, async () => {
    await serve('boot', [], false, before.find((b) => b.name === 'boot')!.listen);
    await Promise.all(before.filter((b) => b.name !== 'boot').map((b) => serve(b.name, [entry], false, b.listen)));
  });
  for (const b of before) {
    const now = nodes.find((n) => n.name === b.name)!;
    if (now.peerId !== b.peerId) throw new Error(`${b.name} came back as ${now.peerId}, not ${b.peerId}`);
  }
  await timed('until the restarted network serves the read again', async () => {
    const deadline = Date.now() + 180_000;
    for (let attempt = 1; ; attempt++) {
      const result = read();
      if (result.code === 0) return { attempt, ms: performance.now() - restartedAt };
      if (Date.now() > deadline) throw new Error(`the restarted network never served the read: ${result.stderr.trim()}`);
    }
  }, (r) => `(${r.attempt} attempt(s), ${r.ms.toFixed(0)} ms after the restart began; same peer ids)`);
}

async function scenario(): Promise<void> {
  say(`DeFaust network harness: ${count} nodes on loopback, an identity with ${blocks} writes (homes in ${dir})`);

  // The owner's chain is written before its node starts (in-process: fast), the grantee is a second identity.
  const ownerHome = join(dir, 'owner');
  const owner = new Home(ownerHome);
  const { id, mnemonic, profile } = owner.init(PASS);
  for (let i = 0; i < blocks; i++) profile.set('fitness', `run-${i % 50}`, i);
  owner.close();
  const grantee = ok<{ id: string }>('grantee init', join(dir, 'grantee'), ['init']).id;
  ok('grant', ownerHome, ['grant', grantee, 'fitness', '--rights', 'propose', '--until', '2099-01-01']);

  const boot = await timed('start the bootstrap node', () => serve('boot', []));
  const entry = boot.addrs[0]!;
  await timed(`start ${count - 2} replica nodes`, () => Promise.all(Array.from({ length: count - 2 }, (_, i) => serve(`replica-${i + 1}`, [entry]))));
  const ownerNode = await timed("start the owner's node", () => serve('owner', [entry], true));
  const table = await timed('fill the owner\'s routing table', () => waitForRouting(ownerNode, Math.min(5, count - 2)), (size) => `(${size} peers)`);
  if (table < 3) throw new Error(`the owner's node sees only ${table} peers`);

  const published = await timed('publish (head record + 3 replicas)', () => ok<{ seq: number; recordPeers: number; replicas: unknown[] }>('publish', ownerHome, ['publish']),
    (r) => `(seq ${r.seq}, record on ${r.recordPeers} peers, ${r.replicas.length} replicas)`);
  const head = ok<{ cid: string }[]>('log', ownerHome, ['log']).at(-1)!.cid;

  await timed('stop the owner\'s node', () => stop(ownerNode));
  const read = await timed('grantee reads while the owner is offline', () => ok<Record<string, Record<string, unknown>>>('read', join(dir, 'grantee'), ['read', id, 'fitness', '--bootstrap', entry]),
    (view) => `(${Object.keys(view.fitness ?? {}).length} fields)`);
  if (Object.keys(read.fitness ?? {}).length === 0) throw new Error('the grantee read nothing');
  if (values.restart) await restartEverything(() => cli(join(dir, 'grantee'), ['read', id, 'fitness', '--bootstrap', entry, '--json']));

  const proposal = await timed('grantee sends a change request to the offline owner', () => ok<{ id: string; deposited: number }>('propose', join(dir, 'grantee'),
    ['propose', id, 'fitness', 'run-0', '999', '--type', 'number', '--bootstrap', entry]), (r) => `(left at ${r.deposited} mailboxes)`);
  const back = await timed('the owner comes back; the request reaches its inbox', async () => {
    const node = await serve('owner', [entry], true);
    const deadline = Date.now() + 60_000;
    while (!ok<{ id: string }[]>('requests', ownerHome, ['requests']).some((r) => r.id === proposal.id)) {
      if (Date.now() > deadline) throw new Error('the change request never reached the owner');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return node;
  });
  await stop(back);
  rmSync(ownerHome, { recursive: true, force: true });
  const recovered = await timed('recover on a new machine from the phrase', () => ok<{ length: number; head: string }>('recover', join(dir, 'owner-new'), ['recover', '--bootstrap', entry], mnemonic),
    (r) => `(${r.length} blocks)`);
  const log = ok<{ cid: string }[]>('log', join(dir, 'owner-new'), ['log']);
  if (log[published.seq]?.cid !== head) throw new Error('the recovered chain does not end in the published head');
  if (recovered.length !== published.seq + 2) throw new Error(`expected ${published.seq + 2} blocks after recovery, got ${recovered.length}`);
}

try {
  await scenario();
  if (values.json) process.stdout.write(JSON.stringify({ nodes: count, writes: blocks, figures }) + '\n');
  else {
    console.log(`\n${'step'.padEnd(48)} ${'ms'.padStart(8)}`);
    for (const f of figures) console.log(`${f.step.padEnd(48)} ${f.ms.toFixed(0).padStart(8)}  ${f.detail}`);
    console.log(`\nall ${count} nodes stopped; every step succeeded`);
  }
} catch (error) {
  console.error(`npm run net: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
