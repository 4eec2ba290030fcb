// The wallet's handlers of issuer-bound attributes (issue 11 item 4): issuing a credential (the issuer's act,
// the holder's key read from its genesis block held here), importing and listing credentials (the holder's),
// and proving a predicate over one with progress and cancel. The verbs are app/proofs/attributes.ts's, shared with the
// CLI; verify:proof (feats.ts) verifies attribute proofs too. Composed into the WalletService's table.
import type { ProveStage } from '../../../src-preload/api/contract.ts';
import { signedStatement } from '../../core/attributes/credential.ts';
import { DefaustError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Predicate } from '../../core/zk/inputs.ts';
import { importCredential, issueAttribute, listCredentials, proveAttribute } from '../proofs/attributes.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type AttributesChannel = Extract<keyof Handlers, `attributes:${string}`>;

export interface AttributesContext extends HandlerContext {
  /** Pushes a proof's stage to listeners (the same event feat proofs use). */
  progress(job: string, stage: ProveStage): void;
}

const file = (name: string, value: unknown) => ({ name, bytes: toBase64(new TextEncoder().encode(JSON.stringify(value, null, 1) + '\n')) });

export function attributesHandlers(ctx: AttributesContext): Pick<Handlers, AttributesChannel> {
  /** The last stage of each recent proof job (a few; the oldest are forgotten). */
  const jobs = new Map<string, ProveStage>();
  /** The proof being made (one at a time), for attributes:cancelProof. */
  let proving: { job: string; controller: AbortController } | null = null;
  const stage = (job: string, next: ProveStage) => {
    jobs.delete(job);
    jobs.set(job, next);
    while (jobs.size > 32) jobs.delete(jobs.keys().next().value!);
    ctx.progress(job, next);
  };

  return {
    'attributes:issue': ({ holder, field, value }) => {
      const session = ctx.session();
      const credential = issueAttribute(session, ctx.home.openStore(), holder as Did, field, BigInt(value));
      return { file: file(`credential-${field}-${holder.slice(-8)}.json`, credential), statement: signedStatement({ holder, field, value: BigInt(value) }) };
    },
    'attributes:import': ({ bytes }) => importCredential(ctx.session(), new TextDecoder().decode(fromBytes(bytes))),
    'attributes:list': () => ({ credentials: listCredentials(ctx.session()) }),
    'attributes:prove': async ({ field, op, bound, set, nonce, issuer, job }) => {
      const session = ctx.session();
      if (proving !== null) throw new DefaustError('attribute/busy', 'A proof is being made already. Wait until it is done.');
      const controller = new AbortController();
      proving = { job, controller };
      try {
        const predicate: Predicate = { op, bound: BigInt(bound), set: (set ?? []).map((v) => BigInt(v)) };
        const proof = await proveAttribute(session, field, predicate, BigInt(nonce), { ...(issuer === undefined ? {} : { issuer: issuer as Did }), progress: (s) => stage(job, s), signal: controller.signal });
        return { file: file(`attribute-proof-${field}-${nonce.slice(0, 12)}.json`, proof), issuer: proof.issuer, nonce };
      } finally {
        proving = null;
      }
    },
    'attributes:proveStatus': ({ job }) => ({ stage: jobs.get(job) ?? null }),
    'attributes:cancelProof': ({ job }) => {
      const running = proving?.job === job ? proving : null;
      running?.controller.abort();
      return { cancelled: running !== null };
    },
  };
}
