// Entity Lens: Change Entity Label… — relabel the entity (picked from the labels on offer
// when not given); saved as a reviewed annotation.
import * as vscode from 'vscode';
import { applyReviews } from '../corrections';
import type { EntityRef } from '../hover';
import { availableLabels } from '../labels';
import type { ExtensionState } from '../state';
import { folderFor } from '../workspace-files';
import { resolveTarget } from './common';
import { pickLabel } from './pick-label';

export function registerChangeLabel(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand('entityLens.changeLabel', async (ref?: EntityRef, newLabel?: string) => {
    const t = resolveTarget(state, ref);
    if (!t?.entity) return undefined;
    const e = t.entity;
    const label =
      typeof newLabel === 'string' && newLabel
        ? newLabel
        : await pickLabel(
            state,
            folderFor(t.doc.uri),
            await availableLabels(state, folderFor(t.doc.uri)),
            `Change the label of "${e.text}" (${e.label}) to`,
            e.label,
          );
    if (!label) return undefined;
    return applyReviews(state, t.doc, t.ds, [
      { range: { start: e.start, end: e.end }, spans: [{ start: e.start, end: e.end, label }] },
    ]);
  });
}
