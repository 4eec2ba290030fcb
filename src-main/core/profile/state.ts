// The profile state: the deterministic fold of every decrypted op, section by section.
import { assertNever } from '../errors.ts';
import type { MediaRef, Op, Value } from './ops.ts';

export interface SectionState {
  fields: Record<string, Value>;
  media: Record<string, MediaRef[]>;
}

export type ProfileState = Record<string, SectionState>;

export const emptySection = (): SectionState => ({ fields: {}, media: {} });

/** Applies ops to one section in place. Same ops in the same order always give the same state. */
export function applyOps(state: ProfileState, section: string, ops: readonly Op[]): void {
  const target = (state[section] ??= emptySection());
  for (const op of ops) {
    switch (op.op) {
      case 'set':
        target.fields[op.path] = op.value;
        break;
      case 'unset':
        delete target.fields[op.path];
        break;
      case 'append': {
        const current = target.fields[op.path];
        target.fields[op.path] = current === undefined ? [op.value] : Array.isArray(current) ? [...current, op.value] : [current, op.value];
        break;
      }
      case 'media':
        (target.media[op.event] ??= []).push(op.ref);
        break;
      case 'proposal':
      case 'claim':
      case 'attestation':
        break;
      default:
        assertNever(op, 'op');
    }
  }
}

/** The change a set of ops would make, field by field: what a person sees before signing. */
export interface FieldChange {
  path: string;
  before: Value | undefined;
  after: Value | undefined;
}

export function diffOps(state: ProfileState, section: string, ops: readonly Op[]): FieldChange[] {
  const scratch: ProfileState = { [section]: structuredCloneSection(state[section]) };
  const before = scratch[section]!.fields;
  const snapshot = { ...before };
  applyOps(scratch, section, ops.filter((op) => op.op === 'set' || op.op === 'unset' || op.op === 'append'));
  const after = scratch[section]!.fields;
  const paths = new Set([...Object.keys(snapshot), ...Object.keys(after)]);
  const changes: FieldChange[] = [];
  for (const path of [...paths].sort()) {
    if (JSON.stringify(snapshot[path]) !== JSON.stringify(after[path])) changes.push({ path, before: snapshot[path], after: after[path] });
  }
  return changes;
}

function structuredCloneSection(section: SectionState | undefined): SectionState {
  return section === undefined ? emptySection() : { fields: { ...section.fields }, media: { ...section.media } };
}
