// Entity Lens: Import Annotations… — add annotated documents (the project's JSONL, spaCy-style
// JSONL or CoNLL) to the workspace's training set; bad lines are listed in the output.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fromConll, fromJsonl, type AnnotationRecord } from '../../model';
import { type Ctx } from '../ctx';
import { folderFor, folderPath, appendAnnotations } from '../workspace-files';
import { requireTrust } from './common';
import { CommandId } from '../command-ids';

export function registerImportAnnotations(ctx: Ctx): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.importAnnotations, async (source?: string) => {
    if (!requireTrust('importing annotations')) return undefined;
    const folder = folderFor(vscode.window.activeTextEditor?.document.uri);
    const fp = folderPath(folder);
    if (!fp) {
      void vscode.window.showWarningMessage(
        'Entity Lens: open a folder first; annotations go to its .entity-lens/annotations.jsonl.',
      );
      return undefined;
    }
    let file = source;
    if (!file) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { Annotations: ['jsonl', 'json', 'conll', 'txt', 'tsv'] },
        openLabel: 'Import',
      });
      file = picked?.[0]?.fsPath;
    }
    if (!file) return undefined;
    const text = await fs.readFile(file, 'utf8');
    const label = path.basename(file);
    const firstLine = text.split('\n').find((l) => l.trim()) ?? '';
    const result = firstLine.trim().startsWith('{') ? fromJsonl(text, label) : fromConll(text, label);
    for (const p of result.problems) ctx.log.warn(`import: ${p}`);
    const time = new Date().toISOString();
    const records: AnnotationRecord[] = result.docs.map((d) => ({
      ...d,
      id: d.id.startsWith('import:') ? d.id : `import:${d.id}`,
      source: d.source ?? 'import',
      time,
    }));
    await appendAnnotations(fp, records);
    const msg = `Entity Lens: imported ${records.length} document(s) from ${label}${result.problems.length ? `; ${result.problems.length} problem(s) listed in the output` : ''}.`;
    if (result.problems.length) {
      void vscode.window.showWarningMessage(msg, 'Show Output').then((p) => p && ctx.log.show());
    } else {
      void vscode.window.showInformationMessage(msg);
    }
    return { imported: records.length, problems: result.problems };
  });
}
