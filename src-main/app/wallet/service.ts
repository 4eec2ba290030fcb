// The session service: holds the unlocked Profile in the main process (or the headless node) and implements
// the session, profile, timeline, media and settings verbs (sharing, feats and network verbs live beside it).
// Keys never leave it; the recovery phrase is returned once, at creation, to be shown and asked back. One
// `handle(channel, payload)` validates the request and the response with the contract's schemas and turns
// every failure into `{ok: false, error: {code, message}}`, never a stack trace. Electron's IPC and the
// headless HTTP API both call it. Every call on the profile first folds what other writers appended.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  contract, isChannel, type Channel, type EventName, type EventPayload, type MediaItem, type Request, type Response, type Result, type SessionStatus, type Settings, type Theme,
} from '../../../src-preload/api/contract.ts';
import { writeFileAtomic } from '../../adapters/fs/atomic-file.ts';
import { DefaustError, NotFoundError } from '../../core/errors.ts';
import { errorFields } from '../../core/log.ts';
import type { MediaRef, Op, Value } from '../../core/chain/ops.ts';
import type { OwnerKeys, Profile } from '../../core/profile/profile.ts';
import { record } from '../../core/records.ts';
import { applyOps, diffOps, emptyState, type ProfileState } from '../../core/profile/state.ts';
import type { Handlers } from './handlers.ts';
import type { Home } from '../home.ts';
import { sharingHandlers } from './sharing.ts';
import { featsHandlers } from './feats.ts';
import { networkHandlers } from './network.ts';
import { hostNetwork, type FeatsNetwork } from '../feats/network.ts';
import type { NetworkHost } from '../network/host.ts';
import { takeMail, type IncomingMail, type RoutedMail } from '../mail.ts';
import { fromBytes, toBase64 } from './bytes.ts';

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
const PASSIVE_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['session:status', 'network:status']);

const MAX_MEDIA_RESPONSE = 64 * 1024 * 1024;

type FieldOp = Extract<Op, { op: 'set' | 'unset' | 'append' }>;
const isFieldOp = (op: Op): op is FieldOp => op.op === 'set' || op.op === 'unset' || op.op === 'append';


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
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly watchTimer: ReturnType<typeof setInterval> | null;

  constructor(home: Home, options: WalletServiceOptions = {}) {
    this.home = home;
    this.options = options;
    this.handlers = this.makeHandlers();
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
    const routed = takeMail(profile, this.home.receivedMail(), this.home.clock, mail);
    if (profile.length !== before) this.emitHead();
    return routed;
  }

  /** Validates, runs and answers one call. Never throws. */
  async handle(channel: unknown, payload: unknown): Promise<Result<unknown>> {
    try {
      if (!PASSIVE_CHANNELS.has(channel as Channel)) this.touch();
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
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
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

  /** Restarts the idle countdown; when it runs out the keys are dropped and the UI is told. */
  private touch(): void {
    const ms = this.options.idleLockMs ?? DEFAULT_IDLE_LOCK_MS;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (ms <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.profile === null) return;
      this.profile = null;
      this.pending = null;
      this.changed();
    }, ms);
    this.idleTimer.unref?.();
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

  /** Tells listeners about the new head, for writes whose core verb returns no block summary. */
  private emitHead(): void {
    const stored = this.home.store.head(this.home.id());
    if (stored !== undefined) this.emit('chain:appended', { seq: stored.seq, cid: stored.cid, kind: stored.kind, author: stored.author, ts: stored.ts });
  }

  /** Opens the profile with the passphrase and hands the network its key (starting the node the first time). */
  private async open(passphrase: string): Promise<void> {
    const { keys, profile } = this.home.openSession(passphrase);
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

  private settingsPath(): string {
    return join(this.home.dir, 'ui.json');
  }

  private settings(): Settings {
    let theme: Theme = 'system';
    try {
      const saved = JSON.parse(readFileSync(this.settingsPath(), 'utf8')) as { theme?: unknown };
      if (saved.theme === 'light' || saved.theme === 'dark') theme = saved.theme;
    } catch {
      // No settings yet, or unreadable: the defaults.
    }
    return { theme, home: this.home.dir, version: this.options.version ?? '0.0.0' };
  }

  private mediaItem(section: string, event: string, ref: MediaRef): MediaItem {
    return { section, event, cid: ref.cid.toString(), name: ref.name, type: ref.type, size: ref.size };
  }

  /**
   * The values of `paths` in `section` just before block `seq`. Walks back from `seq - 1` and stops as soon
   * as every path is settled by a `set` or `unset` (appends on the way are replayed forward), so a field
   * edited recently costs a few blocks, not the whole chain.
   */
  private sectionBefore(profile: Profile, section: string, seq: number, paths: ReadonlySet<string>): ProfileState {
    const base = new Map<string, { settled: boolean; value?: Value }>();
    const appends = new Map<string, Op[]>();
    const open = new Set(paths);
    const deltas = this.home.store.headersOfKind(profile.id, ['delta', 'merge']);
    for (let i = deltas.length - 1; i >= 0 && open.size > 0; i--) {
      const stored = deltas[i]!;
      if (stored.seq >= seq) continue;
      for (const part of profile.blockOps(stored.seq)) {
        if (part.section !== section) continue;
        for (let j = part.ops.length - 1; j >= 0; j--) {
          const op = part.ops[j]!;
          if (!isFieldOp(op) || !open.has(op.path)) continue;
          if (op.op === 'append') {
            (appends.get(op.path) ?? appends.set(op.path, []).get(op.path)!).unshift(op);
            continue;
          }
          base.set(op.path, op.op === 'set' ? { settled: true, value: op.value } : { settled: true });
          open.delete(op.path);
        }
      }
    }
    const state = emptyState();
    const fields = record<Value>();
    for (const [path, entry] of base) if (entry.value !== undefined) fields[path] = entry.value;
    state[section] = { fields, media: record() };
    for (const ops of appends.values()) applyOps(state, section, ops);
    return state;
  }

  private makeHandlers(): Handlers {
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
      'session:recover': async ({ mnemonic, passphrase }) => {
        const { id, chain } = this.home.recover(mnemonic, passphrase);
        const network = this.options.network;
        const found = chain || (network !== undefined && (await network.recoverChain(id, this.home.unlock(passphrase)).catch((error: unknown) => {
          this.report('recovery from the network failed', error);
          return false;
        })));
        if (found) await this.open(passphrase);
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

      'profile:get': () => {
        const profile = this.requireProfile();
        const state = profile.current();
        const names = [...new Set([...profile.sections(), ...Object.keys(state)])].sort();
        return {
          id: profile.id,
          device: profile.device,
          length: profile.length,
          head: profile.headCid,
          sections: names.map((name) => ({
            name,
            fields: state[name]?.fields ?? {},
            events: Object.entries(state[name]?.media ?? {}).map(([event, refs]) => ({ event, count: refs.length })),
          })),
        };
      },
      'profile:preview': ({ section, ops }) => ({ changes: this.requireProfile().preview(section, ops) }),
      'profile:set': ({ section, path, value }) => {
        const block = this.requireProfile().set(section, path, value);
        this.emit('chain:appended', block);
        return { block };
      },
      'profile:unset': ({ section, path }) => {
        const profile = this.requireProfile();
        if (!Object.hasOwn(profile.current()[section]?.fields ?? {}, path)) throw new NotFoundError(`There is no field “${path}” in ${section}.`);
        const block = profile.unset(section, path);
        this.emit('chain:appended', block);
        return { block };
      },

      'chain:log': ({ offset, limit, order }) => {
        this.requireProfile();
        const id = this.home.id();
        const total = (this.home.store.head(id)?.seq ?? -1) + 1;
        const from = order === 'asc' ? offset : Math.max(0, total - offset - limit);
        const to = order === 'asc' ? Math.min(total, offset + limit) : Math.max(0, total - offset);
        const items = [...this.home.store.headers(id, from, to)].map((h) => ({ seq: h.seq, cid: h.cid, kind: h.kind, author: h.author, ts: h.ts }));
        if (order === 'desc') items.reverse();
        return { total, items };
      },
      'chain:block': ({ seq }) => {
        const profile = this.requireProfile();
        const stored = this.home.store.header(profile.id, seq);
        if (stored === undefined) throw new NotFoundError(`There is no block ${seq}.`);
        const parts = profile.blockOps(seq);
        const sections = parts.map(({ section, ops }) => {
          const fieldOps = ops.filter(isFieldOp);
          const changes = fieldOps.length === 0 ? [] : diffOps(this.sectionBefore(profile, section, seq, new Set(fieldOps.map((op) => op.path))), section, fieldOps);
          const media = ops.flatMap((op) => (op.op === 'media' ? [{ event: op.event, cid: op.ref.cid.toString(), name: op.ref.name, type: op.ref.type, size: op.ref.size }] : []));
          return { section, changes, media };
        });
        return { block: { seq: stored.seq, cid: stored.cid, kind: stored.kind, author: stored.author, ts: stored.ts }, sections };
      },
      'chain:verify': () => {
        this.requireProfile();
        return this.home.verify();
      },

      'media:list': () => ({ items: this.requireProfile().mediaList().map(({ section, event, ref }) => this.mediaItem(section, event, ref)) }),
      'media:attach': ({ section, event, name, type, bytes }) => {
        const { ref, block } = this.requireProfile().attach(section, event, fromBytes(bytes), name, type);
        this.emit('chain:appended', block);
        return { item: this.mediaItem(section, event, ref), block };
      },
      'media:get': ({ cid }) => {
        const profile = this.requireProfile();
        const found = profile.mediaList().find((m) => m.ref.cid.toString() === cid);
        if (found === undefined) throw new NotFoundError('This picture or film is not in your profile.');
        if (found.ref.size > MAX_MEDIA_RESPONSE) throw new DefaustError('too-large', 'This file is too large to show here.');
        const { bytes } = profile.readMedia(cid);
        return { item: this.mediaItem(found.section, found.event, found.ref), bytes: toBase64(bytes) };
      },

      ...networkHandlers(this.options.network ?? null, (mail) => this.takeMail(mail)),

      ...featsHandlers({
        home: this.home,
        profile: () => this.requireProfile(),
        keys: () => this.sessionKeys.get(this.requireProfile())!,
        appended: (block) => this.emit('chain:appended', block),
        headMoved: () => this.emitHead(),
        progress: (job, stage) => this.emit('feats:progress', { job, stage }),
        network: this.options.featsNetwork ?? hostNetwork(this.home, this.options.network),
      }),

      ...sharingHandlers({
        home: this.home,
        profile: () => this.requireProfile(),
        appended: (block) => this.emit('chain:appended', block),
        headMoved: () => this.emitHead(),
      }),

      'settings:get': () => this.settings(),
      'settings:setTheme': ({ theme }) => {
        this.home.prepareFolder();
        writeFileAtomic(this.settingsPath(), JSON.stringify({ theme }) + '\n');
        return this.settings();
      },
      'settings:changePassphrase': ({ old, new: next }) => {
        if (!this.home.hasIdentity()) throw new NotFoundError('There is no identity here yet.');
        this.home.keystore.changePassphrase(old, next);
        return { changed: true as const };
      },
    };
  }
}
