// Entities view: the entities shown in the last active text editor (the dashboard itself takes
// focus, so "active" means the last text editor that had it). Accept, relabel and remove run
// the editor's own commands with an EntityRef, exactly as the hover links do.
import * as vscode from 'vscode';
import type { EntitiesDto, EntityAction } from '../../shared/messages';
import { findOpenDocument, toRange } from '../document-text';
import type { EntityRef } from '../hover';
import { readSettings } from '../settings';
import { type Ctx } from '../ctx';
import { folderFor, folderPath } from '../workspace-files';
import { displayPath } from './training-set';
import { CommandId } from '../command-ids';

/** entities sent at most (a 10 MB document has 100k+) */
const MAX_ENTITIES = 5000;

export function entitiesData(ctx: Ctx, uri: string | undefined): EntitiesDto {
  const ds = uri ? ctx.document(uri) : undefined;
  if (!uri || !ds)
    return { uri: null, file: '', threshold: readSettings().lowConfidenceThreshold, entities: [], truncated: false };
  const list = ds.entities();
  const parsed = vscode.Uri.parse(uri);
  return {
    uri,
    file: displayPath(uri, folderPath(folderFor(parsed))) || uri,
    threshold: readSettings(parsed).lowConfidenceThreshold,
    entities: list.slice(0, MAX_ENTITIES).map((e) => ({
      start: e.start,
      end: e.end,
      label: e.label,
      text: e.text.length > 300 ? e.text.slice(0, 300) + '…' : e.text,
      confidence: Number.isFinite(e.confidence) ? e.confidence : 0,
      reviewed: e.reviewed,
    })),
    truncated: list.length > MAX_ENTITIES,
  };
}

/** Shows a document range in a text editor: the column it is already in, else the first. */
export async function reveal(uri: string, start: number, end: number): Promise<vscode.TextEditor> {
  const doc = findOpenDocument(uri) ?? (await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)));
  const length = doc.getText().length;
  const range = toRange(doc, { start: Math.min(start, length), end: Math.min(end, length) });
  const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
    selection: range,
    preview: false,
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

const COMMANDS: Record<EntityAction, string> = {
  accept: CommandId.acceptEntity,
  relabel: CommandId.changeLabel,
  remove: CommandId.removeEntity,
};

export async function entityAction(action: EntityAction, ref: EntityRef, newLabel: string): Promise<void> {
  if (action === 'relabel' && !newLabel) throw new Error('pick the new label');
  const args: unknown[] = action === 'relabel' ? [ref, newLabel] : [ref];
  await vscode.commands.executeCommand(COMMANDS[action], ...args);
}
