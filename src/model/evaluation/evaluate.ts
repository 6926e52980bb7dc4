// Entity-level scoring with conlleval semantics: a predicted span is correct only if a
// gold span in the same document has exactly its start, end and label. A per-label ratio
// with a zero denominator is null ("n/a"): precision without predictions, recall without
// gold spans; macro averages leave out the labels with no gold spans (they would count as 0
// and drag the average down for a label the data simply does not have). Overlap matching (an
// option) counts a gold span found when a prediction of its label overlaps it, and a
// prediction right when it overlaps a gold span of its label: it separates boundary errors
// from missed and spurious entities.
import type { Span } from '../core/types';

export interface LabelScore {
  label: string;
  tp: number;
  /** predictions matching no gold span; always 0 for recall-only labels */
  fp: number;
  fn: number;
  /** null for recall-only labels (their unmatched predictions may well be right) and without predictions */
  precision: number | null;
  /** null without gold spans (support 0) */
  recall: number | null;
  /** null when recall is, and when precision is except for a label never predicted (then 0: nothing found) */
  f1: number | null;
  /** number of gold spans */
  support: number;
  /** recall-only labels: predictions matching no gold span, counted neither right nor wrong */
  unverified: number;
}

export interface MicroScore {
  /** over labels with a precision, i.e. not recall-only */
  precision: number;
  /** over all labels */
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/** Means over the labels with gold spans (support > 0); null when there are none to average. */
export interface MacroScore {
  /** mean over those labels with a precision */
  precision: number | null;
  /** mean over those labels */
  recall: number | null;
  /** mean of the per-label F1 over those labels with one */
  f1: number | null;
}

/**
 * What became of each gold span, by label. rows = gold labels + "(none)", cols =
 * predicted labels + "(none)"; counts[r][c] is:
 *  - gold label r, predicted label c: gold spans of label r whose best-matching
 *    prediction has label c. The best match is a prediction with exactly the same
 *    boundaries if there is one (same label first), else the overlapping prediction with
 *    the most characters in common (then same label, earlier start, label name).
 *    So the diagonal holds exact matches plus boundary errors, off-diagonal cells hold
 *    label confusions.
 *  - gold label r, "(none)": gold spans no prediction overlaps (missed).
 *  - "(none)", predicted label c: predictions that overlap no gold span (spurious).
 *  - "(none)", "(none)": always 0.
 * boundary[r][c] is the part of counts[r][c] whose best match overlaps without the
 * same boundaries, so boundary errors of label X are boundary[X][X].
 * Each gold span is counted once (row sums = support); a prediction overlapping two
 * gold spans is the match of both. Recall-only labels are counted like any other.
 */
export interface ConfusionTable {
  rows: string[];
  cols: string[];
  counts: number[][];
  boundary: number[][];
}

export interface EvalReport {
  labels: LabelScore[];
  micro: MicroScore;
  macro: MacroScore;
  confusion: ConfusionTable;
  /** labels scored in recall-only mode */
  recallOnly: string[];
}

export interface EvalOptions {
  /** labels to score, in this order; spans of other labels are ignored. Default: every
   * label in gold or pred, sorted. Labels listed here but absent from the gold spans are
   * reported (n/a recall) and left out of the macro average. */
  labels?: string[];
  /** incompletely annotated labels: their predictions that match no gold span are not
   * false positives, so their precision is not meaningful (null) */
  recallOnly?: string[];
  /**
   * 'exact' (default): same start, end and label. 'overlap': any shared character and the same
   * label; then `tp` counts gold spans found, `fp` predictions overlapping no gold span of their
   * label, and precision is right predictions over predictions.
   */
  match?: 'exact' | 'overlap';
}

export const NONE = '(none)';

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function harmonicMean(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

function mean(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((sum, v) => sum + v, 0) / known.length;
}

function spanKey(s: Span): string {
  return `${s.start}:${s.end}:${s.label}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function overlap(a: Span, b: Span): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/** The prediction a gold span is attributed to in the confusion table (see ConfusionTable). */
function bestMatch(gold: Span, preds: Span[]): Span | null {
  let best: Span | null = null;
  let bestRank: [number, number, number, number] = [0, 0, 0, 0];
  for (const p of preds) {
    const common = overlap(gold, p);
    if (common === 0) continue;
    const exact = p.start === gold.start && p.end === gold.end ? 1 : 0;
    const rank: [number, number, number, number] = [exact, common, p.label === gold.label ? 1 : 0, -p.start];
    const cmp = rank[0] - bestRank[0] || rank[1] - bestRank[1] || rank[2] - bestRank[2] || rank[3] - bestRank[3];
    if (best === null || cmp > 0 || (cmp === 0 && compareStrings(p.label, best.label) < 0)) {
      best = p;
      bestRank = rank;
    }
  }
  return best;
}

function emptyMatrix(rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

function labelsOf(docs: Span[][][]): string[] {
  const labels = new Set<string>();
  for (const doc of docs) for (const spans of doc) for (const s of spans) labels.add(s.label);
  return [...labels].sort(compareStrings);
}

/** Scores predicted against gold spans, document by document (gold[i] pairs with pred[i]). */
export function evaluateSpans(gold: Span[][], pred: Span[][], options: EvalOptions = {}): EvalReport {
  if (gold.length !== pred.length) {
    throw new Error(`${gold.length} gold documents but ${pred.length} predicted`);
  }
  const labels = options.labels ? [...new Set(options.labels)] : labelsOf([gold, pred]);
  const recallOnly = [...new Set(options.recallOnly ?? [])];
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const isScored = (s: Span): boolean => labelIndex.has(s.label);

  const tp = new Array<number>(labels.length).fill(0);
  /** predictions that are right (exact: = tp) */
  const predRight = new Array<number>(labels.length).fill(0);
  const byOverlap = options.match === 'overlap';
  const goldCount = new Array<number>(labels.length).fill(0);
  const predCount = new Array<number>(labels.length).fill(0);
  const none = labels.length;
  const counts = emptyMatrix(labels.length + 1, labels.length + 1);
  const boundary = emptyMatrix(labels.length + 1, labels.length + 1);
  const index = (s: Span): number => labelIndex.get(s.label) ?? none;

  for (let d = 0; d < gold.length; d++) {
    const goldSpans = gold[d].filter(isScored);
    const predSpans = pred[d].filter(isScored);

    if (byOverlap) {
      const sameLabelOverlap = (a: Span, b: Span) => a.label === b.label && overlap(a, b) > 0;
      for (const g of goldSpans) {
        goldCount[index(g)]++;
        if (predSpans.some((p) => sameLabelOverlap(g, p))) tp[index(g)]++;
      }
      for (const p of predSpans) {
        predCount[index(p)]++;
        if (goldSpans.some((g) => sameLabelOverlap(g, p))) predRight[index(p)]++;
      }
    } else {
      // Multiset matching, so duplicated spans match at most once each.
      const unmatchedGold = new Map<string, number>();
      for (const g of goldSpans) {
        goldCount[index(g)]++;
        unmatchedGold.set(spanKey(g), (unmatchedGold.get(spanKey(g)) ?? 0) + 1);
      }
      for (const p of predSpans) {
        predCount[index(p)]++;
        const left = unmatchedGold.get(spanKey(p)) ?? 0;
        if (left > 0) {
          tp[index(p)]++;
          predRight[index(p)]++;
          unmatchedGold.set(spanKey(p), left - 1);
        }
      }
    }

    for (const g of goldSpans) {
      const match = bestMatch(g, predSpans);
      const col = match === null ? none : index(match);
      counts[index(g)][col]++;
      if (match !== null && (match.start !== g.start || match.end !== g.end)) boundary[index(g)][col]++;
    }
    for (const p of predSpans) {
      if (!goldSpans.some((g) => overlap(g, p) > 0)) counts[none][index(p)]++;
    }
  }

  const isRecallOnly = new Set(recallOnly);
  const scores: LabelScore[] = labels.map((label, i) => {
    const recall = goldCount[i] === 0 ? null : tp[i] / goldCount[i];
    const common = { label, tp: tp[i], fn: goldCount[i] - tp[i], recall, support: goldCount[i] };
    const unmatched = predCount[i] - predRight[i];
    if (isRecallOnly.has(label)) {
      return { ...common, fp: 0, precision: null, f1: null, unverified: unmatched };
    }
    const precision = predCount[i] === 0 ? null : predRight[i] / predCount[i];
    // never predicted but present: recall 0, so F1 0 whatever precision would be
    const f1 = recall === null ? null : precision === null ? 0 : harmonicMean(precision, recall);
    return { ...common, fp: unmatched, precision, f1, unverified: 0 };
  });

  const sum = (pick: (s: LabelScore) => number, of: LabelScore[] = scores): number =>
    of.reduce((total, s) => total + pick(s), 0);
  const withPrecision = scores.filter((s) => !isRecallOnly.has(s.label));
  const supported = scores.filter((s) => s.support > 0);
  const microTp = sum((s) => s.tp);
  const microFp = sum((s) => s.fp);
  const microFn = sum((s) => s.fn);
  // Recall-only labels leave precision entirely (their true positives too), or it would be inflated.
  const scoredRight = withPrecision.reduce((total, s) => total + predRight[labelIndex.get(s.label) as number], 0);
  const microPrecision = ratio(scoredRight, scoredRight + sum((s) => s.fp, withPrecision));
  const microRecall = ratio(microTp, microTp + microFn);

  const rowsAndCols = [...labels, NONE];
  return {
    labels: scores,
    micro: {
      precision: microPrecision,
      recall: microRecall,
      f1: harmonicMean(microPrecision, microRecall),
      tp: microTp,
      fp: microFp,
      fn: microFn,
    },
    macro: {
      precision: mean(supported.map((s) => s.precision)),
      recall: mean(supported.map((s) => s.recall)),
      f1: mean(supported.map((s) => s.f1)),
    },
    confusion: { rows: rowsAndCols, cols: [...rowsAndCols], counts, boundary },
    recallOnly,
  };
}

function formatScore(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(4);
}

function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows
    .map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .join('\n');
}

/** Plain-text table: one line per label, then micro and macro averages. */
export function formatReport(report: EvalReport): string {
  const totalSupport = report.labels.reduce((total, s) => total + s.support, 0);
  const rows = [
    ['label', 'precision', 'recall', 'f1', 'support'],
    ...report.labels.map((s) => [
      s.label,
      formatScore(s.precision),
      formatScore(s.recall),
      formatScore(s.f1),
      String(s.support),
    ]),
    ...(['micro', 'macro'] as const).map((name) => {
      const avg = report[name];
      return [name, formatScore(avg.precision), formatScore(avg.recall), formatScore(avg.f1), String(totalSupport)];
    }),
  ];
  let text = formatTable(rows);
  const unsupported = report.labels.filter((s) => s.support === 0).map((s) => s.label);
  if (unsupported.length > 0) {
    text += `\nn/a: no gold spans of ${unsupported.join(', ')} (left out of the macro average)`;
  }
  if (report.recallOnly.length > 0) {
    text +=
      `\nn/a: recall-only (incompletely annotated) labels ${report.recallOnly.join(', ')}; ` +
      'their predictions that match no gold span are not counted as errors';
  }
  return text;
}

/** Plain-text confusion table, gold down and predicted across; the last column counts the
 * row's gold spans matched only by overlap (boundary[r] summed). */
export function formatConfusion(table: ConfusionTable): string {
  const rows = [
    ['gold \\ pred', ...table.cols, 'boundary'],
    ...table.rows.map((label, r) => [
      label,
      ...table.counts[r].map(String),
      String(table.boundary[r].reduce((total, n) => total + n, 0)),
    ]),
  ];
  return formatTable(rows);
}
