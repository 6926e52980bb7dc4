// The rule annotators scan any text in linear time, by construction: every pattern of theirs
// is made with rule() and has bounded matches and lookarounds (a backtracking matcher then does
// bounded work at each start position), every pattern using \p{...} has the u flag (without it
// \p{L} is the letters p, {, L, } and a look-behind meant to stop a scan mid-number stops
// nothing: the amount rule took 43 s on 200k digits), and no pattern is defined outside rule().
// Adversarial lines (a million digits, group separators, spaces, letters, repeated keywords)
// are annotated here for what they yield; their time is the reliability suite's (generous bound).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { annotate } from '../../../src/model';
import { rulePatterns } from '../../../src/model/rules/common';
import { ROOT } from '../../fixtures/paths';
import { regexLength } from '../../fixtures/regex-length';

/** Longest match or lookaround any rule pattern may have. */
const MAX_LENGTH = 4000;

describe('rule patterns are linear-time by construction', () => {
  test('the length counter reads bounds right', () => {
    assert.equal(regexLength(/\d+/).max, Infinity);
    assert.equal(regexLength(/a{2,5}(?:bc|d)?/).max, 7);
    assert.equal(regexLength(/x(?=\s*y)/).lookaround, Infinity);
    assert.equal(regexLength(/(?<![\p{L}\p{N}])[a-z]{1,3}\b/u).max, 6);
    assert.equal(regexLength(/(ab|c)\1/).max, 4);
    assert.equal(regexLength(/[^\]x]{0,10}/).max, 20);
  });

  test('every pattern of the rules has bounded matches and lookarounds', () => {
    const patterns = rulePatterns();
    assert.ok(patterns.length > 50, `only ${patterns.length} patterns recorded`);
    const unbounded = patterns
      .map((re) => ({ re, ...regexLength(re) }))
      .filter(({ max, lookaround }) => !(max <= MAX_LENGTH && lookaround <= MAX_LENGTH))
      .map(({ re, max, lookaround }) => `max ${max}, lookaround ${lookaround}: /${re.source.slice(0, 160)}/`);
    assert.deepEqual(unbounded, []);
  });

  test('every pattern that uses \\p{...} has the u flag', () => {
    const wrong = rulePatterns()
      .filter((re) => /\\[pP]\{/.test(re.source) && !re.unicode)
      .map((re) => `/${re.source.slice(0, 120)}/${re.flags}`);
    assert.deepEqual(wrong, []);
  });

  test('no regular expression in src/model/rules is defined outside rule()', () => {
    const dir = path.join(ROOT, 'src', 'model', 'rules');
    const outside: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(dir, file), 'utf8');
      // module-level patterns, and patterns built from strings anywhere
      for (const m of src.matchAll(/^(?:export )?const \w+(?::\s*RegExp)? =\s*(?!rule\()(\/(?![/*])|new RegExp\()/gm)) {
        outside.push(`${file}: ${src.slice(m.index, m.index + 60).split('\n')[0]}`);
      }
      for (const m of src.matchAll(/new RegExp\(/g)) {
        if (!/rule\(\s*$/.test(src.slice(Math.max(0, (m.index ?? 0) - 12), m.index))) {
          outside.push(`${file}: ${src.slice(m.index, (m.index ?? 0) + 60)}`);
        }
      }
    }
    assert.deepEqual(outside, []);
  });
});

describe('adversarial lines', () => {
  const N = 200_000;
  const lines: Array<[string, string]> = [
    ['digits', '7'.repeat(N)],
    ['digits and a decimal point', `${'1'.repeat(N)}.`],
    ['comma groups', `1${',000'.repeat(N / 4)}`],
    ['dot groups', `1${'.000'.repeat(N / 4)}`],
    ['spaces', `a${' '.repeat(N)}b`],
    ['capitals', 'A'.repeat(N)],
    ['a receipt column', 'TOTAL\n1.00\n'.repeat(N / 11)],
    ['amounts on one line', 'TOTAL 1.00 '.repeat(N / 11)],
    ['BIC-shaped words', 'DEUTDEFF '.repeat(N / 9)],
    ['invoice numbers', 'invoice 1234567890123456789012345678901234567890 '.repeat(N / 49)],
    ['governing law', 'governed by the laws of '.repeat(N / 24)],
    ['dollar signs', '$'.repeat(N)],
    ['parentheses', '('.repeat(N)],
    ['number words', 'five thousand '.repeat(N / 14)],
    ['underscores after a month', `September ${'_'.repeat(N)}`],
    ['account digits', `Account No: ${'1 '.repeat(N / 2)}`],
  ];
  for (const [name, text] of lines) {
    test(`${name}: annotated, every span inside the text and aligned`, () => {
      const spans = annotate(text);
      for (const s of spans) assert.ok(s.start >= 0 && s.start < s.end && s.end <= text.length);
      // a million-digit run is not an amount, a date or an identifier
      if (name.startsWith('digits') || name.endsWith('groups')) assert.deepEqual(spans, []);
    });
  }

  test('a million characters of dates: every one found (no argument-count limit on the way)', () => {
    const text = 'May 5, 2024 '.repeat(1_000_000 / 12);
    const spans = annotate(text);
    assert.equal(spans.length, Math.floor(1_000_000 / 12));
    assert.ok(spans.every((s) => text.slice(s.start, s.end) === 'May 5, 2024'));
  });

  test('real amounts next to long digit runs are still found', () => {
    const text = `${'9'.repeat(50_000)} TOTAL $1,250.00\nCASH 10.00\n`;
    const found = annotate(text).map((s) => text.slice(s.start, s.end));
    assert.deepEqual(found, ['$1,250.00', '10.00']);
  });
});
