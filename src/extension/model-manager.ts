// Which model tags a document, loaded on first use and cached by folder:
//   1. the workspace's active trained version (.entity-lens/models/current.json), if trusted
//   2. the `entityLens.modelPath` setting (a base model), if trusted
//   3. the embedded default model (models/default), which may still be empty
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultModelDir, Tagger, errorMessage } from '../model';
import { readSettings } from './settings';
import { type Ctx, type LoadedModel } from './ctx';
import { exists, folderPath, modelsDir, readCurrentModel } from './workspace-files';
import { CommandId } from './command-ids';

export interface ModelChoice {
  dir: string;
  origin: LoadedModel['origin'];
}

export const NO_MODEL_MESSAGE = 'Entity Lens: no model yet — run Entity Lens: Train Model';

function hasModel(dir: string): Promise<boolean> {
  return exists(path.join(dir, 'model.json'));
}

/** The base model of a folder: the modelPath setting when set and trusted, else the default. */
export function baseModel(folder: vscode.WorkspaceFolder | undefined): ModelChoice {
  if (vscode.workspace.isTrusted) {
    const setting = readSettings(folder?.uri).modelPath;
    if (setting) {
      const root = folderPath(folder) ?? process.cwd();
      return { dir: path.resolve(root, setting), origin: 'setting' };
    }
  }
  return { dir: defaultModelDir(), origin: 'default' };
}

export async function resolveModel(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined): Promise<ModelChoice> {
  const fp = folderPath(folder);
  if (vscode.workspace.isTrusted && fp) {
    const current = await readCurrentModel(fp);
    if (current.active) {
      const dir = path.join(modelsDir(fp), current.active);
      if (await hasModel(dir)) return { dir, origin: 'workspace' };
      warnOnce(
        ctx,
        dir,
        `Entity Lens: the active model ${current.active} is missing from ${modelsDir(fp)}; using the base model.`,
      );
    }
  }
  const base = baseModel(folder);
  if (base.origin === 'setting' && !(await hasModel(base.dir))) {
    warnOnce(
      ctx,
      base.dir,
      `Entity Lens: entityLens.modelPath (${base.dir}) is not a model folder (no model.json); using the default model.`,
    );
    return { dir: defaultModelDir(), origin: 'default' };
  }
  return base;
}

function warnOnce(ctx: Ctx, key: string, message: string): void {
  if (ctx.models.failed.has(key)) return;
  ctx.models.failed.set(key, message);
  ctx.log.warn(message);
  void vscode.window.showWarningMessage(message);
}

/** The model for documents of this folder; undefined when there is none (the user was told once). */
export async function modelFor(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined): Promise<LoadedModel | undefined> {
  const choice = await resolveModel(ctx, folder);
  return loadModel(ctx, choice);
}

export function loadModel(ctx: Ctx, choice: ModelChoice): Promise<LoadedModel | undefined> {
  let p = ctx.models.loaded.get(choice.dir);
  if (!p) {
    p = doLoad(ctx, choice);
    ctx.models.loaded.set(choice.dir, p);
    // failures and missing models are not cached: a later call looks again
    void p.then((m) => {
      if (!m && ctx.models.loaded.get(choice.dir) === p) ctx.models.loaded.delete(choice.dir);
    });
  }
  return p;
}

async function doLoad(ctx: Ctx, choice: ModelChoice): Promise<LoadedModel | undefined> {
  if (!(await hasModel(choice.dir))) {
    if (ctx.firstTime('noModel')) {
      ctx.log.warn(`${NO_MODEL_MESSAGE} (looked in ${choice.dir})`);
      void vscode.window.showInformationMessage(NO_MODEL_MESSAGE, 'Train Model').then((pick) => {
        if (pick) void vscode.commands.executeCommand(CommandId.trainModel);
      });
    }
    ctx.statusChanged.fire();
    return undefined;
  }
  const started = Date.now();
  return ctx.whileLoading(async () => {
    try {
      const tagger = await Tagger.load(choice.dir, {
        warn: (m) => ctx.log.warn(m),
        rules: readSettings().ruleAnnotators,
      });
      const info = tagger.model.info;
      ctx.log.info(
        `loaded model ${info.name} ${info.version} (${choice.origin}, ${tagger.runtime.kind}) from ${choice.dir} in ${Date.now() - started} ms`,
      );
      ctx.models.failed.delete(choice.dir);
      return {
        tagger,
        dir: choice.dir,
        info,
        labels: [...tagger.model.config.labels],
        origin: choice.origin,
        key: `${choice.dir}|${info.version}|${info.created}`,
      };
    } catch (e) {
      const message = `Entity Lens: the model in ${choice.dir} could not be loaded: ${errorMessage(e)}`;
      if (ctx.models.failed.get(choice.dir) !== message) {
        ctx.models.failed.set(choice.dir, message);
        ctx.log.error(message);
        void vscode.window.showErrorMessage(message);
      }
      return undefined;
    }
  });
}

/** Forgets loaded models (after a swap, roll back, reset or a settings change) and frees them. */
export async function invalidateModels(ctx: Ctx): Promise<void> {
  const all = [...ctx.models.loaded.values()];
  ctx.models.loaded.clear();
  ctx.models.failed.clear();
  for (const p of all) {
    const m = await p.catch(() => undefined);
    // a tagging step may still hold it: it retries when a run is refused after dispose
    if (m) await m.tagger.dispose().catch(() => undefined);
  }
  ctx.modelChanged.fire(undefined);
}

/** The model already loaded for a folder, without loading one (for hovers and the status bar). */
export async function peekModel(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
): Promise<LoadedModel | undefined> {
  const choice = await resolveModel(ctx, folder);
  const p = ctx.models.loaded.get(choice.dir);
  return p ? p : undefined;
}
