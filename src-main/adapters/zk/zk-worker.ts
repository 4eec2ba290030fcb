// The proving process: runs snarkjs (witness generation, Groth16 prove, verify) away from the main thread
// and reports progress. It is a process rather than a worker thread because snarkjs's own thread pool
// (ffjavascript) mistakes any worker thread for one of its own. It loads the artifacts itself, checking
// their hashes (artifacts.ts keeps them for the next request). It speaks the same messages over either
// channel its parent gives it: Node's IPC (`process.send`, child_process.fork) or Electron's
// `process.parentPort` (utilityProcess.fork) — see prover-process.ts.
import * as snarkjs from 'snarkjs';
import { loadCircuit } from './artifacts.ts';
import type { WorkerMessage, WorkerRequest } from './prover-process.ts';

/** Electron's end of a utilityProcess channel (absent under plain Node). */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

async function answer(request: WorkerRequest, post: (message: WorkerMessage) => void): Promise<void> {
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
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort !== undefined) {
  parentPort.on('message', (event) => void answer(event.data as WorkerRequest, (m) => parentPort.postMessage(m)));
} else {
  process.on('message', (request: WorkerRequest) => void answer(request, (m) => process.send?.(m)));
  process.on('disconnect', () => process.exit(0));
}
