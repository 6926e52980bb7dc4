// Field-level precision, recall and F1 against known answers. A single-valued field counts one
// gold value per document (its answers are alternatives: "180 days / 6 months"), a
// multi-valued one each answer; a document whose answers for a field all could not be
// normalised is counted apart and scores nothing, right or wrong.
import { answerMatches, type FieldAnswers } from './answers';
import type { FieldValue } from './result';
import type { FieldType } from './schema';

export interface FieldScore {
  field: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  /** gold values scored */
  support: number;
  /** answers that could not be normalised (not scored) */
  unnormalisable: number;
}

export interface ScoredDocument {
  fields: Record<string, FieldValue[]>;
  answers: FieldAnswers;
}

export interface ScoredField {
  name: string;
  type: FieldType;
  multi: boolean;
}

function ratios(s: Omit<FieldScore, 'precision' | 'recall' | 'f1'>): FieldScore {
  const precision = s.tp + s.fp ? s.tp / (s.tp + s.fp) : 0;
  const recall = s.tp + s.fn ? s.tp / (s.tp + s.fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { ...s, precision, recall, f1 };
}

/** Scores per field, in the order given, and their micro average as the field "all". */
export function scoreFields(docs: readonly ScoredDocument[], fields: readonly ScoredField[]): FieldScore[] {
  const out: FieldScore[] = [];
  const all = { field: 'all', tp: 0, fp: 0, fn: 0, support: 0, unnormalisable: 0 };
  for (const spec of fields) {
    const s = { field: spec.name, tp: 0, fp: 0, fn: 0, support: 0, unnormalisable: 0 };
    for (const d of docs) {
      const answers = d.answers[spec.name];
      if (answers === undefined) continue;
      const usable = answers.filter((a) => a.unnormalisable === undefined);
      if (answers.length > 0 && usable.length === 0) {
        s.unnormalisable += spec.multi ? answers.length : 1;
        continue;
      }
      s.unnormalisable += spec.multi ? answers.length - usable.length : 0;
      const predicted = d.fields[spec.name] ?? [];
      if (!spec.multi) {
        const gold = usable.length ? 1 : 0;
        const hit = predicted.length > 0 && usable.some((a) => answerMatches(spec.type, predicted[0], a));
        s.support += gold;
        s.tp += hit ? 1 : 0;
        s.fn += gold - (hit ? 1 : 0);
        s.fp += predicted.length > 0 && !hit ? 1 : 0;
        continue;
      }
      const open = [...usable];
      for (const p of predicted) {
        const i = open.findIndex((a) => answerMatches(spec.type, p, a));
        if (i >= 0) {
          s.tp++;
          open.splice(i, 1);
        } else s.fp++;
      }
      s.fn += open.length;
      s.support += usable.length;
    }
    out.push(ratios(s));
    for (const k of ['tp', 'fp', 'fn', 'support', 'unnormalisable'] as const) all[k] += s[k];
  }
  out.push(ratios(all));
  return out;
}
