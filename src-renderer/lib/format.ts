// Formatting for people: times, ids, sizes and field values.
import type { Value } from '../../src-preload/api/contract.ts';

export function formatTime(ts: number): string {
  return new Date(ts).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** `did:key:z6MkabcdefGHIJ…` → `z6Mkab…GHIJ`. */
export function shortId(id: string): string {
  const tail = id.startsWith('did:key:') ? id.slice(8) : id;
  return tail.length <= 14 ? tail : `${tail.slice(0, 8)}…${tail.slice(-4)}`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

export function formatValue(value: Value | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

const KIND_LABELS: Record<string, string> = {
  genesis: 'Identity created',
  'device-add': 'Device added',
  'device-revoke': 'Device revoked',
  'section-keys': 'Section keys',
  delta: 'Profile change',
  grant: 'Access granted',
  revoke: 'Access revoked',
  merge: 'Request approved',
  registry: 'Service registered',
  feat: 'Feat',
  attestation: 'Attestation',
  challenge: 'Challenge',
  duel: 'Duel',
  review: 'Review',
  checkpoint: 'Checkpoint',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** A grant's bound as a calendar day (epochs are cut in UTC, like the CLI's dates). */
export function formatDay(ts: number): string {
  return new Date(ts).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
}

const RIGHTS_LABELS: Record<string, string> = { read: 'Read', propose: 'Propose changes', write: 'Write' };
export function rightsLabel(rights: string): string {
  return RIGHTS_LABELS[rights] ?? rights;
}
