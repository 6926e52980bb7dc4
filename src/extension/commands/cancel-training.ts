// Entity Lens: Cancel Training — stops the running training at the next batch; the model is not changed.
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { CommandId } from '../command-ids';

export function registerCancelTraining(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.cancelTraining, () => {
    const running = ctx.training.running;
    if (!running) {
      void vscode.window.showInformationMessage('Entity Lens: no training is running.');
      return false;
    }
    running.cancel();
    running.progress = 'cancelling…';
    ctx.statusChanged.fire();
    return true;
  });
}
