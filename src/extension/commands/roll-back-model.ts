// Entity Lens: Roll Back Model — go back to the model that was active before the last swap
// (a training run or a reset): a trained version or the base model.
import * as vscode from 'vscode';
import { retagAll } from '../document-tagger';
import { invalidateModels } from '../model-manager';
import { type Ctx } from '../ctx';
import { folderFor, folderPath, readCurrentModel, updateCurrentModel } from '../workspace-files';
import { requireTrust } from './common';
import { CommandId } from '../command-ids';

export function registerRollBackModel(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.rollBackModel, async () => {
    if (!requireTrust('rolling back the model')) return undefined;
    const fp = folderPath(folderFor(vscode.window.activeTextEditor?.document.uri));
    if (!fp) return undefined;
    const before = await readCurrentModel(fp);
    if (before.history.length === 0) {
      void vscode.window.showInformationMessage('Entity Lens: there is no earlier model to roll back to.');
      return before.active;
    }
    if (ctx.training.running) {
      void vscode.window.showWarningMessage(
        'Entity Lens: wait for the training to finish (or cancel it) before rolling back.',
      );
      return undefined;
    }
    const next = await updateCurrentModel(fp, (c) => {
      const history = [...c.history];
      const previous = history.length > 0 ? (history.pop() as string | null) : null;
      return { active: previous, history };
    });
    await invalidateModels(ctx);
    retagAll(ctx);
    const text = next.active
      ? `Entity Lens: rolled back to ${next.active}.`
      : 'Entity Lens: rolled back to the base model.';
    ctx.log.info(`${text} (was ${before.active ?? 'the base model'})`);
    void vscode.window.showInformationMessage(text);
    return next.active;
  });
}
