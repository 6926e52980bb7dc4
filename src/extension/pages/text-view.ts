// The extracted-text view: a file system of our own (scheme entity-lens-text, extracted-uri.ts)
// whose one kind of file is the text of a PDF or an image. It is a file system rather than a
// read-only content provider because VS Code turns quick fixes (the light bulb, Ctrl+.) off in
// read-only editors, and corrections are made there. The text itself must stay as extracted (its
// offsets are the page boxes'), so an edit is undone at once (the extracted text put back and
// saved, a no-op write) and saving anything else is refused.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTRACTED_SCHEME, originalOf, textUriFor } from './extracted-uri';
import { type Extractions } from './extractions';

export function registerTextView(extractions: Extractions): vscode.Disposable {
  const fs = new ExtractedTextFileSystem(extractions);
  const restoring = new Set<string>();
  let told = false;
  return vscode.Disposable.from(
    fs,
    vscode.workspace.registerFileSystemProvider(EXTRACTED_SCHEME, fs, { isCaseSensitive: true, isReadonly: false }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const doc = e.document;
      // (the change event comes before the document is marked dirty: whether it differs is checked later)
      if (doc.uri.scheme !== EXTRACTED_SCHEME || e.contentChanges.length === 0) return;
      const key = doc.uri.toString();
      if (restoring.has(key)) return;
      restoring.add(key);
      // after this change has reached every listener: the extracted text again, saved (a no-op write)
      setTimeout(() => void restore(doc, extractions).finally(() => restoring.delete(key)), 0);
      if (!told && extractions.peek(originalOf(doc.uri) ?? doc.uri)?.text !== doc.getText()) {
        told = true;
        void vscode.window.showInformationMessage(
          'Entity Lens: the extracted text of a PDF or image cannot be edited (its offsets are the page boxes). ' +
            'Correct entities with the light bulb (Ctrl+.), the hover or Tag Selection As….',
        );
      }
    }),
    extractions.onDidChange((e) => {
      if (e.status === 'done') fs.changed(textUriFor(e.uri));
    }),
  );
}

/** Puts the extracted text back into an edited text view and saves it, so it is not dirty. */
async function restore(doc: vscode.TextDocument, extractions: Extractions): Promise<void> {
  const original = originalOf(doc.uri);
  const text = original && extractions.peek(original)?.text;
  if (text === undefined || doc.isClosed) return;
  if (doc.getText() !== text) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    await vscode.workspace.applyEdit(edit);
  }
  if (doc.isDirty) await doc.save();
}

class ExtractedTextFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  /** the last text served per view, to fire a change only when it differs */
  private readonly served = new Map<string, string>();

  constructor(private readonly extractions: Extractions) {}

  dispose(): void {
    this.emitter.dispose();
  }

  /** A new extraction finished: views showing an older text reload. */
  changed(uri: vscode.Uri): void {
    const text = this.extractions.peek(originalOf(uri) ?? uri)?.text;
    const before = this.served.get(uri.toString());
    if (before !== undefined && text !== undefined && before !== text)
      this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  private async text(uri: vscode.Uri): Promise<string> {
    const original = originalOf(uri);
    if (!original) throw vscode.FileSystemError.FileNotFound(uri);
    try {
      const doc = await this.extractions.get(original);
      this.served.set(uri.toString(), doc.text);
      return doc.text;
    } catch (e) {
      if (e instanceof vscode.FileSystemError) throw e;
      throw vscode.FileSystemError.Unavailable((e as Error).message || String(e));
    }
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const original = originalOf(uri);
    if (!original) throw vscode.FileSystemError.FileNotFound(uri);
    const source = await vscode.workspace.fs.stat(original);
    const text = await this.text(uri);
    return { type: vscode.FileType.File, ctime: source.ctime, mtime: source.mtime, size: Buffer.byteLength(text) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return Buffer.from(await this.text(uri), 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    if (Buffer.from(content).toString('utf8') === (await this.text(uri))) return;
    throw vscode.FileSystemError.NoPermissions(
      `${path.basename(uri.path)} is the text extracted from ${path.basename(originalOf(uri)?.path ?? '')} and cannot be changed.`,
    );
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
