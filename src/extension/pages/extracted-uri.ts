// The extracted-text view's address and the way back: a PDF or an image at `file:///w/nda.pdf`
// has its text at `entity-lens-text:/w/nda.pdf.txt?<the file's uri>` (the path gives the tab
// its name and the `.txt` its language; the query keeps the original uri whole, any scheme).
// Annotations are stored against the original file (storedUri) and the hash of the bytes its
// text was read from (extractedHash), and a stored uri of a PDF or image opens as its text view
// (documentUriOf), so reviewed passages come back on reopening.
import * as vscode from 'vscode';
import { isIntakePath, type TextLayout } from '../../model';

export const EXTRACTED_SCHEME = 'entity-lens-text';

/** The text view of a PDF or image. */
export function textUriFor(original: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: EXTRACTED_SCHEME, path: `${original.path}.txt`, query: original.toString() });
}

/** The PDF or image a text view shows, or undefined for any other uri. */
export function originalOf(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme !== EXTRACTED_SCHEME || !uri.query) return undefined;
  try {
    const original = vscode.Uri.parse(uri.query, true);
    return original.scheme !== EXTRACTED_SCHEME && isIntakePath(original.path) ? original : undefined;
  } catch {
    return undefined;
  }
}

/** The uri annotations of a document are stored under: the original file for a text view. */
export function storedUri(uri: vscode.Uri): vscode.Uri {
  return originalOf(uri) ?? uri;
}

/** The document to open for a stored uri: the text view when it names a PDF or an image. */
export function documentUriOf(stored: string): vscode.Uri {
  const uri = vscode.Uri.parse(stored);
  return uri.scheme !== EXTRACTED_SCHEME && isIntakePath(uri.path) ? textUriFor(uri) : uri;
}

/** SHA-256 of the file each text view's current text was extracted from (extractions.ts sets it). */
const hashes = new Map<string, string>();

export function rememberExtractedHash(original: vscode.Uri, sha256: string): void {
  hashes.set(textUriFor(original).toString(), sha256);
}

/** The content hash of the PDF or image behind a text view, once its text has been read. */
export function extractedHash(uri: vscode.Uri): string | undefined {
  return hashes.get(uri.toString());
}

/** The page layout each text view's current text was extracted with (extractions.ts sets it). */
const layouts = new Map<string, { text: string; layout: TextLayout }>();

export function rememberExtractedLayout(original: vscode.Uri, text: string, layout: TextLayout): void {
  layouts.set(textUriFor(original).toString(), { text, layout });
}

/**
 * The page layout behind a text view (its values' page numbers), while `text` is the text it was
 * extracted as; undefined for any other document.
 */
export function extractedLayout(uri: vscode.Uri, text: string): TextLayout | undefined {
  const known = layouts.get(uri.toString());
  return known && known.text === text ? known.layout : undefined;
}
