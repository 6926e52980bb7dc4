// Entity Lens: Resize Entity to Selection — the entity's label on the selected text (whole
// tokens) instead; both the old and the new extent are judged for that label.
import * as vscode from 'vscode';
import { applyReviews } from '../corrections';
import { snapToTokens } from '../document-text';
import type { EntityRef } from '../hover';
import { type Range } from '../../model';
import { type Ctx } from '../ctx';
import { activeTarget, resolveTarget } from './common';
import { CommandId } from '../command-ids';

export function registerResizeEntity(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.resizeEntity, async (ref?: EntityRef, to?: Range) => {
    const t = resolveTarget(ctx, ref);
    if (!t?.entity) return undefined;
    let target = to;
    if (!target) {
      const a = activeTarget(ctx);
      if (!a || a.editor.selection.isEmpty) {
        void vscode.window.showInformationMessage('Entity Lens: select the text the entity should cover, then resize.');
        return undefined;
      }
      target = snapToTokens(a.doc, {
        start: a.doc.offsetAt(a.editor.selection.start),
        end: a.doc.offsetAt(a.editor.selection.end),
      });
    }
    if (!target || target.end <= target.start) return undefined;
    const e = t.entity;
    const range = { start: Math.min(e.start, target.start), end: Math.max(e.end, target.end) };
    return applyReviews(
      ctx,
      t.doc,
      t.ds,
      [{ spans: [{ start: target.start, end: target.end, label: e.label }], judged: [{ ...range, label: e.label }] }],
      { undo: `Resize ${e.label}` },
    );
  });
}
