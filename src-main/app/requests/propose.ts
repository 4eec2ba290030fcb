// The grantee's side of change requests, written once for every face: seal a proposal to someone's profile,
// based on the block of their chain it was made on, and hand it over as a file or leave it in the owner's
// mailboxes through a small port (the CLI's ephemeral node and the wallet's running node both fit it).
import type { Op } from '../../core/chain/ops.ts';
import { DefaustError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import { sealProposal } from '../../core/requests/proposal.ts';
import type { NetworkHost } from '../network/host.ts';
import type { Session } from '../session.ts';

/** How a sealed change request reaches its owner over the peer network. */
export interface ProposalCarrier {
  /** Brings the owner's newest chain from its replicas into this home (the base a proposal is made on). */
  recover(owner: Did): Promise<unknown>;
  /** Leaves the sealed request in the owner's mailboxes; `deposited` counts the mailboxes that took it. */
  send(owner: Did, envelope: Uint8Array): Promise<{ deposited: number }>;
}

/** What to propose: `ops` change fields of `section`; `base` is the owner's block they were made on (default: the newest held here). */
export interface ProposalInput {
  owner: Did;
  section: string;
  ops: Op[];
  base?: number;
}

/** A proposal sealed to its owner: `id` names it in their inbox. */
export interface SealedProposal {
  id: string;
  base: number;
  envelope: Uint8Array;
}

/** No base for a proposal: none was given and no copy of the owner's chain is held here. */
export class NoBaseError extends DefaustError {
  override name = 'NoBaseError';
  readonly owner: Did;
  constructor(owner: Did) {
    super('propose/no-base', `There is no copy of ${owner}'s profile here to base the change on. Read their archive first, or turn the network on.`);
    this.owner = owner;
  }
}

/** Seals the proposal with this identity's key (only the home and the keys are needed: no profile is opened). */
export function proposeToFile(session: Pick<Session, 'home' | 'keys'>, input: ProposalInput): SealedProposal {
  const { home, keys } = session;
  const base = input.base ?? home.store.head(input.owner)?.seq;
  if (base === undefined) throw new NoBaseError(input.owner);
  const { id, envelope } = sealProposal(home.crypto, keys.identity.ed25519Seed, home.id(), input.owner, input.section, input.ops, base, home.clock.now());
  return { id, base, envelope };
}

/** Pulls the owner's newest chain first (the base), then leaves the sealed request in their mailboxes. */
export async function proposeOverNetwork(session: Pick<Session, 'home' | 'keys'>, carrier: ProposalCarrier, input: ProposalInput): Promise<SealedProposal & { deposited: number }> {
  await carrier.recover(input.owner);
  const sealed = proposeToFile(session, input);
  const { deposited } = await carrier.send(input.owner, sealed.envelope);
  return { ...sealed, deposited };
}

/** The wallet's running node as a carrier; null while it is off or does not hold the identity key. */
export function hostCarrier(host: NetworkHost | undefined): ProposalCarrier | null {
  const net = host?.current() ?? null;
  if (net === null || !net.unlocked) return null;
  return { recover: (owner) => net.recover(owner), send: (owner, envelope) => net.send(owner, envelope) };
}
