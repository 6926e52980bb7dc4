// Value checks in the Problems panel: each check of a document's fields that fails (a total
// that is not net + tax, a due date before the invoice date, an IBAN whose check digits are
// wrong...) is one diagnostic on the first value involved, with the arithmetic in the message
// and the other values as related information; where one value is clearly the misread one a
// quick fix sets it (a field correction, saved like any other).
import * as vscode from 'vscode';
import type { FieldCheck } from '../model';
import { toRange } from './document-text';
import { CommandId } from './command-ids';
import { type FieldsService } from './fields';

export const FIELD_DIAGNOSTIC_SOURCE = 'Entity Lens fields';
export const FIELD_FIX = vscode.CodeActionKind.QuickFix.append('entityLens').append('field');

export function createFieldDiagnostics(): vscode.DiagnosticCollection {
  return vscode.languages.createDiagnosticCollection('Entity Lens fields');
}

/** Publishes the failed checks of a document (or clears them when it has no fields). */
export function renderFieldDiagnostics(
  collection: vscode.DiagnosticCollection,
  service: FieldsService,
  doc: vscode.TextDocument,
): void {
  const view = service.view(doc.uri);
  if (!view) {
    collection.delete(doc.uri);
    return;
  }
  collection.set(
    doc.uri,
    view.result.checks.map((c) => toDiagnostic(doc, c)),
  );
}

function toDiagnostic(doc: vscode.TextDocument, c: FieldCheck): vscode.Diagnostic {
  const at = c.ranges[0] ?? { start: 0, end: 0 };
  const d = new vscode.Diagnostic(
    toRange(doc, at),
    c.message,
    c.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  d.source = FIELD_DIAGNOSTIC_SOURCE;
  d.code = c.code;
  if (c.ranges.length > 1) {
    d.relatedInformation = c.ranges.map(
      (r) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(doc.uri, toRange(doc, r)),
          `${r.field ?? 'value'}: ${doc.getText(toRange(doc, r)).replace(/\s+/g, ' ')}`,
        ),
    );
  }
  return d;
}

/** The quick fix of a check with a suggestion: set the misread field to the value that makes it hold. */
export function createFieldFixProvider(service: FieldsService): vscode.CodeActionProvider {
  return {
    provideCodeActions(doc, _range, context) {
      const view = service.view(doc.uri);
      if (!view) return [];
      const out: vscode.CodeAction[] = [];
      for (const d of context.diagnostics) {
        if (d.source !== FIELD_DIAGNOSTIC_SOURCE) continue;
        const check = view.result.checks.find((c) => c.code === d.code && c.message === d.message);
        const s = check?.suggestion;
        if (!s) continue;
        const title = `Set ${s.field} to ${s.value}`;
        const a = new vscode.CodeAction(title, FIELD_FIX);
        a.diagnostics = [d];
        a.isPreferred = true;
        a.command = {
          title,
          command: CommandId.correctField,
          arguments: [
            {
              uri: doc.uri.toString(),
              field: s.field,
              value: s.value,
              ...(s.start !== undefined && s.end !== undefined ? { at: { start: s.start, end: s.end } } : {}),
            },
          ],
        };
        out.push(a);
      }
      return out;
    },
  };
}

export const fieldFixMetadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [FIELD_FIX] };
