// The field chooser learns from a workspace's field corrections: on each training run (Train
// Model, or the automatic one) the corrections in `.entity-lens/field-corrections.jsonl` become
// training examples (each document tagged with the current model, the corrected values as the
// right choices) and the chooser shipped with the model (else the default model's) is fine-tuned
// on them, pulled toward its own weights; the result is `.entity-lens/field-chooser.json`, which
// the Document Fields view uses from then on. Always from the shipped chooser and every
// correction, so runs do not drift. After `entityLens.autoTrainAfter` field corrections since
// the last run, the chooser alone is trained again in the background (fieldCorrectionSaved).
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import {
  correctionExample,
  defaultModelDir,
  errorMessage,
  loadFieldChooser,
  readFieldCorrections,
  trainFieldChooser,
  writeFileAtomic,
  type FieldExample,
} from '../model';
import { type Ctx, type LoadedModel } from './ctx';
import { fieldCorrectionsFile, workspaceChooserFile } from './fields';
import { modelFor } from './model-manager';
import { readSettings } from './settings';
import { ensureDataDir } from './workspace-files';

export interface FieldTrainingRun {
  /** documents with corrections, and corrections in all */
  documents: number;
  corrections: number;
  file: string;
}

/** Trains the folder's field chooser from its corrections; undefined when there are none. */
export async function trainFieldChooserFromCorrections(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder,
  current: LoadedModel | undefined,
): Promise<FieldTrainingRun | undefined> {
  const fp = folder.uri.fsPath;
  // corrections saved from here on count toward the next run
  await ctx.context.workspaceState.update(sinceKey(fp), 0);
  const { records, problems } = await readFieldCorrections(fieldCorrectionsFile(fp));
  for (const p of problems) ctx.log.warn(p);
  if (records.length === 0) return undefined;
  const base =
    (current ? await loadFieldChooser(current.dir) : undefined) ?? (await loadFieldChooser(defaultModelDir()));
  const examples: FieldExample[] = [];
  for (const r of records) {
    const entities = current ? await current.tagger.tag(r.text) : undefined;
    examples.push({ ...correctionExample(r.text, r.kind, r.corrections, entities), id: r.document });
  }
  const corrections = records.reduce((n, r) => n + r.corrections.length, 0);
  const chooser = trainFieldChooser(examples, {
    base,
    l2: 0.01,
    iterations: 300,
    minCount: 1,
    trained: {
      from: `${current ? `${current.info.name} ${current.info.version}` : 'the default model'}'s field chooser`,
      documents: records.length,
      corrections,
      date: new Date().toISOString(),
    },
  });
  await ensureDataDir(fp);
  const file = workspaceChooserFile(fp);
  await writeFileAtomic(file, `${JSON.stringify(chooser.toJSON())}\n`);
  ctx.log.info(`field chooser trained on ${corrections} corrections of ${records.length} documents: ${file}`);
  ctx.fieldsChanged.fire();
  return { documents: records.length, corrections, file };
}

const sinceKey = (folder: string): string => `fieldCorrectionsSinceTraining:${folder}`;
/** Folders whose chooser a background run is training now. */
const training = new Set<string>();

/**
 * A field correction was saved in `folder`: once `entityLens.autoTrainAfter` of them came since
 * the chooser was last trained, it is trained again in the background (seconds: only the
 * corrected documents are tagged), as entity corrections retrain the tagger. Not while a
 * training run (which trains the chooser first) is on.
 */
export async function fieldCorrectionSaved(ctx: Ctx, folder: vscode.WorkspaceFolder): Promise<void> {
  const fp = folder.uri.fsPath;
  const count = (ctx.context.workspaceState.get<number>(sinceKey(fp)) ?? 0) + 1;
  await ctx.context.workspaceState.update(sinceKey(fp), count);
  const every = readSettings(folder.uri).autoTrainAfter;
  if (every === 0 || count < every || ctx.training.running || training.has(fp)) return;
  training.add(fp);
  try {
    const run = await trainFieldChooserFromCorrections(ctx, folder, await modelFor(ctx, folder));
    if (run)
      vscode.window.setStatusBarMessage(
        `$(check) Entity Lens: the field chooser learned from ${run.corrections} field corrections`,
        8000,
      );
  } catch (e) {
    ctx.log.error(`training the field chooser in the background failed: ${errorMessage(e)}`);
  } finally {
    training.delete(fp);
  }
}

/** Forgets the folder's own chooser (Reset Model): the shipped one is used again. */
export async function removeWorkspaceChooser(ctx: Ctx, folder: string): Promise<void> {
  await fs.rm(workspaceChooserFile(folder), { force: true });
  ctx.fieldsChanged.fire();
}
