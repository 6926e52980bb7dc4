// Status bar item: the active document's model (name and version) and what Entity Lens is
// doing (idle, loading, tagging, training). Click: Show Model Report.
import * as vscode from 'vscode';
import { peekModel, resolveModel } from './model-manager';
import { type Ctx } from './ctx';
import { folderFor } from './workspace-files';
import { CommandId } from './command-ids';

export interface StatusBar {
  item: vscode.StatusBarItem;
  /** increases with every update; an update that awaited and is no longer the latest gives up */
  seq: number;
}

export function createStatusBar(): StatusBar {
  const item = vscode.window.createStatusBarItem('entityLens.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Entity Lens';
  item.command = CommandId.showModelReport;
  return { item, seq: 0 };
}

export async function updateStatusBar(ctx: Ctx, bar: StatusBar): Promise<void> {
  const seq = ++bar.seq;
  const item = bar.item;
  const editor = vscode.window.activeTextEditor;
  const ds = editor ? ctx.document(editor.document.uri.toString()) : undefined;
  if (!ds && !ctx.training.running) {
    item.hide();
    return;
  }
  const folder = folderFor(editor?.document.uri);
  const model = await peekModel(ctx, folder);
  if (seq !== bar.seq) return; // a newer update is under way
  const now = ctx.activity;
  let text: string;
  let tooltip: string;
  if (model) {
    text = `${model.info.name} ${model.info.version}`;
    tooltip = `Entity Lens model ${model.info.name} ${model.info.version} (${model.origin})\n${model.dir}`;
  } else {
    const choice = await resolveModel(ctx, folder);
    if (seq !== bar.seq) return;
    text = ctx.models.loaded.has(choice.dir) ? 'loading model' : 'no model';
    tooltip = `Entity Lens: no model loaded (${choice.dir})`;
  }
  let icon = '$(tag)';
  let what = '';
  if (now === 'training' && ctx.training.running) {
    icon = '$(loading~spin)';
    what = ` · training ${Math.round(ctx.training.running.percent)}%`;
    tooltip += `\nTraining: ${ctx.training.running.progress}`;
  } else if (now === 'loading') {
    icon = '$(loading~spin)';
    what = ' · loading';
  } else if (now === 'tagging') {
    icon = '$(sync~spin)';
    what = ' · tagging';
  } else if (ds?.tooLarge) {
    what = ' · too large';
    tooltip += '\nThis document is larger than entityLens.maxDocumentSize and is not tagged.';
  } else {
    what = ' · idle';
  }
  item.text = `${icon} ${text}${what}`;
  item.tooltip = `${tooltip}\nClick: Show Model Report`;
  item.show();
}
