// The profile data: the deterministic fold of every decrypted op, section by section.
import type { BodyOps, ChainFold } from '../chain/writer.ts';
import type { Header } from '../chain/header.ts';
import { applyOps, copyState, emptyState, type ProfileState } from './state.ts';

export class ProfileData implements ChainFold {
  /**
   * v2: the state has no prototypes. A v1 snapshot may have lost a field named `__proto__` or hold one named
   * `toString` wrongly, so it lacks this key and the writer folds the whole chain again instead.
   */
  readonly name = 'profile/v2';
  state: ProfileState = emptyState();

  fold(header: Header, bodyOps: BodyOps): void {
    for (const ref of header.bodies) {
      const ops = bodyOps(ref);
      if (ops !== null) applyOps(this.state, ref.section, ops);
    }
  }

  snapshot(): unknown {
    return this.state;
  }

  restore(value: unknown): void {
    this.state = copyState(value as ProfileState);
  }

  reset(): void {
    this.state = emptyState();
  }
}
