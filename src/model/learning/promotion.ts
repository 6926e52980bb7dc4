// Whether a newly trained model replaces the current one. Both are scored on the user's held-out
// documents (only where a label was judged) and on a fixed reference set shipped with the model.
// The held-out set decides whether the user's corrections paid off, but only with enough
// entities to tell, or with a difference too clear to be chance: a sign test over the places
// where one model is right and the other wrong (a user who marks "State of New York" in every
// contract shows it in a handful of them). The reference set vetoes a model that got worse on a
// label the user did not correct (forgetting) by more than a point, or beyond noise. Noise is a
// paired bootstrap over documents: both models' counts of one resampled document set are
// compared, so what the documents share (their difficulty) cancels out.
import type { ModelScope } from '../nn/trained-model';
import { Rng } from '../core/random';
import type { AnnotatedDocument, Span } from '../core/types';
import { evaluateSpans, type EvalReport } from '../evaluation/evaluate';
import { goldSpans, judgedLabels, scoredPredictions } from '../inference/held-out';
import type { Tagger } from '../inference/tagger';
import { documentKey } from './split';

/** One label's F1 (0–1) of both models on one set; low/high: the 95 % paired-bootstrap interval of the change. */
export interface LabelComparison {
  label: string;
  candidate: number;
  current: number;
  delta: number;
  low: number;
  high: number;
  /** gold entities of the label in the set */
  support: number;
}

export interface SetComparison {
  set: 'held-out' | 'reference';
  /** documents (passages of one document count once) */
  documents: number;
  /** gold entities of the labels compared */
  entities: number;
  candidate: EvalReport;
  current: EvalReport | null;
  /** labels with entities in the set */
  labels: LabelComparison[];
  /** over all labels compared (label "micro") */
  micro: LabelComparison;
  /** places (heldOutPlaces) where only the new model is right, and where only the current one is */
  better: number;
  worse: number;
}

export interface Verdict {
  promote: boolean;
  /** full sentences for the user, with the sizes of the sets */
  reason: string;
  /** null when no comparison was made there (no current model, or no documents) */
  heldOut: SetComparison | null;
  reference: SetComparison | null;
  /** what the new model decides (learnFromRecords scopes it to the corrected labels and kinds) */
  scope?: ModelScope;
}

export interface JudgeOptions {
  candidate: Tagger;
  current?: Tagger;
  heldOut: AnnotatedDocument[];
  reference: AnnotatedDocument[];
  labels: string[];
  /** labels whose convention the user corrected: a loss on the reference set is what they asked for */
  userLabels?: string[];
  minHeldOutEntities?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** Held-out entities needed before the held-out comparison is trusted. */
export const MIN_HELD_OUT_ENTITIES = 10;
/** A reference label loses beyond noise when F1 falls by more than this and the interval lies below 0. */
export const REFERENCE_TOLERANCE = 0.005;
/**
 * A reference label that falls by more than this keeps the current model whatever its interval:
 * a label carried by a few long documents (CUAD's parties) gets an interval that reaches 0 even
 * for a loss of ten points.
 */
export const REFERENCE_MAX_LOSS = 0.01;
/**
 * With fewer than MIN_HELD_OUT_ENTITIES, the new model is still used when the chance of doing at
 * least this much better by luck (one-sided sign test) is this small: 5 places right where the
 * current model is wrong and none the other way is the least.
 */
export const SIGN_TEST_LEVEL = 0.05;
const BOOTSTRAP_ROUNDS = 1000;

/** Per-label true positives, false positives and false negatives of one document group. */
type Counts = Float64Array;

/** What one model's predictions count on one set, per document group (passages of a document summed). */
interface SetCounts {
  report: EvalReport;
  groups: Counts[];
  /** per document: its gold and this model's scored predictions */
  gold: Span[][];
  pred: Span[][];
}

export async function judgeCandidate(o: JudgeOptions): Promise<Verdict> {
  const progress = o.onProgress ?? (() => undefined);
  if (!o.current) {
    return {
      promote: true,
      reason: 'There is no current model to compare with, so the new model is used.',
      heldOut: null,
      reference: null,
    };
  }
  const current = o.current;
  const min = o.minHeldOutEntities ?? MIN_HELD_OUT_ENTITIES;
  const seed = o.seed ?? 1;

  const heldLabels = judgedLabels(o.heldOut, o.labels);
  const heldOut = await compareOn('held-out', o.heldOut, heldLabels, o.candidate, current, seed, o.signal, progress);
  const heldSize = sizeText(heldOut, 'held-out');
  const few = !heldOut || heldOut.entities < min;
  const clear = heldOut !== null && signTest(heldOut.better, heldOut.worse) <= SIGN_TEST_LEVEL;
  if (heldOut && few && signTest(heldOut.worse, heldOut.better) <= SIGN_TEST_LEVEL) {
    return {
      promote: false,
      reason: `Kept the current model: on ${heldSize} ${placesText(heldOut)}: it is worse.`,
      heldOut,
      reference: null,
    };
  }
  if (!heldOut || (few && !clear)) {
    const places =
      heldOut && heldOut.better + heldOut.worse > 0 ? ` (on these, ${placesText(heldOut)}, which could be chance)` : '';
    return {
      promote: false,
      reason:
        `Kept the current model: ${heldSize}; ${min} are needed to tell whether the new model is better${places}. ` +
        'Correct more documents and train again.',
      heldOut,
      reference: null,
    };
  }
  const held = heldOut.micro;
  if (!few && held.delta < 0) {
    return {
      promote: false,
      reason:
        `Kept the current model: on ${heldSize} the new model scores F1 ${f1(held.candidate)}, ` +
        `the current one ${f1(held.current)}.`,
      heldOut,
      reference: null,
    };
  }
  const heldText =
    `held-out F1 ${f1(held.candidate)} against ${f1(held.current)} on ${heldSize}` +
    (few ? ` (fewer than ${min}, but ${placesText(heldOut)}: too many to be chance)` : '');

  const refLabels = judgedLabels(o.reference, o.labels);
  const reference = await compareOn(
    'reference',
    o.reference,
    refLabels,
    o.candidate,
    current,
    seed,
    o.signal,
    progress,
  );
  if (!reference) {
    return {
      promote: true,
      reason: `The new model is used: ${heldText}. There is no reference set to check it against.`,
      heldOut,
      reference,
    };
  }
  const losses = referenceLosses(reference.labels, o.userLabels ?? []);
  const refSize = `the reference set (${reference.documents} ${plural(reference.documents, 'document')})`;
  if (losses.length > 0) {
    const worse = losses
      .map(
        (l) =>
          `${l.label} (F1 ${f1(l.candidate)} against ${f1(l.current)}, ${l.support} ${plural(l.support, 'entity', 'entities')}; ` +
          `the change lies between ${points(l.low)} and ${points(l.high)} points)`,
      )
      .join(', ');
    return {
      promote: false,
      reason: `Kept the current model: the new model is worse on ${refSize} on ${worse}, although ${heldText}.`,
      heldOut,
      reference,
    };
  }
  return {
    promote: true,
    reason: `The new model is used: ${heldText}, and no label is worse beyond noise on ${refSize}.`,
    heldOut,
    reference,
  };
}

/**
 * The reference labels on which the candidate is worse beyond noise: a loss over
 * REFERENCE_MAX_LOSS, or over REFERENCE_TOLERANCE with its whole interval below 0. Labels the
 * user corrected (`exempt`) may lose: their convention is the user's now.
 */
export function referenceLosses(labels: readonly LabelComparison[], exempt: readonly string[]): LabelComparison[] {
  return labels.filter(
    (l) =>
      !exempt.includes(l.label) && (l.delta < -REFERENCE_MAX_LOSS || (l.delta < -REFERENCE_TOLERANCE && l.high < 0)),
  );
}

/** Both models' scores on one set, per label and micro, with bootstrap intervals; null for an empty set. */
async function compareOn(
  set: SetComparison['set'],
  docs: AnnotatedDocument[],
  labels: string[],
  candidate: Tagger,
  current: Tagger,
  seed: number,
  signal: AbortSignal | undefined,
  progress: (message: string) => void,
): Promise<SetComparison | null> {
  if (docs.length === 0) return null;
  const keys = docs.map((d) => documentKey(d));
  const groupOf = new Map<string, number>();
  for (const k of keys) if (!groupOf.has(k)) groupOf.set(k, groupOf.size);
  const groups = keys.map((k) => groupOf.get(k) as number);
  progress(`Scoring the new model on ${docs.length} ${set} ${plural(docs.length, 'document')}…`);
  const cand = await countOn(candidate, docs, labels, groups, groupOf.size, signal);
  progress(`Scoring the current model on ${docs.length} ${set} ${plural(docs.length, 'document')}…`);
  const curr = await countOn(current, docs, labels, groups, groupOf.size, signal);
  const rounds = bootstrapDeltas(cand.groups, curr.groups, labels.length, new Rng(seed));
  let better = 0;
  let worse = 0;
  for (let d = 0; d < docs.length; d++) {
    for (const p of heldOutPlaces(cand.gold[d], cand.pred[d], curr.pred[d])) {
      if (p.candidate && !p.current) better++;
      else if (p.current && !p.candidate) worse++;
    }
  }
  const comparison = (i: number | null, label: string): LabelComparison => {
    const a = i === null ? cand.report.micro.f1 : (cand.report.labels[i].f1 ?? 0);
    const b = i === null ? curr.report.micro.f1 : (curr.report.labels[i].f1 ?? 0);
    const deltas = rounds[i === null ? labels.length : i];
    const support = i === null ? cand.report.labels.reduce((n, s) => n + s.support, 0) : cand.report.labels[i].support;
    return {
      label,
      candidate: a,
      current: b,
      delta: a - b,
      low: percentile(deltas, 0.025),
      high: percentile(deltas, 0.975),
      support,
    };
  };
  const perLabel = labels.map((label, i) => comparison(i, label)).filter((l) => l.support > 0);
  const micro = comparison(null, 'micro');
  return {
    set,
    documents: groupOf.size,
    entities: micro.support,
    candidate: cand.report,
    current: curr.report,
    labels: perLabel,
    micro,
    better,
    worse,
  };
}

/**
 * The places of one document a sign test counts: gold entities and predictions of either model
 * that overlap form one place (a boundary error is one mistake, not a miss and a false alarm),
 * and a model is right there when its predictions are exactly the gold.
 */
export function heldOutPlaces(
  gold: readonly Span[],
  candidate: readonly Span[],
  current: readonly Span[],
): { candidate: boolean; current: boolean }[] {
  const all = [
    ...gold.map((s) => ({ s, from: 0 })),
    ...candidate.map((s) => ({ s, from: 1 })),
    ...current.map((s) => ({ s, from: 2 })),
  ].sort((a, b) => a.s.start - b.s.start);
  const key = (s: Span) => `${s.start}:${s.end}:${s.label}`;
  const out: { candidate: boolean; current: boolean }[] = [];
  let group: { s: Span; from: number }[] = [];
  let end = -Infinity;
  const close = () => {
    if (group.length === 0) return;
    const of = (from: number) =>
      group
        .filter((x) => x.from === from)
        .map((x) => key(x.s))
        .sort()
        .join('|');
    const g = of(0);
    out.push({ candidate: of(1) === g, current: of(2) === g });
    group = [];
  };
  for (const x of all) {
    if (x.s.start >= end) close();
    group.push(x);
    end = Math.max(group.length === 1 ? x.s.end : end, x.s.end);
  }
  close();
  return out;
}

/** One-sided sign test: the chance of `better` or more of `better + worse` coin flips coming up heads. */
export function signTest(better: number, worse: number): number {
  const n = better + worse;
  if (n === 0) return 1;
  let p = 0;
  let c = 1; // C(n, k), from k = 0
  for (let k = 0; k <= n; k++) {
    if (k >= better) p += c;
    c = (c * (n - k)) / (k + 1);
  }
  return p / 2 ** n;
}

/** "the new model is right in 6 places where the current one is wrong, and wrong in 1 where it is right" */
function placesText(c: SetComparison): string {
  return (
    `the new model is right in ${c.better} ${plural(c.better, 'place')} where the current one is wrong, ` +
    `and wrong in ${c.worse} where it is right`
  );
}

/** Tags each document once and counts, per document group, each label's tp, fp and fn. */
async function countOn(
  tagger: Tagger,
  docs: AnnotatedDocument[],
  labels: string[],
  groups: number[],
  groupCount: number,
  signal: AbortSignal | undefined,
): Promise<SetCounts> {
  const gold: Span[][] = [];
  const pred: Span[][] = [];
  const counts = Array.from({ length: groupCount }, () => new Float64Array(3 * labels.length));
  for (let d = 0; d < docs.length; d++) {
    signal?.throwIfAborted();
    const doc = docs[d];
    const found = await tagger.tag(doc.text, { layout: doc.layout, kind: doc.kind });
    gold.push(goldSpans(doc, labels));
    pred.push(scoredPredictions(doc, found, labels));
    const one = evaluateSpans([gold[d]], [pred[d]], { labels });
    const c = counts[groups[d]];
    one.labels.forEach((s, i) => {
      c[3 * i] += s.tp;
      c[3 * i + 1] += s.fp;
      c[3 * i + 2] += s.fn;
    });
  }
  signal?.throwIfAborted();
  return { report: evaluateSpans(gold, pred, { labels }), groups: counts, gold, pred };
}

/**
 * Paired bootstrap: document groups drawn with replacement, the same draw for both models; per
 * label (and micro, last) the candidate's F1 minus the current's in each round. A round without
 * entities of a label says nothing about it and is left out.
 */
function bootstrapDeltas(cand: Counts[], curr: Counts[], labelCount: number, rng: Rng): number[][] {
  const out = Array.from({ length: labelCount + 1 }, () => [] as number[]);
  const n = cand.length;
  const a = new Float64Array(3 * labelCount);
  const b = new Float64Array(3 * labelCount);
  for (let round = 0; round < BOOTSTRAP_ROUNDS; round++) {
    a.fill(0);
    b.fill(0);
    for (let k = 0; k < n; k++) {
      const g = rng.int(n);
      for (let j = 0; j < a.length; j++) {
        a[j] += cand[g][j];
        b[j] += curr[g][j];
      }
    }
    const totals = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < labelCount; i++) {
      const [tpA, fpA, fnA, tpB, fpB, fnB] = [
        a[3 * i],
        a[3 * i + 1],
        a[3 * i + 2],
        b[3 * i],
        b[3 * i + 1],
        b[3 * i + 2],
      ];
      [tpA, fpA, fnA, tpB, fpB, fnB].forEach((v, j) => (totals[j] += v));
      if (tpA + fnA > 0) out[i].push(f1Of(tpA, fpA, fnA) - f1Of(tpB, fpB, fnB));
    }
    if (totals[0] + totals[2] > 0) {
      out[labelCount].push(f1Of(totals[0], totals[1], totals[2]) - f1Of(totals[3], totals[4], totals[5]));
    }
  }
  return out;
}

function f1Of(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** The q-quantile of the values (0 without values: nothing was measured). */
function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

function sizeText(c: SetComparison | null, set: string): string {
  const entities = c?.entities ?? 0;
  const documents = c?.documents ?? 0;
  return `${entities} ${set} ${plural(entities, 'entity', 'entities')} in ${documents} ${plural(documents, 'document')}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

function f1(v: number): string {
  return v.toFixed(3);
}

function points(v: number): string {
  return (v * 100).toFixed(1);
}
