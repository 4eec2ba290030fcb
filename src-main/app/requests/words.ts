// The words of a refused change request, made once from RequestError's fields (reason, section, seen): the
// CLI and the wallet show the same sentence, and the error keeps its class, code `request/<reason>` and fields.
import { assertNever } from '../../core/errors.ts';
import { RequestError } from '../../core/requests/proposal.ts';

/** The refusal in words for the person who imported, approved or rejected the request. */
export function refusalWords(error: RequestError): string {
  switch (error.reason) {
    case 'malformed': return 'This file is not a DeFaust change request, or it is damaged. Nothing was imported.';
    case 'forged': return 'This request does not open with your key, or its signature does not check out: it was altered or sealed to someone else. Nothing was imported.';
    case 'not-for-me': return 'This request is addressed to someone else, not to you. Nothing was imported.';
    case 'replayed': return error.seen === 'received' ? 'You already received this request. It was not imported a second time.' : 'This request was already answered.';
    case 'stale': return 'This section of your profile changed after the request was made. Ask its author for a new one, made from a fresh copy of your archive.';
    case 'no-right': return `The author of this request may not propose changes to ${error.section ?? 'this section'}. Grant them “propose” on it first if you want their changes.`;
    case 'unknown': return 'There is no such request in your inbox.';
    default: return assertNever(error.reason, 'refusal');
  }
}

/** Runs an inbox act; a RequestError comes out as the same refusal in plain words. */
export function plainly<T>(act: () => T): T {
  try {
    return act();
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    const context = { ...(error.section === undefined ? {} : { section: error.section }), ...(error.seen === undefined ? {} : { seen: error.seen }) };
    throw new RequestError(error.reason, refusalWords(error), context);
  }
}
