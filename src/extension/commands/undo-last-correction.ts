// Entity Lens: Undo Last Correction (and Ctrl+Z / Cmd+Z while the document's latest change is a
// correction) — takes back the newest correction in the active document: its record leaves
// annotations.jsonl (the earlier record of the passage is appended again, or a tombstone) and
// the entities shown are those from before. The context key that routes Ctrl+Z here is set
// after a correction and cleared by the next text edit, so the document's own undo comes back.
import * as vscode from 'vscode';
import { errorMessage, type TextChange } from '../../model';
import { undoCorrection } from '../corrections';
import { type Ctx } from '../ctx';
import { activeTarget } from './common';
import { CommandId, ContextKey } from '../command-ids';

export function registerUndoLastCorrection(ctx: Ctx): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandId.undoLastCorrection, async () => {
      const t = activeTarget(ctx);
      if (!t) return undefined;
      const entry = ctx.corrections.pop(t.ds.key);
      if (!entry) {
        void vscode.window.showInformationMessage('Entity Lens: there is no correction to undo in this document.');
        return undefined;
      }
      try {
        await undoCorrection(ctx, t.doc, t.ds, entry);
      } catch (e) {
        // nothing was appended: the correction stays, and can be undone again
        ctx.corrections.push(t.ds.key, entry);
        const message = `Entity Lens: could not undo ${entry.title}: ${errorMessage(e)}`;
        ctx.log.error(message);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
      vscode.window.setStatusBarMessage(`Entity Lens: undid ${entry.title}`, 4000);
      return entry.title;
    }),
    ctx.corrections.changed.event(() => updateUndoContext(ctx)),
    vscode.window.onDidChangeActiveTextEditor(() => updateUndoContext(ctx)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0) return;
      // latest change first, as the document state applies them
      const changes: TextChange[] = [...e.contentChanges]
        .sort((a, b) => b.rangeOffset - a.rangeOffset)
        .map((c) => ({ start: c.rangeOffset, oldEnd: c.rangeOffset + c.rangeLength, newLength: c.text.length }));
      ctx.corrections.edited(e.document.uri.toString(), changes);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => ctx.corrections.forget(doc.uri.toString())),
  );
}

/** Ctrl+Z undoes a correction only while one is the active document's latest change. */
function updateUndoContext(ctx: Ctx): void {
  const doc = vscode.window.activeTextEditor?.document;
  const value = !!doc && ctx.corrections.latestIsCorrection(doc.uri.toString());
  void vscode.commands.executeCommand('setContext', ContextKey.canUndoCorrection, value);
}
