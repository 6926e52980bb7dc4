// Learning from a person's corrections, the one path the editor and the learning bench share:
// split the records by document (a held-out slice the candidate never sees), plan the fine-tune
// of the base model (new labels, rehearsal, schedule), train in a worker thread, then judge the
// candidate against the base model on the held-out slice and the reference set. A rejected or
// cancelled candidate's folder is removed; a promoted one keeps the verdict as report.json and
// the base's reference and rehearsal sets.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnnotatedDocument, Entity } from '../core/types';
import type { AnnotationRecord } from '../io/annotation-store';
import { writeFileAtomic } from '../io/files';
import { DATA_FILES, loadModel, readDataFile, recordDataFiles, saveModel } from '../nn/model-folder';
import { Tagger } from '../inference/tagger';
import type { Sequence } from '../training/sequences';
import type { EpochRecord, TrainProgress } from '../training/trainer';
import { trainInWorker } from '../training/worker';
import { loadRehearsalSet, planFineTune, type FineTunePlan } from './fine-tune';
import { judgeCandidate, MIN_HELD_OUT_ENTITIES, type Verdict } from './promotion';
import { entitiesInWorker, judgeInWorker } from './scoring-worker';
import { loadReferenceSet } from './reference-set';
import { splitByDocument, type SplitOptions } from './split';
import { scopeKinds } from '../inference/scope';
import { notLentOf, takeoversOf } from './takeovers';
import { detectKind } from '../rules/document-kind';
import type { ModelScope, TrainedModel } from '../nn/trained-model';

export interface LearnResult {
  verdict: Verdict;
  plan: FineTunePlan;
  /** the candidate's folder: removed unless the verdict promotes it */
  outDir: string;
  history: EpochRecord[];
  cancelled: boolean;
  /** records trained on and held out */
  train: number;
  heldOut: number;
}

export interface LearnOptions {
  /** the model in use, fine-tuned and compared against */
  baseDir: string;
  records: AnnotationRecord[];
  /** how the records are split into training and held-out documents (learning/split.ts) */
  split?: SplitOptions;
  /** labels wanted (default: the base model's and every label the records use) */
  labels?: string[];
  outDir: string;
  /** default: the sets shipped beside the base model (rehearsal.jsonl, reference.jsonl) */
  rehearsal?: AnnotatedDocument[];
  reference?: AnnotatedDocument[];
  /** the current model's confident predictions on other text, as soft targets */
  replay?: Sequence[];
  /** the base model loaded already (the editor's, or a bench's cached one); loaded from baseDir otherwise */
  current?: Tagger;
  version?: string;
  name?: string;
  epochs?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (r: EpochRecord) => void;
  /** sees the trained candidate after the verdict, before a rejected one is removed (benchmarks score it) */
  onJudged?: (candidate: Tagger, verdict: Verdict) => Promise<void> | void;
  /**
   * Judge in a worker thread, both models loaded there: in the editor this thread is the
   * extension host's, and tagging blocks it. `current` and `onJudged` are not used then.
   */
  judgeInWorker?: boolean;
  /** let the rule annotators decide the labels a model's policy names (the editor's setting; default true) */
  rules?: boolean;
  /** what the judging is doing ("reference set: 12 of 211 documents") */
  onJudging?: (message: string) => void;
  /**
   * Scope the candidate to what the records correct (default true): it decides their labels on
   * their kinds of documents and the base model everything else (inference/scope.ts).
   */
  scoped?: boolean;
  log?: (m: string) => void;
}

/** Labels the records speak for: a confirmed span, a judged range or a complete mark. */
function labelsOf(records: readonly AnnotatedDocument[]): string[] {
  const out = new Set<string>();
  for (const r of records) {
    for (const s of r.spans) out.add(s.label);
    for (const j of r.judged ?? []) out.add(j.label);
    if (Array.isArray(r.complete)) for (const l of r.complete) out.add(l);
  }
  return [...out];
}

const cancelledVerdict: Verdict = {
  promote: false,
  reason: 'Training was cancelled; the model was not changed.',
  heldOut: null,
  reference: null,
};

/**
 * What a candidate tuned on `records` decides: the labels they speak for on their kinds of
 * documents (a record's `kind`, else detected from its text), with what the current model's
 * scope already covered.
 */
export function scopeOf(
  records: readonly AnnotatedDocument[],
  current: TrainedModel,
  shown: readonly (readonly Entity[])[] = [],
): ModelScope {
  const previous = current.info.scope;
  const labels = new Set([...(previous?.labels ?? []), ...labelsOf(records)]);
  const kinds = scopeKinds([...(previous?.kinds ?? []), ...records.map((r) => r.kind ?? detectKind(r.text))]);
  // in the model's label order, new labels after
  const rank = (l: string) => (current.config.labels.includes(l) ? current.config.labels.indexOf(l) : Infinity);
  const ordered = [...labels].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const takesOver: Record<string, string[]> = {};
  for (const found of [previous?.takesOver ?? {}, takeoversOf(records, shown, ordered)])
    for (const [label, over] of Object.entries(found))
      takesOver[label] = [...new Set([...(takesOver[label] ?? []), ...over])].filter((l) => !labels.has(l)).sort();
  for (const label of Object.keys(takesOver)) if (takesOver[label].length === 0) delete takesOver[label];
  const notLent = [...new Set([...(previous?.notLent ?? []), ...notLentOf(records, shown, ordered)])].sort();
  return {
    kinds,
    labels: ordered,
    ...(Object.keys(takesOver).length > 0 ? { takesOver } : {}),
    ...(notLent.length > 0 ? { notLent } : {}),
  };
}

/**
 * What the model in use shows on each record, where scopeOf finds the labels a person's marks
 * lie over. Off this thread when judging is (the editor's extension host).
 */
async function shownOn(records: readonly AnnotatedDocument[], o: LearnOptions): Promise<Entity[][]> {
  const texts = records.map((r) => ({ text: r.text, ...(r.kind ? { kind: r.kind } : {}) }));
  if (o.judgeInWorker) {
    const job = entitiesInWorker({ dir: o.baseDir, texts, rules: o.rules });
    const cancel = () => job.cancel();
    o.signal?.addEventListener('abort', cancel);
    try {
      return await job.done;
    } finally {
      o.signal?.removeEventListener('abort', cancel);
    }
  }
  const tagger = o.current ?? (await Tagger.load(o.baseDir, { rules: o.rules }));
  try {
    const out: Entity[][] = [];
    for (const t of texts) out.push(await tagger.tag(t.text, t.kind ? { kind: t.kind } : {}));
    return out;
  } finally {
    if (tagger !== o.current) await tagger.dispose();
  }
}

export async function learnFromRecords(o: LearnOptions): Promise<LearnResult> {
  const log = o.log ?? (() => undefined);
  const current = await loadModel(o.baseDir);
  // a scoped model is tuned further from its own network; its base stays the base
  const root = current.base ?? current;
  const base: TrainedModel = { ...current, base: undefined, info: { ...current.info, scope: undefined } };
  const labels = [...(o.labels ?? base.config.labels)];
  for (const l of labelsOf(o.records)) if (!labels.includes(l)) labels.push(l);
  // enough held-out entities to tell, where the documents allow (receipts carry two or three)
  const { train, heldOut } = splitByDocument(o.records, { minHeldOutEntities: MIN_HELD_OUT_ENTITIES, ...o.split });
  const plan = planFineTune({
    base,
    train,
    labels,
    rehearsal: o.rehearsal ?? (await loadRehearsalSet(o.baseDir)),
    replay: o.replay,
    name: o.name,
    version: o.version,
    seed: o.seed,
    epochs: o.epochs,
  });
  const reference = o.reference ?? (await loadReferenceSet(o.baseDir));
  log(
    `training on ${train.length} records (${heldOut.length} held out; ${plan.train.length} with repeats), ` +
      `${(plan.options.extraSequences?.length ?? 0) - (o.replay?.length ?? 0)} rehearsal windows; ` +
      `labels ${labels.join(', ')}` +
      (plan.newLabels.length ? `; new ${plan.newLabels.join(', ')}` : '') +
      (plan.yieldedLabels.length ? `; taken from the rules: ${plan.yieldedLabels.join(', ')}` : ''),
  );

  const summary = await trainPlan(plan, o);
  let scope: ModelScope | undefined;
  if (o.scoped !== false && !summary.cancelled && !o.signal?.aborted) {
    try {
      scope = scopeOf(train, current, await shownOn(train, o));
    } catch (e) {
      await fs.rm(o.outDir, { recursive: true, force: true });
      if (!o.signal?.aborted) throw e;
    }
  }
  if (scope && !summary.cancelled && !o.signal?.aborted && (await hasModel(o.outDir))) {
    const trainedModel = await loadModel(o.outDir);
    // the records trained on, not the trainer's count of them with their repeats
    const training = { ...trainedModel.info.training, trainDocuments: train.length };
    await saveModel(o.outDir, { ...trainedModel, info: { ...trainedModel.info, scope, training }, base: root });
    const over = Object.entries(scope.takesOver ?? {}).map(([l, xs]) => `${l} over ${xs.join(', ')}`);
    log(
      `the new model decides ${scope.labels.join(', ')} on ${scope.kinds.join(', ')}; the base model the rest` +
        (over.length > 0 ? ` (where they overlap: ${over.join('; ')})` : '') +
        (scope.notLent ? `; names of ${scope.notLent.join(', ')} are not lent to their other occurrences` : ''),
    );
  }
  const result = (verdict: Verdict): LearnResult => ({
    verdict,
    plan,
    outDir: o.outDir,
    history: summary.history,
    cancelled: summary.cancelled,
    train: train.length,
    heldOut: heldOut.length,
  });
  if (summary.cancelled || o.signal?.aborted) {
    await fs.rm(o.outDir, { recursive: true, force: true });
    return { ...result(cancelledVerdict), cancelled: true };
  }

  let verdict: Verdict;
  if (!(await hasModel(o.outDir))) {
    await fs.rm(o.outDir, { recursive: true, force: true });
    throw new Error('training produced no model');
  }
  const judging = { heldOut, reference, labels, userLabels: [...plan.yieldedLabels, ...plan.newLabels], seed: o.seed };
  // a loss on the reference set is what the user asked for only where they took a label from the
  // rules (its convention is theirs now) or added one (userLabels); corrections of a label the
  // network decides must not make it worse elsewhere
  try {
    if (o.judgeInWorker) {
      const job = judgeInWorker(
        { ...judging, candidateDir: o.outDir, currentDir: o.baseDir, rules: o.rules },
        o.onJudging ?? log,
      );
      const cancel = () => job.cancel();
      o.signal?.addEventListener('abort', cancel);
      try {
        verdict = withScope(await job.done, scope);
      } finally {
        o.signal?.removeEventListener('abort', cancel);
      }
    } else {
      const candidate = await Tagger.load(o.outDir, { warn: log, rules: o.rules });
      const current = o.current ?? (await Tagger.load(o.baseDir, { warn: log, rules: o.rules }));
      try {
        verdict = withScope(
          await judgeCandidate({
            ...judging,
            candidate,
            current,
            signal: o.signal,
            onProgress: o.onJudging ?? log,
          }),
          scope,
        );
        await o.onJudged?.(candidate, verdict);
      } finally {
        await candidate.dispose();
        if (current !== o.current) await current.dispose();
      }
    }
  } catch (e) {
    // nothing judged is kept: a cancelled or failed judging leaves no candidate behind
    await fs.rm(o.outDir, { recursive: true, force: true });
    if (o.signal?.aborted) return { ...result(cancelledVerdict), cancelled: true };
    throw e;
  }
  log(verdict.reason);
  if (verdict.promote) {
    await carryDataFiles(o.baseDir, o.outDir);
    await writeFileAtomic(path.join(o.outDir, 'report.json'), JSON.stringify(verdict, null, 2) + '\n');
  } else {
    await fs.rm(o.outDir, { recursive: true, force: true });
  }
  return result(verdict);
}

function withScope(verdict: Verdict, scope: ModelScope | undefined): Verdict {
  return scope ? { ...verdict, scope } : verdict;
}

async function hasModel(dir: string): Promise<boolean> {
  return fs.stat(path.join(dir, 'model.json')).then(
    () => true,
    () => false,
  );
}

/**
 * The base's reference and rehearsal sets go with a promoted model, so the next round, which
 * starts from it, is judged on the same reference set and rehearses the same windows.
 */
async function carryDataFiles(baseDir: string, outDir: string): Promise<void> {
  let copied = false;
  for (const name of DATA_FILES) {
    const bytes = await readDataFile(baseDir, name);
    if (bytes === null) continue;
    await writeFileAtomic(path.join(outDir, name), bytes);
    copied = true;
  }
  if (copied) await recordDataFiles(outDir);
}

/** Trains the plan in a worker: the worker reads its initial model (widened for new labels) from a folder. */
async function trainPlan(plan: FineTunePlan, o: LearnOptions): Promise<{ history: EpochRecord[]; cancelled: boolean }> {
  const initialDir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-initial-'));
  try {
    await saveModel(initialDir, plan.initial);
    const job = trainInWorker(
      // no dev set: the held-out slice decides afterwards, with the reference set
      { train: plan.train, dev: [], options: plan.options, initialDir, outDir: o.outDir },
      { onProgress: o.onProgress, onEpoch: (r) => o.onEpoch?.(r) },
    );
    const cancel = () => job.cancel();
    o.signal?.addEventListener('abort', cancel);
    try {
      const summary = await job.done;
      return { history: summary.history, cancelled: summary.cancelled };
    } finally {
      o.signal?.removeEventListener('abort', cancel);
    }
  } catch (e) {
    await fs.rm(o.outDir, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  } finally {
    await fs.rm(initialDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
