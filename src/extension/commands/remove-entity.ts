// Entity Lens: Remove Entity — the text is not an entity of that label: saved as its range
// judged for the label with no span (a negative example for that label only).
import * as vscode from 'vscode';
import { applyReviews } from '../corrections';
import type { EntityRef } from '../hover';
import { type Ctx } from '../ctx';
import { resolveTarget } from './common';
import { CommandId } from '../command-ids';

export function registerRemoveEntity(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.removeEntity, async (ref?: EntityRef) => {
    const t = resolveTarget(ctx, ref);
    if (!t?.entity) return undefined;
    const { start, end, label } = t.entity;
    return applyReviews(ctx, t.doc, t.ds, [{ spans: [], judged: [{ start, end, label }] }], {
      undo: `Remove ${label}`,
    });
  });
}
