// IPC fuzz: IPC_FUZZ_PAYLOADS (10,000) payloads per channel group (the part before ':') through the real
// Electron wrapper (registerIpc, with a trusted app:// sender) into the wallet service that the loopback
// HTTP API calls too, on a real home with an unlocked identity. Payloads are near-valid maps (the channel's
// own field names with wrong, huge, prototype-named or deeply nested values) and arbitrary values. Every
// refused payload gets {ok: false, error} with a typed code (never `internal`), nothing is logged as an
// unexpected failure, and no refused payload adds a block to the chain.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, contract, type Channel, type Result } from '../src-preload/api/contract.ts';
import { Home } from '../src-main/app/home.ts';
import { WalletService } from '../src-main/app/wallet/service.ts';
import { registerIpc } from '../src-main/electron/ipc.ts';

const PER_GROUP = Number(process.env.IPC_FUZZ_PAYLOADS ?? 10_000);
const PASS = 'correct-horse-battery';

/** Channels whose valid payloads change the session itself or start heavy work: only their refused payloads are sent. */
const ONLY_REFUSED: ReadonlySet<Channel> = new Set<Channel>([
  'session:create', 'session:recover', 'session:unlock', 'session:lock', 'session:confirmMnemonic', 'settings:changePassphrase', 'feats:prove',
]);

const groups = new Map<string, Channel[]>();
for (const channel of CHANNELS) {
  const group = channel.split(':')[0]!;
  groups.set(group, [...(groups.get(group) ?? []), channel]);
}

/** The field names of a channel's request schema (an object schema's shape), or none. */
function fieldsOf(channel: Channel): string[] {
  const shape = (contract[channel].request as unknown as { shape?: Record<string, unknown> }).shape;
  return shape === undefined ? [] : Object.keys(shape);
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

function payloads(channel: Channel, id: string, count: number, seed: number): unknown[] {
  const plausible = fc.constantFrom(
    '', 'public', 'contact', 'fitness', 'name', 'email', id, `${id}x`, 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'a'.repeat(70_000), '\u0000\u001b[2J', '../../etc/passwd',
    'AAAA', '====', 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', '2027-02-30', '1e-400', '0x10',
  );
  const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 2 ** 53 + 1, -1, 0, 1, 2 ** 31, 1e308));
  const leaf = fc.oneof(plausible, fc.string({ maxLength: 40 }), number, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt(), fc.uint8Array({ maxLength: 64 }));
  const value = fc.oneof(
    { weight: 6, arbitrary: leaf },
    { weight: 2, arbitrary: fc.array(leaf, { maxLength: 5 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.oneof(plausible, fc.string({ maxLength: 6 })), leaf, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(nested(50), nested(5_000), Array.from({ length: 10_000 }, () => 0), { length: 2 ** 32 - 1 }) },
    { weight: 1, arbitrary: fc.anything({ withTypedArray: true, withBigInt: true, withMap: true, withSet: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }) },
  );
  const fields = fieldsOf(channel);
  const key = fields.length === 0 ? fc.oneof(plausible, fc.string({ maxLength: 6 })) : fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'extra') });
  const payload = fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(key, value, { maxKeys: fields.length + 2 }) },
    { weight: 2, arbitrary: fc.anything({ withTypedArray: true, withBigInt: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true }) },
    { weight: 1, arbitrary: value },
  );
  return fc.sample(payload, { numRuns: count, seed });
}

const preview = (payload: unknown): string => {
  try {
    return JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' && v.length > 60 ? `${v.slice(0, 20)}…(${v.length})` : v))?.slice(0, 300) ?? String(payload);
  } catch {
    return Object.prototype.toString.call(payload);
  }
};

describe(`IPC fuzz (${PER_GROUP} payloads per channel group, ${groups.size} groups)`, () => {
  let dir: string;
  let service: WalletService;
  let id: string;
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<Result<unknown>>>();
  const unexpected: string[] = [];
  const trusted = { senderFrame: { parent: null, url: 'app://defaust/index.html' } };
  const head = () => service.home.store.head(service.home.id())?.seq ?? -1;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-ipc-fuzz-'));
    service = new WalletService(new Home(join(dir, 'home')), { idleLockMs: 0, log: (message, error) => unexpected.push(`${message}: ${(error as Error)?.message ?? String(error)}`), pickPositions: () => [1, 2, 3] });
    registerIpc({ handle: (channel, fn) => void handlers.set(channel, fn as never), removeHandler: (channel) => void handlers.delete(channel) }, service, () => []);
    const created = await service.call('session:create', { passphrase: PASS });
    if (!created.ok) throw new Error(created.error.message);
    const confirmed = await service.call('session:confirmMnemonic', { words: [1, 2, 3].map((position) => ({ position, word: created.value.words[position - 1]! })) });
    if (!confirmed.ok) throw new Error(confirmed.error.message);
    id = created.value.id;
    await service.call('profile:set', { section: 'contact', path: 'email', value: 'a@example.org' });
  });
  afterAll(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers one handler per channel; an untrusted sender is refused', async () => {
    expect(new Set(handlers.keys())).toEqual(new Set(CHANNELS));
    const result = await handlers.get('profile:get')!({ senderFrame: { parent: null, url: 'https://evil.example/' } }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  let seed = 1;
  for (const [group, channels] of groups) {
    const groupSeed = seed++;
    it(`${group}: ${PER_GROUP} payloads over ${channels.length} channels, each refusal typed, none writes`, async () => {
      unexpected.length = 0;
      const counts = { sent: 0, refused: 0, accepted: 0, skipped: 0 };
      const codes = new Map<string, number>();
      for (const [i, channel] of channels.entries()) {
        const share = Math.floor(PER_GROUP / channels.length) + (i < PER_GROUP % channels.length ? 1 : 0);
        for (const payload of payloads(channel, id, share, groupSeed * 1000 + i)) {
          if (ONLY_REFUSED.has(channel) && contract[channel].request.safeParse(payload ?? {}).success) {
            counts.skipped++;
            continue;
          }
          const before = head();
          const result = await handlers.get(channel)!(trusted, payload);
          counts.sent++;
          expect(typeof result.ok, channel).toBe('boolean');
          if (result.ok) {
            counts.accepted++;
            continue;
          }
          counts.refused++;
          codes.set(result.error.code, (codes.get(result.error.code) ?? 0) + 1);
          expect(result.error.code, `${channel}: ${result.error.message}`).toMatch(/^[a-z][a-z0-9/-]*$/u);
          if (result.error.code === 'internal') expect.fail(`${channel} answered internal to ${preview(payload)}: ${unexpected.join('; ')}`);
          expect(result.error.message).not.toMatch(/\n\s+at /u);
          expect(head(), `a refused ${channel} wrote a block`).toBe(before);
        }
      }
      expect(unexpected).toEqual([]);
      expect(counts.sent + counts.skipped).toBe(PER_GROUP);
      expect(counts.refused).toBeGreaterThan(0);
      const status = await service.call('session:status', {});
      expect(status).toMatchObject({ ok: true, value: { state: 'unlocked' } });
      expect(await service.call('chain:verify', {})).toMatchObject({ ok: true, value: { ok: true } });
      console.log(`${group}: ${JSON.stringify(counts)} ${JSON.stringify(Object.fromEntries(codes))}`);
    }, 300_000);
  }
});
