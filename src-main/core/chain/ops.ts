// The operations a body carries (DESIGN §3): set, unset, append and media references, and their checks.
import { asCid, type CID } from './codec.ts';
import { FIELD_PATH, SECTION_NAME } from '../../../src-shared/rules/names.ts';
import { MAX_VALUE_DEPTH } from '../../../src-shared/rules/values.ts';
import { InvalidInputError } from '../errors.ts';
import { record } from '../records.ts';
import { MAX_TEXT } from '../../../src-shared/rules/limits.ts';
import { isSafeNumber, NUMBER_RULE } from '../../../src-shared/rules/number.ts';

/** A field value: what JSON can say, plus nothing else. Its objects have no prototype (see checkValue). */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** A reference to an encrypted, chunked media object (the key opens its manifest and chunks). */
export interface MediaRef {
  cid: CID;
  key: Uint8Array;
  name: string;
  type: string;
  size: number;
  chunks: number;
}

export type Op =
  | { op: 'set'; path: string; value: Value }
  | { op: 'unset'; path: string }
  | { op: 'append'; path: string; value: Value }
  | { op: 'media'; event: string; ref: MediaRef }
  /** In a `merge` body: the approved proposal as its author signed it. Changes no field. */
  | { op: 'proposal'; proposal: Uint8Array; sig: Uint8Array }
  /** In a `feat` body: the claim document. In an `attestation` body: a witness's signed attestation. */
  | { op: 'claim'; claim: Uint8Array }
  | { op: 'attestation'; attestation: Uint8Array; sig: Uint8Array }
  /** In a `challenge` or `duel` body: a signed social document (a challenge, an answer, an outcome, a duel…). */
  | { op: 'social'; doc: Uint8Array };

export const EVENT = /^[A-Za-z0-9_. -]{1,80}$/u;
const MAX_OPS = 1024;

export function checkPath(path: unknown): string {
  if (typeof path !== 'string' || !FIELD_PATH.test(path)) {
    throw new InvalidInputError(`a field path is 1–8 names of letters, digits, '-' or '_' joined by dots, not ${JSON.stringify(path)}`);
  }
  return path;
}

/**
 * Which numbers a check lets through: `new` input (what a person, a grantee or a proposal sends) keeps the
 * strict rule of src-shared/rules/number.ts; `stored` ops (blocks already signed, perhaps by an older writer,
 * and snapshots of them) take any finite number, so a chain that once held 2^53 + 2 still opens.
 */
export type ValueRules = 'new' | 'stored';

/** A checked copy of `value` whose objects have no prototype, so every key (`__proto__` too) is kept as data. */
export function checkValue(value: unknown, rules: ValueRules = 'new', depth = 0): Value {
  if (depth > MAX_VALUE_DEPTH) throw new InvalidInputError(`a value nests more than ${MAX_VALUE_DEPTH} levels deep`);
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (value.length > MAX_TEXT) throw new InvalidInputError(`a text value is limited to ${MAX_TEXT} characters`);
    return value;
  }
  if (typeof value === 'number') {
    if (rules === 'new' ? !isSafeNumber(value) : !Number.isFinite(value)) throw new InvalidInputError(`a number must be ${NUMBER_RULE}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => checkValue(item, rules, depth + 1));
  if (typeof value === 'object' && !(value instanceof Uint8Array) && asCid(value) === null) {
    const out = record<Value>();
    for (const [key, item] of Object.entries(value)) out[key] = checkValue(item, rules, depth + 1);
    return out;
  }
  throw new InvalidInputError(`unsupported value type ${typeof value}`);
}

function checkMediaRef(ref: unknown): MediaRef {
  const r = ref as Record<string, unknown>;
  const ok = typeof r === 'object' && r !== null && asCid(r.cid) !== null && r.key instanceof Uint8Array && r.key.length === 32 &&
    typeof r.name === 'string' && r.name.length <= 255 && typeof r.type === 'string' && r.type.length <= 255 &&
    Number.isSafeInteger(r.size) && (r.size as number) >= 0 && Number.isSafeInteger(r.chunks) && (r.chunks as number) >= 0;
  if (!ok) throw new InvalidInputError('a media reference is malformed');
  return r as unknown as MediaRef;
}

/** Checks a decoded list of ops (values under `rules`); throws InvalidInputError naming the first bad one. */
export function checkOps(value: unknown, rules: ValueRules = 'new'): Op[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_OPS) throw new InvalidInputError(`a body holds 1..${MAX_OPS} ops`);
  return value.map((raw: unknown): Op => {
    const op = raw as Record<string, unknown>;
    switch (op?.op) {
      case 'set':
        return { op: 'set', path: checkPath(op.path), value: checkValue(op.value, rules) };
      case 'unset':
        return { op: 'unset', path: checkPath(op.path) };
      case 'append':
        return { op: 'append', path: checkPath(op.path), value: checkValue(op.value, rules) };
      case 'media':
        if (typeof op.event !== 'string' || !EVENT.test(op.event)) throw new InvalidInputError('a media event name is 1–80 letters, digits, spaces or . _ -');
        return { op: 'media', event: op.event, ref: checkMediaRef(op.ref) };
      case 'proposal':
        if (!(op.proposal instanceof Uint8Array) || !(op.sig instanceof Uint8Array) || op.sig.length !== 64) throw new InvalidInputError('a proposal op carries the signed proposal and its signature');
        return { op: 'proposal', proposal: op.proposal, sig: op.sig };
      case 'claim':
        if (!(op.claim instanceof Uint8Array)) throw new InvalidInputError('a claim op carries the claim document');
        return { op: 'claim', claim: op.claim };
      case 'attestation':
        if (!(op.attestation instanceof Uint8Array) || !(op.sig instanceof Uint8Array) || op.sig.length !== 64) throw new InvalidInputError('an attestation op carries the attestation and its signature');
        return { op: 'attestation', attestation: op.attestation, sig: op.sig };
      case 'social':
        if (!(op.doc instanceof Uint8Array)) throw new InvalidInputError('a social op carries a signed document');
        return { op: 'social', doc: op.doc };
      default:
        throw new InvalidInputError(`unknown op ${JSON.stringify(op?.op)}`);
    }
  });
}

export function checkSection(section: unknown): string {
  if (typeof section !== 'string' || !SECTION_NAME.test(section)) {
    throw new InvalidInputError(`a section name is 1–32 lower-case letters, digits or '-', starting with a letter, not ${JSON.stringify(section)}`);
  }
  return section;
}
