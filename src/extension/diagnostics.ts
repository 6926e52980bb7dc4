// The "Entity Lens" DiagnosticCollection: low-confidence entities (default) or all of them, one
// diagnostic per distinct name (label and text), e.g. `PARTY "Bravatek" (0.52) low confidence,
// 109 occurrences`, at the name's first occurrence; the other occurrences are its related
// information, so the Problems panel lists them under it and a click goes to each. A long
// contract whose one unsure party name appears 109 times makes one entry, not 109.
import * as vscode from 'vscode';
import { displayLabel, groupByName, type NameGroup } from '../model';
import { toRange } from './document-text';
import { readSettings } from './settings';
import { type DisplayEntity, type TrackedDocument } from './tracked-document';

/** Problems-panel cap per document: a 10 MB file can hold far more names than anyone reads. */
const MAX_PER_DOCUMENT = 5000;
/** occurrences listed under one name (the count in the message says how many there are) */
const MAX_RELATED = 100;

export const DIAGNOSTIC_SOURCE = 'Entity Lens';

export function createDiagnostics(): vscode.DiagnosticCollection {
  return vscode.languages.createDiagnosticCollection('Entity Lens');
}

export function describeEntity(e: { label: string; text: string; confidence: number }): string {
  const text = e.text.length > 60 ? `${e.text.slice(0, 57)}...` : e.text;
  return `${displayLabel(e.label)} "${text.replace(/\s+/g, ' ')}" (${e.confidence.toFixed(2)})`;
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
  const isLow = (e: DisplayEntity): boolean => !e.reviewed && e.confidence < settings.lowConfidenceThreshold;
  const groups = groupByName(ds.entities(), settings.diagnostics === 'lowConfidence' ? isLow : undefined);
  const out: vscode.Diagnostic[] = [];
  for (const g of groups) {
    out.push(toDiagnostic(doc, g, isLow));
    if (out.length >= MAX_PER_DOCUMENT) break;
  }
  collection.set(doc.uri, out);
}

function toDiagnostic(
  doc: vscode.TextDocument,
  g: NameGroup<DisplayEntity>,
  isLow: (e: DisplayEntity) => boolean,
): vscode.Diagnostic {
  const first = g.items[0];
  const low = g.items.some(isLow);
  const reviewed = g.items.every((e) => e.reviewed);
  const lowest = g.items.reduce((a, b) => (b.confidence < a.confidence ? b : a));
  const n = g.items.length;
  const d = new vscode.Diagnostic(
    toRange(doc, first),
    describeEntity({ ...first, confidence: lowest.confidence }) +
      (reviewed ? ' reviewed' : low ? ' low confidence' : '') +
      (n > 1 ? `, ${n} occurrences` : ''),
    vscode.DiagnosticSeverity.Information,
  );
  d.source = DIAGNOSTIC_SOURCE;
  d.code = low ? 'low-confidence' : reviewed ? 'reviewed' : 'entity';
  if (n > 1) {
    d.relatedInformation = g.items
      .slice(0, MAX_RELATED)
      .map(
        (e, i) =>
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(doc.uri, toRange(doc, e)),
            `occurrence ${i + 1} of ${n} (${e.reviewed ? 'reviewed' : e.confidence.toFixed(2)})`,
          ),
      );
  }
  return d;
}
