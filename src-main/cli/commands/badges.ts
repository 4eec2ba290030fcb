// Open Badge commands: badge export (the holder signs one of its feats as an OpenBadgeCredential) and badge
// verify (anyone, offline: the proof, the witnesses' attestations and the status from --outcome files and the
// holder's chain when this home holds it). The verbs are app/badges/'s; these commands parse and print.
import { existsSync } from 'node:fs';
import { exportBadge, verifyBadgeFile } from '../../app/badges/badges.ts';
import { openSession } from '../../app/session.ts';
import { DefaustError } from '../../core/errors.ts';
import type { BadgeStatus } from '../../core/badges/status.ts';
import { MAX_BADGE_BYTES } from '../../../src-shared/rules/badges.ts';
import { MAX_SOCIAL_DOC_BYTES } from '../../../src-shared/rules/limits.ts';
import { passphrase } from '../io.ts';
import { stringOption, type Command } from '../command.ts';
import { readInputFile, writeOutputFile } from './files.ts';
import { term } from '../terminal.ts';
import { iso } from '../time.ts';

export const badgeExport: Command = {
  name: 'badge export',
  usage: 'defaust badge export <claim-cid> [--out badge.json] [--force]',
  summary: 'sign one of your feats as an Open Badges 3.0 credential (eddsa-jcs-2022, your did:key); it names the witnesses who signed yes, unlike a feat proof',
  options: { out: { type: 'string' }, force: { type: 'boolean' } },
  arity: [1, 1],
  async run(ctx) {
    const out = stringOption(ctx, 'out');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const { badge, endorsers, text } = exportBadge(session, ctx.positionals[0]!);
    if (out === undefined) {
      ctx.out.result(badge, () => text.trimEnd());
      return;
    }
    writeOutputFile(ctx, out, new TextEncoder().encode(text));
    ctx.out.result({ out, id: badge.id, issuer: badge.issuer.id, achievement: badge.name, endorsers },
      () => term`wrote an Open Badge for “${badge.name}” to ${out}\nit names its endorsers: ${endorsers.join(', ')}`);
  },
};

const statusWords = (status: BadgeStatus): string => {
  switch (status.state) {
    case 'revoked': return term`REVOKED: the holder lost challenge ${status.challenge} on this feat (${status.source === 'chain' ? "seen in the holder's chain" : 'a signed outcome given'})`;
    case 'not-revoked': return term`not revoked in the holder's chain as this home holds it (to block ${status.seq}, ${iso(status.ts)})`;
    case 'unknown': return "unknown: this home does not hold the holder's chain and no --outcome refutes the feat";
  }
};

export const badgeVerify: Command = {
  name: 'badge verify',
  usage: 'defaust badge verify <badge.json> [--outcome FILE]…',
  summary: "check an Open Badge offline: its eddsa-jcs-2022 proof, the witnesses' attestations it carries, and whether a lost challenge revoked it (from --outcome files, or the holder's chain if this home holds it); exit 1 when it is not valid",
  options: { outcome: { type: 'string', multiple: true } },
  arity: [1, 1],
  run(ctx) {
    const path = ctx.positionals[0]!;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(readInputFile(path, MAX_BADGE_BYTES, false));
    } catch (error) {
      if (error instanceof DefaustError) throw error;
      throw new DefaustError('file', `cannot read ${path} as text`);
    }
    const outcomes = (Array.isArray(ctx.options.outcome) ? ctx.options.outcome : []).map((file) => readInputFile(String(file), MAX_SOCIAL_DOC_BYTES, false));
    const store = existsSync(ctx.home.dir) ? ctx.home.openStore() : null;
    const result = verifyBadgeFile(ctx.home.crypto, text, { outcomes, store });
    ctx.out.result(result, () => {
      if (!result.valid) return term`INVALID: ${result.reason}`;
      const b = result.badge;
      return [
        term`VALID Open Badge: “${b.achievement.name}” [${b.achievement.featType}]`,
        term`issuer: ${b.issuer} (signed ${b.created}, valid from ${b.validFrom})`,
        term`criteria: ${b.achievement.criteria || '(none)'}`,
        term`endorsers (${b.endorsers.length}, ${b.policy.kind === 'authority' ? 'an authority is' : `${b.policy.k} are`} asked for): ${b.endorsers.map((e) => e.did).join(', ') || '(none)'}`,
        term`status: ${statusWords(result.status)}`,
      ].join('\n');
    });
    return result.valid ? 0 : 1;
  },
};
