// How much a node deals with each peer (adapters/db/interaction-store.ts): weights add up per session, halve
// every week without contact, survive reopening the database, and stay bounded.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HALF_LIFE_MS, PeerInteractions } from '../src-main/adapters/db/interaction-store.ts';
import { openDatabase } from '../src-main/adapters/db/sqlite-store.ts';
import { tempDir } from './helpers.ts';

const NOW = Date.UTC(2026, 11, 3);

describe('peer interactions', () => {
  it('adds a session at a time, halves a week later, and orders the heaviest first', () => {
    const peers = new PeerInteractions(openDatabase(':memory:'));
    for (let i = 0; i < 3; i++) peers.add('old-friend', NOW);
    peers.add('new-friend', NOW + HALF_LIFE_MS);
    peers.add('new-friend', NOW + HALF_LIFE_MS);
    const weights = peers.weights(NOW + HALF_LIFE_MS);
    expect(weights.map((w) => w.peer)).toEqual(['new-friend', 'old-friend']);
    expect(weights[0]!.weight).toBeCloseTo(2, 6);
    expect(weights[1]!.weight).toBeCloseTo(1.5, 6);
    // A session a week later adds to what was left of the earlier ones.
    peers.add('old-friend', NOW + HALF_LIFE_MS);
    expect(peers.weights(NOW + HALF_LIFE_MS).find((w) => w.peer === 'old-friend')!.weight).toBeCloseTo(2.5, 6);
  });

  it('keeps its weights across a restart of the node (the same database opened again)', () => {
    const dir = tempDir();
    try {
      const path = join(dir, 'defaust.db');
      const db = openDatabase(path);
      new PeerInteractions(db).add('peer-a', NOW);
      new PeerInteractions(db).add('peer-a', NOW);
      db.close();
      const reopened = openDatabase(path);
      expect(new PeerInteractions(reopened).weights(NOW)).toEqual([{ peer: 'peer-a', weight: 2 }]);
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps at most 1000 peers, dropping the lightest', () => {
    const peers = new PeerInteractions(openDatabase(':memory:'));
    peers.add('heavy', NOW);
    peers.add('heavy', NOW);
    for (let i = 0; i < 1005; i++) peers.add(`peer-${String(i).padStart(4, '0')}`, NOW + i);
    const weights = peers.weights(NOW + 1005);
    expect(weights).toHaveLength(1000);
    expect(weights[0]!.peer).toBe('heavy');
  });
});
