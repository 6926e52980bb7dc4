// Entity Lens: Tag Selection As… (Ctrl+Alt+T) — each selection becomes an entity of the picked
// label, exactly the characters selected (only white space at its ends is dropped: a selection
// that cuts a word tags the part selected); saved as a span judged for its range and label.
import * as vscode from 'vscode';
import { applyReviews, type Review } from '../corrections';
import { trimSelection } from '../passage-text';
import { availableLabels } from '../labels';
import { labelProblem } from '../../model';
import { type Ctx } from '../ctx';
import { folderFor } from '../workspace-files';
import { activeTarget } from './common';
import { pickLabel } from './pick-label';
import { CommandId } from '../command-ids';

export function registerTagSelectionAs(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.tagSelectionAs, async (label?: string) => {
    const t = activeTarget(ctx);
    if (!t) return undefined;
    const { editor, doc, ds } = t;
    const targets = editor.selections
      .filter((s) => !s.isEmpty)
      .map((s) => trimSelection(doc.getText(s), doc.offsetAt(s.start)))
      .filter((r): r is { start: number; end: number } => r !== undefined);
    if (targets.length === 0) {
      void vscode.window.showInformationMessage('Entity Lens: select the text to tag first.');
      return undefined;
    }
    const folder = folderFor(doc.uri);
    const chosen =
      typeof label === 'string' && label
        ? label
        : await pickLabel(
            ctx,
            folder,
            await availableLabels(ctx, folder),
            `Tag "${doc.getText(new vscode.Range(doc.positionAt(targets[0].start), doc.positionAt(targets[0].end))).slice(0, 60)}" as`,
          );
    if (!chosen) return undefined;
    const problem = labelProblem(chosen);
    if (problem !== null) {
      void vscode.window.showErrorMessage(`Entity Lens: ${problem}.`);
      return undefined;
    }
    const reviews: Review[] = targets.map((r) => ({
      spans: [{ ...r, label: chosen }],
      judged: [{ ...r, label: chosen }],
    }));
    return applyReviews(ctx, doc, ds, reviews, { undo: `Tag Selection As ${chosen}` });
  });
}
