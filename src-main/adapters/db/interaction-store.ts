// How much a node deals with each peer (table `peer_interactions`, migration 16), for the replicas it adds
// beyond the R closest (DESIGN §5: "plus the peers it interacts with most"). Each sync, mail or read session
// served adds 1 to the peer's weight; weights halve every HALF_LIFE_MS without contact, so the list follows
// who is around now and old peers fade out; at most MAX_PEERS are kept (the lightest go first).
import type Database from 'better-sqlite3';

export const HALF_LIFE_MS = 7 * 24 * 3600_000;
const MAX_PEERS = 1000;

const decayed = (weight: number, since: number, now: number): number => weight * 0.5 ** (Math.max(0, now - since) / HALF_LIFE_MS);

export class PeerInteractions {
  private readonly statements;

  /** `db` must be migrated (SqliteChainStore's `database` is). */
  constructor(db: Database.Database) {
    this.statements = {
      get: db.prepare('SELECT weight, at FROM peer_interactions WHERE peer = ?'),
      put: db.prepare('INSERT OR REPLACE INTO peer_interactions (peer, weight, at) VALUES (?, ?, ?)'),
      all: db.prepare('SELECT peer, weight, at FROM peer_interactions'),
      count: db.prepare('SELECT count(*) FROM peer_interactions').pluck(),
      drop: db.prepare('DELETE FROM peer_interactions WHERE peer = ?'),
    };
  }

  /** One more session with `peer` at `now`. */
  add(peer: string, now: number): void {
    const row = this.statements.get.get(peer) as { weight: number; at: number } | undefined;
    this.statements.put.run(peer, (row === undefined ? 0 : decayed(row.weight, row.at, now)) + 1, now);
    const over = (this.statements.count.get() as number) - MAX_PEERS;
    if (over > 0) for (const { peer: lightest } of this.weights(now).slice(-over)) this.statements.drop.run(lightest);
  }

  /** Every peer with its weight at `now`, heaviest first. */
  weights(now: number): { peer: string; weight: number }[] {
    return (this.statements.all.all() as { peer: string; weight: number; at: number }[])
      .map((row) => ({ peer: row.peer, weight: decayed(row.weight, row.at, now) }))
      .sort((a, b) => b.weight - a.weight || (a.peer < b.peer ? -1 : 1));
  }
}
