// Entity Lens: Reset to Default Model — stop using trained workspace versions (they stay on
// disk under .entity-lens/models/) and go back to the base model.
import * as vscode from 'vscode';
import { retagAll } from '../document-tagger';
import { invalidateModels } from '../model-manager';
import { type Ctx } from '../ctx';
import { folderFor, folderPath, updateCurrentModel } from '../workspace-files';
import { requireTrust } from './common';
import { CommandId } from '../command-ids';

export function registerResetModel(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.resetModel, async () => {
    if (!requireTrust('resetting the model')) return undefined;
    const fp = folderPath(folderFor(vscode.window.activeTextEditor?.document.uri));
    if (!fp) return undefined;
    await updateCurrentModel(fp, (c) => (c.active === null ? c : { active: null, history: [...c.history, c.active] }));
    await invalidateModels(ctx);
    retagAll(ctx);
    void vscode.window.showInformationMessage(
      'Entity Lens: using the default model again (trained versions are kept in .entity-lens/models/).',
    );
    return null;
  });
}
