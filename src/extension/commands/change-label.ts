// Entity Lens: Change Entity Label… — relabel the entity (picked from the labels on offer
// when not given); saved as a span of the new label, its range judged for the new and the old label.
import * as vscode from 'vscode';
import { applyReviews } from '../corrections';
import type { EntityRef } from '../hover';
import { availableLabels } from '../labels';
import { labelProblem } from '../../model';
import { type Ctx } from '../ctx';
import { folderFor } from '../workspace-files';
import { resolveTarget } from './common';
import { pickLabel } from './pick-label';
import { CommandId } from '../command-ids';

export function registerChangeLabel(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.changeLabel, async (ref?: EntityRef, newLabel?: string) => {
    const t = resolveTarget(ctx, ref);
    if (!t?.entity) return undefined;
    const e = t.entity;
    const label =
      typeof newLabel === 'string' && newLabel
        ? newLabel
        : await pickLabel(
            ctx,
            folderFor(t.doc.uri),
            await availableLabels(ctx, folderFor(t.doc.uri)),
            `Change the label of "${e.text}" (${e.label}) to`,
            e.label,
          );
    if (!label) return undefined;
    // a label given by a code action, a hover link, the dashboard or another extension
    const problem = labelProblem(label);
    if (problem !== null) {
      void vscode.window.showErrorMessage(`Entity Lens: ${problem}.`);
      return undefined;
    }
    const span = { start: e.start, end: e.end, label };
    const judged = label === e.label ? [span] : [span, { ...span, label: e.label }];
    return applyReviews(ctx, t.doc, t.ds, [{ spans: [span], judged }], { undo: `Change Label to ${label}` });
  });
}
