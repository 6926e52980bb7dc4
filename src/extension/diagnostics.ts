// The "Entity Lens" DiagnosticCollection: low-confidence entities (default) or all of them,
// e.g. `DATE "May 5, 2024" (0.93)`, so they show in the Problems panel and can be stepped through.
import * as vscode from 'vscode';
import { toRange } from './document-text';
import { readSettings } from './settings';
import { type DisplayEntity, type TrackedDocument } from './tracked-document';

/** Problems-panel cap per document: a 10 MB file can hold far more entities than anyone reads. */
const MAX_PER_DOCUMENT = 5000;

export const DIAGNOSTIC_SOURCE = 'Entity Lens';

export function createDiagnostics(): vscode.DiagnosticCollection {
  return vscode.languages.createDiagnosticCollection('Entity Lens');
}

export function describeEntity(e: { label: string; text: string; confidence: number }): string {
  const text = e.text.length > 60 ? `${e.text.slice(0, 57)}...` : e.text;
  return `${e.label} "${text.replace(/\s+/g, ' ')}" (${e.confidence.toFixed(2)})`;
}

export function renderDiagnostics(
  collection: vscode.DiagnosticCollection,
  doc: vscode.TextDocument,
  ds: TrackedDocument | undefined,
): void {
  const settings = readSettings(doc.uri);
  if (!ds || settings.diagnostics === 'off') {
    collection.delete(doc.uri);
    return;
  }
  const out: vscode.Diagnostic[] = [];
  for (const e of ds.entities()) {
    const low = !e.reviewed && e.confidence < settings.lowConfidenceThreshold;
    if (settings.diagnostics === 'lowConfidence' && !low) continue;
    out.push(toDiagnostic(doc, e, low));
    if (out.length >= MAX_PER_DOCUMENT) break;
  }
  collection.set(doc.uri, out);
}

function toDiagnostic(doc: vscode.TextDocument, e: DisplayEntity, low: boolean): vscode.Diagnostic {
  const d = new vscode.Diagnostic(
    toRange(doc, e),
    describeEntity(e) + (e.reviewed ? ' reviewed' : low ? ' low confidence' : ''),
    vscode.DiagnosticSeverity.Information,
  );
  d.source = DIAGNOSTIC_SOURCE;
  d.code = low ? 'low-confidence' : e.reviewed ? 'reviewed' : 'entity';
  return d;
}
