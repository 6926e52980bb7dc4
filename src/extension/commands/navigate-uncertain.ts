// Entity Lens: Next / Previous Uncertain Entity (Ctrl+Alt+] / Ctrl+Alt+[) — move the
// selection to the next entity below the confidence threshold, wrapping around.
import * as vscode from 'vscode';
import { toRange } from '../document-text';
import { readSettings } from '../settings';
import { type Ctx } from '../ctx';
import { type DisplayEntity } from '../tracked-document';
import { activeTarget } from './common';
import { CommandId } from '../command-ids';

function go(ctx: Ctx, direction: 1 | -1): DisplayEntity | undefined {
  const t = activeTarget(ctx);
  if (!t) return undefined;
  const { editor, doc, ds } = t;
  const threshold = readSettings(doc.uri).lowConfidenceThreshold;
  const uncertain = ds.entities().filter((e) => !e.reviewed && e.confidence < threshold);
  if (uncertain.length === 0) {
    vscode.window.setStatusBarMessage('Entity Lens: no uncertain entities in this document', 3000);
    return undefined;
  }
  const here = doc.offsetAt(direction > 0 ? editor.selection.end : editor.selection.start);
  const target =
    direction > 0
      ? (uncertain.find((e) => e.start >= here) ?? uncertain[0])
      : ([...uncertain].reverse().find((e) => e.end <= here) ?? uncertain[uncertain.length - 1]);
  const range = toRange(doc, target);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  vscode.window.setStatusBarMessage(`Entity Lens: ${target.label} (${target.confidence.toFixed(2)})`, 3000);
  return target;
}

export function registerNextUncertain(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.nextUncertainEntity, () => go(ctx, 1));
}

export function registerPreviousUncertain(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.previousUncertainEntity, () => go(ctx, -1));
}
