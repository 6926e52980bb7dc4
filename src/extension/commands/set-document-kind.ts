// Entity Lens: Set Document Kind… — says what the active document is (a contract, an invoice, a
// receipt) when the detected kind is wrong, so its fields follow that kind's schema; remembered
// per file in the workspace state. "Detect from the text" forgets it.
import * as vscode from 'vscode';
import { DOCUMENT_KINDS, type DocumentKind } from '../../model';
import { type FieldsService } from '../fields';
import { CommandId } from '../command-ids';

export function registerSetDocumentKind(service: FieldsService): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandId.setDocumentKind,
    async (arg?: { uri?: string; kind?: DocumentKind | 'auto' }) => {
      const uri = arg?.uri ? vscode.Uri.parse(arg.uri) : vscode.window.activeTextEditor?.document.uri;
      if (!uri) return undefined;
      let kind = arg?.kind;
      if (!kind) {
        const now = service.kindOf(uri);
        const pick = await vscode.window.showQuickPick(
          [
            { label: 'Detect from the text', choice: 'auto' as const, picked: !now },
            ...DOCUMENT_KINDS.map((k) => ({ label: k, choice: k, description: now === k ? 'set now' : undefined })),
          ],
          { title: 'What kind of document is this?' },
        );
        kind = pick?.choice;
      }
      if (!kind) return undefined;
      await service.setKind(uri, kind === 'auto' ? undefined : kind);
      return service.view(uri)?.result.kind;
    },
  );
}
