// Entity Lens: Tag This Document / Stop Tagging This Document — a person's choice for the active
// document, remembered for the workspace (document-choice.ts); it wins over the include globs and
// over what the text reads like. Also the status bar's click on a document that is not tagged.
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { CommandId } from '../command-ids';

function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  return vscode.window.activeTextEditor?.document.uri;
}

async function choose(ctx: Ctx, arg: unknown, tag: boolean): Promise<boolean> {
  const uri = targetUri(arg);
  if (!uri) {
    void vscode.window.showInformationMessage('Entity Lens: open a document first.');
    return false;
  }
  await ctx.choices.set(uri, tag);
  ctx.trackingChanged.fire(uri);
  return true;
}

export function registerTagThisDocument(ctx: Ctx): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandId.tagThisDocument, (arg?: unknown) => choose(ctx, arg, true)),
    vscode.commands.registerCommand(CommandId.stopTaggingThisDocument, (arg?: unknown) => choose(ctx, arg, false)),
  );
}
