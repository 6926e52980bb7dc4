// The vscode side of offsets: a document's length without copying it, open documents by key,
// the text block around a range that tagging reads (paragraph bounds), the visible ranges,
// snapping a selection to tokens, and offset ranges as vscode Ranges.
import * as vscode from 'vscode';
import { normalizeRanges, tokenize, type Range, type Token } from '../model';

/** how far to look for a paragraph boundary around a chunk */
const BLOCK_CONTEXT = 3000;

/** Length in UTF-16 units without building the whole text (getText() copies 10 MB documents). */
export function docLength(doc: vscode.TextDocument): number {
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}

export function findOpenDocument(key: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

/** The next piece of pending text: inside a visible range if any, else the nearest after it. */
export function nextChunk(pending: readonly Range[], visible: readonly Range[], size: number): Range {
  for (const v of visible) {
    for (const p of pending) {
      if (p.start <= v.end && p.end >= v.start) {
        const start = Math.max(p.start, v.start);
        return { start, end: Math.min(p.end, start + size) };
      }
    }
  }
  const anchor = visible.length > 0 ? visible[0].end : 0;
  const p = pending.find((r) => r.end >= anchor) ?? pending[0];
  const start = p.start <= anchor && p.end >= anchor ? anchor : p.start;
  return { start, end: Math.min(p.end, start + size) };
}

export function visibleOffsets(doc: vscode.TextDocument): Range[] {
  const out: Range[] = [];
  for (const editor of vscode.window.visibleTextEditors) {
    if (editor.document !== doc) continue;
    for (const r of editor.visibleRanges) out.push({ start: doc.offsetAt(r.start), end: doc.offsetAt(r.end) });
  }
  return normalizeRanges(out);
}

/**
 * The text around `range` out to paragraph boundaries (a blank line), or to a line break
 * when no blank line is near, or BLOCK_CONTEXT characters at most. Sentences never cross a
 * blank line, so windows computed inside the block are the document's own windows.
 */
export function readBlock(doc: vscode.TextDocument, range: Range): { start: number; text: string } {
  const length = docLength(doc);
  const from = Math.max(0, range.start - BLOCK_CONTEXT);
  const to = Math.min(length, range.end + BLOCK_CONTEXT);
  const text = doc.getText(new vscode.Range(doc.positionAt(from), doc.positionAt(to)));
  const a = range.start - from;
  const b = range.end - from;
  const before = text.slice(0, a);
  const blankBefore = lastMatchEnd(before, /\n[ \t\r\f\v]*\n/g);
  const start = blankBefore >= 0 ? blankBefore : from > 0 ? before.lastIndexOf('\n') + 1 : 0;
  const after = text.slice(b);
  const blankAfter = after.search(/\n[ \t\r\f\v]*\n/);
  const nl = after.indexOf('\n');
  const end = b + (blankAfter >= 0 ? blankAfter : to < length && nl >= 0 ? nl : after.length);
  return { start: from + start, text: text.slice(start, end) };
}

function lastMatchEnd(text: string, re: RegExp): number {
  let last = -1;
  for (const m of text.matchAll(re)) last = (m.index ?? 0) + m[0].length;
  return last;
}

/** Token-aligned version of a selection: whole tokens it overlaps, without outer whitespace. */
export function snapToTokens(doc: vscode.TextDocument, range: Range): Range | undefined {
  const length = docLength(doc);
  const from = Math.max(0, range.start - 200);
  const to = Math.min(length, range.end + 200);
  const text = doc.getText(new vscode.Range(doc.positionAt(from), doc.positionAt(to)));
  let first: Token | undefined;
  let last: Token | undefined;
  for (const t of tokenize(text)) {
    const s = t.start + from;
    const e = t.end + from;
    if (e > range.start && s < range.end) {
      first ??= t;
      last = t;
    }
    if (s >= range.end) break;
  }
  if (!first || !last) return undefined;
  return { start: first.start + from, end: last.end + from };
}

export function toRange(doc: vscode.TextDocument, r: Range): vscode.Range {
  return new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end));
}
