// Entity Lens: Mark Labels Complete Here… — the person declares that, for the labels they pick,
// the entities shown in the selection (or, without one, the paragraph at the cursor) are all
// there are: those entities are confirmed and each paragraph is judged for those labels only.
import * as vscode from 'vscode';
import { applyReviews, entitiesIn, passageAround, type Review } from '../corrections';
import { isTrivialPassage } from '../passage-text';
import { availableLabels } from '../labels';
import { displayLabel, labelProblem, type Range } from '../../model';
import { type Ctx } from '../ctx';
import { type TrackedDocument } from '../tracked-document';
import { folderFor } from '../workspace-files';
import { activeTarget, finishTagging, paragraphs } from './common';
import { CommandId } from '../command-ids';

export function registerMarkLabelsComplete(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.markLabelsComplete, async (labels?: string[], ranges?: Range[]) => {
    const t = activeTarget(ctx);
    if (!t) return undefined;
    const { editor, doc, ds } = t;
    await finishTagging(ctx, ds, 'marking labels complete');
    let targets = Array.isArray(ranges) ? ranges.filter((r) => r && r.end > r.start) : [];
    if (targets.length === 0) {
      targets = editor.selections
        .filter((s) => !s.isEmpty)
        .map((s) => ({ start: doc.offsetAt(s.start), end: doc.offsetAt(s.end) }));
    }
    if (targets.length === 0) {
      const at = doc.offsetAt(editor.selection.active);
      targets = [passageAround(doc, { start: at, end: at })];
    }
    const pieces = targets.flatMap((r) => paragraphs(doc, r)).filter((p) => !isTrivialPassage(textOf(doc, p)));
    if (pieces.length === 0) {
      void vscode.window.showInformationMessage('Entity Lens: there is no text here to mark (select a passage first).');
      return undefined;
    }
    const chosen = Array.isArray(labels) && labels.length > 0 ? labels : await pickLabels(ctx, doc, ds, pieces);
    if (!chosen || chosen.length === 0) return undefined;
    for (const label of chosen) {
      const problem = labelProblem(label);
      if (problem !== null) {
        void vscode.window.showErrorMessage(`Entity Lens: ${problem}.`);
        return undefined;
      }
    }
    const wanted = new Set(chosen);
    const reviews: Review[] = pieces.map((p) => {
      // entities of the chosen labels crossing the paragraph's edge are taken whole
      const spans = entitiesIn(ds, p).spans.filter((s) => wanted.has(s.label));
      const range = spans.reduce((r, s) => ({ start: Math.min(r.start, s.start), end: Math.max(r.end, s.end) }), {
        start: p.start,
        end: p.end,
      });
      return { spans, judged: chosen.map((label) => ({ ...range, label })) };
    });
    const names = chosen.map(displayLabel).join(', ');
    const records = await applyReviews(ctx, doc, ds, reviews, { undo: `Mark ${names} Complete` });
    const n = reviews.reduce((sum, r) => sum + r.spans.length, 0);
    vscode.window.setStatusBarMessage(
      `Entity Lens: ${names} complete in ${pieces.length} paragraph${pieces.length === 1 ? '' : 's'} (${n} entit${n === 1 ? 'y' : 'ies'})`,
      4000,
    );
    return records;
  });
}

function textOf(doc: vscode.TextDocument, r: Range): string {
  return doc.getText(new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)));
}

/** The labels on offer, those shown in the text picked already. */
async function pickLabels(
  ctx: Ctx,
  doc: vscode.TextDocument,
  ds: TrackedDocument,
  pieces: Range[],
): Promise<string[] | undefined> {
  const shown = new Set(pieces.flatMap((p) => entitiesIn(ds, p).spans.map((s) => s.label)));
  const items: vscode.QuickPickItem[] = (await availableLabels(ctx, folderFor(doc.uri))).map((label) => ({
    label,
    description: shown.has(label) ? 'shown here' : undefined,
    picked: shown.has(label),
  }));
  const picks = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    // the declaration in the title: the quick pick's input cuts a long placeholder short
    title: 'Mark Labels Complete Here: nothing else of these labels is here',
    placeHolder: 'Labels whose entities here are exactly the ones shown',
  });
  return picks?.map((p) => p.label);
}
