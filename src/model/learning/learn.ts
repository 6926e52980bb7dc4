// Learning from a person's corrections, the one path the editor and the learning bench share:
// split the records by document (a held-out slice the candidate never sees), plan the fine-tune
// of the base model (new labels, rehearsal, schedule), train in a worker thread, then judge the
// candidate against the base model on the held-out slice and the reference set. A rejected or
// cancelled candidate's folder is removed; a promoted one keeps the verdict as report.json and
// the base's reference and rehearsal sets.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnnotatedDocument } from '../core/types';
import type { AnnotationRecord } from '../io/annotation-store';
import { writeFileAtomic } from '../io/files';
import { DATA_FILES, loadModel, readDataFile, recordDataFiles, saveModel } from '../nn/model-folder';
import { Tagger } from '../inference/tagger';
import type { Sequence } from '../training/sequences';
import type { EpochRecord, TrainProgress } from '../training/trainer';
import { trainInWorker } from '../training/worker';
import { loadRehearsalSet, planFineTune, type FineTunePlan } from './fine-tune';
import { judgeCandidate, type Verdict } from './promotion';
import { judgeInWorker } from './scoring-worker';
import { loadReferenceSet } from './reference-set';
import { splitByDocument, type SplitOptions } from './split';

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

export async function learnFromRecords(o: LearnOptions): Promise<LearnResult> {
  const log = o.log ?? (() => undefined);
  const base = await loadModel(o.baseDir);
  const labels = [...(o.labels ?? base.config.labels)];
  for (const l of labelsOf(o.records)) if (!labels.includes(l)) labels.push(l);
  const { train, heldOut } = splitByDocument(o.records, o.split);
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
  const trained = await fs.stat(path.join(o.outDir, 'model.json')).then(
    () => true,
    () => false,
  );
  if (!trained) {
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
        verdict = await job.done;
      } finally {
        o.signal?.removeEventListener('abort', cancel);
      }
    } else {
      const candidate = await Tagger.load(o.outDir, { warn: log, rules: o.rules });
      const current = o.current ?? (await Tagger.load(o.baseDir, { warn: log, rules: o.rules }));
      try {
        verdict = await judgeCandidate({
          ...judging,
          candidate,
          current,
          signal: o.signal,
          onProgress: o.onJudging ?? log,
        });
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
