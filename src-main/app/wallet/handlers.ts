// The shape of the wallet's handler table: one function per contract channel, taking the parsed request.
// The session service assembles it from the per-feature tables (sharing, feats, network), which import this
// file instead of the service so that no import goes back up.
import type { z } from 'zod';
import type { Channel, contract, Response } from '../../../src-preload/api/contract.ts';

export type Handler<C extends Channel> = (request: z.output<(typeof contract)[C]['request']>) => Response<C> | Promise<Response<C>>;
export type Handlers = { [C in Channel]: Handler<C> };
