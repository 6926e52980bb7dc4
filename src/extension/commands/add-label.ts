// Entity Lens: Add Label… — a new label in .entity-lens/labels.json, offered from then on in
// Tag Selection As… and Change Entity Label…, and learnt at the next training.
import * as vscode from 'vscode';
import { addLabelToFile, availableLabels, labelProblem } from '../labels';
import { type Ctx } from '../ctx';
import { folderFor, folderPath } from '../workspace-files';
import { requireTrust } from './common';
import { promptNewLabel } from './pick-label';
import { CommandId } from '../command-ids';

export function registerAddLabel(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.addLabel, async (given?: string) => {
    if (!requireTrust('adding a label')) return undefined;
    const folder = folderFor(vscode.window.activeTextEditor?.document.uri);
    const fp = folderPath(folder);
    if (!fp) {
      void vscode.window.showWarningMessage(
        'Entity Lens: open a folder first; labels are kept in its .entity-lens/labels.json.',
      );
      return undefined;
    }
    const existing = await availableLabels(ctx, folder);
    if (typeof given === 'string') {
      const label = given.trim().toUpperCase();
      const problem = labelProblem(label, existing);
      if (problem) throw new Error(problem);
      await addLabelToFile(fp, label);
      return label;
    }
    const label = await promptNewLabel(ctx, folder, existing);
    if (label) vscode.window.setStatusBarMessage(`Entity Lens: added label ${label}`, 3000);
    return label;
  });
}
