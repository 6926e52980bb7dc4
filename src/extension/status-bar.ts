// Status bar item for the active document. Tagged: the model (name and version) and what Entity
// Lens is doing (idle, loading, tagging, training); click: a menu (stop tagging this document,
// legend, model report, dashboard, log). Not tagged but taggable: "Tag This Document", with why
// it is not tagged in the tooltip; click: tag it. Other documents: hidden (unless training).
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
  item.command = CommandId.showMenu;
  return { item, seq: 0 };
}

export async function updateStatusBar(ctx: Ctx, bar: StatusBar): Promise<void> {
  const seq = ++bar.seq;
  const item = bar.item;
  const editor = vscode.window.activeTextEditor;
  const ds = editor ? ctx.document(editor.document.uri.toString()) : undefined;
  const decision = editor ? ctx.decision(editor.document.uri) : undefined;
  if (!ds && decision && !decision.tag && !ctx.training.running) {
    item.text = '$(tag) Tag This Document';
    item.tooltip = `Entity Lens is not tagging this document: ${decision.reason}.\nClick to tag it (remembered for this workspace).`;
    item.command = {
      command: CommandId.tagThisDocument,
      title: 'Tag This Document',
      arguments: [editor?.document.uri],
    };
    item.accessibilityInformation = { label: `Entity Lens: not tagging this document. Tag this document` };
    item.show();
    return;
  }
  item.command = CommandId.showMenu;
  item.accessibilityInformation = undefined;
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
  if (ds && decision) tooltip += `\nThis document is tagged because ${decision.reason}.`;
  item.text = `${icon} ${text}${what}`;
  item.tooltip = `${tooltip}\nClick: menu (stop tagging this document, legend, model report, dashboard)`;
  item.show();
}
