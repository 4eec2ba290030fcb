// Kill -9 a process in the middle of writing, at random points: after every kill SQLite's own integrity check
// says 'ok', the chain it leaves verifies, and every append it acknowledged is there with the same CID.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { toHex } from '../src-main/core/bytes.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { crypto, ownerKeys, tempDir } from './helpers.ts';

const WRITER = new URL('./fixtures/crash-writer.ts', import.meta.url).pathname;

function runUntilKilled(dbPath: string, keysJson: string, killAfterMs: number): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dbPath, keysJson], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<number, string>();
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [, seq, cid] = line.split(' ');
        acked.set(Number(seq), cid!);
      }
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself: ${stderr}`));
      else resolve(acked);
    });
  });
}

describe('crash safety', () => {
  it('a chain killed mid-write at random points passes integrity_check, verifies and holds every acknowledged block', async () => {
    const keys = ownerKeys();
    const id = identityPublic(crypto, keys.identity).id;
    const keysJson = JSON.stringify({
      ed: toHex(keys.identity.ed25519Seed), x: toHex(keys.identity.x25519Secret), bjj: toHex(keys.identity.babyJubjubSecret),
      device: toHex(keys.deviceSeed), local: toHex(keys.localKey),
    });
    const dbPath = join(tempDir(), 'defaust.db');
    const allAcked = new Map<number, string>();
    for (let round = 0; round < 6; round++) {
      const acked = await runUntilKilled(dbPath, keysJson, 50 + Math.floor(Math.random() * 400));
      for (const [seq, cid] of acked) allAcked.set(seq, cid);
      const store = new SqliteChainStore(dbPath);
      try {
        expect(store.database.pragma('integrity_check'), `integrity after kill ${round}`).toEqual([{ integrity_check: 'ok' }]);
        const report = verifyStoredChain(crypto, store, id);
        expect(report.ok, JSON.stringify(report.error)).toBe(true);
        for (const [seq, cid] of allAcked) expect(store.header(id, seq)?.cid, `acknowledged block ${seq}`).toBe(cid);
      } finally {
        store.close();
      }
    }
    expect(allAcked.size).toBeGreaterThan(20);
  }, 120_000);
});
