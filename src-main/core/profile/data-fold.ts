// The profile data: the deterministic fold of every decrypted op, section by section.
import type { BodyOps, ChainFold } from '../chain/writer.ts';
import type { Header } from '../chain/header.ts';
import { applyOps, type ProfileState } from './state.ts';

export class ProfileData implements ChainFold {
  readonly name = 'profile';
  state: ProfileState = {};

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
    this.state = value as ProfileState;
  }

  reset(): void {
    this.state = {};
  }
}
