// Attribute credentials without proving: migration 14 and the holder's store (one per issuer and field, the
// newest kept), the credential decoder (each damage a CredentialError with its reason) and the holder's check
// on import (for this holder, the issuer's own genesis, the issuer's signature over exactly this value).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCredentialStore } from '../src-main/adapters/db/credential-store.ts';
import { migrate } from '../src-main/adapters/db/migrations/index.ts';
import { Home } from '../src-main/app/home.ts';
import { issueAttribute } from '../src-main/app/proofs/attributes.ts';
import { openSession } from '../src-main/app/session.ts';
import { checkCredential, CredentialError, decodeCredential, type AttributeCredential } from '../src-main/core/attributes/credential.ts';
import { FIELD_MODULUS } from '../src-main/core/zk/field.ts';
import { crypto, tempDir } from './helpers.ts';

const PASS = 'a long enough passphrase';

describe('migration 013 attribute credentials', () => {
  it('adds the table on top of 009; one credential per issuer and field; a later one replaces, an older one does not', () => {
    const db = new Database(':memory:');
    migrate(db, 9);
    expect(migrate(db, 13)).toBe(13);
    const store = new SqliteCredentialStore(db);
    const at = (issuedAt: number, document: string, field = 'age') => ({ issuer: 'did:key:a', field, issuedAt, importedAt: 1, document });
    expect(store.put(at(10, 'first'))).toBe(true);
    expect(store.put(at(5, 'older'))).toBe(false);
    expect(store.put(at(20, 'newer'))).toBe(true);
    expect(store.put(at(1, 'height', 'height'))).toBe(true);
    expect(store.list('age').map((c) => c.document)).toEqual(['newer']);
    expect(store.list().map((c) => c.field)).toEqual(['age', 'height']);
  });
});

describe('attribute credentials', () => {
  const dir = tempDir();
  const homes = ['issuer', 'holder', 'other'].map((name) => {
    const home = new Home(join(dir, name));
    home.init(PASS);
    return home;
  });
  const [issuer, holder, other] = homes.map((home) => openSession(home, PASS)) as [ReturnType<typeof openSession>, ReturnType<typeof openSession>, ReturnType<typeof openSession>];
  // The issuer reads the holder's key from the holder's genesis, as a chain held in its store would give it.
  const chains = holder.home.store;
  const credential = issueAttribute(issuer, chains, holder.profile.id, 'age', 34n);
  const text = JSON.stringify(credential);
  const reason = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      if (error instanceof CredentialError) return [error.reason, error.code];
      throw error;
    }
    return null;
  };
  const decodeOf = (change: (c: Record<string, unknown>) => void) => () => {
    const c = JSON.parse(text) as Record<string, unknown>;
    change(c);
    return decodeCredential(JSON.stringify(c));
  };

  it('decodes what was issued, and checks for its holder', () => {
    expect(decodeCredential(text)).toEqual(credential);
    expect(credential).toMatchObject({ issuer: issuer.profile.id, holder: holder.profile.id, field: 'age', value: '34' });
    expect(checkCredential(crypto, decodeCredential(text), holder.profile.id, holder.profile.identity.babyJubjub)).toEqual(issuer.profile.identity.babyJubjub);
  });

  it('damaged, foreign or future documents: a CredentialError with the reason', () => {
    expect(reason(() => decodeCredential('not json'))).toEqual(['format', 'attribute/format']);
    expect(reason(decodeOf((c) => { c.format = 'defaust/proof'; }))).toEqual(['format', 'attribute/format']);
    expect(() => decodeOf((c) => { c.v = 2; })()).toThrow(/version 2 is not known here/u);
    expect(reason(decodeOf((c) => { c.salt = FIELD_MODULUS.toString(); }))).toEqual(['format', 'attribute/format']);
    expect(reason(decodeOf((c) => { c.holder = 'did:key:nope'; }))).toEqual(['format', 'attribute/format']);
    expect(reason(decodeOf((c) => { c.signature = { R8x: '1', R8y: '2' }; }))).toEqual(['format', 'attribute/format']);
    expect(reason(decodeOf((c) => { c.field = 'Age'; }))).toEqual(['field', 'attribute/field']);
    expect(reason(decodeOf((c) => { c.value = (1n << 64n).toString(); }))).toEqual(['value', 'attribute/value']);
    expect(reason(decodeOf((c) => { c.value = '-1'; }))).toEqual(['value', 'attribute/value']);
  });

  it('refused on import: another holder, another value or field, another issuer named, a forged genesis', () => {
    const check = (c: AttributeCredential, session = holder) => reason(() => checkCredential(crypto, c, session.profile.id, session.profile.identity.babyJubjub));
    expect(check(credential, other)).toEqual(['holder', 'attribute/holder']);
    expect(check({ ...credential, value: '35' })).toEqual(['signature', 'attribute/signature']);
    expect(check({ ...credential, field: 'height' })).toEqual(['signature', 'attribute/signature']);
    // The other identity's genesis under the issuer's name, and the issuer's name on the other's genesis.
    const otherCredential = issueAttribute(other, chains, holder.profile.id, 'age', 34n);
    expect(check({ ...credential, issuerGenesis: otherCredential.issuerGenesis })).toEqual(['issuer', 'attribute/issuer']);
    expect(check({ ...otherCredential, issuer: issuer.profile.id })).toEqual(['issuer', 'attribute/issuer']);
    expect(check({ ...credential, issuerGenesis: 'AAAA' })).toEqual(['issuer', 'attribute/issuer']);
    // The other identity's own credential is fine: trust in an issuer is the verifier's choice, not the holder's.
    expect(check(otherCredential)).toBeNull();
  });

  it('an issuer without the holder\'s chain cannot issue (the key is unknown)', () => {
    expect(reason(() => issueAttribute(issuer, other.home.store, holder.profile.id, 'age', 34n))).toEqual(['holder', 'attribute/holder']);
    for (const home of homes) home.close();
  });
});
