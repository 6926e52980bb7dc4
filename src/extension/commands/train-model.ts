// Entity Lens: Train Model — fine-tune on the workspace's annotations in the background
// (also run automatically after entityLens.autoTrainAfter new annotations).
import * as vscode from 'vscode';
import { type Ctx, type TrainingRun } from '../ctx';
import { runTraining } from '../training-controller';
import { folderFor } from '../workspace-files';
import { requireTrust } from './common';
import { CommandId } from '../command-ids';

export function registerTrainModel(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandId.trainModel,
    async (arg?: { auto?: boolean; folder?: string }): Promise<TrainingRun | undefined> => {
      const auto = arg?.auto === true;
      if (!vscode.workspace.isTrusted) {
        if (!auto) requireTrust('training');
        return undefined;
      }
      const folder =
        (arg?.folder && vscode.workspace.workspaceFolders?.find((f) => f.uri.fsPath === arg.folder)) ||
        folderFor(vscode.window.activeTextEditor?.document.uri);
      if (!folder || folder.uri.scheme !== 'file') {
        if (!auto)
          void vscode.window.showWarningMessage(
            'Entity Lens: open a folder first; training reads its .entity-lens/annotations.jsonl.',
          );
        return undefined;
      }
      return runTraining(ctx, { folder, auto });
    },
  );
}
