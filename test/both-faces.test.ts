// The both-faces harness itself: a grant made by the CLI and by the wallet API leaves the same records, and a
// different act does not (so the comparison can fail).
import { afterEach, describe, expect, it } from 'vitest';
import { twoFaces, type TwoFaces } from './both-faces.ts';

const GRANTEE = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

describe('both faces', () => {
  let faces: TwoFaces | undefined;
  afterEach(() => faces?.close());

  it('a grant through the CLI and through the wallet API stores the same records', async () => {
    faces = await twoFaces((cli) => cli(['section', 'create', 'training']));
    const r = faces.cli(['grant', GRANTEE, 'training', '--rights', 'read', '--until', '2027-01-01']);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('access:grant', { grantee: GRANTEE, section: 'training', rights: 'read', until: Date.parse('2027-01-01') });
    const { cli, wallet } = faces.stored();
    expect(cli.grants).toHaveLength(1);
    expect(wallet).toEqual(cli);
  });

  it('tells different acts apart', async () => {
    faces = await twoFaces((cli) => cli(['section', 'create', 'training']));
    faces.cli(['grant', GRANTEE, 'training', '--rights', 'read', '--until', '2027-01-01']);
    await faces.wallet('access:grant', { grantee: GRANTEE, section: 'training', rights: 'propose', until: Date.parse('2027-01-01') });
    const { cli, wallet } = faces.stored();
    expect(wallet).not.toEqual(cli);
  });
});
