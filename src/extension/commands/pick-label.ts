// The label quick pick shared by Tag Selection As… and Change Entity Label…, with a last
// entry to add a new label to .entity-lens/labels.json on the spot.
import * as vscode from 'vscode';
import { addLabelToFile, labelProblem } from '../labels';
import { type Ctx } from '../ctx';
import { folderPath } from '../workspace-files';

const ADD = '$(add) Add Label…';

export async function pickLabel(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
  labels: string[],
  placeHolder: string,
  current?: string,
): Promise<string | undefined> {
  const items: vscode.QuickPickItem[] = labels.map((l) => ({
    label: l,
    description: l === current ? 'current' : undefined,
  }));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: ADD });
  const pick = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  if (!pick) return undefined;
  if (pick.label !== ADD) return pick.label;
  return promptNewLabel(ctx, folder, labels);
}

export async function promptNewLabel(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
  existing: string[],
): Promise<string | undefined> {
  const input = await vscode.window.showInputBox({
    prompt: 'New entity label (saved in .entity-lens/labels.json; the model learns it at the next training)',
    placeHolder: 'INVOICE_NUMBER',
    validateInput: (v) => labelProblem(v.trim().toUpperCase(), existing),
  });
  const label = input?.trim().toUpperCase();
  if (!label || labelProblem(label, existing)) return undefined;
  const fp = folderPath(folder);
  if (fp && vscode.workspace.isTrusted) await addLabelToFile(fp, label);
  else ctx.log.info(`label ${label} used without saving it to labels.json (no trusted workspace folder)`);
  return label;
}
