// How attestation requests reach witnesses: as files the person hands over (the default), or through the
// peer network's mailboxes while the node runs with the identity key, falling back to a file per request
// that no mailbox took.
import type { Download } from '../../../src-preload/api/contract.ts';
import type { Did } from '../../core/identity/did.ts';
import { sendThrough, type NetworkHost } from '../network/host.ts';
import { toBase64 } from './bytes.ts';

/** A sealed request on its way to a witness: delivered by the transport, or a file for the person to send. */
export type SentRequest = { witness: Did; delivered: true; file: null } | { witness: Did; delivered: false; file: Download };

/**
 * How requests reach witnesses. The default hands them back as files; a network transport (the peer
 * network's mailbox) can deliver them instead and answer `delivered: true`.
 */
export interface WitnessTransport {
  deliver(requests: readonly { witness: Did; envelope: Uint8Array; name: string }[]): Promise<SentRequest[]>;
}

export const fileTransport: WitnessTransport = {
  deliver: (requests) => Promise.resolve(requests.map(({ witness, envelope, name }) => ({ witness, delivered: false as const, file: { name, bytes: toBase64(envelope) } }))),
};

/**
 * Delivers attestation requests to the witnesses' mailboxes while the node runs with the identity key; a
 * request that cannot be delivered (no node, no mailbox took it) comes back as a file to hand over instead.
 */
export function networkTransport(host: NetworkHost, fallback: WitnessTransport): WitnessTransport {
  return {
    async deliver(requests) {
      return Promise.all(requests.map(async (request) => (await sendThrough(host, request.witness, request.envelope))
        ? { witness: request.witness, delivered: true, file: null }
        : (await fallback.deliver([request]))[0]!));
    },
  };
}
