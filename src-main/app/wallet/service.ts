// The session service: holds the unlocked Profile in the main process (or the headless node), implements the
// `session:*` verbs and dispatches every other channel to the handler table of its feature (profile, timeline,
// media, settings, sharing, feats, network: one file each beside this one). Keys never leave it; the recovery phrase is returned once, at creation, to be shown and asked back. One
// `handle(channel, payload)` validates the request and the response with the contract's schemas and turns
// every failure into `{ok: false, error: {code, message}}`, never a stack trace. Electron's IPC and the
// headless HTTP API both call it. Every call on the profile first folds what other writers appended.
import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import {
  contract, isChannel, type Channel, type EventName, type EventPayload, type Request, type Response, type Result, type SessionStatus,
} from '../../../src-preload/api/contract.ts';
import { DefaustError } from '../../core/errors.ts';
import { errorFields } from '../../core/log.ts';
import type { OwnerKeys, Profile } from '../../core/profile/profile.ts';
import type { HandlerContext, Handlers } from './handlers.ts';
import { IdleLock } from './idle-lock.ts';
import { mediaHandlers } from './media.ts';
import { profileHandlers } from './profile.ts';
import { settingsHandlers } from './settings.ts';
import { timelineHandlers } from './timeline.ts';
import { historyHandlers } from './history.ts';
import type { Home } from '../home.ts';
import { WrongPassphraseError } from '../../adapters/secrets/keystore.ts';
import { sharingHandlers } from './sharing.ts';
import { featsHandlers } from './feats.ts';
import { honorHandlers, hostHonorNetwork } from './honor.ts';
import { challengesHandlers } from './challenges.ts';
import { duelsHandlers } from './duels.ts';
import { recoveryHandlers } from './recovery.ts';
import { badgesHandlers } from './badges.ts';
import type { Did } from '../../core/identity/did.ts';
import { attributesHandlers } from './attributes.ts';
import { networkHandlers } from './network.ts';
import { networksHandlers } from './networks.ts';
import { contactsHandlers } from './contacts.ts';
import { keychainHandlers } from './keychain.ts';
import { hostNetwork, type FeatsNetwork } from '../feats/network.ts';
import { blobsThrough, NetworkOffError, type NetworkHost } from '../network/host.ts';
import { takeMail, type IncomingMail, type RoutedMail } from '../mail.ts';
import { auditIntakeFor } from '../sharing/read-service.ts';
import { JobBoard } from '../jobs/progress.ts';
import { jobsHandlers } from './jobs.ts';
import { trustListHandlers } from './trust-list.ts';

export class LockedError extends DefaustError {
  override name = 'LockedError';
  constructor() {
    super('locked', 'The wallet is locked. Unlock it with your passphrase first.');
  }
}

export class ConfirmPhraseError extends DefaustError {
  override name = 'ConfirmPhraseError';
  constructor(message = 'Confirm your recovery phrase before you go on.') {
    super('confirm-phrase', message);
  }
}

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface WalletServiceOptions {
  version?: string;
  /** Where unexpected failures are reported, with their stack (never to the client); default the home's log. */
  log?: (message: string, error: unknown) => void;
  /** 1-based word positions to ask back after creation (tests fix them; default: three at random). */
  pickPositions?: () => number[];
  /** Locks the wallet after this long without a call (default 15 minutes; 0 never locks by itself). */
  idleLockMs?: number;
  /** The peer network of this home; none: the wallet works offline. */
  network?: NetworkHost;
  /** How the feats verbs reach mailboxes and replicas (default: the `network` node; without one, files). */
  featsNetwork?: FeatsNetwork;
  /** While unlocked, looks this often for blocks another writer appended, to push them (default 2 s; 0 never). */
  watchMs?: number;
}

export const DEFAULT_WATCH_MS = 2000;

export const DEFAULT_IDLE_LOCK_MS = 15 * 60 * 1000;

/** Calls a screen makes by itself while it is open (polling): they do not keep the wallet from locking. */
const PASSIVE_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['session:status', 'network:status', 'jobs:status']);



function randomPositions(): number[] {
  const picked = new Set<number>();
  while (picked.size < 3) picked.add(randomInt(1, 25));
  return [...picked].sort((a, b) => a - b);
}

/** A plain sentence from a schema failure: the first problem, naming the field. */
function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'the request is malformed';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `the request is malformed (${where}${issue.message})`;
}

export class WalletService {
  readonly home: Home;
  private profile: Profile | null = null;
  /** The keys of the open profile (a witness signs with them); unreachable once the profile is dropped. */
  private readonly sessionKeys = new WeakMap<Profile, OwnerKeys>();
  private pending: { words: string[]; positions: number[] } | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly options: WalletServiceOptions;
  private readonly handlers: Handlers;
  private readonly idleLock: IdleLock;
  private readonly watchTimer: ReturnType<typeof setInterval> | null;
  /** Long jobs (import, recovery) by the id their screen chose: their stages, for `jobs:status` and `jobs:cancel`. */
  private readonly jobs = new JobBoard();

  constructor(home: Home, options: WalletServiceOptions = {}) {
    this.home = home;
    this.options = options;
    this.handlers = this.makeHandlers();
    this.idleLock = new IdleLock(options.idleLockMs ?? DEFAULT_IDLE_LOCK_MS, () => {
      if (this.profile === null) return;
      this.profile = null;
      this.pending = null;
      this.changed();
    });
    const watchMs = options.watchMs ?? DEFAULT_WATCH_MS;
    this.watchTimer = watchMs > 0 ? setInterval(() => this.watch(), watchMs) : null;
    this.watchTimer?.unref?.();
    options.network?.setMailHandler((mail) => {
      this.takeMail(mail);
    });
  }

  /** Routes fetched mail into the open profile; throws while locked, so the mail is not acknowledged. */
  private takeMail(mail: readonly IncomingMail[]): RoutedMail[] {
    const profile = this.requireProfile();
    const before = profile.length;
    const routed = takeMail(profile, this.home.receivedMail(), this.home.clock, mail, auditIntakeFor({ home: this.home, profile, keys: this.sessionKeys.get(profile)! }));
    if (profile.length !== before) this.emitHead();
    return routed;
  }

  /** Validates, runs and answers one call. Never throws. */
  async handle(channel: unknown, payload: unknown): Promise<Result<unknown>> {
    try {
      if (!PASSIVE_CHANNELS.has(channel as Channel)) this.idleLock.touch();
      if (!isChannel(channel)) return { ok: false, error: { code: 'unknown-channel', message: 'This request is not part of the DeFaust API.' } };
      const spec = contract[channel];
      const parsed = spec.request.safeParse(payload ?? {});
      if (!parsed.success) return { ok: false, error: { code: 'invalid-input', message: describeZodError(parsed.error) } };
      const handler = this.handlers[channel] as (request: unknown) => unknown;
      const value = await handler(parsed.data);
      const checked = spec.response.safeParse(value);
      if (!checked.success) {
        this.report(`response of ${channel} does not match the contract`, checked.error);
        return { ok: false, error: { code: 'internal', message: 'Something went wrong inside DeFaust. Your data is unchanged.' } };
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      return { ok: false, error: this.toApiError(error) };
    }
  }

  /** Typed call for code in the same process (tests, the CLI). */
  async call<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>> {
    return (await this.handle(channel, request)) as Result<Response<C>>;
  }

  /** Listens to pushed events; returns the function that stops listening. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  close(): void {
    this.idleLock.stop();
    if (this.watchTimer !== null) clearInterval(this.watchTimer);
    this.profile = null;
    this.pending = null;
    this.listeners.clear();
    this.home.close();
  }

  /** Pushes `chain:appended` when another writer appended while no call came (the screens reload on it). */
  private watch(): void {
    if (this.profile === null || this.pending !== null) return;
    try {
      if (this.profile.refresh()) this.emitHead();
    } catch (error) {
      this.report('reading what another writer appended failed', error);
    }
  }

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    if (event === 'chain:appended') this.options.network?.changed();
    if (event === 'session:changed' && (payload as SessionStatus).state !== 'unlocked') this.options.network?.locked();
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        this.report(`listener of ${event} failed`, error);
      }
    }
  }

  private report(message: string, error: unknown): void {
    if (this.options.log !== undefined) this.options.log(message, error);
    else this.home.logger.error(message, { ...errorFields(error), stack: error instanceof Error ? (error.stack ?? null) : null });
  }

  private toApiError(error: unknown): { code: string; message: string } {
    if (error instanceof DefaustError) return { code: error.code, message: error.message };
    const code = (error as { code?: unknown })?.code;
    if (code === 'store-conflict') return { code, message: 'Another change was written at the same moment. Try again.' };
    this.report('unexpected failure', error);
    return { code: 'internal', message: 'Something went wrong inside DeFaust. Your data is unchanged.' };
  }

  hasIdentity(): boolean {
    return this.home.hasIdentity();
  }

  /**
   * Whether `passphrase` opens this home's keystore: the headless node's sign-in for a browser tab that has no
   * token. Checks only; the session is not changed and no key is kept.
   */
  passphraseOpens(passphrase: string): boolean {
    if (!this.hasIdentity()) return false;
    try {
      this.home.unlock(passphrase);
      return true;
    } catch (error) {
      if (error instanceof WrongPassphraseError) return false;
      throw error;
    }
  }

  /** Tells listeners about the new head, for writes whose core verb returns no block summary. */
  private emitHead(): void {
    const stored = this.home.store.head(this.home.id());
    if (stored !== undefined) this.emit('chain:appended', { seq: stored.seq, cid: stored.cid, kind: stored.kind, author: stored.author, ts: stored.ts });
  }

  /**
   * After the identity keys are back (the phrase, or friends' shares): the chain from the network, then
   * unlocked. A failure (no peer answered, no replica served it) ends the job with its words and leaves the
   * identity here, locked, for an archive import or a later fetch.
   */
  private async recovered(id: Did, chain: boolean, passphrase: string, job?: string): Promise<SessionStatus> {
    const network = this.options.network;
    const found = chain || (network !== undefined && (await this.jobs.run(job, (progress) => network.recoverChain(id, this.home.unlock(passphrase), progress)).catch((error: unknown) => {
      network.locked();
      if (!(error instanceof DefaustError)) this.report('recovery from the network failed', error);
      return false;
    })));
    if (found) await this.open(passphrase);
    return this.changed();
  }

  /** Opens the profile with the passphrase and hands the network its key (starting the node the first time). */
  private async open(passphrase: string): Promise<void> {
    await this.openWith(this.home.unlock(passphrase));
  }

  /** Opens the profile with unlocked keys (the passphrase's, or the OS keychain's) and starts the network. */
  private async openWith(unlocked: OwnerKeys): Promise<void> {
    const { keys, profile } = this.home.openSessionWith(unlocked);
    this.profile = profile;
    this.sessionKeys.set(profile, keys);
    await this.startNetwork(keys);
    this.options.network?.changed();
  }

  /** A node that fails to start leaves the wallet working offline; the failure is reported, not thrown. */
  private async startNetwork(keys: OwnerKeys): Promise<void> {
    await this.options.network?.unlocked(keys).catch((error: unknown) => this.report('the peer node did not start', error));
  }

  private status(): SessionStatus {
    if (!this.home.hasIdentity()) return { state: 'new', id: null, confirm: null, chain: false };
    const id = this.home.id();
    return {
      state: this.profile === null ? 'locked' : 'unlocked',
      id,
      confirm: this.pending?.positions ?? null,
      chain: this.home.store.head(id) !== undefined,
    };
  }

  private changed(): SessionStatus {
    const status = this.status();
    this.emit('session:changed', status);
    return status;
  }

  /** The open profile, first brought up to what another writer (the CLI, another window) appended; listeners hear of it. */
  private requireProfile(): Profile {
    if (this.profile === null) throw new LockedError();
    if (this.pending !== null) throw new ConfirmPhraseError();
    if (this.profile.refresh()) this.emitHead();
    return this.profile;
  }

  private makeHandlers(): Handlers {
    const context: HandlerContext = {
      home: this.home,
      profile: () => this.requireProfile(),
      session: () => {
        const profile = this.requireProfile();
        return { home: this.home, profile, keys: this.sessionKeys.get(profile)! };
      },
      appended: (block) => this.emit('chain:appended', block),
      headMoved: () => this.emitHead(),
    };
    return {
      'session:status': () => this.status(),
      'session:create': async ({ passphrase, label }) => {
        const { id, mnemonic, profile, keys } = this.home.init(passphrase, label);
        await this.startNetwork(keys);
        const words = mnemonic.split(' ');
        const positions = (this.options.pickPositions ?? randomPositions)();
        this.profile = profile;
        this.sessionKeys.set(profile, keys);
        this.pending = { words, positions };
        this.changed();
        return { id, words, confirm: positions };
      },
      'session:confirmMnemonic': ({ words }) => {
        if (this.profile === null) throw new LockedError();
        const pending = this.pending;
        if (pending === null) return this.status();
        const asked = new Set(pending.positions);
        const right = words.every(({ position, word }) => asked.has(position) && pending.words[position - 1] === word.trim().toLowerCase()) &&
          new Set(words.map((w) => w.position)).size === asked.size;
        if (!right) throw new ConfirmPhraseError('Those words do not match your recovery phrase. Check what you wrote down and try again.');
        this.pending = null;
        return this.changed();
      },
      'session:recover': async ({ mnemonic, passphrase, job }) => {
        const { id, chain } = this.home.recover(mnemonic, passphrase);
        return this.recovered(id, chain, passphrase, job);
      },
      'session:fetchChain': async ({ passphrase, job }) => {
        const keys = this.home.unlock(passphrase);
        const network = this.options.network;
        if (network === undefined) throw new NetworkOffError();
        const found = await this.jobs.run(job, (progress) => network.recoverChain(this.home.id(), keys, progress)).catch((error: unknown) => {
          network.locked();
          throw error;
        });
        if (found) await this.open(passphrase);
        else network.locked();
        return this.changed();
      },
      'session:unlock': async ({ passphrase }) => {
        await this.open(passphrase);
        return this.changed();
      },
      'session:lock': () => {
        this.profile = null;
        this.pending = null;
        return this.changed();
      },

      ...profileHandlers(context),
      ...timelineHandlers(context),
      ...historyHandlers(context),
      ...mediaHandlers(context, blobsThrough(this.options.network)),

      ...networkHandlers(this.options.network ?? null, (mail) => this.takeMail(mail), this.jobs),
      ...networksHandlers(context, this.options.network),

      ...featsHandlers({
        home: this.home,
        profile: () => this.requireProfile(),
        keys: () => this.sessionKeys.get(this.requireProfile())!,
        appended: (block) => this.emit('chain:appended', block),
        headMoved: () => this.emitHead(),
        progress: (job, stage, elapsedMs) => this.emit('feats:progress', { job, stage, elapsedMs }),
        network: this.options.featsNetwork ?? hostNetwork(this.options.network),
      }),

      ...sharingHandlers({ ...context, network: this.options.network }),
      ...challengesHandlers({ ...context, network: this.options.featsNetwork ?? hostNetwork(this.options.network), honor: hostHonorNetwork(this.options.network) }),
      ...duelsHandlers({ ...context, network: this.options.featsNetwork ?? hostNetwork(this.options.network) }),

      ...honorHandlers(context, this.options.network),

      ...attributesHandlers({ ...context, progress: (job, stage) => this.emit('feats:progress', { job, stage }) }),

      ...settingsHandlers({ home: this.home, version: this.options.version ?? '0.0.0' }),

      ...contactsHandlers(context),
      ...keychainHandlers({ home: this.home, opened: async (keys) => (await this.openWith(keys), this.changed()) }),
      ...badgesHandlers(context),
      ...jobsHandlers({
        ...context, board: this.jobs, network: this.options.network,
        unlockedKeys: () => (this.profile === null || this.pending !== null ? null : (this.sessionKeys.get(this.profile) ?? null)),
        open: (passphrase) => this.open(passphrase).then(() => void this.changed()),
      }),
      ...trustListHandlers(context, this.options.network),
      ...recoveryHandlers({ ...context, network: this.options.network, recovered: (id, chain, passphrase) => this.recovered(id, chain, passphrase) }),
    };
  }
}
