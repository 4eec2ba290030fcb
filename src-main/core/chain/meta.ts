// Typed views of the `meta` map for every kind the chain carries: the chain's own (genesis, devices, section
// keys) and the features' (grant, revoke, registry, trust), so the verifier checks them without importing a feature.
// The feature views read revealed meta (private-meta.ts); the verifier checks a v2 header's public shape.
import { didProblem, isDid, type Did } from '../identity/did.ts';
import { ChainVerificationError } from './errors.ts';
import type { Header } from './header.ts';
import { checkpointMeta } from './checkpoint.ts';
import { hasPrivateMeta } from './private-meta.ts';
import { SECTION_NAME } from '../../../src-shared/rules/names.ts';

const isBytes = (value: unknown, length?: number): value is Uint8Array =>
  value instanceof Uint8Array && (length === undefined || value.length === length);
const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** genesis: the identity's public keys for encryption (X25519) and for proofs (Baby Jubjub). */
export interface GenesisMeta {
  x25519: Uint8Array;
  babyJubjub: [Uint8Array, Uint8Array];
}

/** One section key generation: the epoch grid and the seeds wrapped (sealed) to the owner's X25519 key. */
export interface SectionKeyEntry {
  section: string;
  gen: number;
  /** Epoch length in milliseconds. */
  epochMs: number;
  /** Start of epoch 0 of this generation, in milliseconds since 1970. */
  start: number;
  /** Number of epochs in the hash chains of this generation. */
  length: number;
  /** The generation's two chain seeds, sealed to the owner's X25519 key. */
  wrap: Uint8Array;
}

function schemaError(header: Header, why: string): never {
  throw new ChainVerificationError('schema', header.seq, why);
}

export function genesisMeta(header: Header): GenesisMeta {
  const { x25519, babyJubjub } = header.meta;
  if (!isBytes(x25519, 32)) schemaError(header, 'genesis meta.x25519 must be 32 bytes');
  if (!Array.isArray(babyJubjub) || babyJubjub.length !== 2 || !babyJubjub.every((c) => isBytes(c, 32))) {
    schemaError(header, 'genesis meta.babyJubjub must be two 32-byte coordinates');
  }
  return { x25519, babyJubjub: babyJubjub as [Uint8Array, Uint8Array] };
}

export function deviceOf(header: Header): Did {
  const device = header.meta.device;
  const problem = didProblem(device);
  if (problem !== null) schemaError(header, `${header.kind} meta.device must be a usable Ed25519 did:key (${problem})`);
  return device as Did;
}

export function sectionKeyEntries(header: Header): SectionKeyEntry[] {
  const sections = header.meta.sections;
  if (!Array.isArray(sections)) schemaError(header, 'section-keys meta.sections must be a list');
  return sections.map((entry: unknown) => {
    const e = entry as Record<string, unknown>;
    if (typeof e !== 'object' || e === null) schemaError(header, 'a section key entry must be a map');
    if (typeof e.section !== 'string' || !SECTION_NAME.test(e.section)) schemaError(header, 'invalid section name');
    if (!isUint(e.gen) || !isUint(e.epochMs) || e.epochMs === 0 || !isUint(e.start) || !isUint(e.length) || e.length === 0) {
      schemaError(header, `section ${e.section}: gen, epochMs, start and length must be positive integers`);
    }
    if (!isBytes(e.wrap)) schemaError(header, `section ${e.section}: wrap must be bytes`);
    return { section: e.section, gen: e.gen, epochMs: e.epochMs, start: e.start, length: e.length, wrap: e.wrap } as SectionKeyEntry;
  });
}

/** The rights a grant can give, weakest first. */
export const RIGHTS = ['read', 'propose', 'write'] as const;
export type Right = (typeof RIGHTS)[number];

/** The public part of a grant block. */
export interface GrantMeta {
  grantee: Did;
  section: string;
  gen: number;
  rights: Right;
  /** First and last epoch the grant opens (inclusive). */
  from: number;
  to: number;
  /** F[from] and B[to], sealed to the grantee. */
  sealed: Uint8Array;
}

export interface RevokeMeta {
  grantee: Did;
  section: string;
}

export function grantMeta(header: Header): GrantMeta {
  const m = header.meta;
  const ok = isDid(m.grantee) && typeof m.section === 'string' && isUint(m.gen) && RIGHTS.includes(m.rights as Right) &&
    isUint(m.from) && isUint(m.to) && (m.to as number) >= (m.from as number) && m.sealed instanceof Uint8Array;
  if (!ok) throw new ChainVerificationError('schema', header.seq, 'grant meta must be {grantee, section, gen, rights, from, to, sealed}');
  return m as unknown as GrantMeta;
}

export function revokeMeta(header: Header): RevokeMeta {
  const m = header.meta;
  if (!isDid(m.grantee) || typeof m.section !== 'string') throw new ChainVerificationError('schema', header.seq, 'revoke meta must be {grantee, section}');
  return m as unknown as RevokeMeta;
}

/**
 * A registry block: `add` authorises a client, `revoke` ends it, `key` only hands the meta key to a client
 * registered by a v1 block (which carried none), repeating its registration.
 */
export function registryMeta(header: Header): { action: 'add' | 'revoke' | 'key'; client: Did; peer: string | null; label: string; sections: string[] } {
  const m = header.meta;
  const ok = (m.action === 'add' || m.action === 'revoke' || m.action === 'key') && isDid(m.client) && (m.peer === null || typeof m.peer === 'string') &&
    typeof m.label === 'string' && Array.isArray(m.sections) && m.sections.every((s) => typeof s === 'string');
  if (!ok) throw new ChainVerificationError('schema', header.seq, 'registry meta must be {action: add | revoke | key, client, peer, label, sections}');
  return m as ReturnType<typeof registryMeta>;
}

/**
 * A trust block as its fold sees it: `list` says whether the entry is on the owner's public list (in the
 * clear) or sealed; a trust block written before entries were sealed has no `list` and is public.
 */
export function trustMeta(header: Header): { action: 'add' | 'remove'; did: Did; featType: string; authority: boolean; listed: boolean } {
  const m = header.meta;
  if (!(m.action === 'add' || m.action === 'remove') || !isDid(m.did) || typeof m.featType !== 'string' || typeof m.authority !== 'boolean' || !(m.list === undefined || typeof m.list === 'boolean')) {
    throw new ChainVerificationError('schema', header.seq, 'trust meta must be {action, did, featType, authority, list?}');
  }
  return { action: m.action, did: m.did, featType: m.featType, authority: m.authority, listed: m.list !== false };
}

/** The public meta of a v2 header whose other fields are sealed: exactly these keys, each of bytes. */
const PUBLIC_V2: Partial<Record<Header['kind'], { required: readonly string[]; optional?: readonly string[] }>> = {
  grant: { required: ['private', 'sealed'] },
  revoke: { required: ['private'] },
  registry: { required: ['private'], optional: ['key'] },
  'device-add': { required: ['private'] },
  trust: { required: ['private'] },
};

function checkPublicV2(header: Header, shape: { required: readonly string[]; optional?: readonly string[] }): void {
  const keys = Object.keys(header.meta).filter((k) => !(header.kind === 'device-add' && k === 'device'));
  const allowed = [...shape.required, ...(shape.optional ?? [])];
  if (!shape.required.every((k) => keys.includes(k)) || !keys.every((k) => allowed.includes(k) && isBytes(header.meta[k]))) {
    schemaError(header, `a v2 ${header.kind} header's meta is only ${allowed.join(', ')} (bytes): what names anyone else is sealed`);
  }
}

/** Checks the meta of the kinds whose meta the chain relies on; other kinds are checked by their feature. */
export function checkKindMeta(header: Header): void {
  const v2 = hasPrivateMeta(header) ? PUBLIC_V2[header.kind] : undefined;
  if (v2 !== undefined) {
    checkPublicV2(header, v2);
    if (header.kind === 'device-add') deviceOf(header);
    return;
  }
  switch (header.kind) {
    case 'genesis':
      genesisMeta(header);
      return;
    case 'device-add':
    case 'device-revoke':
      deviceOf(header);
      return;
    case 'section-keys':
      sectionKeyEntries(header);
      return;
    case 'grant':
      grantMeta(header);
      return;
    case 'revoke':
      revokeMeta(header);
      return;
    case 'registry':
      registryMeta(header);
      return;
    case 'trust':
      trustMeta(header);
      return;
    case 'checkpoint':
      checkpointMeta(header);
      return;
    default:
      return;
  }
}
