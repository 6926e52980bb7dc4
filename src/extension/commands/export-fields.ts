// Entity Lens: Export Fields of Workspace… — every contract, invoice and receipt of the folder
// (text files that read like one, and every PDF and image, read as the pages editor reads them)
// tagged and its fields chosen, into one CSV (a row per document) or JSON Lines file (an object
// per document, as `entity-lens fields --json` prints them). Progress per document, with Cancel;
// a document that cannot be read is left out and logged; the file is written at the end, whole.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  classifyDocument,
  decodeTextBytes,
  DOCUMENT_KINDS,
  errorMessage,
  extractInWorker,
  fieldsCsvColumns,
  fieldsCsvRow,
  fieldsJson,
  isIntakePath,
  MAX_DOCUMENT_BYTES,
  writeFileAtomic,
  type DocumentFields,
} from '../../model';
import { type Ctx } from '../ctx';
import { type FieldsService } from '../fields';
import { modelFor } from '../model-manager';
import { CommandId } from '../command-ids';
import { folderFor, folderPath } from '../workspace-files';

const DOCUMENTS = '**/*.{txt,md,text,pdf,png,jpg,jpeg,tif,tiff}';
const SKIPPED = '{**/node_modules/**,**/.entity-lens/**,**/.git/**,**/.vscode-test/**}';

export interface ExportFieldsArgs {
  format?: 'csv' | 'jsonl';
  /** the output file (else a save dialog asks) */
  out?: string;
}

export interface ExportResult {
  out: string;
  documents: number;
  failed: number;
  cancelled: boolean;
}

export function registerExportFields(ctx: Ctx, service: FieldsService): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandId.exportFields,
    async (arg?: ExportFieldsArgs): Promise<ExportResult | undefined> => {
      const folder = folderFor(vscode.window.activeTextEditor?.document.uri);
      const root = folderPath(folder);
      if (!folder || !root) {
        void vscode.window.showWarningMessage('Entity Lens: open a folder to export the fields of its documents.');
        return undefined;
      }
      const format =
        arg?.format ??
        (
          await vscode.window.showQuickPick(
            [
              { label: 'CSV', description: 'a row per document, a column per field', format: 'csv' as const },
              { label: 'JSON Lines', description: 'an object per document', format: 'jsonl' as const },
            ],
            { title: 'Export fields as' },
          )
        )?.format;
      if (!format) return undefined;
      const out =
        arg?.out ??
        (
          await vscode.window.showSaveDialog({
            defaultUri: vscode.Uri.file(path.join(root, `fields.${format}`)),
            filters: format === 'csv' ? { CSV: ['csv'] } : { 'JSON Lines': ['jsonl'] },
          })
        )?.fsPath;
      if (!out) return undefined;
      const model = await modelFor(ctx, folder);
      if (!model) {
        void vscode.window.showWarningMessage('Entity Lens: no model to tag the documents with.');
        return undefined;
      }
      const files = (await vscode.workspace.findFiles(new vscode.RelativePattern(folder, DOCUMENTS), SKIPPED)).sort(
        (a, b) => a.fsPath.localeCompare(b.fsPath),
      );
      return vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Entity Lens: exporting fields', cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          const results: Array<{ name: string; result: DocumentFields }> = [];
          let failed = 0;
          for (const [i, uri] of files.entries()) {
            if (token.isCancellationRequested) break;
            const name = vscode.workspace.asRelativePath(uri, false);
            progress.report({
              message: `${i + 1}/${files.length} ${name}`,
              increment: 100 / Math.max(1, files.length),
            });
            try {
              const bytes = await vscode.workspace.fs.readFile(uri);
              if (bytes.length > MAX_DOCUMENT_BYTES) throw new Error(`larger than ${MAX_DOCUMENT_BYTES / 1e6} MB`);
              let text: string;
              if (isIntakePath(uri.fsPath)) {
                text = (await extractInWorker(bytes, { signal: controller.signal, name: path.basename(uri.fsPath) }))
                  .text;
              } else {
                text = decodeTextBytes(bytes, name);
                // a README or notes beside the documents: not a document to file
                if (classifyDocument(text).kind === 'other') continue;
              }
              const entities = await model.tagger.tag(text);
              const view = await service.compute({ uri, getText: () => text }, entities);
              results.push({ name, result: view.result });
            } catch (e) {
              if (controller.signal.aborted) break;
              failed++;
              ctx.log.warn(`export of fields: ${name}: ${errorMessage(e)}`);
            }
          }
          if (token.isCancellationRequested) {
            void vscode.window.showInformationMessage('Entity Lens: export cancelled; nothing was written.');
            return { out, documents: results.length, failed, cancelled: true };
          }
          const lines =
            format === 'csv'
              ? (() => {
                  const columns = fieldsCsvColumns(DOCUMENT_KINDS);
                  return [columns.join(','), ...results.map((r) => fieldsCsvRow(columns, r.name, r.result))];
                })()
              : results.map((r) => JSON.stringify(fieldsJson(r.name, r.result)));
          await writeFileAtomic(out, lines.join('\n') + '\n');
          const note = failed ? ` (${failed} could not be read: see Entity Lens: Show Log)` : '';
          void vscode.window.showInformationMessage(
            `Entity Lens: fields of ${results.length} documents written to ${path.basename(out)}${note}.`,
          );
          return { out, documents: results.length, failed, cancelled: false };
        },
      );
    },
  );
}
