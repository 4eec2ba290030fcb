// The read-on-request figure of `npm run bench -- net`: 4 homes without identity and an always-on client home
// on loopback; an owner registers the client for `contact`, grants it to a reader, publishes and goes offline;
// the figure is the median time of a grantee's read through the client (`/defaust/read/1.0.0`): the client
// finds the owner's head record, verifies the whole archive, checks the grant, signs the audit entry and
// answers sealed. Issue 13 item 3; test/net/read-service.test.ts checks the same with wallets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { waitForRoutingTables } from '../src-main/adapters/p2p/loopback.ts';
import { Home } from '../src-main/app/home.ts';
import type { NetworkOptions } from '../src-main/app/network/options.ts';
import { NetService } from '../src-main/app/network/service.ts';
import { readThrough } from '../src-main/app/sharing/read-service.ts';
import { LOOPBACK } from '../test/net/loopback-wallet.ts';
import { median } from './stats.ts';

const NODES = 4;
const PASS = 'bench-passphrase';
/** The tests' loopback options, with no mail fetch during the figure. */
const OPTIONS: NetworkOptions = { ...LOOPBACK, mailMs: 3_600_000 };

/** Median milliseconds of a grantee's read through the owner's registered client while the owner is offline. */
export async function readFigure(rounds = 5): Promise<{ readViaClientMs: number; rounds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'defaust-read-bench-'));
  const nets: NetService[] = [];
  const homes: Home[] = [];
  try {
    let bootstrap: string[] = [];
    for (let i = 0; i < NODES; i++) {
      const home = new Home(join(dir, `node-${i}`), { verifyWorkers: 0 });
      homes.push(home);
      const net = await NetService.start(home, { ...OPTIONS, bootstrap });
      if (i === 0) bootstrap = net.addrs();
      nets.push(net);
    }
    const make = (name: string) => {
      const home = new Home(join(dir, name), { verifyWorkers: 0 });
      homes.push(home);
      home.init(PASS);
      return home;
    };
    const client = make('client');
    const clientNet = await NetService.start(client, { ...OPTIONS, bootstrap }, client.unlock(PASS));
    nets.push(clientNet);
    const reader = make('reader');
    const owner = make('owner');
    const { keys, profile } = owner.openSession(PASS);
    profile.set('contact', 'email', 'ada@example.org');
    profile.grant(reader.id(), 'contact', 'read', Date.now() + 86_400_000);
    profile.registry.add(client.id(), ['contact'], { peer: clientNet.peerId });
    const ownerNet = await NetService.start(owner, { ...OPTIONS, bootstrap, ephemeral: true }, keys);
    await waitForRoutingTables(nets.map((n) => n.node), NODES - 1, 30_000);
    await waitForRoutingTables([ownerNet.node], 1, 30_000);
    await ownerNet.publish();
    await clientNet.recover(owner.id());
    await clientNet.serveReads();
    await ownerNet.stop();

    const readerNet = await NetService.start(reader, { ...OPTIONS, bootstrap, ephemeral: true });
    nets.push(readerNet);
    await waitForRoutingTables([readerNet.node], 1, 30_000);
    const me = { did: reader.id(), ed25519Seed: reader.unlock(PASS).identity.ed25519Seed };
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      const view = await readThrough(readerNet, me, owner.id(), client.id(), 'contact', Date.now());
      times.push(performance.now() - start);
      if (view.fields.email !== 'ada@example.org') throw new Error('the read through the client missed the field');
    }
    return { readViaClientMs: Math.round(median(times)), rounds };
  } finally {
    await Promise.all(nets.map((n) => n.stop().catch(() => undefined)));
    for (const home of homes) home.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
