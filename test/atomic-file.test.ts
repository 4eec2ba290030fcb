// Atomic file writes in a folder someone else may have planted links in: no write goes through a symbolic
// link (at the target, or at a temporary name that can be guessed), every file is 0600 whatever the umask,
// and a failed write leaves the target as it was and no temporary file behind.
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriteError, makeOutputFolder, SymlinkRefusedError, writeFileAtomic } from '../src-main/adapters/fs/atomic-file.ts';
import { tempDir } from './helpers.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

function withUmask<T>(umask: number, f: () => T): T {
  const old = process.umask(umask);
  try {
    return f();
  } finally {
    process.umask(old);
  }
}

describe('writeFileAtomic', () => {
  it('does not write through a link planted at the temporary name the old code predicted (<out>.tmp-<pid>)', () => {
    const dir = tempDir();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    const out = join(dir, 'archive.defaust');
    symlinkSync(victim, `${out}.tmp-${process.pid}`);
    writeFileAtomic(out, 'the archive');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(out, 'utf8')).toBe('the archive');
    expect(lstatSync(out).isSymbolicLink()).toBe(false);
  });

  it('refuses a symbolic link at the target itself, dangling or not, and leaves it and what it names alone', () => {
    const dir = tempDir();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    const link = join(dir, 'out');
    symlinkSync(victim, link);
    expect(() => writeFileAtomic(link, 'x')).toThrow(SymlinkRefusedError);
    expect(() => writeFileAtomic(link, 'x')).toThrow(expect.objectContaining({ code: 'file-is-symlink', path: link }));
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readlinkSync(link)).toBe(victim);
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'not-yet'), dangling);
    expect(() => writeFileAtomic(dangling, 'x')).toThrow(SymlinkRefusedError);
    expect(readdirSync(dir).sort()).toEqual(['dangling', 'out', 'victim']);
  });

  it('writes 0600 whatever the umask, also over an existing 0644 file, and leaves no temporary file', () => {
    const dir = tempDir();
    const fresh = join(dir, 'fresh');
    const old = join(dir, 'old');
    writeFileSync(old, 'old', { mode: 0o644 });
    withUmask(0, () => {
      writeFileAtomic(fresh, new Uint8Array([1, 2, 3]));
      writeFileAtomic(old, 'new');
    });
    expect(mode(fresh)).toBe(0o600);
    expect(mode(old)).toBe(0o600);
    expect(readFileSync(old, 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['fresh', 'old']);
  });

  it('a failed write (the target is a folder) is a typed error; the target is as it was and no temporary file is left', () => {
    const dir = tempDir();
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'kept');
    expect(() => writeFileAtomic(target, 'x')).toThrow(FileWriteError);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('kept');
    expect(() => writeFileAtomic(join(dir, 'no-such-folder', 'f'), 'x')).toThrow(expect.objectContaining({ code: 'file-write', errno: 'ENOENT' }));
  });

  it('a target name of 255 characters (the most a name may have) is written: the temporary name stays short enough', () => {
    const dir = tempDir();
    const long = join(dir, 'x'.repeat(255));
    writeFileAtomic(long, 'fits');
    expect(readdirSync(dir)).toEqual(['x'.repeat(255)]);
  });
});

describe('makeOutputFolder', () => {
  it('makes the folder, accepts an existing one, and refuses a symbolic link to a folder', () => {
    const dir = tempDir();
    makeOutputFolder(join(dir, 'a', 'b'));
    makeOutputFolder(join(dir, 'a', 'b'));
    expect(statSync(join(dir, 'a', 'b')).isDirectory()).toBe(true);
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(dir, 'link'));
    expect(() => makeOutputFolder(join(dir, 'link'))).toThrow(SymlinkRefusedError);
  });
});
