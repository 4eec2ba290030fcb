// The shape of the wallet's handler table: one function per contract channel, taking the parsed request.
// The session service assembles it from the per-feature tables (sharing, feats, network), which import this
// file instead of the service so that no import goes back up; each gets the same small context.
import type { z } from 'zod';
import type { Channel, contract, Response } from '../../../src-preload/api/contract.ts';
import type { BlockSummary } from '../../core/chain/writer.ts';
import type { Profile } from '../../core/profile/profile.ts';
import type { Home } from '../home.ts';
import type { Session } from '../session.ts';

export type Handler<C extends Channel> = (request: z.output<(typeof contract)[C]['request']>) => Response<C> | Promise<Response<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

/** What a feature's handler table needs from the session service. */
export interface HandlerContext {
  home: Home;
  /** The unlocked profile, brought up to date (throws LockedError when locked). */
  profile(): Profile;
  /** The unlocked session (the profile brought up to date, and its keys), for the verbs of app/. */
  session(): Session;
  /** Tells listeners a block was appended (the screens reload on it). */
  appended(block: BlockSummary): void;
  /** Tells listeners the head moved, for writes whose core verb returns no block summary. */
  headMoved(): void;
}
