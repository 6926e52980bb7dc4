// Background training on the workspace's annotations: fine-tune the current model (with any
// new labels appended) in a worker thread, replaying the current model's predictions on the
// other open text as soft targets, then score the new version and the current one on the
// held-out slice (~15% of records by id hash) and swap the new one in only if it is not worse.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  type AnnotatedDocument,
  type EpochRecord,
  type EvalReport,
  evaluateOn,
  loadModel,
  overlaps,
  overlapsAny,
  reportTable,
  saveModel,
  type Sequence,
  type Span,
  spansToTags,
  splitHeldOut,
  Tagger,
  tagNames,
  type TagScheme,
  trainInWorker,
  type TrainOptions,
  type TrainProgress,
  windows,
  withLabels,
  errorMessage,
} from '../model';
import { retagAll } from './document-tagger';
import { findOpenDocument, readBlock } from './document-text';
import { readLabelFile } from './labels';
import { invalidateModels, modelFor } from './model-manager';
import { readSettings } from './settings';
import { type Ctx, type LoadedModel, type TrainingRun } from './ctx';
import { dataDir, exists, modelsDir, readCurrentModel, updateCurrentModel } from './workspace-files';
import { CommandId } from './command-ids';
import { trainFieldChooserFromCorrections, type FieldTrainingRun } from './field-training';

/** replayed predictions weigh this much against a person's annotations */
const REPLAY_WEIGHT = 0.3;
const MAX_REPLAY_SEQUENCES = 400;
const MAX_TOKENS = 60;

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

/** An F1 (0–1) as printed in reports: three decimals. */
function formatF1(v: number): string {
  return v.toFixed(3);
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
  let { train, heldOut } = splitHeldOut(docs);
  if (train.length === 0) {
    train = heldOut;
    heldOut = [];
  }
  const n = await nextVersion(fp);
  const folderName = `ws.${n}`;
  const baseVersion = current ? current.info.version.replace(/(?:^|\+)ws\.\d+$/, '') : '';
  const version = baseVersion ? `${baseVersion}+ws.${n}` : folderName;
  const outDir = path.join(modelsDir(fp), folderName);
  let tmpDir: string | undefined;
  let initialDir = current?.dir;
  if (current && labels.some((l) => !current.labels.includes(l))) {
    // new labels: widen the current model's output layer first
    tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-base-'));
    await saveModel(tmpDir, withLabels(await loadModel(current.dir), labels));
    initialDir = tmpDir;
  }
  const scheme: TagScheme = current?.tagger.model.config.scheme ?? 'BILOU';
  const replay = current ? replaySequences(ctx, request.folder, labels, scheme, settings.lowConfidenceThreshold) : [];
  const options: Omit<TrainOptions, 'initial'> = {
    labels,
    scheme,
    epochs: settings.trainingEpochs,
    batchSize: 16,
    learningRate: current ? 1e-3 : 2e-3,
    maxTokens: MAX_TOKENS,
    extraSequences: replay,
    name: current?.info.name ?? 'entity-lens-workspace',
    version,
    seed: 1,
    ...(current ? {} : { hidden: 64, wordDim: 64, minWordCount: 1 }),
    // another encoder than the current model's starts fresh on its vocabulary and embeddings
    ...(settings.trainingArchitecture !== 'default' ? { cell: settings.trainingArchitecture } : {}),
  };
  await fs.mkdir(modelsDir(fp), { recursive: true });
  ctx.log.info(
    `training ${version}: ${train.length} train / ${heldOut.length} held-out records, ${replay.length} replayed sequences, labels ${labels.join(', ')}, from ${initialDir ?? 'scratch'}`,
  );

  const job = trainInWorker(
    // no dev set: a handful of held-out passages would stop training at once (nothing to improve
    // on a slice without the new label); the held-out slice decides the swap afterwards
    { train, dev: [], options, initialDir, outDir },
    {
      onProgress: (p: TrainProgress) => progressed(ctx, p),
      onEpoch: (r: EpochRecord) =>
        ctx.log.info(`  epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, ${r.seconds.toFixed(1)} s`),
    },
  );
  ctx.trainingStarted({ folder: fp, cancel: () => job.cancel(), progress: 'starting', percent: 0 });

  const work = async (
    progress?: vscode.Progress<{ message?: string; increment?: number }>,
    token?: vscode.CancellationToken,
  ): Promise<TrainingRun> => {
    token?.onCancellationRequested(() => job.cancel());
    let last = 0;
    const timer = setInterval(() => {
      const r = ctx.training.running;
      if (!r || !progress) return;
      progress.report({ message: r.progress, increment: r.percent - last });
      last = r.percent;
    }, 500);
    try {
      const summary = await job.done;
      if (summary.cancelled) {
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
      if (!(await exists(path.join(outDir, 'model.json')))) throw new Error('training produced no model');
      progress?.report({ message: 'scoring on the held-out slice…' });
      return await decide(ctx, request.folder, {
        current,
        outDir,
        version,
        heldOut,
        labels,
        train,
        replay: replay.length,
        history: summary.history,
      });
    } finally {
      clearInterval(timer);
    }
  };

  try {
    const run = request.auto
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
    return run;
  } catch (e) {
    const message = `Entity Lens: training failed: ${errorMessage(e)}`;
    ctx.log.error(message);
    void vscode.window.showErrorMessage(message);
    await fs.rm(outDir, { recursive: true, force: true }).catch(() => undefined);
    return undefined;
  } finally {
    ctx.trainingStopped();
    if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function progressed(ctx: Ctx, p: TrainProgress): void {
  const percent = Math.min(99, ((p.epoch - 1 + p.step / Math.max(1, p.steps)) / Math.max(1, p.epochs)) * 100);
  const eta = Number.isFinite(p.etaSeconds) ? `, about ${Math.ceil(p.etaSeconds)} s left` : '';
  ctx.trainingProgress(`epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(3)}${eta}`, percent);
}

interface Outcome {
  current: LoadedModel | undefined;
  outDir: string;
  version: string;
  heldOut: AnnotatedDocument[];
  train: AnnotatedDocument[];
  labels: string[];
  replay: number;
  history: EpochRecord[];
}

async function decide(ctx: Ctx, folder: vscode.WorkspaceFolder, o: Outcome): Promise<TrainingRun> {
  const fp = folder.uri.fsPath;
  let candidateReport: EvalReport | undefined;
  let currentReport: EvalReport | undefined;
  if (o.heldOut.length > 0) {
    const candidate = await Tagger.load(o.outDir, {
      warn: (m) => ctx.log.warn(m),
      rules: readSettings().ruleAnnotators,
    });
    try {
      candidateReport = await evaluateOn(candidate, o.heldOut, o.labels);
    } finally {
      await candidate.dispose();
    }
    if (o.current) currentReport = await evaluateOn(o.current.tagger, o.heldOut, o.labels);
  }
  const newF1 = candidateReport?.micro.f1;
  const oldF1 = currentReport?.micro.f1;
  let swapped: boolean;
  let reason: string;
  if (!o.current) {
    swapped = true;
    reason = 'there was no model before';
  } else if (newF1 === undefined) {
    swapped = true;
    reason = 'no held-out records yet to compare on (annotate more passages for a check)';
  } else if (oldF1 === undefined || newF1 >= oldF1) {
    swapped = true;
    reason = `held-out F1 ${formatF1(newF1)} vs ${formatF1(oldF1 ?? 0)} for the current model`;
  } else {
    swapped = false;
    reason = `held-out F1 ${formatF1(newF1)} is below the current model's ${formatF1(oldF1 ?? 0)}`;
  }
  const markdown = [
    `### Training run ${o.version} — ${swapped ? 'swapped in' : 'not used'}`,
    '',
    `${swapped ? 'Swapped in' : 'Kept the current model'}: ${reason}.`,
    '',
    `Data: ${o.train.length} training records, ${o.heldOut.length} held-out records, ${o.replay} replayed prediction windows (weight ${REPLAY_WEIGHT}). Labels: ${o.labels.join(', ')}.`,
    '',
    `Epochs: ${o.history.map((h) => `${h.epoch}: loss ${h.loss.toFixed(3)}`).join(' · ') || 'none'}`,
    '',
    ...(candidateReport ? ['**New version on the held-out slice**', '', reportTable(candidateReport), ''] : []),
    ...(currentReport
      ? [
          `**Previous model (${o.current?.info.name} ${o.current?.info.version}) on the same slice**`,
          '',
          reportTable(currentReport),
          '',
        ]
      : []),
  ].join('\n');
  const run: TrainingRun = {
    folder: fp,
    version: o.version,
    finished: new Date().toISOString(),
    swapped,
    cancelled: false,
    reason,
    markdown,
  };
  const record = {
    ...run,
    heldOut: { candidate: candidateReport ?? null, current: currentReport ?? null },
    history: o.history,
  };
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
      ? `Entity Lens: model ${run.version} is now in use (${run.reason}).`
      : `Entity Lens: kept the current model — ${run.reason}.`;
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
