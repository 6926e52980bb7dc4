// Entity Lens: Accept Entity — the entity under the cursor (or the one a code action names)
// is right: it is saved as a reviewed annotation.
import * as vscode from 'vscode';
import { applyReviews } from '../corrections';
import type { EntityRef } from '../hover';
import type { ExtensionState } from '../state';
import { resolveTarget } from './common';

export function registerAcceptEntity(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand('entityLens.acceptEntity', async (ref?: EntityRef) => {
    const t = resolveTarget(state, ref);
    if (!t?.entity) return undefined;
    const e = t.entity;
    return applyReviews(state, t.doc, t.ds, [
      { range: { start: e.start, end: e.end }, spans: [{ start: e.start, end: e.end, label: e.label }] },
    ]);
  });
}
