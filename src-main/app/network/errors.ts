// The peer network's own failures, as the CLI and the wallet say them: NoPeersError when no peer answers, so a
// publish or a read ends within seconds instead of running out its DHT timeouts.
import { DefaustError } from '../../core/errors.ts';

/** No peer answered through the given bootstrap addresses (or on the local network): the task would only run out its timeouts. */
export class NoPeersError extends DefaustError {
  override name = 'NoPeersError';
  readonly bootstrap: readonly string[];
  readonly waitedMs: number;
  constructor(bootstrap: readonly string[], waitedMs: number) {
    super('network/no-peers', `no peer answered within ${waitedMs / 1000} s through ${bootstrap.length === 0 ? 'the local network (no bootstrap address was given)' : bootstrap.join(', ')}: check the address and that the node there is running`);
    this.bootstrap = bootstrap;
    this.waitedMs = waitedMs;
  }
}
