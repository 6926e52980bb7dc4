// Glob patterns of the include/exclude settings: what they match (the files.exclude syntax), the
// same answers as a regular-expression translation on random small patterns and paths, and
// linear time on patterns that make a backtracking matcher search for minutes or longer.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, MAX_GLOB_LENGTH } from '../../../src/model';

const matches = (pattern: string, path: string): boolean => compileGlob(pattern).matches(path);

describe('what a glob matches', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.txt', 'a.txt', true],
    ['*.txt', 'dir/a.txt', false],
    ['*.txt', '.txt', true],
    ['**/*.txt', 'a.txt', true],
    ['**/*.txt', 'dir/sub/a.txt', true],
    ['**/*.txt', 'dir/a.txt.bak', false],
    ['contracts/**', 'contracts/a.txt', true],
    ['contracts/**', 'contracts/x/y/a.md', true],
    ['contracts/**', 'other/contracts/a.txt', false],
    ['**/node_modules/**', 'node_modules/x/readme.md', true],
    ['**/node_modules/**', 'a/node_modules/b/c.txt', true],
    ['**/node_modules/**', 'a/node_modulesx/c.txt', false],
    ['**/.entity-lens/**', 'w/.entity-lens/annotations.jsonl', true],
    ['a/**/b.txt', 'a/b.txt', true],
    ['a/**/b.txt', 'a/x/y/b.txt', true],
    ['a/**/b.txt', 'ab.txt', false],
    ['file-?.txt', 'file-1.txt', true],
    ['file-?.txt', 'file-12.txt', false],
    ['file-?.txt', 'file-/.txt', false],
    ['*.{txt,md}', 'a.md', true],
    ['*.{txt,md}', 'a.pdf', false],
    ['{contracts,invoices}/**/*.{txt,md}', 'invoices/2024/a.md', true],
    ['{a,{b,c}d}.txt', 'cd.txt', true],
    ['{a,{b,c}d}.txt', 'c.txt', false],
    ['report[0-9].txt', 'report7.txt', true],
    ['report[0-9].txt', 'reportx.txt', false],
    ['report[!0-9].txt', 'reportx.txt', true],
    ['report[!0-9].txt', 'report7.txt', false],
    ['*', 'a/b', false],
    ['**', 'a/b', true],
    ['**', '', true],
    ['', '', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY/c', false],
    ['Contract.txt', 'contract.txt', false],
    ['a.b', 'axb', false],
    ['(x)+.txt', '(x)+.txt', true],
    ['😀?.txt', '😀😀.txt', true],
  ];
  for (const [pattern, path, expected] of cases) {
    test(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(path)}`, () => {
      assert.equal(matches(pattern, path), expected);
    });
  }

  test('a pattern longer than the limit is refused', () => {
    assert.throws(() => compileGlob('a'.repeat(MAX_GLOB_LENGTH + 1)), TypeError);
  });
});

/** The same syntax as a regular expression (backtracking: fine for the small cases below). */
function reference(pattern: string): RegExp {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      let j = i;
      while (pattern[j] === '*') j++;
      const start = i === 0 || pattern[i - 1] === '/';
      const endsSegment = j === pattern.length || pattern[j] === '/';
      if (j - i >= 2 && start && endsSegment) {
        if (pattern[j] === '/') {
          out += '(?:[^/]+/)*';
          i = j;
        } else {
          out += '.*';
          i = j - 1;
        }
      } else {
        out += '[^/]*';
        i = j - 1;
      }
    } else if (ch === '?') out += '[^/]';
    else if (ch === '{') {
      out += '(?:';
      depth++;
    } else if (ch === '}' && depth > 0) {
      out += ')';
      depth--;
    } else if (ch === ',' && depth > 0) out += '|';
    else out += ch.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'u');
}

describe('the same answers as a regular expression', () => {
  test('random patterns and paths over a small alphabet', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];
    const patternParts = ['a', 'b', '/', '*', '?', '**/', '{a,b}', '{a/,}', '.'];
    const pathParts = ['a', 'b', '/', '.', 'ab', 'ba/'];
    let compared = 0;
    for (let k = 0; k < 3000; k++) {
      let pattern = '';
      for (let n = 1 + rand(6); n > 0; n--) pattern += pick(patternParts);
      const glob = compileGlob(pattern);
      const re = reference(pattern);
      for (let m = 0; m < 8; m++) {
        let path = '';
        for (let n = rand(7); n > 0; n--) path += pick(pathParts);
        assert.equal(glob.matches(path), re.test(path), `${JSON.stringify(pattern)} on ${JSON.stringify(path)}`);
        compared++;
      }
    }
    assert.equal(compared, 24_000);
  });
});

describe('linear time', () => {
  // each would take a backtracking matcher far longer than the test's timeout
  const hostile: Array<[string, string]> = [
    [`**/${'*a'.repeat(12)}*b`, `${'a'.repeat(10_000)}.txt`],
    [`${'*a'.repeat(30)}*b`, 'a'.repeat(10_000)],
    [`**/${'**/'.repeat(20)}x`, `${'a/'.repeat(5_000)}y`],
    [`{${'a*,'.repeat(50)}b}*c`, 'a'.repeat(10_000)],
  ];
  for (const [pattern, path] of hostile) {
    test(`${pattern.slice(0, 40)}… on a ${path.length}-character path`, { timeout: 20_000 }, () => {
      const glob = compileGlob(pattern);
      assert.equal(glob.matches(path), false);
      assert.ok(glob.states < 4 * pattern.length + 4, `${glob.states} states for ${pattern.length} characters`);
    });
  }

  test('the answer on a long path that matches', () => {
    const glob = compileGlob(`**/${'*a'.repeat(12)}*b`);
    assert.equal(glob.matches(`x/y/${'a'.repeat(10_000)}b`), true);
  });
});
