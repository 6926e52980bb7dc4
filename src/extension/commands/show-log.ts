// Entity Lens: Show Log — the output channel (model loads, malformed annotation lines, training).
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { CommandId } from '../command-ids';

export function registerShowLog(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.showLog, () => ctx.log.show());
}
