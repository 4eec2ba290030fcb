// The in-memory twin of SqliteChainStore: same contract, same compliance suite, no durability.
import type { Did } from '../../core/identity/did.ts';
import { StoreConflictError, type BlockWrite, type ChainStore, type StoredBlob, type StoredHeader, type StoredSnapshot } from '../../core/ports.ts';

export class MemoryChainStore implements ChainStore {
  private readonly chainsById = new Map<Did, StoredHeader[]>();
  private readonly bodies = new Map<string, Uint8Array>();
  private readonly bodySeq = new Map<string, { chain: Did; seq: number }>();
  private readonly blobs = new Map<string, { chain: Did; bytes: Uint8Array }>();
  private readonly snapshots = new Map<Did, StoredSnapshot>();
  private readonly bytesByChain = new Map<Did, number>();

  chains(): Did[] {
    return [...this.chainsById.keys()].sort();
  }

  head(chain: Did): StoredHeader | undefined {
    const headers = this.chainsById.get(chain);
    return headers?.[headers.length - 1];
  }

  append(chain: Did, blocks: readonly BlockWrite[], blobs: readonly StoredBlob[] = []): void {
    const headers = this.chainsById.get(chain) ?? [];
    let next = headers.length;
    for (const block of blocks) {
      if (block.header.seq !== next) throw new StoreConflictError(`chain ${chain}: expected seq ${next}, got ${block.header.seq}`);
      next++;
    }
    for (const block of blocks) {
      headers.push({ ...block.header, bytes: block.header.bytes.slice() });
      this.addBytes(chain, block.header.bytes.length);
      for (const body of block.bodies) {
        if (this.bodies.has(body.cid)) continue;
        this.bodies.set(body.cid, body.bytes.slice());
        this.bodySeq.set(body.cid, { chain, seq: block.header.seq });
        this.addBytes(chain, body.bytes.length);
      }
    }
    if (headers.length > 0) this.chainsById.set(chain, headers);
    this.putBlobs(chain, blobs);
  }

  /** One process, one thread: nothing comes between `work`'s reads and its append; a throw undoes the append. */
  transaction<T>(work: () => T): T {
    const chains = new Map([...this.chainsById].map(([chain, headers]) => [chain, headers.slice()]));
    const bodies = new Map(this.bodies);
    const bodySeq = new Map(this.bodySeq);
    const blobs = new Set(this.blobs.keys());
    const snapshots = new Map(this.snapshots);
    const bytes = new Map(this.bytesByChain);
    try {
      return work();
    } catch (error) {
      this.chainsById.clear();
      for (const [chain, headers] of chains) this.chainsById.set(chain, headers);
      this.bodies.clear();
      for (const [cid, body] of bodies) this.bodies.set(cid, body);
      this.bodySeq.clear();
      for (const [cid, at] of bodySeq) this.bodySeq.set(cid, at);
      for (const cid of [...this.blobs.keys()]) if (!blobs.has(cid)) this.blobs.delete(cid);
      this.snapshots.clear();
      for (const [chain, snapshot] of snapshots) this.snapshots.set(chain, snapshot);
      this.bytesByChain.clear();
      for (const [chain, count] of bytes) this.bytesByChain.set(chain, count);
      throw error;
    }
  }

  truncate(chain: Did, from: number): void {
    const headers = this.chainsById.get(chain);
    if (headers === undefined || from >= headers.length) return;
    let dropped = 0;
    for (const header of headers.splice(from)) dropped += header.bytes.length;
    for (const [cid, at] of [...this.bodySeq]) {
      if (at.chain !== chain || at.seq < from) continue;
      dropped += this.bodies.get(cid)!.length;
      this.bodies.delete(cid);
      this.bodySeq.delete(cid);
    }
    if (headers.length === 0) this.chainsById.delete(chain);
    const snapshot = this.snapshots.get(chain);
    if (snapshot !== undefined && snapshot.seq >= from) this.snapshots.delete(chain);
    this.addBytes(chain, -dropped);
  }

  header(chain: Did, seq: number): StoredHeader | undefined {
    return this.chainsById.get(chain)?.[seq];
  }

  *headers(chain: Did, from = 0, to = Number.MAX_SAFE_INTEGER): Iterable<StoredHeader> {
    const headers = this.chainsById.get(chain) ?? [];
    for (let seq = Math.max(0, from); seq < Math.min(to, headers.length); seq++) yield headers[seq]!;
  }

  headersOfKind(chain: Did, kinds: readonly string[]): StoredHeader[] {
    return (this.chainsById.get(chain) ?? []).filter((h) => kinds.includes(h.kind));
  }

  body(cid: string): Uint8Array | undefined {
    return this.bodies.get(cid);
  }

  bodiesOf(chain: Did, from: number, to: number): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    for (const [cid, at] of this.bodySeq) if (at.chain === chain && at.seq >= from && at.seq < to) out.set(cid, this.bodies.get(cid)!);
    return out;
  }

  putBlobs(chain: Did, blobs: readonly StoredBlob[]): void {
    for (const blob of blobs) {
      if (this.blobs.has(blob.cid)) continue;
      this.blobs.set(blob.cid, { chain, bytes: blob.bytes.slice() });
      this.addBytes(chain, blob.bytes.length);
    }
  }

  private addBytes(chain: Did, added: number): void {
    this.bytesByChain.set(chain, (this.bytesByChain.get(chain) ?? 0) + added);
  }

  storedBytes(chain: Did): number {
    return this.bytesByChain.get(chain) ?? 0;
  }

  blob(cid: string): Uint8Array | undefined {
    return this.blobs.get(cid)?.bytes;
  }

  blobCids(chain: Did): string[] {
    return [...this.blobs].filter(([, b]) => b.chain === chain).map(([cid]) => cid).sort();
  }

  latestSnapshot(chain: Did): StoredSnapshot | undefined {
    return this.snapshots.get(chain);
  }

  putSnapshot(chain: Did, snapshot: StoredSnapshot): void {
    const current = this.snapshots.get(chain);
    if (current === undefined || current.seq <= snapshot.seq) this.snapshots.set(chain, { ...snapshot, sealed: snapshot.sealed.slice() });
  }

  close(): void {}
}
