// Entity Lens: Open as Pages — opens a PDF or an image in the pages editor: the one named (the
// Explorer's context menu), else the file of the active editor or tab (VS Code's image preview
// too). PNG and JPEG open in VS Code's image preview by default, so that an icon or a screenshot
// is never sent through OCR unasked; this command (or Reopen Editor With…) reads one.
import * as vscode from 'vscode';
import { isIntakePath } from '../../model';
import { CommandId } from '../command-ids';
import { originalOf } from './extracted-uri';
import { IMAGE_PAGES_VIEW_TYPE, PAGES_VIEW_TYPE } from './pages-editor';

export function registerOpenAsPages(): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.openAsPages, async (arg?: vscode.Uri) => {
    const uri = arg instanceof vscode.Uri ? arg : activeFile();
    if (!uri || !isIntakePath(uri.path)) {
      void vscode.window.showInformationMessage('Entity Lens: Open as Pages opens a PDF, PNG, JPEG or TIFF file.');
      return;
    }
    const viewType = /\.(png|jpe?g)$/i.test(uri.path) ? IMAGE_PAGES_VIEW_TYPE : PAGES_VIEW_TYPE;
    await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
  });
}

function activeFile(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor) return originalOf(editor.document.uri) ?? editor.document.uri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return undefined;
}
