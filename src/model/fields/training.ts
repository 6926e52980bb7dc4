// Training the field chooser from documents whose right values are known: the annotators'
// answers of a corpus (CUAD's field answers, SROIE's receipt values), generated invoices, or a
// user's corrections in the editor (picking another mention or typing the value). Each
// document and field becomes one choice among the field's candidates (or "no value"); the
// weights minimise the negative log-likelihood of the right choices with an L2 penalty (toward
// the base chooser's weights when fine-tuning one), by full-batch Adam, deterministically.
import type { Entity, Range, TextLayout } from '../core/types';
import { answerMatches, type FieldAnswer, type FieldAnswers } from './answers';
import type { FieldCorrection, FieldCorrectionRecord } from './corrections';
import { candidatesFor, DocumentContext } from './candidates';
import { chooserKey, FieldChooser, type ChooserData, type FieldWeights } from './chooser';
import { fieldsFor, type FieldsConfig } from './config';
import type { Features } from './features';
import { rankValues } from './extract';
import type { DocumentKind } from '../rules/document-kind';
import type { FieldType } from './schema';
import { knownVendorsOf, mergeVendors, type KnownVendor } from './vendors';

/** A document whose fields' right values are (partly) known. */
export interface FieldExample {
  id?: string;
  text: string;
  kind: DocumentKind;
  entities?: readonly Entity[];
  layout?: TextLayout;
  /** by field: the right values, `[]` for "no value"; a field left out teaches nothing */
  answers: FieldAnswers;
  /**
   * answers no candidate holds teach nothing (a value a person typed that the document does not
   * print as such), instead of "no value" (what an annotator's unreachable answer teaches)
   */
  onlyReachable?: boolean;
}

/** A document and the corrections a user made to its fields, as a training example. */
export function correctionExample(
  text: string,
  kind: DocumentKind,
  corrections: readonly FieldCorrection[],
  entities?: readonly Entity[],
): FieldExample {
  const answers: FieldAnswers = {};
  for (const c of corrections) {
    const a: FieldAnswer[] = c.none ? [] : [c.range ? { start: c.range.start, end: c.range.end } : { value: c.value }];
    answers[c.field] = c.none ? [] : [...(answers[c.field] ?? []), ...a];
  }
  return { text, kind, entities, answers, onlyReachable: true };
}

/**
 * The vendors a workspace's field corrections type (`knownVendorsOf` their examples): known at
 * once, before a training run puts them into the workspace's chooser.
 */
export function correctedVendors(records: readonly FieldCorrectionRecord[]): KnownVendor[] {
  return knownVendorsOf(records.map((r) => correctionExample(r.text, r.kind, r.corrections)));
}

/** One document's choice for one field: its candidates' features and which are right. */
export interface Choice {
  features: Features[];
  right: boolean[];
}

export interface FieldTrainingSet {
  kind: DocumentKind;
  field: string;
  type: FieldType;
  multi: boolean;
  choices: Choice[];
  /** documents whose answer was not among the candidates (the choice teaches "no value") */
  unreachable: number;
}

/** The choices each document makes for each field it has answers for, grouped by kind and field. */
export function fieldTrainingSets(examples: readonly FieldExample[], config: FieldsConfig = {}): FieldTrainingSet[] {
  const sets = new Map<string, FieldTrainingSet>();
  for (const ex of examples) {
    const doc = new DocumentContext(ex.text, ex.kind, ex.entities, ex.layout);
    for (const spec of fieldsFor(ex.kind, config)) {
      const answers = ex.answers[spec.name];
      if (answers === undefined || spec.type === 'currency') continue;
      if (answers.length > 0 && answers.every((a) => a.unnormalisable !== undefined)) continue;
      const key = chooserKey(ex.kind, spec.name);
      let set = sets.get(key);
      if (!set) {
        set = { kind: ex.kind, field: spec.name, type: spec.type, multi: spec.max > 1, choices: [], unreachable: 0 };
        sets.set(key, set);
      }
      const cands = candidatesFor(spec, doc);
      let right = cands.map((c) => answers.some((a) => answerMatches(spec.type, c, a)));
      // a range a person picked is the candidate with exactly that range, when there is one (not
      // every candidate overlapping it by half)
      const exact = (c: Range, a: FieldAnswer) => c.start === a.start && c.end === a.end;
      if (cands.some((c) => answers.some((a) => exact(c, a))))
        right = cands.map((c) =>
          answers.some((a) => (a.start === undefined ? answerMatches(spec.type, c, a) : exact(c, a))),
        );
      if (answers.length > 0 && !right.some(Boolean)) {
        if (ex.onlyReachable) continue;
        set.unreachable++;
      }
      set.choices.push({ features: cands.map((c) => c.features), right });
    }
  }
  return [...sets.values()];
}

export interface FitOptions {
  /** L2 penalty per weight (default 0.01) */
  l2?: number;
  /** Adam steps over the whole set (default 300) */
  iterations?: number;
  /** features seen in fewer choices are left out (default 2) */
  minCount?: number;
  /** weights to start from and be pulled toward (fine-tuning) */
  base?: FieldWeights;
  /** weights smaller than this are left out of the file (default 0.001) */
  prune?: number;
  learningRate?: number;
}

/** Weights for one field from its choices. */
export function fitFieldWeights(set: FieldTrainingSet, options: FitOptions = {}): FieldWeights {
  const l2 = options.l2 ?? 0.01;
  const iterations = options.iterations ?? 300;
  const minCount = options.minCount ?? 2;
  const lr = options.learningRate ?? 0.05;
  // feature index: seen in at least minCount choices, or known to the base
  const seen = new Map<string, number>();
  for (const ch of set.choices) {
    const names = new Set<string>();
    for (const f of ch.features) for (const k of f.keys()) names.add(k);
    for (const k of names) seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const names = [...seen].filter(([k, n]) => n >= minCount || options.base?.weights[k] !== undefined).map(([k]) => k);
  for (const k of Object.keys(options.base?.weights ?? {})) if (!seen.has(k)) names.push(k);
  names.sort();
  const index = new Map(names.map((k, i) => [k, i]));
  const dim = names.length + 1; // the last one is "none"
  const prior = new Float64Array(dim);
  names.forEach((k, i) => (prior[i] = options.base?.weights[k] ?? 0));
  prior[dim - 1] = options.base?.none ?? 0;
  const w = Float64Array.from(prior);
  // sparse rows: [indices, values] per candidate
  const rows = set.choices.map((ch) =>
    ch.features.map((f) => {
      const idx: number[] = [];
      const val: number[] = [];
      for (const [k, v] of f) {
        const i = index.get(k);
        if (i !== undefined) {
          idx.push(i);
          val.push(v);
        }
      }
      return { idx, val };
    }),
  );
  const m = new Float64Array(dim);
  const v = new Float64Array(dim);
  const grad = new Float64Array(dim);
  const n = Math.max(1, set.choices.length);
  for (let t = 1; t <= iterations; t++) {
    grad.fill(0);
    set.choices.forEach((ch, c) => {
      const rs = rows[c];
      const s = rs.map((r) => r.idx.reduce((a, i, k) => a + w[i] * r.val[k], 0));
      if (set.multi) {
        s.forEach((x, i) => {
          const p = 1 / (1 + Math.exp(-x));
          const g = p - (ch.right[i] ? 1 : 0);
          rs[i].idx.forEach((j, k) => (grad[j] += g * rs[i].val[k]));
        });
        return;
      }
      const none = w[dim - 1];
      const max = Math.max(none, ...s);
      const e = s.map((x) => Math.exp(x - max));
      const e0 = Math.exp(none - max);
      const z = e0 + e.reduce((a, b) => a + b, 0);
      const rightMass = e.reduce((a, x, i) => a + (ch.right[i] ? x : 0), 0);
      const anyRight = rightMass > 0;
      e.forEach((x, i) => {
        const g = x / z - (anyRight && ch.right[i] ? x / rightMass : 0);
        if (g !== 0) rs[i].idx.forEach((j, k) => (grad[j] += g * rs[i].val[k]));
      });
      grad[dim - 1] += e0 / z - (anyRight ? 0 : 1);
    });
    for (let i = 0; i < dim; i++) {
      const g = grad[i] / n + 2 * l2 * (w[i] - prior[i]);
      m[i] = 0.9 * m[i] + 0.1 * g;
      v[i] = 0.999 * v[i] + 0.001 * g * g;
      const mh = m[i] / (1 - 0.9 ** t);
      const vh = v[i] / (1 - 0.999 ** t);
      w[i] -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  const weights: Record<string, number> = {};
  names.forEach((k, i) => {
    if (Math.abs(w[i]) >= (options.prune ?? 1e-3)) weights[k] = Math.round(w[i] * 1e4) / 1e4;
  });
  const out: FieldWeights = { weights, none: Math.round(w[dim - 1] * 1e4) / 1e4 };
  if (set.multi) out.multi = true;
  return out;
}

export interface TrainChooserOptions extends Omit<FitOptions, 'base'> {
  /** the chooser to fine-tune: its fields without examples are kept as they are */
  base?: FieldChooser;
  config?: FieldsConfig;
  /** recorded in the file (data, sizes) */
  trained?: Record<string, unknown>;
}

/** A chooser trained on examples (or a base chooser fine-tuned on them). */
export function trainFieldChooser(examples: readonly FieldExample[], options: TrainChooserOptions = {}): FieldChooser {
  const { base, config, trained, ...fit } = options;
  const data: ChooserData = {
    format: 'entity-lens-field-chooser',
    version: 1,
    ...(trained ? { trained } : {}),
    fields: { ...(base?.data.fields ?? {}) },
  };
  const vendors = mergeVendors(base?.data.vendors ?? [], knownVendorsOf(examples));
  if (vendors.length) data.vendors = vendors;
  for (const set of fieldTrainingSets(examples, config)) {
    if (set.choices.length === 0) continue;
    const key = chooserKey(set.kind, set.field);
    const was = base?.data.fields[key];
    // the base's thresholds were tuned on held-out documents: a few corrections keep them
    const tuned = was ? { threshold: was.threshold, floor: was.floor } : {};
    data.fields[key] = { ...fitFieldWeights(set, { ...fit, base: was }), ...stripUndefined(tuned) };
  }
  return new FieldChooser(data);
}

/** An object without its undefined keys. */
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Training sets of several corpora together: the choices of a kind and field pooled. */
export function mergeTrainingSets(...groups: readonly (readonly FieldTrainingSet[])[]): FieldTrainingSet[] {
  const out = new Map<string, FieldTrainingSet>();
  for (const sets of groups) {
    for (const s of sets) {
      const key = chooserKey(s.kind, s.field);
      const known = out.get(key);
      if (known)
        out.set(key, {
          ...known,
          choices: [...known.choices, ...s.choices],
          unreachable: known.unreachable + s.unreachable,
        });
      else out.set(key, { ...s, choices: [...s.choices] });
    }
  }
  return [...out.values()];
}

/** What the chooser proposed for one field of one held-out document, and what was right. */
export interface FieldDecision {
  key: string;
  multi: boolean;
  /** the distinct values proposed, best first: probability, and whether it is a right value */
  groups: { p: number; right: boolean }[];
  /** how many right values the document has for the field */
  gold: number;
}

/** The chooser's proposals on held-out documents with known answers (for tuning thresholds). */
export function collectDecisions(
  chooser: FieldChooser,
  examples: readonly FieldExample[],
  config: FieldsConfig = {},
): FieldDecision[] {
  const out: FieldDecision[] = [];
  for (const ex of examples) {
    const doc = new DocumentContext(ex.text, ex.kind, ex.entities, ex.layout);
    for (const spec of fieldsFor(ex.kind, config)) {
      const answers = ex.answers[spec.name];
      if (answers === undefined || spec.type === 'currency') continue;
      const usable = answers.filter((a) => a.unnormalisable === undefined);
      if (answers.length > 0 && usable.length === 0) continue;
      const ranked = rankValues(spec, doc, chooser, candidatesFor(spec, doc));
      if (!ranked) continue;
      const multi = ranked.weights.multi === true;
      const open = [...usable];
      const groups = ranked.groups.map((g) => {
        const i = open.findIndex((a) => answerMatches(spec.type, g.candidate, a));
        if (i >= 0 && multi) open.splice(i, 1);
        return { p: g.probability, right: i >= 0 };
      });
      out.push({
        key: chooserKey(ex.kind, spec.name),
        multi,
        groups,
        gold: multi ? usable.length : Math.min(1, usable.length),
      });
    }
  }
  return out;
}

const f1 = (tp: number, fp: number, fn: number) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));

/** Counts of a threshold (and a floor of two values for multi-valued fields) over decisions. */
function countAt(ds: readonly FieldDecision[], t: number, floor: number): [number, number, number] {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const d of ds) {
    let kept: { p: number; right: boolean }[];
    if (d.multi) {
      kept = d.groups.filter((g) => g.p >= t);
      for (const g of d.groups) if (kept.length < 2 && !kept.includes(g) && g.p >= floor) kept.push(g);
    } else kept = d.groups.length && d.groups[0].p >= t ? [d.groups[0]] : [];
    const right = kept.filter((g) => g.right).length;
    tp += right;
    fp += kept.length - right;
    fn += d.gold - right;
  }
  return [tp, fp, fn];
}

/**
 * Thresholds that maximise each field's F1 on the decisions, smoothed over neighbouring
 * thresholds, the lowest of equals (a value missed is no better than a value wrong); multi-
 * valued fields also get a lower threshold at which a second value is kept.
 */
export function tuneThresholds(
  decisions: readonly FieldDecision[],
): Record<string, Pick<FieldWeights, 'threshold' | 'floor'>> {
  const byKey = new Map<string, FieldDecision[]>();
  for (const d of decisions) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
  const grid = Array.from({ length: 48 }, (_, i) => Math.round((0.02 + i * 0.02) * 100) / 100);
  const out: Record<string, Pick<FieldWeights, 'threshold' | 'floor'>> = {};
  for (const [key, ds] of byKey) {
    const multi = ds[0].multi;
    // for each threshold, its F1 with the best floor below it
    const best = grid.map((t) => {
      let top = { score: -1, floor: t };
      for (const floor of multi ? grid.filter((x) => x <= t) : [t]) {
        const score = f1(...countAt(ds, t, floor));
        if (score > top.score + 1e-9) top = { score, floor };
      }
      return top;
    });
    const smooth = best.map((_, i) => {
      const around = best.slice(Math.max(0, i - 1), i + 2);
      return around.reduce((a, b) => a + b.score, 0) / around.length;
    });
    const max = Math.max(...smooth);
    const i = smooth.findIndex((x) => x >= max - 1e-9);
    out[key] = multi ? { threshold: grid[i], floor: { count: 2, threshold: best[i].floor } } : { threshold: grid[i] };
  }
  return out;
}

/** The chooser with tuned thresholds set on its fields. */
export function withThresholds(
  chooser: FieldChooser,
  tuned: Record<string, Pick<FieldWeights, 'threshold' | 'floor'>>,
): FieldChooser {
  const fields = { ...chooser.data.fields };
  for (const [key, t] of Object.entries(tuned)) if (fields[key]) fields[key] = { ...fields[key], ...t };
  return new FieldChooser({ ...chooser.data, fields });
}

/** Per field F1 of decisions at the given thresholds (defaults where none is given), and "all". */
export function scoreDecisions(
  decisions: readonly FieldDecision[],
  tuned: Record<string, Pick<FieldWeights, 'threshold' | 'floor'>>,
): Record<string, number> {
  const byKey = new Map<string, FieldDecision[]>();
  for (const d of decisions) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
  const out: Record<string, number> = {};
  const all = [0, 0, 0];
  for (const [key, ds] of byKey) {
    const t = tuned[key] ?? {};
    const counts = countAt(ds, t.threshold ?? 0.5, t.floor?.threshold ?? t.threshold ?? 0.5);
    out[key] = f1(...counts);
    counts.forEach((c, i) => (all[i] += c));
  }
  out.all = f1(all[0], all[1], all[2]);
  return out;
}
