// Attribute credential commands: attribute issue (the issuer signs a holder's field value), attribute import
// and attribute list (the holder keeps its credentials). `prove attribute` (proofs.ts) proves over them.
import { importCredential, issueAttribute, listCredentials } from '../../app/proofs/attributes.ts';
import { openSession } from '../../app/session.ts';
import { attributeValue, checkFieldTag, signedStatement } from '../../core/attributes/credential.ts';
import { assertDid, type Did } from '../../core/identity/did.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, type Command } from '../command.ts';
import { readInputFile, writeOutputFile } from './files.ts';
import { LIST_CHAIN_OPTIONS, listStore } from './trust-lists.ts';
import { term } from '../terminal.ts';
import { iso } from '../time.ts';
import { MAX_CREDENTIAL_BYTES } from '../../../src-shared/rules/limits.ts';

export const attributeIssue: Command = {
  name: 'attribute issue',
  usage: 'defaust attribute issue --holder <did> --field <tag> --value N [--out FILE] [--archive FILE]… [--bootstrap ADDR]…',
  summary: "sign, as an issuer, a holder's field value (a credential the holder proves over without showing it); without --out the credential is printed",
  options: { holder: { type: 'string' }, field: { type: 'string' }, value: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, ...LIST_CHAIN_OPTIONS },
  arity: [0, 0],
  async run(ctx) {
    const holder = stringOption(ctx, 'holder');
    const field = stringOption(ctx, 'field');
    const raw = stringOption(ctx, 'value');
    if (holder === undefined || field === undefined || raw === undefined) throw new UsageError('attribute issue needs --holder DID, --field TAG and --value N');
    assertDid(holder);
    checkFieldTag(field);
    const value = attributeValue(raw);
    const chains = await listStore(ctx, { members: [holder as Did] });
    const credential = issueAttribute(openSession(ctx.home, await passphrase(ctx.env)), chains, holder as Did, field, value);
    const text = JSON.stringify(credential, null, 1) + '\n';
    const out = stringOption(ctx, 'out');
    if (out === undefined) {
      ctx.out.note(term`signed: ${signedStatement({ holder, field, value })}`);
      process.stdout.write(text);
      return;
    }
    writeOutputFile(ctx, out, new TextEncoder().encode(text));
    ctx.out.result({ out, holder, field, issuedAt: iso(credential.issuedAt) }, () => term`signed: ${signedStatement({ holder, field, value })}\nwrote the credential to ${out} (give it to the holder only: it holds the value)`);
  },
};

export const attributeImport: Command = {
  name: 'attribute import',
  usage: 'defaust attribute import <credential.json>',
  summary: "keep a credential an issuer signed for you (checked: for you, and the issuer's signature)",
  options: {},
  arity: [1, 1],
  async run(ctx) {
    const text = new TextDecoder().decode(readInputFile(ctx.positionals[0]!, MAX_CREDENTIAL_BYTES, false));
    const imported = importCredential(openSession(ctx.home, await passphrase(ctx.env)), text);
    ctx.out.result(imported, () => (imported.kept
      ? term`kept ${imported.issuer}'s credential: ${imported.field} = ${imported.value}`
      : term`not kept: a credential issued later by ${imported.issuer} for ${imported.field} is held already`));
  },
};

export const attributeList: Command = {
  name: 'attribute list',
  usage: 'defaust attribute list [--field TAG]',
  summary: 'the credentials issuers gave you, newest first',
  options: { field: { type: 'string' } },
  arity: [0, 0],
  async run(ctx) {
    const field = stringOption(ctx, 'field');
    if (field !== undefined) checkFieldTag(field);
    const list = listCredentials(openSession(ctx.home, await passphrase(ctx.env)), field);
    ctx.out.result(list.map((c) => ({ ...c, issuedAt: iso(c.issuedAt) })), () => (list.length === 0
      ? 'no credentials: an issuer makes one with defaust attribute issue, you keep it with defaust attribute import FILE'
      : list.map((c) => term`${c.field} = ${c.value}  from ${c.issuer}  (issued ${iso(c.issuedAt)})`).join('\n')));
  },
};
