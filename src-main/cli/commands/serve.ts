// `defaust serve`: the headless node. Runs the peer node (unless --offline) and serves the UI and its API on
// 127.0.0.1 behind a random token (with DEFAUST_PASSPHRASE set it runs unattended: unlocked, never idle-locked);
// says which data folder it serves, the node's peer id and addresses (one JSON line with --json), how to stop,
// and last the URL to open (--open opens it in the browser); writes the control file the CLI's `net` commands
// use; runs until interrupted. With --relay it is also a circuit relay v2 server for others (within the node's
// relay limits); a home without identity keeps its peer id in its node key file, so the addresses it prints
// stay good across restarts. With --network NAME the node runs in that private network (app/network/private.ts)
// instead of the public one, once the wallet is unlocked, and says so in one line.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetService } from '../../app/network/service.ts';
import { NetworkHost } from '../../app/network/host.ts';
import { WalletService } from '../../app/wallet/service.ts';
import { DefaustError } from '../../core/errors.ts';
import { startServer } from '../../serve/server.ts';
import { writeControlFile } from '../control.ts';
import { UsageError } from '../io.ts';
import { stringOption, type Command } from '../command.ts';
import { addressOptions } from './net.ts';
import { joinedLine, listNetworks } from '../../app/network/private.ts';
import { checkNetworkName, PrivateNetworkError } from '../../core/net/private-network.ts';
import { PUBLIC_NETWORK } from '../../../src-shared/rules/networks.ts';
import { parseWhole } from '../../../src-shared/rules/number.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** How this desktop opens a URL in the default browser; null where there is no desktop, or no opener on PATH. */
function browserOpener(url: string): { cmd: string; args: string[] } | null {
  if (process.platform === 'darwin') return { cmd: 'open', args: [url] };
  if (process.platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""', url] };
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return null;
  const onPath = (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'xdg-open')));
  return onPath ? { cmd: 'xdg-open', args: [url] } : null;
}

export const serve: Command = {
  name: 'serve',
  usage: 'defaust serve [--port P] [--listen <multiaddr>]… [--bootstrap <multiaddr>]… [--no-mdns] [--relay] [--network NAME] [--offline] [--open]',
  summary: 'run the headless node: the peer node, and the wallet UI in your browser on 127.0.0.1 behind a random token',
  options: {
    port: { type: 'string' },
    listen: { type: 'string', multiple: true },
    bootstrap: { type: 'string', multiple: true },
    'no-mdns': { type: 'boolean' },
    offline: { type: 'boolean' },
    relay: { type: 'boolean' },
    network: { type: 'string' },
    open: { type: 'boolean' },
  },
  arity: [0, 0],
  async run(ctx) {
    const portText = stringOption(ctx, 'port') ?? '0';
    const port = parseWhole(portText, 65535);
    if (port === null) throw new UsageError(`--port must be a whole number 0..65535, not ${JSON.stringify(portText)}`);
    const { listen, bootstrap } = addressOptions(ctx);
    const offline = ctx.options.offline === true;
    const relay = ctx.options.relay === true;
    if (offline && (listen !== undefined || bootstrap.length > 0 || relay)) throw new UsageError('--offline runs no peer node: drop --listen, --bootstrap and --relay');
    const networkName = stringOption(ctx, 'network');
    const network = networkName === undefined || networkName === PUBLIC_NETWORK ? undefined : checkNetworkName(networkName);
    if (offline && network !== undefined) throw new UsageError('--offline runs no peer node: drop --network');
    if (network !== undefined && !listNetworks(ctx.home).some((n) => n.name === network)) throw new PrivateNetworkError('unknown', `no network named "${network}" in this home (defaust network list)`);
    const version = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;

    let announced = false;
    const announce = (net: NetService) => {
      if (announced) return;
      announced = true;
      const inNetwork = net.privateNetwork;
      process.stdout.write((ctx.out.json
        ? JSON.stringify({ peerId: net.peerId, addrs: net.addrs(), ...(inNetwork === null ? {} : { network: inNetwork }) })
        : `Peer node ${net.peerId}, reachable at ${net.addrs().join(' ') || '(no address yet)'}${inNetwork === null ? '' : `\n${joinedLine(inNetwork)}`}`) + '\n');
    };
    const host = offline ? undefined : new NetworkHost(ctx.home, { listen, bootstrap, mdns: ctx.options['no-mdns'] !== true, relayServer: relay, ...(network === undefined ? {} : { network }) }, ctx.out.json ? undefined : announce);
    const pass = ctx.env.DEFAUST_PASSPHRASE;
    const unattended = ctx.home.hasIdentity() && pass !== undefined && pass !== '';
    // With the passphrase in the environment the node runs unattended: unlocked, publishing, taking mail in.
    const service = new WalletService(ctx.home, { version, network: host, ...(unattended ? { idleLockMs: 0 } : {}) });
    const stopAll = async () => {
      await host?.stop();
      service.close();
    };

    // The node starts now when it can have its own peer id: the passphrase is in the environment, or
    // there is no identity yet (a relay or bootstrap node). Otherwise it starts when the wallet is unlocked.
    let net: NetService | null = null;
    try {
      if (unattended) {
        const unlocked = await service.call('session:unlock', { passphrase: pass });
        if (!unlocked.ok) throw new DefaustError(unlocked.error.code, unlocked.error.message);
        net = host?.current() ?? null;
      } else if (host !== undefined && !ctx.home.hasIdentity() && network === undefined) {
        net = await host.startWithoutIdentity();
      }
    } catch (error) {
      await stopAll();
      throw error;
    }
    let running;
    try {
      running = await startServer({ service, root: `${ROOT}dist/renderer`, port });
    } catch (error) {
      await stopAll();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new DefaustError('port-in-use', `port ${port} is already in use on 127.0.0.1; choose another with --port, or --port 0 for a free one`);
      throw error;
    }
    const removeControl = writeControlFile(ctx.home, running.port, running.token);
    const node = net === null ? {} : { peerId: net.peerId, addrs: net.addrs(), ...(net.privateNetwork === null ? {} : { network: net.privateNetwork }) };
    if (!ctx.out.json && net !== null) announce(net);
    const opener = ctx.options.open === true ? browserOpener(running.url) : null;
    ctx.out.result({ url: running.url, port: running.port, ...node }, () => [
      `DeFaust is running. Data folder: ${ctx.home.dir}`,
      ...(offline ? ['The peer network is off (--offline).'] : net === null ? ['The peer node starts when you unlock your wallet.'] : []),
      'Stop it with Ctrl+C. Another tab can sign in with your passphrase.',
      ...(ctx.options.open === true ? [opener === null ? 'No browser can be opened from here: open this address in yours.' : 'Opening it in your browser:'] : []),
      `Open ${running.url}`,
    ].join('\n'));
    if (opener !== null) {
      const child = spawn(opener.cmd, opener.args, { stdio: 'ignore', detached: true });
      child.on('error', (error) => ctx.out.note(`The browser did not open (${error.message}): open the address above yourself.`));
      child.unref();
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    removeControl();
    await running.close();
    await stopAll();
  },
};
