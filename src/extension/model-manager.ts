// Which model tags a document, loaded on first use and cached by folder:
//   1. the workspace's active trained version (.entity-lens/models/current.json), if trusted
//   2. the `entityLens.modelPath` setting (a base model), if trusted
//   3. the embedded default model (models/default), which may still be empty
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultModelDir, Tagger } from '../model';
import { errorMessage } from './log';
import { readSettings } from './settings';
import type { ExtensionState, LoadedModel } from './state';
import { exists, folderPath, modelsDir, readCurrentModel } from './workspace-files';

export interface ModelChoice {
  dir: string;
  source: LoadedModel['source'];
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
      return { dir: path.resolve(root, setting), source: 'setting' };
    }
  }
  return { dir: defaultModelDir(), source: 'default' };
}

export async function resolveModel(
  state: ExtensionState,
  folder: vscode.WorkspaceFolder | undefined,
): Promise<ModelChoice> {
  const fp = folderPath(folder);
  if (vscode.workspace.isTrusted && fp) {
    const current = await readCurrentModel(fp);
    if (current.active) {
      const dir = path.join(modelsDir(fp), current.active);
      if (await hasModel(dir)) return { dir, source: 'workspace' };
      warnOnce(
        state,
        dir,
        `Entity Lens: the active model ${current.active} is missing from ${modelsDir(fp)}; using the base model.`,
      );
    }
  }
  const base = baseModel(folder);
  if (base.source === 'setting' && !(await hasModel(base.dir))) {
    warnOnce(
      state,
      base.dir,
      `Entity Lens: entityLens.modelPath (${base.dir}) is not a model folder (no model.json); using the default model.`,
    );
    return { dir: defaultModelDir(), source: 'default' };
  }
  return base;
}

function warnOnce(state: ExtensionState, key: string, message: string): void {
  if (state.models.failed.has(key)) return;
  state.models.failed.set(key, message);
  state.log.warn(message);
  void vscode.window.showWarningMessage(message);
}

/** The model for documents of this folder; undefined when there is none (the user was told once). */
export async function modelFor(
  state: ExtensionState,
  folder: vscode.WorkspaceFolder | undefined,
): Promise<LoadedModel | undefined> {
  const choice = await resolveModel(state, folder);
  return loadModel(state, choice);
}

export function loadModel(state: ExtensionState, choice: ModelChoice): Promise<LoadedModel | undefined> {
  let p = state.models.loaded.get(choice.dir);
  if (!p) {
    p = doLoad(state, choice);
    state.models.loaded.set(choice.dir, p);
    // failures and missing models are not cached: a later call looks again
    void p.then((m) => {
      if (!m && state.models.loaded.get(choice.dir) === p) state.models.loaded.delete(choice.dir);
    });
  }
  return p;
}

async function doLoad(state: ExtensionState, choice: ModelChoice): Promise<LoadedModel | undefined> {
  if (!(await hasModel(choice.dir))) {
    if (!state.models.missingNotified) {
      state.models.missingNotified = true;
      state.log.warn(`${NO_MODEL_MESSAGE} (looked in ${choice.dir})`);
      void vscode.window.showInformationMessage(NO_MODEL_MESSAGE, 'Train Model').then((pick) => {
        if (pick) void vscode.commands.executeCommand('entityLens.trainModel');
      });
    }
    state.statusChanged.fire();
    return undefined;
  }
  state.loadingCount++;
  state.statusChanged.fire();
  const started = Date.now();
  try {
    const tagger = await Tagger.load(choice.dir, {
      warn: (m) => state.log.warn(m),
      rules: readSettings().ruleAnnotators,
    });
    const info = tagger.model.info;
    state.log.info(
      `loaded model ${info.name} ${info.version} (${choice.source}, ${tagger.source.kind}) from ${choice.dir} in ${Date.now() - started} ms`,
    );
    state.models.failed.delete(choice.dir);
    return {
      tagger,
      dir: choice.dir,
      info,
      labels: [...tagger.model.config.labels],
      source: choice.source,
      key: `${choice.dir}|${info.version}|${info.created}`,
    };
  } catch (e) {
    const message = `Entity Lens: the model in ${choice.dir} could not be loaded: ${errorMessage(e)}`;
    if (state.models.failed.get(choice.dir) !== message) {
      state.models.failed.set(choice.dir, message);
      state.log.error(message);
      void vscode.window.showErrorMessage(message);
    }
    return undefined;
  } finally {
    state.loadingCount--;
    state.statusChanged.fire();
  }
}

/** Forgets loaded models (after a swap, roll back, reset or a settings change) and frees them. */
export async function invalidateModels(state: ExtensionState): Promise<void> {
  const all = [...state.models.loaded.values()];
  state.models.loaded.clear();
  state.models.failed.clear();
  for (const p of all) {
    const m = await p.catch(() => undefined);
    // a tagging step may still hold it: it retries when a run is refused after dispose
    if (m) await m.tagger.dispose().catch(() => undefined);
  }
  state.modelChanged.fire(undefined);
}

/** The model already loaded for a folder, without loading one (for hovers and the status bar). */
export async function peekModel(
  state: ExtensionState,
  folder: vscode.WorkspaceFolder | undefined,
): Promise<LoadedModel | undefined> {
  const choice = await resolveModel(state, folder);
  const p = state.models.loaded.get(choice.dir);
  return p ? p : undefined;
}
