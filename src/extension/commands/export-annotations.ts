// Entity Lens: Export Annotations… — the workspace's training set (latest record per
// passage) as spaCy-style JSONL, CoNLL with BILOU tags, or the project's own JSONL.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { type ExportFormat, toConllBilou, toSpacyJsonl, serializeRecord } from '../../model';
import { type Ctx } from '../ctx';
import { folderFor, folderPath } from '../workspace-files';
import { requireTrust } from './common';
import { CommandId } from '../command-ids';

const FORMATS: Array<{ format: ExportFormat; label: string; detail: string; ext: string }> = [
  {
    format: 'spacy',
    label: 'spaCy-style JSONL',
    detail: '{"text", "entities": [[start, end, label]]} per line',
    ext: 'jsonl',
  },
  {
    format: 'conll',
    label: 'CoNLL (BILOU)',
    detail: 'token<TAB>tag per line, blank line between sentences',
    ext: 'conll',
  },
  {
    format: 'jsonl',
    label: 'Entity Lens JSONL',
    detail: 'the annotation records as stored, latest per passage',
    ext: 'jsonl',
  },
];

export function registerExportAnnotations(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandId.exportAnnotations,
    async (format?: ExportFormat, target?: string) => {
      if (!requireTrust('exporting annotations')) return undefined;
      const folder = folderFor(vscode.window.activeTextEditor?.document.uri);
      const fp = folderPath(folder);
      if (!fp || !folder) return undefined;
      const store = await ctx.readAnnotations(fp);
      if (store.records.length === 0) {
        void vscode.window.showInformationMessage('Entity Lens: there are no annotations to export yet.');
        return undefined;
      }
      const choice = format
        ? FORMATS.find((f) => f.format === format)
        : await vscode.window.showQuickPick(FORMATS, { placeHolder: 'Export format' });
      if (!choice) return undefined;
      const uri = target
        ? vscode.Uri.file(target)
        : await vscode.window.showSaveDialog({
            defaultUri: vscode.Uri.joinPath(folder.uri, `annotations-${choice.format}.${choice.ext}`),
            filters: { [choice.label]: [choice.ext] },
          });
      if (!uri) return undefined;
      const text =
        choice.format === 'spacy'
          ? toSpacyJsonl(store.records)
          : choice.format === 'conll'
            ? toConllBilou(store.records)
            : store.records.map(serializeRecord).join('\n') + '\n';
      await fs.writeFile(uri.fsPath, text);
      void vscode.window.showInformationMessage(
        `Entity Lens: exported ${store.records.length} passages to ${uri.fsPath}.`,
      );
      return uri.fsPath;
    },
  );
}
