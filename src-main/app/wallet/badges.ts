// The wallet's handlers of Open Badges: preview and export one's feat (app/badges, shared with the CLI's
// `badge export`), and verify a badge file, which needs no session. Composed into the WalletService's table.
import { exportBadge, previewBadge, verifyBadgeFile } from '../badges/badges.ts';
import { toBase64 } from './bytes.ts';
import type { Handlers, HandlerContext } from './handlers.ts';

type BadgesChannel = Extract<keyof Handlers, `badges:${string}`>;

export function badgesHandlers(ctx: Pick<HandlerContext, 'home' | 'session'>): Pick<Handlers, BadgesChannel> {
  return {
    'badges:preview': ({ claim }) => {
      const { badge, endorsers, validFrom } = previewBadge(ctx.session(), claim);
      return { unsigned: JSON.stringify(badge, null, 2), endorsers, validFrom };
    },
    'badges:export': ({ claim, validFrom }) => {
      const { text, endorsers } = exportBadge(ctx.session(), claim, validFrom);
      return { file: { name: `badge-${claim.slice(-8)}.json`, bytes: toBase64(new TextEncoder().encode(text)) }, endorsers };
    },
    'badges:verify': ({ text }) => verifyBadgeFile(ctx.home.crypto, text, { store: ctx.home.openStore() }),
  };
}
