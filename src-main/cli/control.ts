// The local control channel: `defaust serve` writes `control.json` (its port and API token, mode 0600, removed
// when it stops) in its home; CLI commands of the same home call the running node's API with that token,
// exactly as the UI does. Anyone who can read the home can already read its sealed keystore, so the file
// gives no one more than they have; other users of the machine cannot read it.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Channel, Request, Response, Result } from '../../src-preload/api/contract.ts';
import { writeFileAtomic } from '../adapters/fs/atomic-file.ts';
import { DefaustError } from '../core/errors.ts';
import type { Home } from '../app/home.ts';

interface ControlFile {
  port: number;
  token: string;
  pid: number;
}

const controlPath = (home: Home): string => join(home.dir, 'control.json');

export function writeControlFile(home: Home, port: number, token: string): () => void {
  home.prepareFolder();
  const path = controlPath(home);
  writeFileAtomic(path, JSON.stringify({ port, token, pid: process.pid } satisfies ControlFile) + '\n');
  return () => rmSync(path, { force: true });
}

export class NoNodeError extends DefaustError {
  override name = 'NoNodeError';
  constructor(home: Home) {
    super('no-node', `no DeFaust node is running for ${home.dir}; start one with: defaust serve --home ${home.dir}`);
  }
}

function readControl(home: Home): ControlFile | null {
  const path = controlPath(home);
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<ControlFile>;
    if (!Number.isInteger(value.port) || typeof value.token !== 'string') return null;
    return value as ControlFile;
  } catch {
    return null;
  }
}

/** Calls the running node's API; throws NoNodeError when none answers, the API's error when it refuses. */
export async function callNode<C extends Channel>(home: Home, channel: C, payload: Request<C>, timeoutMs = 120_000): Promise<Response<C>> {
  const control = readControl(home);
  if (control === null) throw new NoNodeError(home);
  const body = JSON.stringify(payload);
  const result = await new Promise<Result<Response<C>>>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: control.port, method: 'POST', path: `/api/${encodeURIComponent(channel)}`, timeout: timeoutMs,
      headers: { Host: `127.0.0.1:${control.port}`, Authorization: `Bearer ${control.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Result<Response<C>>);
        } catch {
          reject(new NoNodeError(home));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => reject(new NoNodeError(home)));
    req.end(body);
  });
  if (!result.ok) throw new DefaustError(result.error.code, result.error.message);
  return result.value;
}
