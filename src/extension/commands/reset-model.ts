// Entity Lens: Reset to Default Model — stop using trained workspace versions (they stay on
// disk under .entity-lens/models/) and go back to the base model; the workspace's field chooser
// (.entity-lens/field-chooser.json) is removed too, so the fields use the shipped one again (the
// field corrections it was trained from stay, and the next training run trains it again).
import * as vscode from 'vscode';
import { retagAll } from '../document-tagger';
import { removeWorkspaceChooser } from '../field-training';
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
    await removeWorkspaceChooser(ctx, fp);
    retagAll(ctx);
    void vscode.window.showInformationMessage(
      'Entity Lens: using the default model again (trained versions are kept in .entity-lens/models/).',
    );
    return null;
  });
}
