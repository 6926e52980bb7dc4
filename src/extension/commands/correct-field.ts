// Entity Lens: Correct Field… and Clear Field — a person fixes one of the active document's
// fields: picks another mention (the field's candidates, best first, with the chooser's
// probability), types the value, or says there is none. The correction is saved to the folder's
// `.entity-lens/field-corrections.jsonl` (appended all or nothing: the document's path, text,
// kind and all its corrections, the latest line winning), shown at once, and used by the next
// training run to fine-tune the field chooser (one runs in the background after
// `entityLens.autoTrainAfter` field corrections).
import * as vscode from 'vscode';
import {
  appendFieldCorrections,
  errorMessage,
  VENDOR_FIELDS,
  withCorrection,
  type FieldCorrection,
  type FieldCorrectionRecord,
  type Range,
} from '../../model';
import { type Ctx } from '../ctx';
import { findOpenDocument } from '../document-text';
import { fieldCorrectionSaved } from '../field-training';
import { fieldCorrectionsFile, type FieldsService } from '../fields';
import { CommandId } from '../command-ids';
import { ensureDataDir, folderFor, folderPath } from '../workspace-files';
import { requireTrust } from './common';

/** What the commands take: a Document Fields item, or (from code) the document, the field and the correction. */
export interface CorrectFieldArgs {
  uri?: string;
  field?: string;
  range?: Range;
  value?: string;
  none?: boolean;
}

type Choice = vscode.QuickPickItem & { correction?: FieldCorrection; typed?: boolean };

async function ask(service: FieldsService, uri: vscode.Uri, field: string): Promise<FieldCorrection | undefined> {
  const doc = findOpenDocument(uri.toString());
  if (!doc) return undefined;
  const seen = new Set<string>();
  const items: Choice[] = [];
  for (const s of await service.candidates(uri, field)) {
    const c = s.candidate;
    const key = `${c.start}:${c.end}`;
    if (seen.has(key) || c.end <= c.start) continue;
    seen.add(key);
    items.push({
      label: c.value,
      description: `${Math.round(100 * s.probability)}% · line ${doc.positionAt(c.start).line + 1}`,
      detail: c.text === c.value ? undefined : `as printed: ${c.text}`,
      correction: { field, range: { start: c.start, end: c.end } },
    });
    if (items.length >= 40) break;
  }
  items.push(
    { label: '$(edit) Type the value…', typed: true, alwaysShow: true },
    {
      label: '$(close) No value',
      description: 'the document has none',
      correction: { field, none: true },
      alwaysShow: true,
    },
  );
  const pick = await vscode.window.showQuickPick(items, {
    title: `Correct ${field}`,
    placeHolder: 'Pick the mention that holds the value, or type it',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!pick) return undefined;
  if (!pick.typed) return pick.correction;
  const shown = service.view(uri)?.result.fields[field]?.[0];
  const value = await vscode.window.showInputBox({
    title: `Correct ${field}`,
    prompt: 'The value as it should be filed (a date as 2026-04-14, an amount as 119.00)',
    value: shown?.value ?? '',
  });
  return value ? { field, value } : undefined;
}

/** Saves one correction of a document's field; returns the record written. */
export async function saveCorrection(
  ctx: Ctx,
  service: FieldsService,
  uri: vscode.Uri,
  correction: FieldCorrection,
): Promise<FieldCorrectionRecord | undefined> {
  const doc = findOpenDocument(uri.toString());
  const workspaceFolder = folderFor(uri);
  const folder = folderPath(workspaceFolder);
  if (!doc || !folder) {
    void vscode.window.showWarningMessage('Entity Lens: open the document from a folder to correct its fields.');
    return undefined;
  }
  const view = service.view(uri) ?? (await service.refresh(uri.toString()));
  if (!view) return undefined;
  const text = doc.getText();
  const name = service.nameOf(uri);
  const old = (await service.correctionsOf(folder)).find((r) => r.document === name);
  // picked mentions of an older text do not hold any more
  const kept = old ? old.corrections.filter((c) => c.range === undefined || old.text === text) : [];
  const record: FieldCorrectionRecord = {
    document: name,
    text,
    kind: view.result.kind,
    corrections: withCorrection(kept, correction.field, [correction]),
  };
  try {
    await ensureDataDir(folder);
    await appendFieldCorrections(fieldCorrectionsFile(folder), [record]);
  } catch (e) {
    void vscode.window.showErrorMessage(`Entity Lens: the correction was not saved: ${errorMessage(e)}`);
    return undefined;
  }
  ctx.log.info(`field correction saved: ${name} ${correction.field}`);
  // a seller or address typed is a known vendor on the other documents at once
  if (correction.value !== undefined && VENDOR_FIELDS.some(([field]) => field === correction.field))
    await service.refreshAll();
  else await service.refresh(uri.toString());
  if (workspaceFolder) void fieldCorrectionSaved(ctx, workspaceFolder);
  return record;
}

function target(arg: CorrectFieldArgs | undefined): { uri: vscode.Uri; field?: string } | undefined {
  const uri = arg?.uri ? vscode.Uri.parse(arg.uri) : vscode.window.activeTextEditor?.document.uri;
  return uri ? { uri, field: arg?.field } : undefined;
}

async function pickField(service: FieldsService, uri: vscode.Uri): Promise<string | undefined> {
  const view = service.view(uri);
  if (!view) {
    void vscode.window.showInformationMessage('Entity Lens: this document has no fields yet (is it tagged?).');
    return undefined;
  }
  return vscode.window.showQuickPick(Object.keys(view.result.fields), { title: 'Correct which field?' });
}

export function registerCorrectField(ctx: Ctx, service: FieldsService): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandId.correctField, async (arg?: CorrectFieldArgs) => {
      if (!requireTrust('correcting fields')) return undefined;
      const t = target(arg);
      if (!t) return undefined;
      const field = t.field ?? (await pickField(service, t.uri));
      if (!field) return undefined;
      let correction: FieldCorrection | undefined;
      if (arg?.none) correction = { field, none: true };
      else if (arg?.range && typeof arg.range.start === 'number') correction = { field, range: arg.range };
      else if (typeof arg?.value === 'string' && arg.value !== '') correction = { field, value: arg.value };
      else correction = await ask(service, t.uri, field);
      return correction ? saveCorrection(ctx, service, t.uri, correction) : undefined;
    }),
    vscode.commands.registerCommand(CommandId.clearField, async (arg?: CorrectFieldArgs) => {
      if (!requireTrust('correcting fields')) return undefined;
      const t = target(arg);
      const field = t && (t.field ?? (await pickField(service, t.uri)));
      return t && field ? saveCorrection(ctx, service, t.uri, { field, none: true }) : undefined;
    }),
  );
}
