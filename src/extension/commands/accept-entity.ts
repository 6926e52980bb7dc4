// Entity Lens: Accept Entity — the entity under the cursor (or the one a code action names)
// is right: it is saved as a confirmed span, judged for its own range and label.
import * as vscode from 'vscode';
import { applyReviews } from '../corrections';
import type { EntityRef } from '../hover';
import { type Ctx } from '../ctx';
import { resolveTarget } from './common';
import { CommandId } from '../command-ids';

export function registerAcceptEntity(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.acceptEntity, async (ref?: EntityRef) => {
    const t = resolveTarget(ctx, ref);
    if (!t?.entity) return undefined;
    const e = t.entity;
    const span = { start: e.start, end: e.end, label: e.label };
    return applyReviews(ctx, t.doc, t.ds, [{ spans: [span], judged: [span] }], { undo: `Accept ${e.label}` });
  });
}
