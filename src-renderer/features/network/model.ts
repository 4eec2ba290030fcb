// The Network screen's arithmetic, kept out of the components so it is tested on its own: sizes in binary
// units, the health of the owner's replicas in one sentence, the editable limits as a form in units people
// use (MiB, KiB per minute) and back to bytes, and the geometry of the small usage charts.
import type { NetStatus, UsageSample } from '../../../src-preload/api/contract.ts';

export const KIB = 1024;
export const MIB = 1024 * 1024;

/** Bytes in binary units: `512 B`, `2.2 KiB`, `64 MiB`, `1 GiB`. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || Number.isInteger(value) ? String(Math.round(value)) : value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}

/** A share in words that never says 0 % for something stored: `less than 0.1 %`, `12 %`. */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return part > 0 ? 'over the limit' : '0 %';
  const share = (part / whole) * 100;
  if (part > 0 && share < 0.1) return 'less than 0.1 %';
  return `${share < 10 ? share.toFixed(1).replace(/\.0$/u, '') : Math.round(share)} %`;
}

/** `12D3KooWFUcW…F9DS` is long and every peer id starts alike: keep the start and the end. */
export function shortPeer(peerId: string): string {
  return peerId.length <= 16 ? peerId : `${peerId.slice(0, 4)}…${peerId.slice(-6)}`;
}

export type Owner = NonNullable<NetStatus['owner']>;
export type Tone = 'ok' | 'warn' | 'bad' | 'none';

export type ReplicaState = 'current' | 'behind' | 'gone';

export function replicaState(replica: Owner['replicas'][number], length: number): ReplicaState {
  if (!replica.live) return 'gone';
  return replica.length >= length ? 'current' : 'behind';
}

/** What a new wallet's archive card says while nobody holds a copy: its state, not an alarm. */
export const NO_COPY_YET = 'No one holds a copy yet: publish to peers when you are connected.';

/** How safe the owner's archive is on the network, in one sentence with a tone (none yet is a state, not an alarm). */
export function replicaHealth(owner: Owner): { tone: Tone; text: string } {
  if (owner.publishedSeq === null || owner.replicas.length === 0) return { tone: 'none', text: NO_COPY_YET };
  const states = owner.replicas.map((r) => replicaState(r, owner.length));
  const current = states.filter((s) => s === 'current').length;
  const behind = states.filter((s) => s === 'behind').length;
  const gone = states.filter((s) => s === 'gone').length;
  const parts: string[] = [];
  parts.push(`${current} of ${owner.wanted} ${owner.wanted === 1 ? 'replica holds' : 'replicas hold'} your latest change.`);
  if (behind > 0) parts.push(`${behind} ${behind === 1 ? 'replica is' : 'replicas are'} behind.`);
  if (gone > 0) parts.push(`${gone} ${gone === 1 ? 'replica has' : 'replicas have'} gone away.`);
  if (owner.replicas.length > 0 && owner.replicas.length < owner.wanted) parts.push(`Only ${owner.replicas.length} ${owner.replicas.length === 1 ? 'peer' : 'peers'} took a copy so far.`);
  const tone: Tone = current >= owner.wanted ? 'ok' : current > 0 ? 'warn' : 'bad';
  return { tone, text: parts.join(' ') };
}

// ---- Limits as a form ---------------------------------------------------------------------------------

export type LimitKey = 'quotaBytes' | 'replicaStorageBytes' | 'minFreeDiskBytes' | 'mailboxBytes' | 'bandwidthInPerMinute' | 'bandwidthOutPerMinute' | 'maxConnections';
export type Limits = NetStatus['limits'];
export type LimitsDraft = Record<LimitKey, string>;

export interface LimitField {
  key: LimitKey;
  label: string;
  /** Shown after the label and the value in use; '' for a plain count. */
  unit: string;
  /** Bytes (or connections) per unit shown. */
  scale: number;
  min: number;
  max: number;
  hint: string;
  /** The range in words, for the error message. */
  range: string;
}

/** The editable limits, in the order the form shows them. Ranges are the contract's (editableLimitsRequestSchema). */
export const LIMIT_FIELDS: readonly LimitField[] = [
  { key: 'quotaBytes', label: 'Storage per person', unit: 'MiB', scale: MIB, min: 64 * KIB, max: 64 * 1024 * MIB,
    hint: 'The most one other person’s archive may take on this device.', range: 'from 0.0625 MiB (64 KiB) to 65536 MiB (64 GiB)' },
  { key: 'replicaStorageBytes', label: 'Storage for others in total', unit: 'MiB', scale: MIB, min: 0, max: 1024 * 1024 * MIB,
    hint: 'All the archives you keep for other people together. 0 keeps none.', range: 'from 0 to 1048576 MiB (1 TiB)' },
  { key: 'minFreeDiskBytes', label: 'Free disk to keep', unit: 'GiB', scale: 1024 * MIB, min: 0, max: 1024 * 1024 * MIB * 1024,
    hint: 'Storage for others grows only while more than this stays free on the disk.', range: 'from 0 to 1048576 GiB (1 PiB)' },
  { key: 'mailboxBytes', label: 'Mail kept for others', unit: 'MiB', scale: MIB, min: 0, max: 1024 * 1024 * MIB,
    hint: 'Sealed messages you hold for people while they are offline. 0 keeps none.', range: 'from 0 to 1048576 MiB (1 TiB)' },
  { key: 'bandwidthInPerMinute', label: 'Incoming traffic per minute', unit: 'KiB/min', scale: KIB, min: 0, max: 1024 * 1024 * MIB,
    hint: 'When a minute’s traffic reaches it, new requests from others wait. 0 = no cap.', range: 'from 0 (no cap) to 1073741824 KiB/min' },
  { key: 'bandwidthOutPerMinute', label: 'Outgoing traffic per minute', unit: 'KiB/min', scale: KIB, min: 0, max: 1024 * 1024 * MIB,
    hint: 'What you send to others each minute. 0 = no cap.', range: 'from 0 (no cap) to 1073741824 KiB/min' },
  { key: 'maxConnections', label: 'Most connections', unit: '', scale: 1, min: 4, max: 10_000,
    hint: 'Applies the next time the node starts.', range: 'from 4 to 10000' },
];

/** The limits in the form's units: `67108864` bytes → `"64"` MiB. */
export function limitsDraft(limits: Limits): LimitsDraft {
  const draft = {} as LimitsDraft;
  for (const field of LIMIT_FIELDS) draft[field.key] = String(Number((limits[field.key] / field.scale).toFixed(4)));
  return draft;
}

/** One field's text → its value in bytes (or connections), or the reason it is not acceptable. */
export function parseLimit(field: LimitField, text: string): { value: number } | { error: string } {
  const t = text.trim().replace(',', '.');
  if (t === '') return { error: `Enter a number ${field.range}.` };
  if (!/^\d+(\.\d+)?$/u.test(t)) return { error: field.scale === 1 ? 'Use a whole number, like 100.' : `Use digits only, like 64 or 0.5 (in ${field.unit}).` };
  if (field.scale === 1 && t.includes('.')) return { error: 'Use a whole number, like 100.' };
  const value = Math.round(Number(t) * field.scale);
  if (value < field.min || value > field.max) return { error: `${field.label} goes ${field.range}.` };
  return { value };
}

/**
 * The fields that changed from `initial` (compared as typed, so a limit set in bytes elsewhere is not sent
 * back rounded), converted to bytes; `errors` holds a sentence for each field that cannot be saved.
 */
export function limitsPatch(initial: LimitsDraft, draft: LimitsDraft): { patch: Partial<Record<LimitKey, number>>; errors: Partial<Record<LimitKey, string>> } {
  const patch: Partial<Record<LimitKey, number>> = {};
  const errors: Partial<Record<LimitKey, string>> = {};
  for (const field of LIMIT_FIELDS) {
    const parsed = parseLimit(field, draft[field.key]);
    if ('error' in parsed) errors[field.key] = parsed.error;
    else if (draft[field.key].trim() !== initial[field.key].trim()) patch[field.key] = parsed.value;
  }
  return { patch, errors };
}

// ---- Charts -------------------------------------------------------------------------------------------

/** The interval between samples (the median gap), or `fallback` with fewer than two samples. */
export function sampleInterval(samples: readonly UsageSample[], fallback = 10_000): number {
  const gaps = samples.slice(1).map((s, i) => s.ts - samples[i]!.ts).filter((g) => g > 0).sort((a, b) => a - b);
  return gaps.length === 0 ? fallback : gaps[Math.floor(gaps.length / 2)]!;
}

export interface ChartScale {
  /** The top of the vertical axis. */
  top: number;
  /** Whether the limit is drawn (false when it is far above every value: the data would be a flat line). */
  limitShown: boolean;
}

/** The top of the axis: a little above the highest value, stretched to the limit when the limit is near. */
export function chartScale(values: readonly number[], limit: number | null, least = 1): ChartScale {
  const high = Math.max(0, ...values);
  const top = Math.max(least, high * 1.15);
  if (limit === null || limit <= 0) return { top, limitShown: false };
  if (limit <= top * 4) return { top: Math.max(top, limit * 1.08), limitShown: true };
  return { top, limitShown: false };
}

/** SVG points for `values` over a `width`×`height` box, oldest on the left, 0 at the bottom. */
export function linePoints(values: readonly number[], top: number, width: number, height: number): string {
  if (values.length === 0) return '';
  const step = values.length === 1 ? 0 : width / (values.length - 1);
  return values.map((v, i) => `${round(i * step)},${round(height - (Math.min(v, top) / top) * height)}`).join(' ');
}

/** The same line closed along the bottom, for a filled area. */
export function areaPoints(values: readonly number[], top: number, width: number, height: number): string {
  if (values.length === 0) return '';
  const step = values.length === 1 ? 0 : width / (values.length - 1);
  return `0,${height} ${linePoints(values, top, width, height)} ${round((values.length - 1) * step)},${height}`;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** `10 s`, `2 min`, `1 h 5 min`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}
