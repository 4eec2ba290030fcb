// Archive segments: the bodies of a run of old blocks packed into one content-addressed file, so the hot
// database keeps only headers for them (docs/formats.md, "Archive segments"). A segment is canonical DAG-CBOR
// `{format, v, chain, bodies: [[seq, cid, bytes], …]}` in seq order, named by the CID (raw, sha2-256) of its
// bytes. The bodies inside are the chain's own bytes, each sealed to its section's epoch key as it was in the
// hot tier, so a segment reveals no more than the bodies it replaces. Reading one checks its name, its shape
// and every body against its CID: a damaged or swapped file is a SegmentError, never a wrong body.
import { cidOf, cidText, decodeCanonical, encode, hashesTo, parseCid, RAW } from '../chain/codec.ts';
import { DefaustError } from '../errors.ts';
import type { Did } from '../identity/did.ts';

export const SEGMENT_FORMAT = 'defaust/segment';
export const SEGMENT_VERSION = 1;
/** A segment closes when its bodies pass this many bytes (a read of one old body reads at most one file). */
export const SEGMENT_TARGET_BYTES = 4 * 1024 * 1024;

export interface SegmentBody {
  seq: number;
  cid: string;
  bytes: Uint8Array;
}

export class SegmentError extends DefaustError {
  override name = 'SegmentError';
  constructor(problem: 'missing' | 'damaged', message: string) {
    super(problem === 'missing' ? 'segment-missing' : 'segment-damaged', message);
  }
}

type Sha256 = (data: Uint8Array) => Uint8Array;

/** The bytes of a segment of `chain`'s `bodies` (in seq order) and the name it is kept under. */
export function encodeSegment(sha256: Sha256, chain: Did, bodies: readonly SegmentBody[]): { name: string; bytes: Uint8Array } {
  const bytes = encode({ format: SEGMENT_FORMAT, v: SEGMENT_VERSION, chain, bodies: bodies.map((b) => [b.seq, b.cid, b.bytes]) });
  return { name: cidText(cidOf(sha256, bytes, RAW)), bytes };
}

/** The bodies of the segment named `name`, checked: its bytes hash to the name, it is `chain`'s, each body is what its CID names. */
export function decodeSegment(sha256: Sha256, name: string, chain: Did, bytes: Uint8Array): SegmentBody[] {
  const damaged = (why: string) => new SegmentError('damaged', `archive segment ${name}: ${why}`);
  let named;
  try {
    named = parseCid(name);
  } catch {
    throw damaged('its name is not a CID');
  }
  if (named.code !== RAW || !hashesTo(sha256, bytes, named)) throw damaged('its bytes are not the ones it is named for (the file was changed or swapped)');
  let value: unknown;
  try {
    value = decodeCanonical(bytes);
  } catch (error) {
    throw damaged((error as Error).message);
  }
  const v = value as Record<string, unknown> | null;
  if (v === null || typeof v !== 'object' || v.format !== SEGMENT_FORMAT || v.v !== SEGMENT_VERSION || !Array.isArray(v.bodies)) throw damaged(`not a ${SEGMENT_FORMAT} v${SEGMENT_VERSION}`);
  if (v.chain !== chain) throw damaged(`it holds bodies of ${String(v.chain).slice(0, 80)}, not of ${chain}`);
  let last = -1;
  return v.bodies.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length !== 3) throw damaged('a body entry is not [seq, cid, bytes]');
    const [seq, cid, body] = entry as [unknown, unknown, unknown];
    if (!Number.isSafeInteger(seq) || (seq as number) < last || typeof cid !== 'string' || !(body instanceof Uint8Array)) throw damaged('a body entry is malformed or out of order');
    last = seq as number;
    let ref;
    try {
      ref = parseCid(cid);
    } catch {
      throw damaged(`body ${cid.slice(0, 80)} is not named by a CID`);
    }
    if (!hashesTo(sha256, body, ref)) throw damaged(`body ${cid} is not what its CID names`);
    return { seq: seq as number, cid, bytes: body };
  });
}
