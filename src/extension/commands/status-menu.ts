// The status bar item's click on a tagged document: a short menu of what Entity Lens does for it
// (stop tagging it, the legend, the model report, the dashboard, the log), with why it is tagged.
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { CommandId } from '../command-ids';
import { LEGEND_VIEW } from '../legend';

interface Entry extends vscode.QuickPickItem {
  run: () => Thenable<unknown>;
}

export function registerStatusMenu(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.showMenu, async () => {
    const editor = vscode.window.activeTextEditor;
    const uri = editor?.document.uri;
    const decision = uri ? ctx.decision(uri) : undefined;
    const tagged = !!uri && !!ctx.document(uri);
    const entries: Entry[] = [];
    if (uri && decision) {
      entries.push(
        tagged
          ? {
              label: '$(circle-slash) Stop Tagging This Document',
              detail: `Tagged because ${decision.reason}.`,
              run: () => vscode.commands.executeCommand(CommandId.stopTaggingThisDocument, uri),
            }
          : {
              label: '$(tag) Tag This Document',
              detail: `Not tagged because ${decision.reason}.`,
              run: () => vscode.commands.executeCommand(CommandId.tagThisDocument, uri),
            },
      );
    }
    entries.push(
      {
        label: '$(symbol-color) Show Legend',
        description: 'which colour is which label',
        run: () => vscode.commands.executeCommand(`${LEGEND_VIEW}.focus`),
      },
      { label: '$(book) Show Model Report', run: () => vscode.commands.executeCommand(CommandId.showModelReport) },
      { label: '$(dashboard) Open Dashboard', run: () => vscode.commands.executeCommand(CommandId.openDashboard) },
      { label: '$(output) Show Log', run: () => vscode.commands.executeCommand(CommandId.showLog) },
    );
    const picked = await vscode.window.showQuickPick(entries, { title: 'Entity Lens', placeHolder: 'Entity Lens' });
    if (picked) await picked.run();
    return picked?.label;
  });
}
