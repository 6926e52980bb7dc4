// Entity Lens: Copy Fields as JSON — the active document's fields (as `entity-lens fields --json`
// prints them, the document named by its path in the folder) to the clipboard.
import * as vscode from 'vscode';
import { fieldsJson } from '../../model';
import { type FieldsService } from '../fields';
import { CommandId } from '../command-ids';

export function registerCopyFields(service: FieldsService): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.copyFieldsAsJson, async (arg?: { uri?: string }) => {
    const uri = arg?.uri ? vscode.Uri.parse(arg.uri) : vscode.window.activeTextEditor?.document.uri;
    const view = uri && (service.view(uri) ?? (await service.refresh(uri.toString())));
    if (!view) {
      void vscode.window.showInformationMessage('Entity Lens: this document has no fields (is it tagged?).');
      return undefined;
    }
    const text = JSON.stringify(fieldsJson(view.name, view.result), null, 2);
    await vscode.env.clipboard.writeText(text);
    const n = Object.values(view.result.fields).filter((v) => v.length > 0).length;
    void vscode.window.setStatusBarMessage(`Entity Lens: ${n} fields of ${view.name} copied as JSON`, 4000);
    return text;
  });
}
