// The owner's side of change requests, written once for every face: take a request in, list them, approve
// (a merge block) or reject (a signed reply for the author). Refusals come out in the words of words.ts.
import type { BlockSummary } from '../../core/chain/writer.ts';
import type { RequestView } from '../../core/requests/inbox.ts';
import type { RequestStatus } from '../../core/ports.ts';
import type { Session } from '../session.ts';
import { plainly } from './words.ts';

/** The requests in the inbox (all, or those with `status`). */
export function listRequests(session: Session, status?: RequestStatus): RequestView[] {
  return plainly(() => session.profile.inbox.list(status));
}

/**
 * Takes a sealed request in (refused with its reason when forged, replayed, stale or unauthorised); one from
 * a grantee holding `write` is approved at once, and `merged` says so.
 */
export function importRequest(session: Session, envelope: Uint8Array): { request: RequestView; merged: boolean } {
  const before = session.profile.length;
  const request = plainly(() => session.profile.inbox.receive(envelope));
  return { request, merged: session.profile.length !== before };
}

/** Writes the merge block carrying the proposal and its author's signature. */
export function approveRequest(session: Session, id: string): { block: BlockSummary; request: RequestView } {
  const block = plainly(() => session.profile.inbox.approve(id));
  return { block, request: session.profile.inbox.get(id)! };
}

/** Marks the request rejected; `reply` is the signed answer to hand to its author. */
export function rejectRequest(session: Session, id: string, reason: string): { reply: Uint8Array; request: RequestView } {
  const reply = plainly(() => session.profile.inbox.reject(id, reason));
  return { reply, request: session.profile.inbox.get(id)! };
}
