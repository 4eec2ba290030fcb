// Names that Object.prototype already uses (toString, constructor, __proto__, …) are ordinary field, section
// and JSON key names: written, folded, refolded, restored from a snapshot, read by grantees, diffed for the
// owner and carried through the contract exactly. Also: a value nested too deeply is a typed refusal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldsSchema, valueSchema } from '../src-preload/api/contract.ts';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { MemoryReceivedMailStore } from '../src-main/adapters/db/received-mail-store.ts';
import { takeMail } from '../src-main/app/mail.ts';
import { DAY_MS } from '../src-main/core/chain/keyring.ts';
import { readGranted } from '../src-main/core/access/reader.ts';
import { exportArchive, readArchive } from '../src-main/core/archive/archive.ts';
import { decodeCanonical, encode } from '../src-main/core/chain/codec.ts';
import { InvalidInputError } from '../src-main/core/errors.ts';
import { sealEnvelope } from '../src-main/core/identity/envelope.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { ProfileData } from '../src-main/core/profile/data-fold.ts';
import { checkOps, checkValue, type Op, type Value } from '../src-main/core/chain/ops.ts';
import { applyOps, copyState } from '../src-main/core/profile/state.ts';
import { Profile, SNAPSHOT_EVERY } from '../src-main/core/profile/profile.ts';
import { sealProposal } from '../src-main/core/requests/proposal.ts';
import { crypto, deps, ownerKeys, TestClock } from './helpers.ts';

export const PROTOTYPE_NAMES = ['toString', 'valueOf', 'hasOwnProperty', 'constructor', '__proto__', 'prototype', 'isPrototypeOf', '__defineGetter__'];

/** A value as comparable data: objects become sorted [key, value] lists, so `__proto__` is compared like any key. */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) return ['{}', Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, plain(v)])];
  return value;
}

/** `{"__proto__": …}` as an own key: an object literal would set the prototype instead. */
const own = (entries: [string, Value][]): Value => Object.fromEntries(entries) as Value;

function fresh() {
  const store = new MemoryChainStore();
  const clock = new TestClock();
  const keys = ownerKeys();
  return { store, clock, keys, profile: Profile.create(deps(store, clock), keys) };
}

/** What every prototype name set, appended twice and nested in a JSON value should fold to. */
function writeEveryName(profile: Profile): Map<string, [string, Value][]> {
  const contact: [string, Value][] = [];
  const pub: [string, Value][] = [];
  for (const name of PROTOTYPE_NAMES) {
    profile.set('contact', name, `set-${name}`);
    contact.push([name, `set-${name}`]);
    profile.append('public', name, `one-${name}`);
    profile.append('public', name, `two-${name}`);
    pub.push([name, [`one-${name}`, `two-${name}`]]);
  }
  const nested = JSON.parse('{"__proto__":{"polluted":true},"constructor":"c","toString":[1]}') as Value;
  profile.set('health', 'prototype', nested);
  profile.set('constructor', 'toString', 'in a section named constructor');
  profile.append('prototype', '__proto__', 1);
  return new Map<string, [string, Value][]>([
    ['contact', contact], ['public', pub], ['health', [['prototype', nested]]],
    ['constructor', [['toString', 'in a section named constructor']]], ['prototype', [['__proto__', [1]]]],
  ]);
}

function expectFields(state: Record<string, { fields: Record<string, Value> } | undefined>, expected: Map<string, [string, Value][]>) {
  for (const [section, entries] of expected) expect(plain(state[section]?.fields), section).toEqual(plain(own(entries)));
}

describe('fields named after Object.prototype keys', () => {
  it('are folded, refolded and shown exactly; nothing leaks from the prototype', () => {
    const { store, clock, keys, profile } = fresh();
    const expected = writeEveryName(profile);
    expectFields(profile.current(), expected);
    expectFields(Profile.open(deps(store, clock), keys).current(), expected);
    const state = profile.current();
    expect(Object.getPrototypeOf(state.contact!.fields)).toBe(null);
    expect(state.health!.fields.toString).toBeUndefined();
    expect(Object.getPrototypeOf(state.health!.fields.prototype)).toBe(null);
    expect((state.health!.fields.prototype as Record<string, Value>).polluted).toBeUndefined();
    // What the UI gets is cloned (IPC) or serialised (HTTP): both must carry the values.
    expect(() => structuredClone(state)).not.toThrow();
    expectFields(JSON.parse(JSON.stringify(state)) as never, expected);
  });

  it('survive a real snapshot: a reopened profile restores them from it', () => {
    const { store, clock, keys, profile } = fresh();
    const expected = writeEveryName(profile);
    while (profile.length < SNAPSHOT_EVERY) profile.set('fitness', 'steps', profile.length);
    // The write that passed SNAPSHOT_EVERY blocks ended with the automatic checkpoint; the snapshot is at it.
    expect(store.latestSnapshot(profile.id)?.seq).toBe(SNAPSHOT_EVERY);
    const reopened = Profile.open(deps(store, clock), keys);
    expectFields(reopened.current(), expected);
    expect(Object.getPrototypeOf(reopened.current().contact!.fields)).toBe(null);
  });

  it('are read by a grantee exactly', () => {
    const { store, clock, profile } = fresh();
    const expected = writeEveryName(profile);
    const reader = ownerKeys();
    const readerId = identityPublic(crypto, reader.identity).id;
    for (const section of ['contact', 'constructor']) profile.grant(readerId, section, 'read', clock.now() + DAY_MS);
    const view = readGranted(crypto, readArchive(crypto, exportArchive(store, profile.id)), reader.identity.ed25519Seed, readerId);
    expect(Object.keys(view.sections).sort()).toEqual(['constructor', 'contact']);
    expectFields(view.state, new Map(['contact', 'constructor'].map((s) => [s, expected.get(s)!])));
    expect(view.state.public).toBeUndefined();
  });

  it('a write grantee appending to toString cannot break the profile, and a proposal setting __proto__ shows its real diff', () => {
    const { clock, profile } = fresh();
    const bob = ownerKeys();
    const bobId = identityPublic(crypto, bob.identity).id;
    const propose = (section: string, ops: Op[]) => sealProposal(crypto, bob.identity.ed25519Seed, bobId, profile.id, section, ops, profile.length - 1, clock.now()).envelope;
    profile.grant(bobId, 'fitness', 'write', clock.now() + DAY_MS);
    expect(profile.inbox.receive(propose('fitness', [{ op: 'append', path: 'toString', value: 'x' }])).status).toBe('approved');
    expect(plain(profile.current().fitness!.fields)).toEqual(plain({ toString: ['x'] }));
    profile.grant(bobId, 'contact', 'propose', clock.now() + DAY_MS);
    const value = own([['__proto__', 'inner']]);
    const view = profile.inbox.receive(propose('contact', [{ op: 'set', path: '__proto__', value }]));
    expect(view.status).toBe('pending');
    expect(plain(view.changes)).toEqual(plain([{ path: '__proto__', before: undefined, after: value }]));
    expect(plain(profile.preview('contact', [{ op: 'unset', path: 'constructor' }]))).toEqual([]);
    profile.inbox.approve(view.id);
    expect(plain(profile.current().contact!.fields)).toEqual(plain(own([['__proto__', value]])));
  });

  it('a JSON key __proto__ in a received body is kept as data, not made the prototype', () => {
    const body = decodeCanonical(encode(JSON.parse('{"__proto__":{"admin":true},"a":1}'))) as unknown;
    const checked = checkValue(body) as Record<string, Value>;
    expect(Object.getPrototypeOf(checked)).toBe(null);
    expect(Object.keys(checked).sort()).toEqual(['__proto__', 'a']);
    expect(checked.admin).toBeUndefined();
  });
});

describe('mail whose format is a prototype name', () => {
  it('is refused as unknown, like any other format DeFaust does not know', () => {
    const { clock, profile } = fresh();
    const envelope = (format: string) => sealEnvelope(crypto, format, profile.id, { anything: 1 });
    const routed = takeMail(profile, new MemoryReceivedMailStore(), clock, PROTOTYPE_NAMES.map((format, i) => ({ id: `m${i}`, from: profile.id, ts: i, envelope: envelope(format) })));
    expect(routed.map((r) => [r.kind, r.state])).toEqual(PROTOTYPE_NAMES.map(() => ['unknown', 'refused']));
  });
});

describe('set → fold → snapshot → contract, for any names and values', () => {
  const name = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/u));
  const section = fc.oneof(fc.constantFrom('contact', 'constructor', 'prototype', 'valueof'), fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/u));
  const key = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 8 }));
  // Numbers within the shared rule (src-shared/rules/number.ts): what a new write may carry.
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }).filter((n) => !Object.is(n, -0)), fc.boolean(), fc.constant(null));
  const { value } = fc.letrec<{ value: Value }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, scalar, fc.array(tie('value'), { maxLength: 4 }),
      fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => Object.fromEntries(entries) as Value)),
  }));
  const op = fc.oneof(
    fc.record({ op: fc.constant('set' as const), path: name, value }),
    fc.record({ op: fc.constant('append' as const), path: name, value }),
    fc.record({ op: fc.constant('unset' as const), path: name }),
  );

  /** The expected fields: a Map, which has no prototype to get in the way. */
  function model(writes: { section: string; ops: Op[] }[]): Map<string, Map<string, Value>> {
    const sections = new Map<string, Map<string, Value>>();
    for (const { section: s, ops } of writes) {
      const fields = sections.get(s) ?? sections.set(s, new Map()).get(s)!;
      for (const o of ops) {
        if (o.op === 'set') fields.set(o.path, o.value);
        else if (o.op === 'unset') fields.delete(o.path);
        else if (o.op === 'append') {
          const current = fields.get(o.path);
          fields.set(o.path, current === undefined ? [o.value] : Array.isArray(current) ? [...current, o.value] : [current, o.value]);
        }
      }
    }
    return sections;
  }

  const write = fc.record({ section, ops: fc.array(op, { minLength: 1, maxLength: 6 }) });

  /** Ops as a body carries them: checked, DAG-CBOR encoded, decoded and checked again on the way in. */
  const carried = (ops: Op[]): Op[] => checkOps(decodeCanonical(encode(checkOps(ops))));

  it('the fold, its snapshot and the contract give back exactly what was written', () => {
    fc.assert(fc.property(fc.array(write, { minLength: 1, maxLength: 6 }), (writes) => {
      const folded = new ProfileData();
      for (const w of writes) applyOps(folded.state, w.section, carried(w.ops));
      const restored = new ProfileData();
      restored.restore(decodeCanonical(encode(folded.snapshot())));
      const current = copyState(restored.state);
      for (const [s, fields] of model(writes)) {
        const want = plain(Object.fromEntries(fields));
        expect(plain(folded.state[s]?.fields)).toEqual(want);
        expect(plain(current[s]?.fields)).toEqual(want);
        // The UI's view: through the contract's schema, then structured clone (IPC) or JSON (HTTP).
        const shown = fieldsSchema.parse(current[s]?.fields);
        expect(plain(structuredClone(shown))).toEqual(want);
        expect(plain(JSON.parse(JSON.stringify(shown)))).toEqual(want);
      }
    }), { seed: 92026, numRuns: 400 });
  });

  it('the chain writer, a full refold and the shown profile give back exactly what was written', () => {
    const writes = fc.sample(write, { seed: 92026, numRuns: 30 });
    const { store, clock, keys, profile } = fresh();
    for (const w of writes) profile.write(w.section, w.ops);
    const reopened = Profile.open(deps(store, clock), keys);
    for (const [s, fields] of model(writes)) {
      const want = plain(Object.fromEntries(fields));
      expect(plain(profile.current()[s]?.fields)).toEqual(want);
      expect(plain(reopened.current()[s]?.fields)).toEqual(want);
    }
  });
});

describe('values nested too deeply', () => {
  const deep = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

  it('are refused with a typed error, in core and in the contract, without a stack overflow', () => {
    for (const levels of [10, 100_000]) {
      expect(() => checkValue(deep(levels))).toThrow(InvalidInputError);
      const parsed = valueSchema.safeParse(deep(levels));
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/nests more than 8 levels/u);
    }
    expect(valueSchema.safeParse(deep(9)).success).toBe(true);
    expect(checkValue(deep(9))).toEqual(deep(9));
  });
});
