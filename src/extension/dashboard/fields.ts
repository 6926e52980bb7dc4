// Fields view: the fields of the document in the last active text editor (the dashboard itself
// takes focus), as the Document Fields side-bar view shows them — from FieldsService's last
// computation, never computed here. A click and "Correct…" run the side bar's own commands.
import * as vscode from 'vscode';
import type { FieldValue } from '../../model';
import type { FieldsDto, FieldValueDto } from '../../shared/messages';
import { type FieldsService } from '../fields';
import { CommandId } from '../command-ids';
import { folderFor, folderPath } from '../workspace-files';
import { displayPath } from './training-set';

/** characters of a value's printed text sent at most (a party's name runs long in some contracts) */
const MAX_TEXT = 300;

function valueDto(v: FieldValue): FieldValueDto {
  return {
    value: v.value,
    text: v.text.length > MAX_TEXT ? v.text.slice(0, MAX_TEXT) + '…' : v.text,
    confidence: Number.isFinite(v.confidence) ? v.confidence : 0,
    start: v.start,
    end: v.end,
    page: v.page ?? null,
    corrected: !!v.corrected,
    derived: v.derivedFrom ? v.derivedFrom.join(' + ') : null,
  };
}

export function fieldsData(service: FieldsService, uri: string | undefined): FieldsDto {
  if (!uri) return { uri: null, file: '', kind: null, kindSet: false, fields: [], checks: [] };
  const parsed = vscode.Uri.parse(uri);
  const file = displayPath(uri, folderPath(folderFor(parsed))) || uri;
  const view = service.view(uri);
  if (!view) return { uri, file, kind: null, kindSet: false, fields: [], checks: [] };
  return {
    uri,
    file,
    kind: view.result.kind,
    kindSet: view.kindSet,
    fields: Object.entries(view.result.fields).map(([name, values]) => ({ name, values: values.map(valueDto) })),
    checks: view.result.checks.map((c) => ({
      code: c.code,
      severity: c.severity,
      message: c.message,
      fields: [...c.fields],
    })),
  };
}

/** Only a document whose fields the dashboard was shown: the webview names no other file. */
function requireShown(service: FieldsService, uri: string): void {
  if (!service.view(uri)) throw new Error('that document has no fields any more (closed or no longer tagged)');
}

export async function revealFieldValue(service: FieldsService, uri: string, start: number, end: number): Promise<void> {
  requireShown(service, uri);
  await vscode.commands.executeCommand(CommandId.revealFieldValue, { uri, start, end });
}

/** Correct Field… for one field: the person picks another mention or types the value. */
export async function correctField(service: FieldsService, uri: string, field: string): Promise<void> {
  requireShown(service, uri);
  const fields = service.view(uri)?.result.fields ?? {};
  if (!Object.prototype.hasOwnProperty.call(fields, field)) throw new Error(`the document has no field "${field}"`);
  await vscode.commands.executeCommand(CommandId.correctField, { uri, field });
}
