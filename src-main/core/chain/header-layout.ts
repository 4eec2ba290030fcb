// The quick read of header bytes: bytes laid out as the writer lays out every header (its ten fields in
// canonical key order, links as CIDv1 sha2-256, names in ASCII) are read field by field, with no key strings,
// no intermediate map and no second pass over the shape. Anything else gets null, valid or not, and is read
// the general way (decodeCanonical, then asHeader), which alone names what is wrong. So a header read here
// must be exactly the value the general way gives for the same bytes; test/header-layout.test.ts compares the
// two on random headers and on mutated bytes. Only the CBOR layout is checked here: header.ts checks the rules
// (version, kind, dids, section names).
import { CanonicalCborReader } from './canonical-cbor.ts';
import { sha256Cid, type CID } from './codec.ts';

/** A header as laid out, before header.ts checks its version, kind, dids and section names. */
export interface LaidOutHeader {
  v: number;
  id: string;
  ts: number;
  seq: number;
  sig: Uint8Array;
  kind: string;
  meta: Record<string, unknown>;
  prev: CID | null;
  author: string;
  bodies: { cid: CID; gen: number; epoch: number; section: string }[];
}

/** A text key's head and bytes (every key here is shorter than 24 bytes). */
const key = (name: string): Uint8Array => Uint8Array.from([0x60 + name.length, ...Array.from(name, (c) => c.charCodeAt(0))]);
const KEYS = {
  v: key('v'), id: key('id'), ts: key('ts'), seq: key('seq'), sig: key('sig'), kind: key('kind'), meta: key('meta'),
  prev: key('prev'), author: key('author'), bodies: key('bodies'), cid: key('cid'), gen: key('gen'), epoch: key('epoch'),
  section: key('section'),
};
const HEADER_MAP = [0xaa]; // a map of ten entries
const BODY_MAP = [0xa4]; // {cid, gen, epoch, section}
const NULL = 0xf6;
const SIG_HEAD = [0x58, 0x40]; // a byte string of 64 bytes
/** Tag 42, a byte string of 37 bytes, the 0x00 prefix, CIDv1; then the codec, sha2-256 and its 32 bytes. */
const LINK_HEAD = [0xd8, 0x2a, 0x58, 0x25, 0x00, 0x01];
const SHA2_256 = 0x12;
/** Longer than any name a header holds (a did:key is 56 characters); longer strings are read the general way. */
const MAX_NAME = 64;

/**
 * The names recently read (a chain's id, its authors, kinds and sections come again in every header), each
 * with its bytes: a name read again is the same string, found by comparing bytes in place, with no view,
 * no decoding and no new string, and the maps keyed by it find its hash already computed.
 */
class RecentNames {
  private readonly entries: { bytes: Uint8Array; text: string }[] = [];
  private next = 0;
  private readonly decoder = new TextDecoder(); // only ever given ASCII, which reads the same in UTF-8

  /** The ASCII name in `bytes[start, start + length)`, or null when a byte is not ASCII. */
  read(bytes: Uint8Array, start: number, length: number): string | null {
    for (const entry of this.entries) if (entry.bytes.length === length && sameAt(entry.bytes, bytes, start)) return entry.text;
    const raw = new Uint8Array(length); // a copy: `bytes` may be a view of a buffer used again
    for (let i = 0; i < length; i++) {
      raw[i] = bytes[start + i]!;
      if (raw[i]! >= 0x80) return null;
    }
    const entry = { bytes: raw, text: this.decoder.decode(raw) };
    if (this.entries.length < RECENT_NAMES) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % RECENT_NAMES;
    return entry.text;
  }
}

const RECENT_NAMES = 16;
const names = new RecentNames();

function sameAt(name: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < name.length; i++) if (name[i] !== bytes[start + i]) return false;
  return true;
}

/** Thrown where the bytes depart from the layout, and caught by readHeaderLayout: the general read takes over. */
const NOT_AS_WRITTEN = new Error('not laid out as written');

/** A CanonicalCborReader for the one layout; each read throws NOT_AS_WRITTEN where the bytes depart from it. */
class LayoutReader extends CanonicalCborReader {
  /** Steps over `expected`, which must be the bytes here; returns the reader, for the field's value. */
  after(expected: ArrayLike<number>): this {
    if (expected.length > this.bytes.length - this.pos) throw NOT_AS_WRITTEN;
    for (let i = 0; i < expected.length; i++) if (this.bytes[this.pos + i] !== expected[i]) throw NOT_AS_WRITTEN;
    this.pos += expected.length;
    return this;
  }

  /** The major type of the next head (without reading it). */
  private major(): number {
    if (this.pos >= this.bytes.length) throw NOT_AS_WRITTEN;
    return this.bytes[this.pos]! >> 5;
  }

  /** A non-negative safe integer in its shortest head. */
  uint(): number {
    if (this.major() !== 0) throw NOT_AS_WRITTEN;
    const value = this.argument(this.bytes[this.pos++]! & 0x1f);
    if (typeof value !== 'number') throw NOT_AS_WRITTEN;
    return value;
  }

  /** A name: a text string of at most 64 ASCII bytes (UTF-8 with no byte-order mark, then). */
  ascii(): string {
    if (this.major() !== 3) throw NOT_AS_WRITTEN;
    const length = this.length(this.bytes[this.pos++]! & 0x1f);
    if (length > MAX_NAME) throw NOT_AS_WRITTEN;
    this.need(length);
    const start = this.pos;
    this.pos += length;
    const name = names.read(this.bytes, start, length);
    if (name === null) throw NOT_AS_WRITTEN;
    return name;
  }

  signature(): Uint8Array {
    return new Uint8Array(this.after(SIG_HEAD).take(64));
  }

  /** A map, read by the canonical reader. */
  map(): Record<string, unknown> {
    if (this.major() !== 5) throw NOT_AS_WRITTEN;
    return this.item() as Record<string, unknown>;
  }

  /** The head of a list: its length. */
  list(): number {
    if (this.major() !== 4) throw NOT_AS_WRITTEN;
    return this.length(this.bytes[this.pos++]! & 0x1f);
  }

  /** A link: a CIDv1 by sha2-256. */
  link(): CID {
    this.after(LINK_HEAD);
    const codec = this.bytes[this.pos];
    // A codec of one varint byte, then sha2-256 and its length: a longer codec would shift what follows.
    if (codec === undefined || codec >= 0x80 || this.bytes[this.pos + 1] !== SHA2_256 || this.bytes[this.pos + 2] !== 32) throw NOT_AS_WRITTEN;
    this.pos += 3;
    return sha256Cid(codec, this.take(32));
  }

  nullOrLink(): CID | null {
    if (this.bytes[this.pos] !== NULL) return this.link();
    this.pos++;
    return null;
  }

  end(): void {
    if (this.pos !== this.bytes.length) throw NOT_AS_WRITTEN;
  }
}

/** The header `bytes` hold when they are laid out as the writer writes headers; null otherwise. */
export function readHeaderLayout(bytes: Uint8Array): LaidOutHeader | null {
  try {
    return read(new LayoutReader(bytes));
  } catch {
    return null; // not as written, or not canonical where it was read: the general read names why
  }
}

function read(r: LayoutReader): LaidOutHeader {
  r.after(HEADER_MAP);
  const v = r.after(KEYS.v).uint();
  const id = r.after(KEYS.id).ascii();
  const ts = r.after(KEYS.ts).uint();
  const seq = r.after(KEYS.seq).uint();
  const sig = r.after(KEYS.sig).signature();
  const kind = r.after(KEYS.kind).ascii();
  const meta = r.after(KEYS.meta).map();
  const prev = r.after(KEYS.prev).nullOrLink();
  const author = r.after(KEYS.author).ascii();
  const count = r.after(KEYS.bodies).list();
  const bodies: LaidOutHeader['bodies'] = [];
  for (let i = 0; i < count; i++) {
    const cid = r.after(BODY_MAP).after(KEYS.cid).link();
    const gen = r.after(KEYS.gen).uint();
    const epoch = r.after(KEYS.epoch).uint();
    const section = r.after(KEYS.section).ascii();
    bodies.push({ cid, gen, epoch, section });
  }
  r.end();
  return { v, id, ts, seq, sig, kind, meta, prev, author, bodies };
}
