// Entity Lens: Show Log — the output channel (model loads, malformed annotation lines, training).
import * as vscode from 'vscode';
import type { ExtensionState } from '../state';

export function registerShowLog(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand('entityLens.showLog', () => state.log.show());
}
