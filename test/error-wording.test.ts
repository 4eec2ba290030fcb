// Rule 6 of the house: no user-facing wording is made by matching an error's message. The app floor and the
// renderer read an error's `code` and its context fields; this test greps their source for a regex, `match`,
// `includes` or `startsWith` over a `.message`, so a new one fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const FLOORS = ['src-main/app', 'src-renderer'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/u.test(name) && !/\.test\.tsx?$/u.test(name) ? [path] : [];
  });
}

/** A regex tested or executed over a message, or a message matched, searched or compared by its words. */
const PARSES_A_MESSAGE = [
  /\.(?:test|exec)\(\s*[\w.?]*message\b/u,
  /\bmessage\??\.(?:match|matchAll|includes|startsWith|endsWith|search|indexOf|replace)\(/u,
  /\bString\(\s*(?:e|err|error)\s*\)\.(?:match|includes|startsWith|endsWith|search|indexOf)\(/u,
];

function messageParses(text: string): string[] {
  return text.split('\n').filter((line) => PARSES_A_MESSAGE.some((pattern) => pattern.test(line)));
}

describe('error wording', () => {
  it('the patterns catch the shapes they stand for', () => {
    expect(messageParses("replayed: /already received/u.test(error.message) ? 'a' : 'b'")).toHaveLength(1);
    expect(messageParses('const s = /changes to (\\S+)$/u.exec(error.message)?.[1];')).toHaveLength(1);
    expect(messageParses("if (e.message.includes('timeout')) return;")).toHaveLength(1);
    expect(messageParses('const m = err.message.match(/x/u);')).toHaveLength(1);
    expect(messageParses("if (error.seen === 'received') return;")).toHaveLength(0);
  });

  it('no source in src-main/app or src-renderer parses an error message', () => {
    const found = FLOORS.flatMap((floor) => sources(join(root, floor)))
      .flatMap((path) => messageParses(readFileSync(path, 'utf8')).map((line) => `${relative(root, path)}: ${line.trim()}`));
    expect(found).toEqual([]);
  });
});
