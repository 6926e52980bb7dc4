// Entity Lens: Remove Entity — the text is not an entity: saved as reviewed text without one.
import * as vscode from 'vscode';
import { applyReviews } from '../corrections';
import type { EntityRef } from '../hover';
import type { ExtensionState } from '../state';
import { resolveTarget } from './common';

export function registerRemoveEntity(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand('entityLens.removeEntity', async (ref?: EntityRef) => {
    const t = resolveTarget(state, ref);
    if (!t?.entity) return undefined;
    return applyReviews(state, t.doc, t.ds, [{ range: { start: t.entity.start, end: t.entity.end }, spans: [] }]);
  });
}
