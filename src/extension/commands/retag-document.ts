// Entity Lens: Re-tag Document — forget the predictions and tag the whole document again.
import * as vscode from 'vscode';
import { schedule, whenIdle } from '../document-tagger';
import { docLength } from '../document-text';
import { type Ctx } from '../ctx';
import { activeTarget } from './common';
import { CommandId } from '../command-ids';

export function registerRetagDocument(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.retagDocument, async () => {
    const t = activeTarget(ctx);
    if (!t) return false;
    t.ds.retagWhole(docLength(t.doc));
    schedule(ctx, t.ds, 0);
    return whenIdle(ctx, t.ds.key, 120_000);
  });
}
