// The ChainStore contract, as one suite that every implementation must pass (SQLite and its in-memory twin).
import { describe, expect, it } from 'vitest';
import type { BlockWrite, ChainStore, MailboxStore, RequestStore, StoredDeposit, StoredRequest } from '../src-main/core/ports.ts';
import { StoreConflictError } from '../src-main/core/ports.ts';

const A = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';
const B = 'did:key:z6Mkv86qperPS62Kz53hhaNUZrP6TA9gFvwFo6LUtSAMn6PX';
const bytes = (...values: number[]) => new Uint8Array(values);

function block(seq: number, kind = 'delta', body?: string): BlockWrite {
  return {
    header: { seq, cid: `cid-${seq}-${kind}`, kind, ts: 1000 + seq, author: A, bytes: bytes(seq, 1, 2, 3) },
    bodies: body === undefined ? [] : [{ cid: body, bytes: bytes(9, seq) }],
  };
}

export function storeCompliance(name: string, make: () => ChainStore): void {
  describe(`ChainStore compliance: ${name}`, () => {
    it('starts empty', () => {
      const store = make();
      expect(store.chains()).toEqual([]);
      expect(store.head(A)).toBeUndefined();
      expect([...store.headers(A)]).toEqual([]);
      store.close();
    });

    it('appends in order and reads back exactly what was written', () => {
      const store = make();
      store.append(A, [block(0, 'genesis'), block(1, 'delta', 'body-1')]);
      store.append(A, [block(2, 'delta', 'body-2')], [{ cid: 'blob-1', bytes: bytes(7, 7) }]);
      expect(store.head(A)).toMatchObject({ seq: 2, cid: 'cid-2-delta', kind: 'delta', ts: 1002, author: A });
      expect(store.header(A, 1)?.bytes).toEqual(bytes(1, 1, 2, 3));
      expect([...store.headers(A)].map((h) => h.seq)).toEqual([0, 1, 2]);
      expect([...store.headers(A, 1, 2)].map((h) => h.seq)).toEqual([1]);
      expect(store.body('body-2')).toEqual(bytes(9, 2));
      expect(store.blob('blob-1')).toEqual(bytes(7, 7));
      expect(store.blobCids(A)).toEqual(['blob-1']);
      expect(store.headersOfKind(A, ['genesis']).map((h) => h.seq)).toEqual([0]);
      expect(store.chains()).toEqual([A]);
      store.close();
    });

    it('refuses a gap, a repeat or a rewrite, and then holds nothing of that append (atomic)', () => {
      const store = make();
      store.append(A, [block(0, 'genesis')]);
      expect(() => store.append(A, [block(2)])).toThrow(StoreConflictError);
      expect(() => store.append(A, [block(0)])).toThrow(StoreConflictError);
      expect(() => store.append(A, [block(1, 'delta', 'partial-body'), block(3)], [{ cid: 'partial-blob', bytes: bytes(1) }])).toThrow(StoreConflictError);
      expect(store.head(A)?.seq).toBe(0);
      expect(store.header(A, 1)).toBeUndefined();
      expect(store.body('partial-body')).toBeUndefined();
      expect(store.blob('partial-blob')).toBeUndefined();
      store.close();
    });

    it('a transaction answers with what its work returns, and stores nothing of work that throws', () => {
      const store = make();
      expect(store.transaction(() => {
        store.append(A, [block(0, 'genesis')]);
        return store.head(A)?.seq;
      })).toBe(0);
      expect(() => store.transaction(() => {
        store.append(A, [block(1)]);
        throw new Error('the plan failed');
      })).toThrow('the plan failed');
      expect(store.head(A)?.seq).toBe(0);
      store.close();
    });

    it('keeps chains apart', () => {
      const store = make();
      store.append(A, [block(0, 'genesis')]);
      store.append(B, [block(0, 'genesis'), block(1)]);
      expect(store.head(A)?.seq).toBe(0);
      expect(store.head(B)?.seq).toBe(1);
      expect(store.chains()).toEqual([A, B].sort());
      store.close();
    });

    it('pages through long chains in order', () => {
      const store = make();
      const blocks = Array.from({ length: 5000 }, (_, i) => block(i, i === 0 ? 'genesis' : 'delta'));
      store.append(A, blocks);
      let expected = 0;
      for (const h of store.headers(A)) expect(h.seq).toBe(expected++);
      expect(expected).toBe(5000);
      expect([...store.headers(A, 4990)].length).toBe(10);
      store.close();
    });

    it('counts the bytes held per chain as they are written: headers, bodies and blobs once each, nothing of a refused append', () => {
      const store = make();
      expect(store.storedBytes(A)).toBe(0);
      store.append(A, [block(0, 'genesis'), block(1, 'delta', 'body-1')]);
      expect(store.storedBytes(A)).toBe(4 + 4 + 2);
      store.append(A, [block(2, 'delta', 'body-1')], [{ cid: 'blob-1', bytes: bytes(7, 7, 7) }]);
      expect(store.storedBytes(A)).toBe(4 + 4 + 2 + 4 + 3);
      store.putBlobs(A, [{ cid: 'blob-1', bytes: bytes(7, 7, 7) }, { cid: 'blob-2', bytes: bytes(1) }]);
      expect(store.storedBytes(A)).toBe(18);
      expect(() => store.append(A, [block(3, 'delta', 'body-3'), block(5)], [{ cid: 'blob-3', bytes: bytes(1) }])).toThrow(StoreConflictError);
      expect(() => store.transaction(() => {
        store.append(A, [block(3, 'delta', 'body-3')]);
        throw new Error('the plan failed');
      })).toThrow('the plan failed');
      expect(store.storedBytes(A)).toBe(18);
      store.append(B, [block(0, 'genesis', 'body-1')]);
      expect(store.storedBytes(B)).toBe(4);
      expect(store.storedBytes(A)).toBe(18);
      store.close();
    });

    it('truncates a chain at a seq: its later headers, their bodies and later snapshots go, bytes and what stays are exact; inside a refused transaction nothing goes', () => {
      const store = make();
      store.append(A, [block(0, 'genesis'), block(1, 'delta', 'body-1'), block(2, 'delta', 'body-2'), block(3, 'delta', 'body-3')], [{ cid: 'blob-1', bytes: bytes(7) }]);
      store.append(B, [block(0, 'genesis', 'body-b')]);
      store.putSnapshot(A, { seq: 3, cid: 'cid-3-delta', sealed: bytes(1) });
      expect(() => store.transaction(() => {
        store.truncate(A, 1);
        throw new Error('the plan failed');
      })).toThrow('the plan failed');
      expect(store.head(A)?.seq).toBe(3);
      expect(store.body('body-2')).toEqual(bytes(9, 2));
      expect(store.latestSnapshot(A)?.seq).toBe(3);
      expect(store.storedBytes(A)).toBe(4 * 4 + 3 * 2 + 1);
      store.truncate(A, 2);
      expect(store.head(A)?.seq).toBe(1);
      expect(store.header(A, 2)).toBeUndefined();
      expect(store.body('body-2')).toBeUndefined();
      expect(store.body('body-3')).toBeUndefined();
      expect(store.body('body-1')).toEqual(bytes(9, 1));
      expect(store.blob('blob-1')).toEqual(bytes(7));
      expect(store.latestSnapshot(A)).toBeUndefined();
      expect(store.storedBytes(A)).toBe(2 * 4 + 2 + 1);
      expect(store.head(B)?.seq).toBe(0);
      store.append(A, [block(2, 'merge', 'body-2')]);
      expect(store.head(A)).toMatchObject({ seq: 2, kind: 'merge' });
      expect(store.body('body-2')).toEqual(bytes(9, 2));
      expect(store.bodiesOf(A, 2, 3).has('body-2')).toBe(true);
      store.truncate(A, 9);
      expect(store.head(A)?.seq).toBe(2);
      store.close();
    });

        it('keeps the latest snapshot', () => {
      const store = make();
      expect(store.latestSnapshot(A)).toBeUndefined();
      store.putSnapshot(A, { seq: 255, cid: 'c255', sealed: bytes(1) });
      store.putSnapshot(A, { seq: 511, cid: 'c511', sealed: bytes(2) });
      expect(store.latestSnapshot(A)).toEqual({ seq: 511, cid: 'c511', sealed: bytes(2) });
      store.close();
    });

    it('returns copies that later writes cannot change', () => {
      const store = make();
      const first = block(0, 'genesis');
      store.append(A, [first]);
      first.header.bytes[0] = 99;
      expect(store.header(A, 0)?.bytes[0]).toBe(0);
      store.close();
    });
  });
}

/** The RequestStore contract, for every implementation. */
export function requestStoreCompliance(name: string, make: () => RequestStore): void {
  describe(`RequestStore compliance: ${name}`, () => {
    const request = (id: string, receivedAt = 1): StoredRequest => ({ id, sender: B, section: 'fitness', receivedAt, status: 'pending', envelope: bytes(1, 2, 3) });

    it('keeps requests per chain, in arrival order, filtered by status', () => {
      const store = make();
      store.put(A, request('r2', 2));
      store.put(A, request('r1', 1));
      store.put(B, request('r3', 3));
      expect(store.list(A).map((r) => r.id)).toEqual(['r1', 'r2']);
      store.setStatus(A, 'r1', 'approved');
      expect(store.list(A, 'pending').map((r) => r.id)).toEqual(['r2']);
      expect(store.get(A, 'r1')).toMatchObject({ status: 'approved', sender: B, section: 'fitness', envelope: bytes(1, 2, 3) });
      expect(store.get(A, 'r3')).toBeUndefined();
    });

    it('refuses an id it already holds', () => {
      const store = make();
      store.put(A, request('r1'));
      expect(() => store.put(A, request('r1'))).toThrow(StoreConflictError);
    });
  });
}

export function mailboxStoreCompliance(name: string, make: () => MailboxStore): void {
  describe(`MailboxStore compliance: ${name}`, () => {
    const C = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const deposit = (id: string, to: string, from: string, receivedAt: number, expiresAt: number, size = 3): StoredDeposit =>
      ({ id, to, from, ts: receivedAt - 1, expiresAt, receivedAt, bytes: new Uint8Array(size).fill(id.length) });

    it('keeps each id once and lists live mail per recipient, oldest received first, up to a limit', () => {
      const store = make();
      expect(store.put(deposit('m2', A, B, 20, 1000))).toBe(true);
      expect(store.put(deposit('m1', A, C, 10, 1000))).toBe(true);
      expect(store.put(deposit('m3', A, B, 20, 1000))).toBe(true);
      expect(store.put(deposit('m4', B, A, 5, 1000))).toBe(true);
      expect(store.put(deposit('m1', A, B, 99, 2000, 9))).toBe(false);
      expect(store.has('m1')).toBe(true);
      expect(store.has('nope')).toBe(false);
      expect(store.list(A, 0, 10).map((d) => d.id)).toEqual(['m1', 'm2', 'm3']);
      expect(store.list(A, 0, 2).map((d) => d.id)).toEqual(['m1', 'm2']);
      expect(store.list(A, 0, 10)[0]).toEqual(deposit('m1', A, C, 10, 1000));
      expect(store.list(B, 0, 10).map((d) => d.id)).toEqual(['m4']);
    });

    it('never lists what expired, and expire forgets it', () => {
      const store = make();
      store.put(deposit('old', A, B, 1, 100));
      store.put(deposit('new', A, B, 2, 200));
      expect(store.list(A, 100, 10).map((d) => d.id)).toEqual(['new']);
      expect(store.expire(100)).toBe(1);
      expect(store.has('old')).toBe(false);
      expect(store.expire(100)).toBe(0);
      expect(store.usage()).toEqual({ count: 1, bytes: 3 });
    });

    it('ack drops the bytes of the recipient\'s own mail only, keeping tombstones until they expire', () => {
      const store = make();
      store.put(deposit('a1', A, B, 1, 100));
      store.put(deposit('a2', A, B, 2, 100));
      store.put(deposit('b1', B, A, 3, 100));
      expect(store.ack(A, ['a1', 'b1', 'missing', 'a1'])).toBe(1);
      expect(store.list(A, 0, 10).map((d) => d.id)).toEqual(['a2']);
      expect(store.list(B, 0, 10).map((d) => d.id)).toEqual(['b1']);
      expect(store.has('a1')).toBe(true);
      expect(store.put(deposit('a1', A, B, 5, 100))).toBe(false);
      expect(store.ack(A, ['a1'])).toBe(0);
      expect(store.usage({ to: A })).toEqual({ count: 1, bytes: 3 });
      expect(store.expire(100)).toBe(3);
      expect(store.has('a1')).toBe(false);
    });

    it('counts live deposits and bytes, in all, per recipient, per sender, or both', () => {
      const store = make();
      store.put(deposit('x1', A, B, 1, 100, 10));
      store.put(deposit('x2', A, C, 2, 100, 20));
      store.put(deposit('x3', B, C, 3, 100, 40));
      expect(store.usage()).toEqual({ count: 3, bytes: 70 });
      expect(store.usage({ to: A })).toEqual({ count: 2, bytes: 30 });
      expect(store.usage({ from: C })).toEqual({ count: 2, bytes: 60 });
      expect(store.usage({ to: A, from: C })).toEqual({ count: 1, bytes: 20 });
      expect(store.usage({ to: C })).toEqual({ count: 0, bytes: 0 });
    });
  });
}
