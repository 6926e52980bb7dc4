// Entity Lens: Reset to Default Model — stop using trained workspace versions (they stay on
// disk under .entity-lens/models/) and go back to the base model.
import * as vscode from 'vscode';
import { retagAll } from '../document-tagger';
import { invalidateModels } from '../model-manager';
import type { ExtensionState } from '../state';
import { folderFor, folderPath, updateCurrentModel } from '../workspace-files';
import { requireTrust } from './common';

export function registerResetModel(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand('entityLens.resetModel', async () => {
    if (!requireTrust('resetting the model')) return undefined;
    const fp = folderPath(folderFor(vscode.window.activeTextEditor?.document.uri));
    if (!fp) return undefined;
    await updateCurrentModel(fp, (c) => (c.active === null ? c : { active: null, history: [...c.history, c.active] }));
    await invalidateModels(state);
    retagAll(state);
    void vscode.window.showInformationMessage(
      'Entity Lens: using the default model again (trained versions are kept in .entity-lens/models/).',
    );
    return null;
  });
}
