// The profile state: the deterministic fold of every decrypted op, section by section. Every record in it
// (sections, fields, media events, the objects inside values) has no prototype, so a section or field named
// `constructor`, `toString` or `__proto__` is stored and read back like any other.
import { assertNever } from '../errors.ts';
import { record, recordOf } from '../records.ts';
import { checkValue, type MediaRef, type Op, type Value } from '../chain/ops.ts';

export interface SectionState {
  fields: Record<string, Value>;
  media: Record<string, MediaRef[]>;
}

export type ProfileState = Record<string, SectionState>;

export const emptyState = (): ProfileState => record<SectionState>();

export const emptySection = (): SectionState => ({ fields: record<Value>(), media: record<MediaRef[]>() });

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
      case 'social':
        break;
      default:
        assertNever(op, 'op');
    }
  }
}

/**
 * A prototype-free deep copy of a state: of the fold's own (for callers that may change it), or of one
 * decoded from a snapshot, whose records came out of DAG-CBOR with Object's prototype.
 */
export function copyState(state: ProfileState): ProfileState {
  return recordOf(Object.entries(state).map(([name, section]) => [name, {
    fields: recordOf(Object.entries(section.fields).map(([path, value]) => [path, checkValue(value, 'stored')])),
    media: recordOf(Object.entries(section.media).map(([event, refs]) => [event, refs.map((ref) => ({ ...ref }))])),
  }]));
}

/** The change a set of ops would make, field by field: what a person sees before signing. */
export interface FieldChange {
  path: string;
  before: Value | undefined;
  after: Value | undefined;
}

export function diffOps(state: ProfileState, section: string, ops: readonly Op[]): FieldChange[] {
  const before = state[section]?.fields ?? record<Value>();
  const after = recordOf(Object.entries(before));
  const scratch = emptyState();
  scratch[section] = { fields: after, media: record<MediaRef[]>() };
  applyOps(scratch, section, ops.filter((op) => op.op === 'set' || op.op === 'unset' || op.op === 'append'));
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: FieldChange[] = [];
  for (const path of [...paths].sort()) {
    if (JSON.stringify(before[path]) !== JSON.stringify(after[path])) changes.push({ path, before: before[path], after: after[path] });
  }
  return changes;
}
