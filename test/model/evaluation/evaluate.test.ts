import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSpans, formatConfusion, formatReport, NONE } from '../../../src/model/evaluation/evaluate';
import type { EvalReport, LabelScore } from '../../../src/model/evaluation/evaluate';
import type { Span } from '../../../src/model/core/types';

const span = (label: string, start: number, end: number): Span => ({ start, end, label });

function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: expected ${expected}, got ${actual}`);
}

function score(report: EvalReport, label: string): LabelScore {
  const found = report.labels.find((s) => s.label === label);
  assert.ok(found, `no score for ${label}`);
  return found;
}

/** No NaN or Infinity anywhere in the report (null is the only "not meaningful"). */
function assertAllFinite(report: EvalReport): void {
  JSON.stringify(report, (_, value: unknown) => {
    if (typeof value === 'number') assert.ok(Number.isFinite(value), `non-finite number in report`);
    return value;
  });
}

describe('evaluateSpans', () => {
  test('3 gold, 2 predicted, 1 exact match; a boundary error is both FP and FN', () => {
    const gold = [[span('PARTY', 0, 4), span('DATE', 10, 20), span('AMOUNT', 30, 35)]];
    const pred = [[span('PARTY', 0, 4), span('DATE', 10, 15)]];
    const r = evaluateSpans(gold, pred);

    assert.deepEqual(
      r.labels.map((s) => s.label),
      ['AMOUNT', 'DATE', 'PARTY'],
    );
    assert.deepEqual(r.micro, { ...r.micro, tp: 1, fp: 1, fn: 2 });
    close(r.micro.precision, 1 / 2, 'micro P');
    close(r.micro.recall, 1 / 3, 'micro R');
    close(r.micro.f1, 0.4, 'micro F1'); // 2 · .5 · .333 / .833

    const date = score(r, 'DATE');
    assert.deepEqual(date, {
      label: 'DATE',
      tp: 0,
      fp: 1,
      fn: 1,
      precision: 0,
      recall: 0,
      f1: 0,
      support: 1,
      unverified: 0,
    });
    assert.deepEqual(score(r, 'PARTY'), {
      label: 'PARTY',
      tp: 1,
      fp: 0,
      fn: 0,
      precision: 1,
      recall: 1,
      f1: 1,
      support: 1,
      unverified: 0,
    });
    // AMOUNT: never predicted, P = 0/0 is n/a; nothing found, so F1 = 0
    assert.deepEqual(score(r, 'AMOUNT'), {
      label: 'AMOUNT',
      tp: 0,
      fp: 0,
      fn: 1,
      precision: null,
      recall: 0,
      f1: 0,
      support: 1,
      unverified: 0,
    });

    // macro P over the labels with a precision (PARTY 1, DATE 0)
    close(r.macro.precision, 1 / 2, 'macro P');
    close(r.macro.recall, 1 / 3, 'macro R');
    close(r.macro.f1, 1 / 3, 'macro F1');
  });

  test('same boundaries, other label: FN for the gold label, FP for the predicted one', () => {
    const r = evaluateSpans([[span('DATE', 10, 20)]], [[span('DURATION', 10, 20)]]);
    assert.deepEqual(
      [score(r, 'DATE').fn, score(r, 'DATE').fp, score(r, 'DURATION').fp, score(r, 'DURATION').fn],
      [1, 0, 1, 0],
    );
    assert.deepEqual([r.micro.tp, r.micro.fp, r.micro.fn], [0, 1, 1]);
  });

  test('spans match only within their own document', () => {
    const r = evaluateSpans([[span('X', 0, 3)], []], [[], [span('X', 0, 3)]]);
    assert.deepEqual([r.micro.tp, r.micro.fp, r.micro.fn], [0, 1, 1]);
  });

  test('duplicates match at most once', () => {
    const twiceGold = evaluateSpans([[span('X', 0, 3), span('X', 0, 3)]], [[span('X', 0, 3)]]);
    assert.deepEqual([twiceGold.micro.tp, twiceGold.micro.fp, twiceGold.micro.fn], [1, 0, 1]);
    const twicePred = evaluateSpans([[span('X', 0, 3)]], [[span('X', 0, 3), span('X', 0, 3)]]);
    assert.deepEqual([twicePred.micro.tp, twicePred.micro.fp, twicePred.micro.fn], [1, 1, 0]);
  });

  test('micro vs macro averaging', () => {
    // A: 2 gold, both found.          P 1    R 1  F1 1
    // B: 1 gold, found, 2 spurious.   P 1/3  R 1  F1 2·(1/3)·1/(4/3) = .5
    const gold = [[span('A', 0, 1), span('A', 2, 3), span('B', 4, 5)]];
    const pred = [[span('A', 0, 1), span('A', 2, 3), span('B', 4, 5), span('B', 6, 7), span('B', 8, 9)]];
    const r = evaluateSpans(gold, pred);
    close(score(r, 'B').precision, 1 / 3, 'B P');
    close(score(r, 'B').f1, 0.5, 'B F1');
    // micro: tp 3, fp 2, fn 0 → P .6, R 1, F1 .75
    assert.deepEqual([r.micro.tp, r.micro.fp, r.micro.fn], [3, 2, 0]);
    close(r.micro.precision, 0.6, 'micro P');
    close(r.micro.recall, 1, 'micro R');
    close(r.micro.f1, 0.75, 'micro F1');
    // macro: P (1 + 1/3)/2, R 1, F1 (1 + .5)/2
    close(r.macro.precision, 2 / 3, 'macro P');
    close(r.macro.recall, 1, 'macro R');
    close(r.macro.f1, 0.75, 'macro F1');
  });

  test('options.labels: this order, other labels ignored, labels without gold spans n/a and out of the macro average', () => {
    const gold = [[span('A', 0, 1), span('Z', 2, 3)]];
    const pred = [[span('A', 0, 1), span('Z', 5, 6)]];
    const r = evaluateSpans(gold, pred, { labels: ['C', 'A'] });
    assert.deepEqual(
      r.labels.map((s) => s.label),
      ['C', 'A'],
    );
    assert.deepEqual([r.micro.tp, r.micro.fp, r.micro.fn], [1, 0, 0]);
    assert.deepEqual(score(r, 'C'), {
      label: 'C',
      tp: 0,
      fp: 0,
      fn: 0,
      precision: null,
      recall: null,
      f1: null,
      support: 0,
      unverified: 0,
    });
    close(r.macro.f1, 1, 'macro F1 over A alone');
    close(r.macro.recall, 1, 'macro R over A alone');
    assert.deepEqual(r.confusion.rows, ['C', 'A', NONE]);
  });

  test('empty gold and/or predictions: micro zeros, macro n/a or zeros, never NaN', () => {
    for (const [gold, pred, macro] of [
      [[], [], [null, null, null]],
      [[[]], [[]], [null, null, null]],
      // X present, never predicted: recall 0, F1 0, precision n/a
      [[[span('X', 0, 1)]], [[]], [null, 0, 0]],
      // X only predicted: no gold spans, so no label in the macro average
      [[[]], [[span('X', 0, 1)]], [null, null, null]],
    ] as const) {
      const r = evaluateSpans(
        gold.map((d) => [...d]),
        pred.map((d) => [...d]),
      );
      assertAllFinite(r);
      assert.deepEqual(
        [r.micro.precision, r.micro.recall, r.micro.f1, r.macro.precision, r.macro.recall, r.macro.f1],
        [0, 0, 0, ...macro],
      );
    }
    const none = evaluateSpans([], []);
    assert.deepEqual(none.labels, []);
    assert.deepEqual(none.confusion.counts, [[0]]);
  });

  test('rejects different document counts', () => {
    assert.throws(() => evaluateSpans([[]], []), /1 gold documents but 0 predicted/);
  });
});

describe('recall-only labels', () => {
  // PARTY is annotated completely, DATE only partly.
  const gold = [[span('PARTY', 0, 5), span('DATE', 10, 20), span('DATE', 30, 40)]];
  const pred = [
    [
      span('PARTY', 0, 5), // TP
      span('PARTY', 50, 55), // FP
      span('DATE', 10, 20), // TP
      span('DATE', 30, 35), // no gold: unverified (and gold 30–40 is a FN)
      span('DATE', 60, 70), // no gold: unverified
    ],
  ];

  test('unmatched predictions are not false positives and precision is n/a', () => {
    const r = evaluateSpans(gold, pred, { recallOnly: ['DATE'] });
    assert.deepEqual(r.recallOnly, ['DATE']);
    assert.deepEqual(score(r, 'DATE'), {
      label: 'DATE',
      tp: 1,
      fp: 0,
      fn: 1,
      precision: null,
      recall: 0.5,
      f1: null,
      support: 2,
      unverified: 2,
    });
    assert.deepEqual(score(r, 'PARTY').fp, 1);
    assertAllFinite(r);

    // micro: P over PARTY only = 1/2; R over all = 2/3; F1 = 2·.5·(2/3)/(7/6) = 4/7
    assert.deepEqual([r.micro.tp, r.micro.fp, r.micro.fn], [2, 1, 1]);
    close(r.micro.precision, 1 / 2, 'micro P');
    close(r.micro.recall, 2 / 3, 'micro R');
    close(r.micro.f1, 4 / 7, 'micro F1');
    // macro: P and F1 over PARTY only (.5, 2/3), R over both ((1 + .5)/2)
    close(r.macro.precision, 1 / 2, 'macro P');
    close(r.macro.recall, 3 / 4, 'macro R');
    close(r.macro.f1, 2 / 3, 'macro F1');
  });

  test('without the option the same predictions cost precision', () => {
    const r = evaluateSpans(gold, pred);
    assert.deepEqual(score(r, 'DATE').fp, 2);
    close(score(r, 'DATE').precision, 1 / 3, 'DATE P');
    close(r.micro.precision, 2 / 5, 'micro P');
    close(r.micro.recall, 2 / 3, 'micro R same as with the option');
  });

  test('a recall-only label with nothing at all has null precision and null recall', () => {
    const r = evaluateSpans([[]], [[]], { labels: ['DATE'], recallOnly: ['DATE'] });
    assert.deepEqual(score(r, 'DATE'), {
      label: 'DATE',
      tp: 0,
      fp: 0,
      fn: 0,
      precision: null,
      recall: null,
      f1: null,
      support: 0,
      unverified: 0,
    });
    assertAllFinite(r);
  });
});

describe('confusion table', () => {
  test('hand case: exact, label confusion, boundary, missed, spurious', () => {
    const gold = [
      [
        span('A', 0, 5), // predicted exactly                   → [A][A]
        span('A', 10, 15), // same boundaries, predicted as B     → [A][B]
        span('A', 40, 45), // overlapped by a B inside it         → [A][B], boundary
        span('A', 60, 70), // A overlaps 2 chars, B overlaps 8    → [A][B], boundary
        span('B', 20, 25), // B with other boundaries             → [B][B], boundary
        span('B', 30, 35), // nothing overlaps                    → [B][none]
      ],
    ];
    const pred = [
      [
        span('A', 0, 5),
        span('B', 10, 15),
        span('B', 41, 44),
        span('A', 58, 62),
        span('B', 62, 70),
        span('B', 20, 23),
        span('A', 50, 55), // overlaps no gold                    → [none][A]
      ],
    ];
    const { rows, cols, counts, boundary } = evaluateSpans(gold, pred).confusion;
    assert.deepEqual(rows, ['A', 'B', NONE]);
    assert.deepEqual(cols, ['A', 'B', NONE]);
    assert.deepEqual(counts, [
      [1, 3, 0],
      [0, 1, 1],
      [1, 0, 0],
    ]);
    assert.deepEqual(boundary, [
      [0, 2, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
  });

  test('exact boundaries win over a bigger overlap, and the same label wins a tie', () => {
    const gold = [[span('A', 10, 20)]];
    const exactOther = evaluateSpans(gold, [[span('B', 10, 20), span('A', 5, 25)]]).confusion;
    assert.deepEqual(exactOther.counts[0], [0, 1, 0]);
    const tie = evaluateSpans(gold, [[span('B', 8, 12), span('A', 18, 22)]]).confusion;
    assert.deepEqual(tie.counts[0], [1, 0, 0]);
    assert.deepEqual(tie.boundary[0], [1, 0, 0]);
  });

  test('formatConfusion lays out the counts', () => {
    const text = formatConfusion(
      evaluateSpans([[span('A', 0, 5), span('B', 9, 10)]], [[span('A', 0, 5), span('A', 6, 8)]]).confusion,
    );
    const lines = text.split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0], /gold \\ pred\s+A\s+B\s+\(none\)\s+boundary/);
    assert.match(lines[1], /^A\s+1\s+0\s+0\s+0$/);
    assert.match(lines[2], /^B\s+0\s+0\s+1\s+0$/);
    assert.match(lines[3], /^\(none\)\s+1\s+0\s+0\s+0$/);
  });
});

describe('formatReport', () => {
  test('aligned table with per-label, micro and macro lines', () => {
    const gold = [[span('PARTY', 0, 4), span('DATE', 10, 20), span('AMOUNT', 30, 35)]];
    const pred = [[span('PARTY', 0, 4), span('DATE', 10, 15)]];
    const text = formatReport(evaluateSpans(gold, pred));
    const lines = text.split('\n');
    assert.equal(lines.length, 6);
    assert.match(lines[0], /^label\s+precision\s+recall\s+f1\s+support$/);
    assert.match(lines[3], /^PARTY\s+1\.0000\s+1\.0000\s+1\.0000\s+1$/);
    assert.match(lines[4], /^micro\s+0\.5000\s+0\.3333\s+0\.4000\s+3$/);
    // AMOUNT never predicted: its precision is n/a and left out of the macro precision
    assert.match(lines[1], /^AMOUNT\s+n\/a\s+0\.0000\s+0\.0000\s+1$/);
    assert.match(lines[5], /^macro\s+0\.5000\s+0\.3333\s+0\.3333\s+3$/);
    assert.ok(
      lines.every((line) => line.length === lines[0].length),
      'columns line up',
    );
  });

  test('n/a for recall-only precision, with a note', () => {
    const r = evaluateSpans([[span('DATE', 0, 4)]], [[span('DATE', 0, 4), span('DATE', 8, 9)]], {
      recallOnly: ['DATE'],
    });
    const lines = formatReport(r).split('\n');
    assert.match(lines[1], /^DATE\s+n\/a\s+1\.0000\s+n\/a\s+1$/);
    assert.match(lines[lines.length - 1], /recall-only.*DATE/);
  });

  test('a label without gold spans prints n/a, not 0.0000, and stays out of the macro line', () => {
    // SROIE-like: the model knows DATE and TAX_ID, the data has no TAX_ID; one spurious TAX_ID
    const gold = [[span('DATE', 0, 4)]];
    const pred = [[span('DATE', 0, 4), span('TAX_ID', 8, 9)]];
    const lines = formatReport(evaluateSpans(gold, pred, { labels: ['DATE', 'TAX_ID'] })).split('\n');
    assert.match(lines[1], /^DATE\s+1\.0000\s+1\.0000\s+1\.0000\s+1$/);
    // its spurious prediction is a real precision of 0, recall and F1 are n/a
    assert.match(lines[2], /^TAX_ID\s+0\.0000\s+n\/a\s+n\/a\s+0$/);
    // micro counts the false positive; macro is DATE's alone
    assert.match(lines[3], /^micro\s+0\.5000\s+1\.0000\s+0\.6667\s+1$/);
    assert.match(lines[4], /^macro\s+1\.0000\s+1\.0000\s+1\.0000\s+1$/);
    assert.match(lines[5], /^n\/a: no gold spans of TAX_ID \(left out of the macro average\)$/);
  });
});

describe('selectionF1 (the score that picks the best epoch)', () => {
  test('over-tagging a recall-only label raises micro F1 but not the F1 of the chosen labels', async () => {
    const { selectionF1 } = await import('../../../src/model/training/dev-scoring');
    const gold = [[span('PARTY', 0, 4), span('DATE', 10, 20), span('DATE', 22, 28)]];
    const careful = evaluateSpans(gold, [[span('PARTY', 0, 4)]], { labels: ['PARTY', 'DATE'], recallOnly: ['DATE'] });
    const found = [
      span('PARTY', 0, 4),
      span('DATE', 10, 20),
      span('DATE', 22, 28),
      span('DATE', 30, 40),
      span('PARTY', 50, 60),
    ];
    const overTagging = evaluateSpans(gold, [found], {
      labels: ['PARTY', 'DATE'],
      recallOnly: ['DATE'],
    });
    assert.ok(overTagging.micro.f1 > careful.micro.f1, 'micro F1 prefers the model that tags every date-like thing');
    close(selectionF1(careful, ['PARTY']), 1, 'careful');
    close(selectionF1(overTagging, ['PARTY']), 2 / 3, 'over-tagging');
    assert.equal(selectionF1(careful), careful.micro.f1);
  });
});

test('overlap matching: boundary errors count as found and right, missed and spurious entities do not', () => {
  const gold = [
    [
      { start: 0, end: 10, label: 'PARTY' },
      { start: 20, end: 30, label: 'ADDRESS' },
      { start: 40, end: 45, label: 'DATE' },
    ],
  ];
  const pred = [
    [
      { start: 0, end: 14, label: 'PARTY' }, // takes in the next line: a boundary error
      { start: 20, end: 30, label: 'PARTY' }, // wrong label
      { start: 50, end: 55, label: 'PARTY' }, // spurious
      { start: 41, end: 43, label: 'DATE' },
    ],
  ];
  const exact = evaluateSpans(gold, pred, { labels: ['PARTY', 'ADDRESS', 'DATE'] });
  const loose = evaluateSpans(gold, pred, { labels: ['PARTY', 'ADDRESS', 'DATE'], match: 'overlap' });
  const row = (r: typeof exact, l: string) => r.labels.find((x) => x.label === l);
  assert.equal(row(exact, 'PARTY')?.recall, 0);
  assert.equal(row(loose, 'PARTY')?.recall, 1);
  assert.equal(row(loose, 'PARTY')?.precision, 1 / 3);
  assert.equal(row(loose, 'PARTY')?.fp, 2);
  assert.equal(row(loose, 'ADDRESS')?.recall, 0, 'a span of another label does not find it');
  assert.equal(row(loose, 'DATE')?.recall, 1);
  assert.equal(row(loose, 'DATE')?.precision, 1);
  // micro precision: right predictions (PARTY 1, DATE 1) over predictions (4)
  assert.equal(loose.micro.precision, 2 / 4);
  assert.equal(loose.micro.recall, 2 / 3);
});
