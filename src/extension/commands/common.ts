// Shared by the commands: find the document and entity a command acts on, whether it was
// called from a code action or hover link (with an EntityRef) or from the palette (cursor).
import * as vscode from 'vscode';
import { whenIdle } from '../document-tagger';
import { findOpenDocument } from '../document-text';
import type { EntityRef } from '../hover';
import type { Range } from '../../model';
import { type Ctx } from '../ctx';
import { type DisplayEntity, type TrackedDocument } from '../tracked-document';

export interface Target {
  doc: vscode.TextDocument;
  ds: TrackedDocument;
  entity?: DisplayEntity;
}

function notActive(): undefined {
  void vscode.window.showInformationMessage(
    'Entity Lens is not tagging this document: run Entity Lens: Tag This Document (or check entityLens.languages and entityLens.exclude).',
  );
  return undefined;
}

/** The active document and the entity under the cursor or selection. */
export function activeTarget(ctx: Ctx): (Target & { editor: vscode.TextEditor }) | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return notActive();
  const ds = ctx.document(editor.document.uri.toString());
  if (!ds) return notActive();
  const doc = editor.document;
  const sel = editor.selection;
  const entity = ds.entityAt({ start: doc.offsetAt(sel.start), end: doc.offsetAt(sel.end) });
  return { editor, doc, ds, entity };
}

/** The entity a reference names (same range and label, else whatever is there now), or the cursor's. */
export function resolveTarget(ctx: Ctx, ref?: EntityRef): Target | undefined {
  if (!ref || typeof ref !== 'object' || typeof ref.uri !== 'string') {
    const t = activeTarget(ctx);
    if (t && !t.entity) {
      void vscode.window.showInformationMessage('Entity Lens: put the cursor on an entity first.');
      return undefined;
    }
    return t;
  }
  const doc = findOpenDocument(ref.uri);
  const ds = ctx.document(ref.uri);
  if (!doc || !ds) return notActive();
  const exact = ds.entities().find((e) => e.start === ref.start && e.end === ref.end && e.label === ref.label);
  const entity = exact ?? ds.entityAt({ start: ref.start, end: ref.end });
  if (!entity) {
    void vscode.window.showInformationMessage('Entity Lens: that entity is gone (the text changed).');
    return undefined;
  }
  return { doc, ds, entity };
}

/** Writes are refused in untrusted workspaces: say so. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`Entity Lens: ${action} is not available in an untrusted workspace.`);
  return false;
}

/** Waits (with a notification) until the document is tagged: a command acts on what is shown. */
export async function finishTagging(ctx: Ctx, ds: TrackedDocument, before: string): Promise<void> {
  if (ds.pending.length === 0 && !ds.running) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Entity Lens: finishing tagging before ${before}…` },
    () => whenIdle(ctx, ds.key, 120_000),
  );
}

/** Paragraphs (blank-line separated) of the text inside `range`, trimmed; empty ones left out. */
export function paragraphs(doc: vscode.TextDocument, range: Range): Range[] {
  const text = doc.getText(new vscode.Range(doc.positionAt(range.start), doc.positionAt(range.end)));
  const out: Range[] = [];
  const re = /\S[\s\S]*?(?=\n[ \t\r\f\v]*\n|$)/g;
  for (const m of text.matchAll(re)) {
    const body = m[0].replace(/\s+$/, '');
    if (body) out.push({ start: range.start + (m.index ?? 0), end: range.start + (m.index ?? 0) + body.length });
  }
  return out;
}
