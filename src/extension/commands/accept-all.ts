// Entity Lens: Accept All Entities in Document / in Selection — every entity shown there is
// right: each is saved as a confirmed span, judged for its own range and label only (what the
// model missed stays unknown, not a negative example). Passages without an entity, or without a
// letter (page numbers), are not saved. Afterwards Mark Labels Complete… is offered, never implied.
import * as vscode from 'vscode';
import { applyReviews, entitiesIn, type Review } from '../corrections';
import { docLength } from '../document-text';
import { isTrivialPassage } from '../passage-text';
import { type Range } from '../../model';
import { type Ctx } from '../ctx';
import { activeTarget, finishTagging, paragraphs } from './common';
import { CommandId } from '../command-ids';

/** one record per paragraph: more than this at once is surely not a review */
const MAX_PARAGRAPHS = 5000;

async function acceptIn(ctx: Ctx, ranges: Range[], title: string): Promise<unknown> {
  const t = activeTarget(ctx);
  if (!t) return undefined;
  const { doc, ds } = t;
  await finishTagging(ctx, ds, 'accepting');
  const reviews: Review[] = [];
  for (const r of ranges) {
    for (const p of paragraphs(doc, r)) {
      if (isTrivialPassage(doc.getText(new vscode.Range(doc.positionAt(p.start), doc.positionAt(p.end))))) continue;
      const { spans } = entitiesIn(ds, p);
      if (spans.length > 0) reviews.push({ spans, judged: spans.map((s) => ({ ...s })) });
    }
  }
  if (reviews.length === 0) {
    void vscode.window.showInformationMessage('Entity Lens: no entity is shown here to accept.');
    return [];
  }
  if (reviews.length > MAX_PARAGRAPHS) {
    void vscode.window.showWarningMessage(
      `Entity Lens: ${reviews.length} paragraphs are too many to accept at once (at most ${MAX_PARAGRAPHS}); select a part and use Accept All Entities in Selection.`,
    );
    return undefined;
  }
  const records = await applyReviews(ctx, doc, ds, reviews, { undo: title });
  const n = reviews.reduce((sum, r) => sum + r.spans.length, 0);
  const more = 'Mark Labels Complete…';
  void vscode.window
    .showInformationMessage(
      `Entity Lens: accepted ${n} entit${n === 1 ? 'y' : 'ies'} in ${reviews.length} paragraph${reviews.length === 1 ? '' : 's'}. ` +
        'Text the model did not tag is not marked as checked; if a label has no other entities here, say so with Mark Labels Complete.',
      more,
    )
    .then((choice) => {
      if (choice === more) void vscode.commands.executeCommand(CommandId.markLabelsComplete, undefined, ranges);
    });
  return records;
}

export function registerAcceptAllInDocument(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.acceptAllInDocument, () => {
    const doc = vscode.window.activeTextEditor?.document;
    return acceptIn(ctx, doc ? [{ start: 0, end: docLength(doc) }] : [], 'Accept All Entities in Document');
  });
}

export function registerAcceptAllInSelection(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.acceptAllInSelection, () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const ranges = selectedRanges(editor);
    if (ranges.length === 0) {
      void vscode.window.showInformationMessage('Entity Lens: select the text whose entities you accept first.');
      return undefined;
    }
    return acceptIn(ctx, ranges, 'Accept All Entities in Selection');
  });
}

function selectedRanges(editor: vscode.TextEditor): Range[] {
  const doc = editor.document;
  return editor.selections
    .filter((s) => !s.isEmpty)
    .map((s) => ({ start: doc.offsetAt(s.start), end: doc.offsetAt(s.end) }));
}
