// Released shares that come by mail (app/recovery/rebuild.ts fetchReleases), on a real fresh home: those that
// open are kept, once per mail id, and count in a later combine beside files; an altered one and one sealed to
// another key are refused and never kept (so they cannot spoil the combine); other mail is left out; a
// custodian who released both by mail and as a file counts once. The mailboxes themselves are exercised over
// loopback in cli-net-recovery.test.ts; here the mail is handed to the verb as the network would.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { fetchReleases, recoverWithShares, startRecovery, type TemporaryMail } from '../src-main/app/recovery/rebuild.ts';
import { sealEnvelope } from '../src-main/core/identity/envelope.ts';
import { deriveIdentitySecrets, identityPublic, newMnemonic } from '../src-main/core/identity/keys.ts';
import { didOfSeed, openShare, releaseTo, SHARE_FORMAT, splitPhrase } from '../src-main/core/recovery/scheme.ts';
import { crypto, tempDir } from './helpers.ts';

const PASS = 'correct-horse-battery';
const root = tempDir('defaust-recovery-mail-');
const homes: Home[] = [];
afterAll(() => homes.forEach((h) => h.close()));

const mnemonic = newMnemonic(crypto.randomBytes);
const secrets = deriveIdentitySecrets(crypto, mnemonic);
const owner = identityPublic(crypto, secrets).id;
const custodianSeeds = [1, 2, 3].map(() => crypto.randomBytes(32));
const custodians = custodianSeeds.map((seed) => didOfSeed(crypto, seed));

/** The mail a temporary id would fetch: each message handed to `take` in one batch, as the mailboxes do. */
const mailOf = (messages: { id: string; envelope: Uint8Array }[]): TemporaryMail => async (_me, take) => {
  take(messages);
  return { fetched: messages.length };
};

describe('released shares by mail', () => {
  it('keeps those that open, refuses altered or foreign ones, and counts a custodian once in the combine', async () => {
    const made = await splitPhrase(crypto, { owner, ownerSeed: secrets.ed25519Seed, mnemonic, custodians, k: 2, ts: 1 });
    const shares = made.shares.map((s, i) => openShare(crypto, s.envelope, SHARE_FORMAT, custodians[i]!, custodianSeeds[i]!));
    const home = new Home(join(root, 'fresh'));
    homes.push(home);
    const { temporaryId } = startRecovery(home, PASS);

    const first = releaseTo(crypto, shares[0]!, temporaryId);
    const altered = releaseTo(crypto, shares[1]!, temporaryId);
    altered[altered.length - 5]! ^= 1;
    const toAnother = releaseTo(crypto, shares[1]!, custodians[2]!);
    const otherMail = sealEnvelope(crypto, 'defaust/inbox-note/1', temporaryId, { hello: 'there' });
    const mail = [
      { id: 'bafy0000000000000001', envelope: first },
      { id: 'bafy0000000000000002', envelope: altered },
      { id: 'bafy0000000000000003', envelope: toAnother },
      { id: 'bafy0000000000000004', envelope: otherMail },
    ];
    expect(await fetchReleases(home, PASS, mailOf(mail))).toEqual({ fetched: 1, refused: 2, kept: 1 });
    // The same mail fetched again (a mailbox that had not dropped it yet) is kept once.
    expect(await fetchReleases(home, PASS, mailOf(mail.slice(0, 1)))).toEqual({ fetched: 1, refused: 0, kept: 1 });
    // A wrong passphrase is refused before the network is asked.
    let asked = false;
    await expect(fetchReleases(home, 'not-the-passphrase', async () => (asked = true))).rejects.toMatchObject({ name: 'WrongPassphraseError' });
    expect(asked).toBe(false);

    // The kept one alone is one share; the same custodian's file beside it is still one.
    await expect(recoverWithShares(home, PASS, [])).rejects.toMatchObject({ code: 'not-enough-shares' });
    await expect(recoverWithShares(home, PASS, [releaseTo(crypto, shares[0]!, temporaryId)])).rejects.toMatchObject({ code: 'not-enough-shares', message: '1 share given; this set needs 2' });
    expect(home.hasIdentity()).toBe(false);

    const recovered = await recoverWithShares(home, PASS, [releaseTo(crypto, shares[2]!, temporaryId)]);
    expect(recovered.id).toBe(owner);
    // The temporary key and the kept releases are gone with the recovery; a second fetch is refused.
    await expect(fetchReleases(home, PASS, mailOf(mail))).rejects.toMatchObject({ name: 'HomeError' });
  });
});
