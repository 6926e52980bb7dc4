// Entity Lens: Next / Previous Occurrence of This Name — from the entity at the cursor to the next
// (previous) entity with the same label and text, wrapping around: how one steps through the
// occurrences that the Problems entry and the Outline count as one name. The legend's click
// (Next Entity with This Label) moves through a label's entities.
import * as vscode from 'vscode';
import { nameKey, siblingOccurrence } from '../../model';
import { toRange } from '../document-text';
import { type Ctx } from '../ctx';
import { nextOfLabel } from '../legend';
import type { EntityRef } from '../hover';
import { activeTarget, resolveTarget } from './common';
import { CommandId } from '../command-ids';

/** From the entity a hover link names, or the one at the cursor. */
function target(ctx: Ctx, ref?: EntityRef) {
  if (!ref) return activeTarget(ctx);
  const t = resolveTarget(ctx, ref);
  const editor = t && vscode.window.visibleTextEditors.find((e) => e.document === t.doc);
  return t && editor ? { ...t, editor } : undefined;
}

function go(ctx: Ctx, delta: 1 | -1, ref?: EntityRef): boolean {
  const t = target(ctx, ref);
  if (!t) return false;
  if (!t.entity) {
    vscode.window.setStatusBarMessage('Entity Lens: put the cursor on an entity first', 3000);
    return false;
  }
  const list = t.ds.entities();
  const next = siblingOccurrence(list, t.entity, delta);
  if (!next) {
    vscode.window.setStatusBarMessage(`Entity Lens: "${t.entity.text}" occurs once`, 3000);
    return false;
  }
  const key = nameKey(next);
  const same = list.filter((e) => nameKey(e) === key);
  const range = toRange(t.doc, next);
  t.editor.selection = new vscode.Selection(range.start, range.end);
  t.editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  vscode.window.setStatusBarMessage(
    `Entity Lens: ${next.label} "${next.text}", ${same.indexOf(next) + 1} of ${same.length}`,
    3000,
  );
  return true;
}

export function registerNavigateOccurrences(ctx: Ctx): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandId.nextOccurrence, (ref?: EntityRef) => go(ctx, 1, ref)),
    vscode.commands.registerCommand(CommandId.previousOccurrence, (ref?: EntityRef) => go(ctx, -1, ref)),
    vscode.commands.registerCommand(CommandId.nextLabelOccurrence, (label?: unknown) => nextOfLabel(ctx, label)),
  );
}
