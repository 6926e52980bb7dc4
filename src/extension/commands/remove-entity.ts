// Entity Lens: Remove Entity — the text is not an entity: saved as reviewed text without one.
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
    return applyReviews(ctx, t.doc, t.ds, [{ range: { start: t.entity.start, end: t.entity.end }, spans: [] }]);
  });
}
