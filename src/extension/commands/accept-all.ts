// Entity Lens: Accept All Entities in Document / in Selection — every entity shown there is
// right and the text holds no others: saved as reviewed, one record per paragraph.
import * as vscode from 'vscode';
import { applyReviews, entitiesIn, type Review } from '../corrections';
import { whenIdle } from '../document-tagger';
import { docLength } from '../document-text';
import { type Range } from '../../model';
import { type Ctx } from '../ctx';
import { activeTarget } from './common';
import { CommandId } from '../command-ids';

/** one record per paragraph: more than this at once is surely not a review */
const MAX_PARAGRAPHS = 5000;

/** Paragraphs (blank-line separated) of the text inside `range`, trimmed; empty ones left out. */
function paragraphs(doc: vscode.TextDocument, range: Range): Range[] {
  const text = doc.getText(new vscode.Range(doc.positionAt(range.start), doc.positionAt(range.end)));
  const out: Range[] = [];
  const re = /\S[\s\S]*?(?=\n[ \t\r\f\v]*\n|$)/g;
  for (const m of text.matchAll(re)) {
    const body = m[0].replace(/\s+$/, '');
    if (body) out.push({ start: range.start + (m.index ?? 0), end: range.start + (m.index ?? 0) + body.length });
  }
  return out;
}

async function acceptIn(ctx: Ctx, ranges: Range[]): Promise<unknown> {
  const t = activeTarget(ctx);
  if (!t) return undefined;
  const { doc, ds } = t;
  if (ds.pending.length > 0 || ds.running) {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Entity Lens: finishing tagging before accepting…' },
      () => whenIdle(ctx, ds.key, 120_000),
    );
  }
  const reviews: Review[] = [];
  for (const r of ranges) for (const p of paragraphs(doc, r)) reviews.push(entitiesIn(ds, p));
  if (reviews.length === 0) return [];
  if (reviews.length > MAX_PARAGRAPHS) {
    void vscode.window.showWarningMessage(
      `Entity Lens: ${reviews.length} paragraphs are too many to accept at once (at most ${MAX_PARAGRAPHS}); select a part and use Accept All Entities in Selection.`,
    );
    return undefined;
  }
  const records = await applyReviews(ctx, doc, ds, reviews);
  const n = reviews.reduce((sum, r) => sum + r.spans.length, 0);
  vscode.window.setStatusBarMessage(
    `Entity Lens: accepted ${n} entit${n === 1 ? 'y' : 'ies'} in ${reviews.length} paragraph(s)`,
    4000,
  );
  return records;
}

export function registerAcceptAllInDocument(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.acceptAllInDocument, () => {
    const doc = vscode.window.activeTextEditor?.document;
    return acceptIn(ctx, doc ? [{ start: 0, end: docLength(doc) }] : []);
  });
}

export function registerAcceptAllInSelection(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.acceptAllInSelection, () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const doc = editor.document;
    const ranges = editor.selections
      .filter((s) => !s.isEmpty)
      .map((s) => ({ start: doc.offsetAt(s.start), end: doc.offsetAt(s.end) }));
    if (ranges.length === 0) {
      void vscode.window.showInformationMessage('Entity Lens: select the text whose entities you accept first.');
      return undefined;
    }
    return acceptIn(ctx, ranges);
  });
}
