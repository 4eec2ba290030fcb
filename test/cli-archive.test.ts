// The archive tier from the command line, as a person runs it: a year of blocks, `archive status`, a move
// before a date that signs a checkpoint, the same move again (nothing to sign), and then everything that
// reads bodies still works on the archived ones — verify, show, prove included --reveal checked offline in
// another home, an archive file exported and read by a stranger, and a publish to replicas on loopback from
// which a new machine recovers the whole chain. A bad date is one clear line.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { expectCleanError, PASS, run, serve, stopNode, type ServedNode } from './cli-helpers.ts';
import { tempDir, TestClock } from './helpers.ts';

const DAY = 86_400_000;

describe('archive status and archive move', { timeout: 300_000 }, () => {
  const dir = tempDir('defaust-cli-archive-');
  const owner = join(dir, 'owner');
  const clock = new TestClock(Date.UTC(2025, 0, 1));
  const h = new Home(owner, { clock });
  const { profile, mnemonic } = h.init(PASS);
  // One block a day for a year: the fastest way is writes in this process, each one block as `set` makes.
  for (let day = 0; day < 365; day++) {
    clock.advance(DAY);
    profile.set(day % 2 === 0 ? 'fitness' : 'contact', `field${day % 30}`, `day ${day}`);
  }
  const shown = profile.current();
  h.close();
  const cli = (args: string[], home = owner) => {
    const r = run(['--home', home, ...args, '--json'], { env: { DEFAUST_NOW: new Date(clock.now() + DAY).toISOString() } });
    expect(r.code, r.stderr).toBe(0);
    return r.json();
  };

  it('moves the bodies of the first half-year after a checkpoint; a second move signs nothing', () => {
    const before = cli(['archive', 'status']);
    expect(before).toMatchObject({ archive: { segments: 0, through: 0 } });
    const moved = cli(['archive', 'move', '--before', '2025-07-01']);
    expect(moved).toMatchObject({ checkpoint: { kind: 'checkpoint', seq: before.blocks }, moved: { segments: 1 } });
    expect(moved.moved.bodies).toBeGreaterThanOrEqual(180);
    const after = cli(['archive', 'status']);
    expect(after).toMatchObject({ blocks: before.blocks + 1, archive: { through: moved.through, bodies: moved.moved.bodies } });
    expect(after.hot.bodies).toBe(before.hot.bodies - moved.moved.bodies);
    expect(cli(['archive', 'move', '--before', '2025-07-01'])).toMatchObject({ checkpoint: null, moved: { bodies: 0 } });
    const text = run(['--home', owner, 'archive', 'status']);
    expect(text.stdout).toMatch(new RegExp(`archive: ${moved.moved.bodies} bodies of blocks 0\\.\\.${moved.through - 1}`, 'u'));
  });

  it('archived bodies still verify, show, prove, reveal and export', () => {
    expect(cli(['verify'])).toMatchObject({ ok: true });
    const show = cli(['show']) as Record<string, unknown>;
    expect(show.fitness).toEqual(shown.fitness!.fields);
    expect(show.contact).toEqual(shown.contact!.fields);
    const bundle = join(dir, 'day-3.json');
    cli(['prove', 'included', '5', '--reveal', '--out', bundle]);
    const verifier = join(dir, 'verifier');
    run(['--home', verifier, 'init']);
    expect(cli(['verify-inclusion', bundle], verifier)).toMatchObject({ valid: true, seq: 5, revealed: [{ ops: [expect.objectContaining({ op: 'set' })] }] });

    const file = join(dir, 'owner.defaust');
    cli(['export', '--out', file]);
    // A stranger reads the archive file: it verifies whole, archived bodies included.
    const read = run(['--home', verifier, 'read', file, '--json']);
    expect(read.code, read.stderr).toBe(0);
  });

  describe('over loopback', () => {
    const nodes: ServedNode[] = [];
    afterAll(async () => {
      await Promise.all(nodes.map(stopNode));
    }, 60_000);

    it('a replica takes the archived bodies in a publish, and a new machine recovers the whole chain from it', async () => {
      const boot = await serve(join(dir, 'boot'), []);
      nodes.push(boot, ...(await Promise.all(['r1', 'r2'].map((name) => serve(join(dir, name), [boot.addrs[0]!])))));
      const net = ['--bootstrap', boot.addrs[0]!];
      cli(['publish', ...net]);
      const laptop = join(dir, 'laptop');
      const recovered = run(['--home', laptop, 'recover', ...net, '--json'], { input: mnemonic });
      expect(recovered.code, recovered.stderr).toBe(0);
      expect(recovered.json()).toMatchObject({ chain: true });
      expect(cli(['verify'], laptop)).toMatchObject({ ok: true });
      const theirs = cli(['log'], laptop) as { cid: string }[];
      expect(theirs.slice(0, -1)).toEqual(cli(['log'])); // and the laptop's own device-add after
      // The laptop holds every body hot, the archived ones included: it shows the same profile.
      expect(cli(['show'], laptop)).toEqual(cli(['show']));
    }, 180_000);
  });

  it('a date that is not one, or no date, is one clear line and moves nothing', () => {
    expectCleanError(run(['--home', owner, 'archive', 'move', '--before', '2025-02-30']), /--before must be a date/u);
    expectCleanError(run(['--home', owner, 'archive', 'move']), /--before DATE/u, 2);
    expect(cli(['archive', 'status']).archive.bodies).toBeGreaterThanOrEqual(180);
  });
});
