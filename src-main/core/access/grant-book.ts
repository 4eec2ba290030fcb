// The owner's record of grants, folded from the chain: who holds which rights on which section, over
// which epochs, and which grants ended (revoked, or superseded when their key generation was replaced).
import type { BodyOps, ChainFold } from '../chain/writer.ts';
import type { Header } from '../chain/header.ts';
import { sectionKeyEntries } from '../chain/meta.ts';
import { grantMeta, revokeMeta } from '../chain/meta.ts';
import type { GrantView } from './grants.ts';

interface GrantRecord extends GrantView {
  to: number;
  endedAt: number | null;
}

/**
 * Folds grants from headers alone (the epoch grids come from the public part of `section-keys` blocks), so
 * the owner and a registered client that holds no owner keys see the same grants.
 */
export class GrantBook implements ChainFold {
  readonly name = 'grants';
  private records: GrantRecord[] = [];
  private grids = new Map<string, { start: number; epochMs: number }>();

  /** Grants in force (not revoked, not superseded), oldest first. Expired ones stay listed until revoked. */
  active(): GrantView[] {
    return this.records.filter((g) => g.endedAt === null).map(({ seq, grantee, section, rights, gen, from, until }) => ({ seq, grantee, section, rights, gen, from, until }));
  }

  fold(header: Header, _bodyOps: BodyOps): void {
    if (header.kind === 'section-keys') {
      // Nothing more is written under older generations: their grants end here (re-grants follow).
      for (const entry of sectionKeyEntries(header)) {
        this.grids.set(`${entry.section}/${entry.gen}`, { start: entry.start, epochMs: entry.epochMs });
        for (const g of this.records) if (g.section === entry.section && g.gen < entry.gen && g.endedAt === null) g.endedAt = header.seq;
      }
    } else if (header.kind === 'grant') {
      const meta = grantMeta(header);
      const generation = this.grids.get(`${meta.section}/${meta.gen}`);
      const from = generation === undefined ? 0 : generation.start + meta.from * generation.epochMs;
      const until = generation === undefined ? 0 : generation.start + (meta.to + 1) * generation.epochMs - 1;
      this.records.push({ seq: header.seq, grantee: meta.grantee, section: meta.section, rights: meta.rights, gen: meta.gen, from, until, to: meta.to, endedAt: null });
    } else if (header.kind === 'revoke') {
      const meta = revokeMeta(header);
      for (const g of this.records) if (g.grantee === meta.grantee && g.section === meta.section && g.endedAt === null) g.endedAt = header.seq;
    }
  }

  /** Whether `grantee` was ever granted anything here (in force, expired, superseded or revoked). */
  everGranted(grantee: string): boolean {
    return this.records.some((g) => g.grantee === grantee);
  }

  /** Whether `grantee` holds a grant on `section` whose epochs reach `now`. */
  holds(grantee: string, section: string, now: number): boolean {
    return this.active().some((g) => g.grantee === grantee && g.section === section && g.from <= now && now <= g.until);
  }

  snapshot(): unknown {
    return { records: this.records, grids: [...this.grids] };
  }

  restore(value: unknown): void {
    const v = value as { records: GrantRecord[]; grids: [string, { start: number; epochMs: number }][] };
    this.records = v.records;
    this.grids = new Map(v.grids);
  }

  reset(): void {
    this.records = [];
    this.grids.clear();
  }
}
