// What a click on a Document Fields item (side bar or dashboard) does: shows the value's mention
// in its editor, selected — in the column the document is already shown in, so a click in the
// dashboard does not open the document over the dashboard.
import * as vscode from 'vscode';
import { findOpenDocument, toRange } from '../document-text';
import { CommandId } from '../command-ids';

export function registerRevealFieldValue(): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandId.revealFieldValue,
    async (arg?: { uri: string; start: number; end: number }) => {
      if (!arg || typeof arg.uri !== 'string') return;
      const doc = findOpenDocument(arg.uri) ?? (await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri)));
      const range = toRange(doc, { start: arg.start, end: arg.end });
      const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
      const editor = await vscode.window.showTextDocument(doc, {
        viewColumn: shown?.viewColumn,
        selection: range,
        preserveFocus: false,
      });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    },
  );
}
