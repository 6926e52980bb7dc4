// Background training on the workspace's annotations. The engine's learnFromRecords does the
// work the command-line `train --editor` and `npm run bench:learning` do too: hold out whole
// documents, fine-tune the base model by the plan (rehearsal, a pull toward the base weights,
// new labels), train in a worker, and judge the candidate against the model in use on the
// held-out documents and the reference set shipped with the base model — in a worker too, since
// tagging blocks the thread. Only a candidate that is not worse on either is swapped in.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  type AnnotatedDocument,
  type EpochRecord,
  describeVerdict,
  judgeInWorker,
  learnFromRecords,
  loadReferenceSet,
  loadRehearsalSet,
  overlaps,
  overlapsAny,
  type Sequence,
  type Span,
  spansToTags,
  splitByDocument,
  tagNames,
  type TagScheme,
  trainInWorker,
  type TrainProgress,
  type Verdict,
  windows,
  errorMessage,
} from '../model';
import { retagAll } from './document-tagger';
import { findOpenDocument, readBlock } from './document-text';
import { readLabelFile } from './labels';
import { baseModel, invalidateModels, modelFor } from './model-manager';
import { readSettings } from './settings';
import { type Ctx, type LoadedModel, type TrainingRun } from './ctx';
import { dataDir, exists, heldOutSplit, modelsDir, readCurrentModel, updateCurrentModel } from './workspace-files';
import { CommandId } from './command-ids';
import { trainFieldChooserFromCorrections, type FieldTrainingRun } from './field-training';

/** replayed predictions weigh this much against a person's annotations */
const REPLAY_WEIGHT = 0.3;
const MAX_REPLAY_SEQUENCES = 400;
const MAX_TOKENS = 60;
/** epochs of a workspace model with a new encoder (trainingArchitecture) when the setting is 0 */
const SCRATCH_EPOCHS = 12;

export interface TrainRequest {
  folder: vscode.WorkspaceFolder;
  auto?: boolean;
}

export async function nextVersion(folder: string): Promise<number> {
  let n = 0;
  try {
    for (const name of await fs.readdir(modelsDir(folder))) {
      const m = /^ws\.(\d+)$/.exec(name);
      if (m) n = Math.max(n, Number(m[1]));
    }
  } catch {
    // no models yet
  }
  return n + 1;
}

/** Sequences from the current model's confident predictions on open, unreviewed text. */
export function replaySequences(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder,
  labels: string[],
  scheme: TagScheme,
  threshold: number,
): Sequence[] {
  const tags = tagNames(labels, scheme);
  const T = tags.length;
  const index = new Map(tags.map((t, i) => [t, i]));
  const out: Sequence[] = [];
  for (const ds of ctx.documents()) {
    const doc = findOpenDocument(ds.key);
    if (!doc || vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.toString() !== folder.uri.toString()) continue;
    let coveredTo = -1;
    // what a person corrected is in the records: its windows are not replayed
    const corrected = ds.corrected();
    for (const p of ds.predictions) {
      if (out.length >= MAX_REPLAY_SEQUENCES) return out;
      if (p.start < coveredTo || p.confidence < threshold || overlapsAny(p, corrected)) continue;
      const block = readBlock(doc, p);
      coveredTo = block.start + block.text.length;
      for (const w of windows(block.text, MAX_TOKENS)) {
        if (w.length === 0) continue;
        const range = { start: w[0].start + block.start, end: w[w.length - 1].end + block.start };
        if (overlapsAny(range, corrected) || overlapsAny(range, ds.pending)) continue;
        const inside: Span[] = ds.predictions
          .filter(
            (e) =>
              overlaps(e, range) && e.confidence >= threshold && index.has(`${scheme === 'IO' ? 'I' : 'B'}-${e.label}`),
          )
          .map((e) => ({ start: e.start - block.start, end: e.end - block.start, label: e.label }));
        if (inside.length === 0) continue;
        const seqTags = spansToTags(w, inside, scheme);
        const mask = new Uint8Array(w.length * T);
        seqTags.forEach((tag, t) => {
          if (tag === 'O') mask.fill(1, t * T, t * T + T);
          else mask[t * T + (index.get(tag) as number)] = 1;
        });
        out.push({ docId: `replay:${ds.key}`, tokens: w, mask, gold: [], weight: REPLAY_WEIGHT });
        if (out.length >= MAX_REPLAY_SEQUENCES) return out;
      }
    }
  }
  return out;
}

function labelsOf(docs: AnnotatedDocument[]): string[] {
  const out: string[] = [];
  for (const d of docs) for (const s of d.spans) if (!out.includes(s.label)) out.push(s.label);
  return out;
}

export async function runTraining(ctx: Ctx, request: TrainRequest): Promise<TrainingRun | undefined> {
  if (ctx.training.running) {
    if (!request.auto) void vscode.window.showInformationMessage('Entity Lens: training is already running.');
    return undefined;
  }
  const fp = request.folder.uri.fsPath;
  const store = await ctx.readAnnotations(fp);
  const docs = store.records;
  const current = await modelFor(ctx, request.folder);
  // the field chooser learns from the folder's field corrections first (quick: a few documents)
  let fields: FieldTrainingRun | undefined;
  try {
    fields = await trainFieldChooserFromCorrections(ctx, request.folder, current);
  } catch (e) {
    ctx.log.error(`training the field chooser failed: ${errorMessage(e)}`);
  }
  if (docs.length === 0) {
    if (fields) {
      if (!request.auto)
        void vscode.window.showInformationMessage(
          `Entity Lens: the field chooser learned from ${fields.corrections} field corrections in ${fields.documents} documents (no entity annotations to train the tagger on yet).`,
        );
      return undefined;
    }
    void vscode.window.showInformationMessage(
      'Entity Lens: no annotations yet — accept or correct some entities (or import annotations), then train.',
    );
    return undefined;
  }
  const settings = readSettings(request.folder.uri);
  const labels: string[] = [...(current?.labels ?? [])];
  for (const l of [...(await readLabelFile(fp)), ...labelsOf(docs)]) if (!labels.includes(l)) labels.push(l);
  const n = await nextVersion(fp);
  const folderName = `ws.${n}`;
  const baseVersion = current ? current.info.version.replace(/(?:^|\+)ws\.\d+$/, '') : '';
  const version = baseVersion ? `${baseVersion}+ws.${n}` : folderName;
  const outDir = path.join(modelsDir(fp), folderName);
  const base = baseModel(request.folder).dir;
  // another encoder than the base's, or no model at all: a fresh model, judged the same way
  const fresh =
    !current ||
    (settings.trainingArchitecture !== 'default' && settings.trainingArchitecture !== current.tagger.model.config.cell);
  const scheme: TagScheme = current?.tagger.model.config.scheme ?? 'BILOU';
  const replay = current ? replaySequences(ctx, request.folder, labels, scheme, settings.lowConfidenceThreshold) : [];
  await fs.mkdir(modelsDir(fp), { recursive: true });
  const abort = new AbortController();
  ctx.trainingStarted({ folder: fp, cancel: () => abort.abort(), progress: 'starting', percent: 0 });

  const work = async (
    progress?: vscode.Progress<{ message?: string; increment?: number }>,
    token?: vscode.CancellationToken,
  ): Promise<TrainingRun> => {
    token?.onCancellationRequested(() => abort.abort());
    let last = 0;
    const timer = setInterval(() => {
      const r = ctx.training.running;
      if (!r || !progress) return;
      progress.report({ message: r.progress, increment: r.percent - last });
      last = r.percent;
    }, 500);
    try {
      const hooks = {
        onProgress: (p: TrainProgress) => progressed(ctx, p),
        onEpoch: (r: EpochRecord) =>
          ctx.log.info(`  epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, ${r.seconds.toFixed(1)} s`),
        onJudging: (m: string) => ctx.trainingProgress(m, 99),
      };
      const outcome = fresh
        ? await trainFresh(ctx, {
            docs,
            labels,
            version,
            outDir,
            current,
            replay,
            settings,
            folder: fp,
            signal: abort.signal,
            ...hooks,
          })
        : await learnFromRecords({
            // fine-tune the model in use and compare against it; rehearsal and reference come
            // with the shipped base model (workspace versions do not carry them)
            baseDir: current.dir,
            records: docs,
            split: heldOutSplit(fp),
            labels,
            outDir,
            rehearsal: await loadRehearsalSet(base),
            reference: await loadReferenceSet(base),
            replay,
            version,
            name: current.info.name,
            // 0: the fine-tune plan's schedule
            epochs: settings.trainingEpochs || undefined,
            seed: 1,
            rules: settings.ruleAnnotators,
            judgeInWorker: true,
            signal: abort.signal,
            onProgress: hooks.onProgress,
            onEpoch: hooks.onEpoch,
            onJudging: hooks.onJudging,
            log: (m) => ctx.log.info(m),
          });
      if (outcome.cancelled) {
        await fs.rm(outDir, { recursive: true, force: true });
        return finish(ctx, {
          folder: fp,
          version,
          finished: new Date().toISOString(),
          swapped: false,
          cancelled: true,
          reason: 'cancelled',
          markdown: '',
        });
      }
      return await decide(ctx, request.folder, { ...outcome, current, outDir, version, labels, replay: replay.length });
    } finally {
      clearInterval(timer);
    }
  };

  try {
    return request.auto
      ? await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Entity Lens: training' },
          (p) => work(p),
        )
      : await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `Entity Lens: training ${version}`,
            cancellable: true,
          },
          (p, token) => work(p, token),
        );
  } catch (e) {
    const message = `Entity Lens: training failed: ${errorMessage(e)}`;
    ctx.log.error(message);
    void vscode.window.showErrorMessage(message);
    await fs.rm(outDir, { recursive: true, force: true }).catch(() => undefined);
    return undefined;
  } finally {
    ctx.trainingStopped();
  }
}

const cancelledVerdict: Verdict = { promote: false, reason: 'cancelled', heldOut: null, reference: null };

interface Trained {
  verdict: Verdict;
  history: EpochRecord[];
  cancelled: boolean;
  train: number;
  heldOut: number;
}

/**
 * A model from scratch (no model yet, or another architecture than the base's): small
 * dimensions, every record's vocabulary, then the same verdict against the model in use.
 */
async function trainFresh(
  ctx: Ctx,
  o: {
    docs: AnnotatedDocument[];
    labels: string[];
    version: string;
    outDir: string;
    current: LoadedModel | undefined;
    replay: Sequence[];
    signal: AbortSignal;
    onProgress: (p: TrainProgress) => void;
    onEpoch: (r: EpochRecord) => void;
    onJudging: (m: string) => void;
    settings: ReturnType<typeof readSettings>;
    folder: string;
  },
): Promise<Trained> {
  const settings = o.settings;
  let { train, heldOut } = splitByDocument(o.docs, heldOutSplit(o.folder));
  if (train.length === 0) [train, heldOut] = [heldOut, []];
  ctx.log.info(`training ${o.version} from scratch: ${train.length} train / ${heldOut.length} held-out records`);
  const job = trainInWorker(
    {
      train,
      dev: [],
      options: {
        labels: o.labels,
        scheme: o.current?.tagger.model.config.scheme ?? 'BILOU',
        epochs: settings.trainingEpochs || SCRATCH_EPOCHS,
        batchSize: 16,
        learningRate: 2e-3,
        maxTokens: MAX_TOKENS,
        extraSequences: o.replay,
        name: o.current?.info.name ?? 'entity-lens-workspace',
        version: o.version,
        seed: 1,
        hidden: 64,
        wordDim: 64,
        minWordCount: 1,
        ...(settings.trainingArchitecture !== 'default' ? { cell: settings.trainingArchitecture } : {}),
      },
      outDir: o.outDir,
    },
    { onProgress: o.onProgress, onEpoch: o.onEpoch },
  );
  o.signal.addEventListener('abort', () => job.cancel());
  const summary = await job.done;
  const base = { history: summary.history, train: train.length, heldOut: heldOut.length };
  if (summary.cancelled) return { ...base, cancelled: true, verdict: cancelledVerdict };
  if (!(await exists(path.join(o.outDir, 'model.json')))) throw new Error('training produced no model');
  const judging = judgeInWorker(
    {
      candidateDir: o.outDir,
      currentDir: o.current?.dir,
      heldOut,
      reference: [],
      labels: o.labels,
      rules: settings.ruleAnnotators,
    },
    o.onJudging,
  );
  o.signal.addEventListener('abort', () => judging.cancel());
  try {
    return { ...base, cancelled: false, verdict: await judging.done };
  } catch (e) {
    if (!o.signal.aborted) throw e;
    return { ...base, cancelled: true, verdict: cancelledVerdict };
  }
}

function progressed(ctx: Ctx, p: TrainProgress): void {
  const percent = Math.min(99, ((p.epoch - 1 + p.step / Math.max(1, p.steps)) / Math.max(1, p.epochs)) * 100);
  const eta = Number.isFinite(p.etaSeconds) ? `, about ${Math.ceil(p.etaSeconds)} s left` : '';
  ctx.trainingProgress(`epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(3)}${eta}`, percent);
}

interface Outcome extends Trained {
  current: LoadedModel | undefined;
  outDir: string;
  version: string;
  labels: string[];
  replay: number;
}

async function decide(ctx: Ctx, folder: vscode.WorkspaceFolder, o: Outcome): Promise<TrainingRun> {
  const fp = folder.uri.fsPath;
  const swapped = o.verdict.promote && (await exists(path.join(o.outDir, 'model.json')));
  const described = describeVerdict(o.verdict);
  const markdown = [
    `### Training run ${o.version} — ${swapped ? 'swapped in' : 'not used'}`,
    '',
    o.verdict.reason,
    '',
    `Data: ${o.train} training records, ${o.heldOut} held-out records, ${o.replay} replayed prediction windows (weight ${REPLAY_WEIGHT}). Labels: ${o.labels.join(', ')}.`,
    '',
    `Epochs: ${o.history.map((h) => `${h.epoch}: loss ${h.loss.toFixed(3)}`).join(' · ') || 'none'}`,
    '',
    described.markdown,
  ].join('\n');
  const run: TrainingRun = {
    folder: fp,
    version: o.version,
    finished: new Date().toISOString(),
    swapped,
    cancelled: false,
    reason: described.summary,
    markdown,
  };
  const record = { ...run, verdict: o.verdict, history: o.history };
  await fs.mkdir(dataDir(fp), { recursive: true });
  await fs.writeFile(path.join(dataDir(fp), 'last-training.json'), JSON.stringify(record, null, 2) + '\n');
  if (swapped) {
    await fs.writeFile(path.join(o.outDir, 'report.json'), JSON.stringify(record, null, 2) + '\n');
    const folderName = path.basename(o.outDir);
    await updateCurrentModel(fp, (c) => ({ active: folderName, history: [...c.history, c.active] }));
    await invalidateModels(ctx);
    retagAll(ctx);
  } else {
    await fs.rm(o.outDir, { recursive: true, force: true });
  }
  return finish(ctx, run);
}

function finish(ctx: Ctx, run: TrainingRun): TrainingRun {
  ctx.recordTrainingRun(run);
  if (!run.cancelled) void ctx.context.workspaceState.update(`sinceTraining:${run.folder}`, 0);
  const text = run.cancelled
    ? 'Entity Lens: training cancelled; the model was not changed.'
    : run.swapped
      ? `Entity Lens: ${run.version} — ${run.reason}`
      : `Entity Lens: ${run.reason}`;
  ctx.log.info(text);
  void vscode.window.showInformationMessage(text, 'Show Model Report').then((pick) => {
    if (pick) void vscode.commands.executeCommand(CommandId.showModelReport);
  });
  return run;
}

/** Which version is active, for roll back and reset. */
export async function activeVersion(folder: string): Promise<string | null> {
  return (await readCurrentModel(folder)).active;
}
