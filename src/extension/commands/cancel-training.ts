// Entity Lens: Cancel Training — stops the running training at the next batch; the model is not changed.
import * as vscode from 'vscode';
import type { ExtensionState } from '../state';

export function registerCancelTraining(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand('entityLens.cancelTraining', () => {
    const running = state.training.running;
    if (!running) {
      void vscode.window.showInformationMessage('Entity Lens: no training is running.');
      return false;
    }
    running.cancel();
    running.progress = 'cancelling…';
    state.statusChanged.fire();
    return true;
  });
}
