import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedTransitions,
  convertTags,
  spansToTags,
  tagLabel,
  tagNames,
  tagPrefix,
  tagsToSpans,
  tagsToTokenSpans,
  tokenSpansToTags,
} from '../../../src/model/text/tags';
import type { Span, TagScheme, Token } from '../../../src/model/core/types';
import { prng } from '../../../src/model/core/random';

const SCHEMES: TagScheme[] = ['BILOU', 'BIO', 'IO'];
const LABELS = ['PARTY', 'DATE', 'GOVERNING-LAW'];

function randInt(rand: () => number, n: number): number {
  return Math.floor(rand() * n);
}

/** Tokens of a whitespace-separated text: "The Seller shall" → [0,3) [4,10) [11,16). */
function tokenize(text: string): Token[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({
    text: m[0],
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
  }));
}

/** Tokens with random lengths (including surrogate pairs) and gaps. */
function randomTokens(rand: () => number, count: number): Token[] {
  const pieces = ['a', 'Ab', '1.000,00', '€', '😀', 'GmbH', '§', 'x-y'];
  const tokens: Token[] = [];
  let offset = randInt(rand, 3);
  for (let i = 0; i < count; i++) {
    const text = pieces[randInt(rand, pieces.length)];
    tokens.push({ text, start: offset, end: offset + text.length });
    offset += text.length + randInt(rand, 3); // gap 0 = tokens touching, e.g. "1.000,00€"
  }
  return tokens;
}

/** Random sorted, non-overlapping, token-aligned spans, often adjacent with the same label. */
function randomSpans(rand: () => number, tokens: Token[], labels: string[]): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (rand() < 0.4) {
      const end = Math.min(tokens.length, i + 1 + randInt(rand, 4));
      spans.push({ start: tokens[i].start, end: tokens[end - 1].end, label: labels[randInt(rand, labels.length)] });
      i = end;
    } else {
      i++;
    }
  }
  return spans;
}

/** Same-label spans that touch in token terms become one, which is all IO can express. */
function mergeAdjacentSameLabel(tokens: Token[], spans: Span[]): Span[] {
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    const lastTokenIndex = last ? tokens.findIndex((t) => t.end === last.end) : -1;
    if (last && last.label === s.label && tokens[lastTokenIndex + 1]?.start === s.start) last.end = s.end;
    else merged.push({ ...s });
  }
  return merged;
}

function isAllowedSequence(tags: string[], allTags: string[], scheme: TagScheme): boolean {
  const { start, end, trans } = allowedTransitions(allTags, scheme);
  const idx = tags.map((t) => allTags.indexOf(t));
  if (idx.length === 0) return true;
  if (!start[idx[0]] || !end[idx[idx.length - 1]]) return false;
  return idx.every((j, k) => k === 0 || trans[idx[k - 1]][j]);
}

/** Random walk over the allowed transitions, ending on an allowed end tag. */
function randomValidSequence(rand: () => number, allTags: string[], scheme: TagScheme, length: number): string[] {
  const { start, end, trans } = allowedTransitions(allTags, scheme);
  const out: number[] = [];
  for (let k = 0; k < length; k++) {
    const candidates = allTags
      .map((_, j) => j)
      .filter((j) => (k === 0 ? start[j] : trans[out[k - 1]][j]) && (k < length - 1 || end[j]));
    assert.ok(candidates.length > 0, 'a valid continuation always exists');
    out.push(candidates[randInt(rand, candidates.length)]);
  }
  return out.map((j) => allTags[j]);
}

/** Tokens at 0,2,4,…: enough for tests that only care about indices. */
function indexTokens(count: number): Token[] {
  return Array.from({ length: count }, (_, i) => ({ text: 't', start: 2 * i, end: 2 * i + 1 }));
}

describe('tag names', () => {
  test('O first, then each label in order with its prefixes', () => {
    assert.deepEqual(tagNames(['PARTY', 'DATE'], 'BILOU'), [
      'O',
      'B-PARTY',
      'I-PARTY',
      'L-PARTY',
      'U-PARTY',
      'B-DATE',
      'I-DATE',
      'L-DATE',
      'U-DATE',
    ]);
    assert.deepEqual(tagNames(['PARTY', 'DATE'], 'BIO'), ['O', 'B-PARTY', 'I-PARTY', 'B-DATE', 'I-DATE']);
    assert.deepEqual(tagNames(['PARTY', 'DATE'], 'IO'), ['O', 'I-PARTY', 'I-DATE']);
    assert.deepEqual(tagNames([], 'BILOU'), ['O']);
  });

  test('rejects duplicate and empty labels', () => {
    assert.throws(() => tagNames(['DATE', 'DATE'], 'BIO'), /duplicate/);
    assert.throws(() => tagNames([''], 'BIO'), /empty/);
  });

  test('prefix and label, with hyphens inside labels', () => {
    assert.equal(tagPrefix('O'), 'O');
    assert.equal(tagLabel('O'), null);
    assert.equal(tagPrefix('L-GOVERNING-LAW'), 'L');
    assert.equal(tagLabel('L-GOVERNING-LAW'), 'GOVERNING-LAW');
    for (const bad of ['', 'X', 'B-', 'BX-DATE', 'E-DATE', 'O-DATE', 'b-DATE']) {
      assert.throws(() => tagPrefix(bad), /malformed/, bad);
    }
  });
});

describe('spans to tags', () => {
  const text = 'The Seller ACME GmbH pays EUR 1.000,00 on 1 March 2024 .';
  const tokens = tokenize(text);
  const at = (s: string): number => text.indexOf(s);
  const spans: Span[] = [
    { start: at('ACME'), end: at('ACME GmbH') + 'ACME GmbH'.length, label: 'PARTY' },
    { start: at('EUR'), end: at('1.000,00') + 8, label: 'AMOUNT' },
    { start: at('1 March'), end: at('2024') + 4, label: 'DATE' },
  ];

  test('BILOU, BIO and IO encodings', () => {
    assert.deepEqual(spansToTags(tokens, spans, 'BILOU'), [
      'O',
      'O',
      'B-PARTY',
      'L-PARTY',
      'O',
      'B-AMOUNT',
      'L-AMOUNT',
      'O',
      'B-DATE',
      'I-DATE',
      'L-DATE',
      'O',
    ]);
    assert.deepEqual(spansToTags(tokens, spans, 'BIO'), [
      'O',
      'O',
      'B-PARTY',
      'I-PARTY',
      'O',
      'B-AMOUNT',
      'I-AMOUNT',
      'O',
      'B-DATE',
      'I-DATE',
      'I-DATE',
      'O',
    ]);
    assert.deepEqual(spansToTags(tokens, spans, 'IO'), [
      'O',
      'O',
      'I-PARTY',
      'I-PARTY',
      'O',
      'I-AMOUNT',
      'I-AMOUNT',
      'O',
      'I-DATE',
      'I-DATE',
      'I-DATE',
      'O',
    ]);
    assert.deepEqual(
      spansToTags(tokens, [{ start: at('2024'), end: at('2024') + 4, label: 'DATE' }], 'BILOU').slice(9, 11),
      ['O', 'U-DATE'],
    );
  });

  test('round trip for each scheme', () => {
    for (const scheme of SCHEMES) {
      assert.deepEqual(tagsToSpans(tokens, spansToTags(tokens, spans, scheme), scheme), spans, scheme);
    }
  });

  test('a token belongs to a span it only partly overlaps', () => {
    // "Seller ACME G" → tokens "Seller", "ACME", "GmbH"
    const partial = [{ start: at('ller'), end: at('GmbH') + 1, label: 'PARTY' }];
    assert.deepEqual(spansToTags(tokens, partial, 'BILOU').slice(0, 5), ['O', 'B-PARTY', 'I-PARTY', 'L-PARTY', 'O']);
  });

  test('spans covering no token and empty spans are dropped', () => {
    const between = at(' pays'); // the space before "pays"
    assert.deepEqual(
      spansToTags(tokens, [{ start: between, end: between + 1, label: 'X' }], 'BIO'),
      tokens.map(() => 'O'),
    );
    assert.deepEqual(
      spansToTags(tokens, [{ start: at('pays') + 1, end: at('pays') + 1, label: 'X' }], 'BIO'),
      tokens.map(() => 'O'),
    );
  });

  test('overlapping spans: the earlier (then longer, then label-first) one is kept, whatever the input order', () => {
    const date = spans[2];
    const overlapping: Span[] = [
      { start: at('March'), end: date.end, label: 'DATE' }, // starts later: dropped
      date,
      { start: date.start, end: at('March') + 5, label: 'AMOUNT' }, // same start, shorter: dropped
    ];
    const expected = spansToTags(tokens, [date], 'BILOU');
    assert.deepEqual(spansToTags(tokens, overlapping, 'BILOU'), expected);
    assert.deepEqual(spansToTags(tokens, [...overlapping].reverse(), 'BILOU'), expected);

    const tie: Span[] = [
      { start: date.start, end: date.end, label: 'PERIOD' },
      { start: date.start, end: date.end, label: 'DATE' },
    ];
    assert.deepEqual(spansToTags(tokens, tie, 'BIO'), spansToTags(tokens, [date], 'BIO'));
  });

  test('spans that do not overlap but share a token: the earlier one keeps it', () => {
    const toks: Token[] = [
      { text: '1.000,00€', start: 0, end: 9 },
      { text: 'net', start: 10, end: 13 },
    ];
    const tags = spansToTags(
      toks,
      [
        { start: 8, end: 9, label: 'CURRENCY' },
        { start: 0, end: 8, label: 'AMOUNT' },
      ],
      'BILOU',
    );
    assert.deepEqual(tags, ['U-AMOUNT', 'O']);
  });

  test('IO merges adjacent spans of one label, as documented', () => {
    const two: Span[] = [
      { start: at('1 March'), end: at('1 March') + 1, label: 'DATE' },
      { start: at('March'), end: at('2024') + 4, label: 'DATE' },
    ];
    assert.deepEqual(tagsToSpans(tokens, spansToTags(tokens, two, 'BILOU'), 'BILOU'), two);
    assert.deepEqual(tagsToSpans(tokens, spansToTags(tokens, two, 'BIO'), 'BIO'), two);
    assert.deepEqual(tagsToSpans(tokens, spansToTags(tokens, two, 'IO'), 'IO'), [spans[2]]);
  });

  test('rejects unsorted tokens and a wrong tag count', () => {
    const swapped = [tokens[1], tokens[0]];
    assert.throws(() => spansToTags(swapped, [], 'BIO'), /sorted/);
    assert.throws(() => tagsToSpans(tokens, ['O'], 'BIO'), /1 tags for 12 tokens/);
  });
});

describe('random spans round-trip', () => {
  test('BILOU and BIO reproduce token-aligned spans exactly; IO up to merging', () => {
    const rand = prng(20240301);
    for (let trial = 0; trial < 500; trial++) {
      const tokens = randomTokens(rand, randInt(rand, 30));
      const spans = randomSpans(rand, tokens, LABELS.slice(0, 1 + randInt(rand, LABELS.length)));
      for (const scheme of ['BILOU', 'BIO'] as const) {
        assert.deepEqual(
          tagsToSpans(tokens, spansToTags(tokens, spans, scheme), scheme),
          spans,
          `${scheme} trial ${trial}`,
        );
      }
      assert.deepEqual(
        tagsToSpans(tokens, spansToTags(tokens, spans, 'IO'), 'IO'),
        mergeAdjacentSameLabel(tokens, spans),
        `IO trial ${trial}`,
      );
    }
  });
});

describe('decoding repairs invalid sequences', () => {
  const decode = (tags: string[], scheme: TagScheme): Span[] => tagsToTokenSpans(tags, scheme);
  const X = (start: number, end: number): Span => ({ start, end, label: 'X' });
  const Y = (start: number, end: number): Span => ({ start, end, label: 'Y' });

  test('BILOU hand cases', () => {
    assert.deepEqual(decode(['O', 'I-X', 'L-X', 'O'], 'BILOU'), [X(1, 3)]);
    assert.deepEqual(decode(['B-X', 'O'], 'BILOU'), [X(0, 1)]);
    assert.deepEqual(decode(['B-X'], 'BILOU'), [X(0, 1)]);
    assert.deepEqual(decode(['B-X', 'I-Y'], 'BILOU'), [X(0, 1), Y(1, 2)]);
    assert.deepEqual(decode(['B-X', 'I-X', 'L-Y'], 'BILOU'), [X(0, 2), Y(2, 3)]);
    assert.deepEqual(decode(['B-X', 'B-X', 'L-X'], 'BILOU'), [X(0, 1), X(1, 3)]);
    assert.deepEqual(decode(['L-X', 'L-X'], 'BILOU'), [X(0, 1), X(1, 2)]);
    assert.deepEqual(decode(['U-X', 'I-X', 'L-X'], 'BILOU'), [X(0, 1), X(1, 3)]);
    assert.deepEqual(decode(['B-X', 'U-X'], 'BILOU'), [X(0, 1), X(1, 2)]);
    assert.deepEqual(decode(['I-X', 'I-X'], 'BILOU'), [X(0, 2)]);
  });

  test('BIO and IO hand cases', () => {
    assert.deepEqual(decode(['I-X', 'I-X'], 'BIO'), [X(0, 2)]);
    assert.deepEqual(decode(['O', 'I-X', 'I-Y', 'B-X', 'B-X', 'I-X'], 'BIO'), [X(1, 2), Y(2, 3), X(3, 4), X(4, 6)]);
    assert.deepEqual(decode(['I-X', 'I-X', 'I-Y', 'O', 'I-X'], 'IO'), [X(0, 2), Y(2, 3), X(4, 5)]);
    assert.deepEqual(decode([], 'BIO'), []);
  });

  test('tags of another scheme are rejected, not guessed', () => {
    assert.throws(() => decode(['U-X'], 'BIO'), /BIO scheme/);
    assert.throws(() => decode(['B-X'], 'IO'), /IO scheme/);
    assert.throws(() => allowedTransitions(['O', 'L-X'], 'BIO'), /BIO scheme/);
  });

  test('random sequences decode to in-bounds, non-overlapping spans, deterministically', () => {
    const rand = prng(7);
    for (const scheme of SCHEMES) {
      const allTags = tagNames(['X', 'Y'], scheme);
      for (let trial = 0; trial < 1000; trial++) {
        const tokens = randomTokens(rand, 1 + randInt(rand, 15));
        const tags = Array.from(tokens, () => allTags[randInt(rand, allTags.length)]);
        const spans = tagsToSpans(tokens, tags, scheme);
        assert.deepEqual(tagsToSpans(tokens, [...tags], scheme), spans);
        let previousEnd = -Infinity;
        for (const s of spans) {
          assert.ok(s.start >= previousEnd && s.start < s.end, `${scheme}: ${tags.join(' ')}`);
          assert.ok(tokens.some((t) => t.start === s.start) && tokens.some((t) => t.end === s.end));
          previousEnd = s.end;
        }
        // Repair is idempotent: the repaired encoding decodes to the same spans.
        assert.deepEqual(tagsToSpans(tokens, spansToTags(tokens, spans, scheme), scheme), spans);
      }
    }
  });
});

describe('allowed transitions', () => {
  const at = (tags: string[], from: string, to: string, scheme: TagScheme): boolean =>
    allowedTransitions(tags, scheme).trans[tags.indexOf(from)][tags.indexOf(to)];

  test('BILOU', () => {
    const tags = tagNames(['X', 'Y'], 'BILOU');
    const { start, end } = allowedTransitions(tags, 'BILOU');
    assert.deepEqual(
      tags.filter((_, i) => start[i]),
      ['O', 'B-X', 'U-X', 'B-Y', 'U-Y'],
    );
    assert.deepEqual(
      tags.filter((_, i) => end[i]),
      ['O', 'L-X', 'U-X', 'L-Y', 'U-Y'],
    );
    for (const from of ['B-X', 'I-X']) {
      assert.deepEqual(
        tags.filter((to) => at(tags, from, to, 'BILOU')),
        ['I-X', 'L-X'],
        from,
      );
    }
    for (const from of ['O', 'L-X', 'U-X']) {
      assert.deepEqual(
        tags.filter((to) => at(tags, from, to, 'BILOU')),
        ['O', 'B-X', 'U-X', 'B-Y', 'U-Y'],
        from,
      );
    }
  });

  test('BIO', () => {
    const tags = tagNames(['X', 'Y'], 'BIO');
    const { start, end } = allowedTransitions(tags, 'BIO');
    assert.deepEqual(
      tags.filter((_, i) => start[i]),
      ['O', 'B-X', 'B-Y'],
    );
    assert.ok(end.every(Boolean));
    assert.equal(at(tags, 'B-X', 'I-X', 'BIO'), true);
    assert.equal(at(tags, 'I-X', 'I-X', 'BIO'), true);
    assert.equal(at(tags, 'O', 'I-X', 'BIO'), false);
    assert.equal(at(tags, 'B-Y', 'I-X', 'BIO'), false);
    assert.equal(at(tags, 'I-Y', 'B-X', 'BIO'), true);
    assert.equal(at(tags, 'B-X', 'O', 'BIO'), true);
  });

  test('IO allows everything', () => {
    const { start, end, trans } = allowedTransitions(tagNames(['X', 'Y'], 'IO'), 'IO');
    assert.ok(start.every(Boolean) && end.every(Boolean) && trans.every((row) => row.every(Boolean)));
  });

  test('follows the order of the given tags', () => {
    const tags = ['L-X', 'O', 'B-X'];
    const { start, trans } = allowedTransitions(tags, 'BILOU');
    assert.deepEqual(start, [false, true, true]);
    assert.deepEqual(trans[2], [true, false, false]);
  });

  test('allowed sequences decode without repair and re-encode to themselves', () => {
    const rand = prng(99);
    for (const scheme of SCHEMES) {
      const allTags = tagNames(['X', 'Y'], scheme);
      for (let trial = 0; trial < 500; trial++) {
        const tags = randomValidSequence(rand, allTags, scheme, 1 + randInt(rand, 20));
        const tokens = indexTokens(tags.length);
        assert.deepEqual(
          spansToTags(tokens, tagsToSpans(tokens, tags, scheme), scheme),
          tags,
          `${scheme}: ${tags.join(' ')}`,
        );
      }
    }
  });

  test('and only they: a random sequence re-encodes to itself iff it is allowed', () => {
    const rand = prng(123);
    for (const scheme of ['BILOU', 'BIO'] as const) {
      const allTags = tagNames(['X', 'Y'], scheme);
      let allowedSeen = 0;
      for (let trial = 0; trial < 3000; trial++) {
        const tags = Array.from({ length: 1 + randInt(rand, 5) }, () => allTags[randInt(rand, allTags.length)]);
        const allowed = isAllowedSequence(tags, allTags, scheme);
        if (allowed) allowedSeen++;
        const reencoded = convertTags(tags, scheme, scheme);
        assert.equal(reencoded.join(' ') === tags.join(' '), allowed, `${scheme}: ${tags.join(' ')}`);
      }
      assert.ok(allowedSeen > 50, `${scheme}: the test saw ${allowedSeen} allowed sequences`);
    }
  });
});

describe('convert between schemes', () => {
  test('BILOU ↔ BIO ↔ IO', () => {
    const bilou = ['B-X', 'L-X', 'U-X', 'O', 'U-Y', 'B-Y', 'I-Y', 'L-Y'];
    const bio = ['B-X', 'I-X', 'B-X', 'O', 'B-Y', 'B-Y', 'I-Y', 'I-Y'];
    const io = ['I-X', 'I-X', 'I-X', 'O', 'I-Y', 'I-Y', 'I-Y', 'I-Y'];
    assert.deepEqual(convertTags(bilou, 'BILOU', 'BIO'), bio);
    assert.deepEqual(convertTags(bio, 'BIO', 'BILOU'), bilou);
    assert.deepEqual(convertTags(bilou, 'BILOU', 'IO'), io);
    assert.deepEqual(convertTags(io, 'IO', 'BILOU'), ['B-X', 'I-X', 'L-X', 'O', 'B-Y', 'I-Y', 'I-Y', 'L-Y']);
  });

  test('repairs on the way', () => {
    assert.deepEqual(convertTags(['O', 'I-X', 'I-X'], 'BIO', 'BILOU'), ['O', 'B-X', 'L-X']);
  });

  test('token spans must be sorted, in range and disjoint', () => {
    assert.throws(() =>
      tokenSpansToTags(
        3,
        [
          { start: 1, end: 3, label: 'X' },
          { start: 2, end: 3, label: 'Y' },
        ],
        'BIO',
      ),
    );
    assert.throws(() => tokenSpansToTags(3, [{ start: 2, end: 4, label: 'X' }], 'BIO'));
    assert.throws(() => tokenSpansToTags(3, [{ start: 1, end: 1, label: 'X' }], 'BIO'));
  });
});
