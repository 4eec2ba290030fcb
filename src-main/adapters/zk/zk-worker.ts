// The proving process: runs snarkjs (witness generation, Groth16 prove, verify) away from the main thread
// and reports progress. It is a child process rather than a worker thread because snarkjs's own thread pool
// (ffjavascript) mistakes any worker thread for one of its own. It loads the artifacts itself, checking
// their hashes (artifacts.ts keeps them for the next request).
import * as snarkjs from 'snarkjs';
import { loadCircuit, type CircuitName } from './artifacts.ts';

export type WorkerRequest =
  | { id: number; op: 'prove'; circuit: CircuitName; dir?: string; inputs: Record<string, unknown> }
  | { id: number; op: 'verify'; circuit: CircuitName; dir?: string; publicSignals: unknown; proof: unknown };

export type WorkerMessage =
  | { id: number; type: 'progress'; stage: 'witness' | 'proving' }
  | { id: number; type: 'result'; value: unknown }
  | { id: number; type: 'error'; message: string };

process.on('message', async (request: WorkerRequest) => {
  const post = (message: WorkerMessage) => process.send?.(message);
  try {
    const circuit = loadCircuit(request.circuit, request.dir);
    if (request.op === 'prove') {
      post({ id: request.id, type: 'progress', stage: 'witness' });
      const wtns = { type: 'mem' } as { type: 'mem'; data?: Uint8Array };
      await snarkjs.wtns.calculate(request.inputs, circuit.wasm, wtns);
      post({ id: request.id, type: 'progress', stage: 'proving' });
      const { proof, publicSignals } = await snarkjs.groth16.prove(circuit.zkey, wtns);
      post({ id: request.id, type: 'result', value: { proof, publicSignals } });
    } else {
      const valid = await snarkjs.groth16.verify(circuit.vkey, request.publicSignals, request.proof);
      post({ id: request.id, type: 'result', value: valid });
    }
  } catch (error) {
    post({ id: request.id, type: 'error', message: (error as Error)?.message ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
