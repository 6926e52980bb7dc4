// How a model learns from a person's corrections: the one fine-tuning schedule the editor, the
// CLI (`train --editor`) and the learning bench share. A few corrected records must teach
// without wearing away what the base model knew, so the plan
// - starts from the base, widened with the labels it lacks (withLabels);
// - mixes in a rehearsal sample of the base's own training windows (`rehearsal.jsonl` beside
//   the model: gold and rule-made silver spans), so the steps keep seeing the old domains;
// - pulls the base's weights back toward their start after every step (TrainOptions.anchor),
//   leaving the new labels' output weights free, and weighs the windows of new labels up;
// - runs at least a fixed number of optimizer steps however few the records (their windows
//   repeated), a fixed number of epochs, the last one kept: without a dev set there is nothing
//   to stop on, and the promotion rule judges the result;
// - lets the network decide the labels the base's rules decide alone (`ruleOnly`) once the
//   person has corrected them: the candidate's policy keeps the rules only to fill gaps.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { firstLabelProblem } from '../core/labels';
import { Rng } from '../core/random';
import type { AnnotatedDocument } from '../core/types';
import { errorCode, InputError } from '../io/files';
import { readJsonl } from '../io/jsonl';
import { featureDim } from '../nn/architecture';
import type { TrainedModel } from '../nn/model-folder';
import { usablePolicy } from '../inference/tagger';
import type { RulePolicy } from '../rules/policy';
import { withLabels } from '../training/add-labels';
import { documentSequences, type Sequence, type SequenceOptions } from '../training/sequences';
import type { TrainOptions } from '../training/trainer';

export interface FineTunePlan {
  /** the base, with the new labels' tags appended */
  initial: TrainedModel;
  options: Omit<TrainOptions, 'initial'>;
  /** the person's records, repeated as the schedule needs (see planFineTune) */
  train: AnnotatedDocument[];
  /** labels the base did not have */
  newLabels: string[];
  /** labels the base's rules decided alone that the candidate's network now decides */
  yieldedLabels: string[];
}

/** The file of rehearsal windows beside a model. */
export const REHEARSAL_FILE = 'rehearsal.jsonl';

/**
 * The schedule's constants, chosen with `npm run bench:learning` (receipts, contract passages, a
 * new label; scored on other receipts and contracts). The candidate is scoped (inference/scope.ts),
 * so other labels and kinds cannot forget; rehearsal and the anchor keep what the base knew of
 * the corrected labels on other documents of the kind (without them, receipts' addresses got
 * worse on the reference set); the new labels' learning rate is what lets a new label be found
 * at all after a few dozen sentences.
 */
export const FINE_TUNE = {
  learningRate: 1e-3,
  batchSize: 16,
  maxTokens: 60,
  epochs: 8,
  /** optimizer steps over the whole run, at least */
  minSteps: 120,
  /** the most times a record is repeated to reach minSteps (rehearsal fills the rest, as far as it goes) */
  maxRepeats: 20,
  /** rehearsal windows per window of the person's records (after repeats), as far as the sample goes */
  rehearsalRatio: 1,
  /** loss weight of a rehearsal window */
  rehearsalWeight: 1,
  /** share of its distance from the base a weight is pulled back after each step */
  anchor: 0.01,
  /** the prior toward O on unknown tokens (TrainOptions.outsidePrior): the default recipe's */
  outsidePrior: 0.2,
  /** learning rate of a new label's output weights, as a multiple of learningRate */
  newLabelRate: 10,
  /** loss weight of a window holding a new label's span */
  newLabelWeight: 3,
} as const;

/** The rehearsal windows shipped beside a model; [] when the model has none. */
export async function loadRehearsalSet(modelDir: string): Promise<AnnotatedDocument[]> {
  const file = path.join(modelDir, REHEARSAL_FILE);
  try {
    await fs.access(file);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return [];
    throw e;
  }
  const { docs, problems } = await readJsonl(file);
  if (problems.length > 0) {
    const p = problems[0];
    throw new InputError(`${file}:${p.line}: ${p.message} (the model's rehearsal set is damaged).`, file, p.line);
  }
  return docs;
}

export function planFineTune(o: {
  base: TrainedModel;
  train: AnnotatedDocument[];
  labels: string[];
  rehearsal: AnnotatedDocument[];
  replay?: Sequence[];
  name?: string;
  version?: string;
  seed?: number;
  epochs?: number;
}): FineTunePlan {
  const problem = firstLabelProblem(o.labels);
  if (problem) throw new InputError(`fine-tuning: ${problem}.`);
  if (o.train.length === 0) throw new InputError('fine-tuning: there are no records to learn from.');
  const base = o.base;
  const newLabels = [...new Set(o.labels.filter((l) => !base.config.labels.includes(l)))];
  const initial = withLabels(base, newLabels);
  const labels = initial.config.labels;
  const seed = o.seed ?? 1;
  const epochs = o.epochs ?? FINE_TUNE.epochs;
  const seqOptions: SequenceOptions = {
    labels,
    scheme: initial.config.scheme,
    partial: true,
    maxTokens: FINE_TUNE.maxTokens,
    features: featureDim(initial.config) > 0,
  };

  // the schedule: enough repeats of the records (with their share of rehearsal) for minSteps
  const own = o.train.reduce((n, d) => n + documentSequences(d, seqOptions).length, 0);
  const rehearsal = rehearsalSequences(o.rehearsal, base.config.labels, seqOptions, seed);
  const ratio = rehearsal.length > 0 ? FINE_TUNE.rehearsalRatio : 0;
  const wanted = Math.ceil((FINE_TUNE.minSteps / epochs) * FINE_TUNE.batchSize);
  const repeats = Math.max(1, Math.min(FINE_TUNE.maxRepeats, Math.ceil(wanted / Math.max(1, own * (1 + ratio)))));
  // rehearsal: its share of each epoch, or what is left of an epoch when few records are all repeated
  const rehearsed = rehearsal.slice(0, Math.max(Math.ceil(own * repeats * ratio), wanted - own * repeats));

  const yieldedLabels = yielded(base, o.train);
  const rules = yieldTo(base.info.rules, yieldedLabels);
  return {
    initial,
    newLabels,
    yieldedLabels,
    train: Array.from({ length: repeats }, () => o.train).flat(),
    options: {
      labels,
      scheme: initial.config.scheme,
      epochs,
      batchSize: FINE_TUNE.batchSize,
      learningRate: FINE_TUNE.learningRate,
      maxTokens: FINE_TUNE.maxTokens,
      outsidePrior: FINE_TUNE.outsidePrior,
      anchor: FINE_TUNE.anchor,
      ...(newLabels.length > 0
        ? {
            newLabels,
            newLabelRate: FINE_TUNE.newLabelRate,
            labelWeights: Object.fromEntries(newLabels.map((l) => [l, FINE_TUNE.newLabelWeight])),
          }
        : {}),
      extraSequences: [...rehearsed, ...(o.replay ?? [])],
      ...(rules ? { rules } : {}),
      name: o.name ?? base.info.name,
      ...(o.version !== undefined ? { version: o.version } : {}),
      seed,
    },
  };
}

/**
 * The rehearsal windows in a seeded order. Their records annotate only the base's labels: a
 * record complete for 'all' is complete for those, and a new label stays unknown there.
 */
function rehearsalSequences(
  docs: AnnotatedDocument[],
  baseLabels: readonly string[],
  seqOptions: SequenceOptions,
  seed: number,
): Sequence[] {
  const out: Sequence[] = [];
  for (const d of docs) {
    const doc = d.complete === 'all' ? { ...d, complete: [...baseLabels] } : d;
    for (const s of documentSequences(doc, { ...seqOptions, silver: 'gold' })) {
      s.weight = FINE_TUNE.rehearsalWeight;
      out.push(s);
    }
  }
  return new Rng(seed).shuffle(out);
}

/** The base's rule-only labels that the records correct: a span of the label, or a range judged for it. */
function yielded(base: TrainedModel, records: AnnotatedDocument[]): string[] {
  const ruleOnly = usablePolicy(base.info.rules, base.config.labels)?.ruleOnly ?? [];
  return ruleOnly.filter((label) =>
    records.some(
      (d) =>
        d.spans.some((s) => s.label === label) ||
        // `judged` (per-label judged ranges) comes with the record format of the learning branches
        ((d as { judged?: { label: string }[] }).judged ?? []).some((r) => r.label === label) ||
        (Array.isArray(d.complete) && d.complete.includes(label)),
    ),
  );
}

/**
 * The policy with `labels` given to the network: no longer decided by the rules, which only
 * add their span where the network found nothing (fill). undefined when there is no policy.
 */
export function yieldTo(policy: RulePolicy | undefined, labels: readonly string[]): RulePolicy | undefined {
  if (!policy || labels.length === 0) return policy;
  const fill = [...(policy.fill ?? [])];
  for (const l of labels) if (policy.labels.includes(l) && !fill.includes(l)) fill.push(l);
  return {
    ...policy,
    labels: policy.labels.filter((l) => !labels.includes(l)),
    ruleOnly: (policy.ruleOnly ?? []).filter((l) => !labels.includes(l)),
    fill,
  };
}
