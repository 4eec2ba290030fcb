// The wallet's `chain:*` verbs: the timeline a page at a time, one block with its changes as before → after
// (the values before it found by walking back only as far as the fields it touches), and verifying the chain.
import type { Op, Value } from '../../core/chain/ops.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { Profile } from '../../core/profile/profile.ts';
import { applyOps, diffOps, emptyState, type ProfileState } from '../../core/profile/state.ts';
import { record } from '../../core/records.ts';
import type { Home } from '../home.ts';
import type { Handlers, HandlerContext } from './handlers.ts';

type TimelineChannel = Extract<keyof Handlers, `chain:${string}`>;

type FieldOp = Extract<Op, { op: 'set' | 'unset' | 'append' }>;
const isFieldOp = (op: Op): op is FieldOp => op.op === 'set' || op.op === 'unset' || op.op === 'append';

/**
 * The values of `paths` in `section` just before block `seq`. Walks back from `seq - 1` and stops as soon
 * as every path is settled by a `set` or `unset` (appends on the way are replayed forward), so a field
 * edited recently costs a few blocks, not the whole chain.
 */
function sectionBefore(home: Home, profile: Profile, section: string, seq: number, paths: ReadonlySet<string>): ProfileState {
  const base = new Map<string, { settled: boolean; value?: Value }>();
  const appends = new Map<string, Op[]>();
  const open = new Set(paths);
  const deltas = home.store.headersOfKind(profile.id, ['delta', 'merge']);
  for (let i = deltas.length - 1; i >= 0 && open.size > 0; i--) {
    const stored = deltas[i]!;
    if (stored.seq >= seq) continue;
    for (const part of profile.blockOps(stored.seq)) {
      if (part.section !== section) continue;
      for (let j = part.ops.length - 1; j >= 0; j--) {
        const op = part.ops[j]!;
        if (!isFieldOp(op) || !open.has(op.path)) continue;
        if (op.op === 'append') {
          (appends.get(op.path) ?? appends.set(op.path, []).get(op.path)!).unshift(op);
          continue;
        }
        base.set(op.path, op.op === 'set' ? { settled: true, value: op.value } : { settled: true });
        open.delete(op.path);
      }
    }
  }
  const state = emptyState();
  const fields = record<Value>();
  for (const [path, entry] of base) if (entry.value !== undefined) fields[path] = entry.value;
  state[section] = { fields, media: record() };
  for (const ops of appends.values()) applyOps(state, section, ops);
  return state;
}

export function timelineHandlers(ctx: HandlerContext): Pick<Handlers, TimelineChannel> {
  return {
    'chain:log': ({ offset, limit, order }) => {
      ctx.profile();
      const id = ctx.home.id();
      const total = (ctx.home.store.head(id)?.seq ?? -1) + 1;
      const from = order === 'asc' ? offset : Math.max(0, total - offset - limit);
      const to = order === 'asc' ? Math.min(total, offset + limit) : Math.max(0, total - offset);
      const items = [...ctx.home.store.headers(id, from, to)].map((h) => ({ seq: h.seq, cid: h.cid, kind: h.kind, author: h.author, ts: h.ts }));
      if (order === 'desc') items.reverse();
      return { total, archivedThrough: ctx.home.tiers.archivedThrough(id), items };
    },
    'chain:block': ({ seq }) => {
      const profile = ctx.profile();
      const stored = ctx.home.store.header(profile.id, seq);
      if (stored === undefined) throw new NotFoundError(`There is no block ${seq}.`);
      const parts = profile.blockOps(seq);
      const sections = parts.map(({ section, ops }) => {
        const fieldOps = ops.filter(isFieldOp);
        const changes = fieldOps.length === 0 ? [] : diffOps(sectionBefore(ctx.home, profile, section, seq, new Set(fieldOps.map((op) => op.path))), section, fieldOps);
        const media = ops.flatMap((op) => (op.op === 'media' ? [{ event: op.event, cid: op.ref.cid.toString(), name: op.ref.name, type: op.ref.type, size: op.ref.size }] : []));
        return { section, changes, media };
      });
      return { block: { seq: stored.seq, cid: stored.cid, kind: stored.kind, author: stored.author, ts: stored.ts }, sections };
    },
    'chain:verify': () => {
      ctx.profile();
      return ctx.home.verify();
    },
  };
}
