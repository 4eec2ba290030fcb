// A signature worker of the verify pool (verify-pool.ts): answers packed batches of Ed25519 checks with one
// byte per check (1 valid, 0 not), using the same Ed25519 as the main thread, small-order keys refused.
import { parentPort } from 'node:worker_threads';
import { createNodeEd25519 } from './node-ed25519.ts';
import { unpackChecks } from './signature-batch.ts';

export interface VerifyRequest {
  id: number;
  packed: Uint8Array<ArrayBuffer>;
}

export interface VerifyAnswer {
  id: number;
  verdicts: Uint8Array<ArrayBuffer>;
}

const ed25519 = createNodeEd25519();

parentPort!.on('message', ({ id, packed }: VerifyRequest) => {
  const checks = unpackChecks(packed);
  const verdicts = new Uint8Array(checks.length);
  checks.forEach((c, i) => {
    verdicts[i] = ed25519.verify(c.publicKey, c.message, c.signature) ? 1 : 0;
  });
  parentPort!.postMessage({ id, verdicts } satisfies VerifyAnswer, [verdicts.buffer]);
});
