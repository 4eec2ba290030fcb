// One act through both faces: the `defaust` command line (a child process, as a person types it) and the wallet
// API (the WalletService behind the Electron IPC and the HTTP API), each on its own copy of one home, at one
// fixed time. `stored()` reads back what each home recorded in a form two homes can compare (no signatures,
// nonces or block ids), so a test asserts that the same act leaves the same records whichever face did it.
// With `network`, the wallet runs a peer node as the Electron app does (for the verbs that reach the network).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../src-main/adapters/clock/clock.ts';
import { Home } from '../src-main/app/home.ts';
import { NetworkHost } from '../src-main/app/network/host.ts';
import type { NetworkOptions } from '../src-main/app/network/options.ts';
import { WalletService } from '../src-main/app/wallet/service.ts';
import type { Channel, Request, Response } from '../src-preload/api/contract.ts';
import { PASS, run } from './cli-helpers.ts';

export const FACES_NOW = '2026-06-01T12:00:00Z';

export interface StoredRecords {
  /** Every block after the common start: its kind, author and decrypted ops per section. */
  blocks: { kind: string; author: string; parts: { section: string; ops: unknown[] }[] }[];
  /** The folded profile state. */
  state: unknown;
  grants: unknown[];
  inbox: unknown[];
  witnessLog: unknown[];
  feats: unknown[];
  /** Mail received through the mailboxes, without its envelope: what became of each (state, note). */
  receivedMail: unknown[];
  /** The witnesses the trusted authorities' lists add (from their chains held here, as trust sync fetches them). */
  community: unknown[];
}

export interface TwoFaces {
  readonly id: string;
  readonly cliHome: string;
  readonly walletHome: string;
  /** `defaust …` on the CLI's home (DEFAUST_NOW fixed). */
  cli(args: string[], options?: { input?: string; env?: Record<string, string> }): ReturnType<typeof run>;
  /** The wallet API on the wallet's home, unlocked; throws on an error result. */
  wallet<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>>;
  readonly service: WalletService;
  /** What each home stored after the common start. */
  stored(): { cli: StoredRecords; wallet: StoredRecords };
  /** Stops the wallet's peer node (when it has one), so that the CLI's node takes the device's peer id alone. */
  stopNetwork(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Makes an identity with the CLI (`setup` runs more commands on it first, for example claims or grants), then
 * copies the home twice, so both faces start from the same bytes: one identity, one device, one chain. `setup`
 * also gets the base home's folder and identity (to put mail in it, or to address requests to it).
 */
export async function twoFaces(
  setup: (cli: (args: string[]) => ReturnType<typeof run>, base: { dir: string; id: string }) => void = () => {},
  options: { network?: NetworkOptions } = {},
): Promise<TwoFaces> {
  const dir = mkdtempSync(join(tmpdir(), 'defaust-faces-'));
  const base = join(dir, 'base');
  const env = (home: string, extra: Record<string, string> = {}) => ({ DEFAUST_HOME: home, DEFAUST_NOW: FACES_NOW, ...extra });
  const baseCli = (args: string[]) => {
    const r = run([...args, '--json'], { env: env(base) });
    if (r.code !== 0) throw new Error(`defaust ${args.join(' ')} failed: ${r.stderr}`);
    return r;
  };
  const id = (baseCli(['init']).json() as { id: string }).id;
  setup(baseCli, { dir: base, id });
  const cliHome = join(dir, 'cli');
  const walletHome = join(dir, 'wallet');
  cpSync(base, cliHome, { recursive: true });
  cpSync(base, walletHome, { recursive: true });
  const start = new Home(base).store.head(id as never)!.seq;
  const home = new Home(walletHome, { clock: fixedClock(FACES_NOW) });
  const host = options.network === undefined ? undefined : new NetworkHost(home, options.network);
  const service = new WalletService(home, { idleLockMs: 0, watchMs: 0, ...(host === undefined ? {} : { network: host }) });
  const unlocked = await service.call('session:unlock', { passphrase: PASS });
  if (!unlocked.ok) throw new Error(`unlock failed: ${unlocked.error.message}`);

  const read = (home: string): StoredRecords => {
    const h = new Home(home, { clock: fixedClock(FACES_NOW) });
    try {
      const { profile } = h.openSession(PASS);
      const blocks = h.log().filter((b) => b.seq > start).map((b) => ({ kind: b.kind, author: b.author, parts: profile.blockOps(b.seq) }));
      return {
        blocks,
        state: profile.current(),
        grants: profile.grants(),
        inbox: profile.inbox.list().map(({ id: _id, ...r }) => r),
        witnessLog: h.witnessLog().list(profile.id),
        feats: profile.feats.list().map(({ claim, status }) => ({ claim: claim.claim, status, attestations: profile.feats.attestations(claim.cid).map((a) => a.attestation) })),
        receivedMail: h.receivedMail().list(profile.id).map(({ envelope: _envelope, ...mail }) => mail),
        community: profile.feats.communityList(),
      };
    } finally {
      h.close();
    }
  };

  return {
    id,
    cliHome,
    walletHome,
    service,
    cli: (args, options = {}) => run([...args, '--json'], { env: env(cliHome, options.env), ...(options.input === undefined ? {} : { input: options.input }) }),
    async wallet(channel, request) {
      const result = await service.call(channel, request);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    },
    stored: () => ({ cli: read(cliHome), wallet: read(walletHome) }),
    stopNetwork: async () => {
      await host?.stop();
    },
    async close() {
      await host?.stop();
      service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
