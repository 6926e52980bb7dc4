// The extracted-text view: a file system of our own (scheme entity-lens-text, extracted-uri.ts)
// whose one kind of file is the text of a PDF or an image. It is a file system rather than a
// read-only content provider because VS Code turns quick fixes (the light bulb, Ctrl+.) off in
// read-only editors, and corrections are made there. The text itself must stay as extracted (its
// offsets are the page boxes'), so an edit is reverted at once and saving anything else is
// refused; saving the same text is a no-op.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTRACTED_SCHEME, originalOf, textUriFor } from './extracted-uri';
import { type Extractions } from './extractions';

export function registerTextView(extractions: Extractions): vscode.Disposable {
  const fs = new ExtractedTextFileSystem(extractions);
  let told = false;
  return vscode.Disposable.from(
    fs,
    vscode.workspace.registerFileSystemProvider(EXTRACTED_SCHEME, fs, { isCaseSensitive: true, isReadonly: false }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme !== EXTRACTED_SCHEME || e.contentChanges.length === 0 || !e.document.isDirty) return;
      // after this change has been applied everywhere: back to the text on "disk"
      setTimeout(() => void revert(e.document), 0);
      if (!told) {
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

async function revert(doc: vscode.TextDocument): Promise<void> {
  if (!doc.isDirty || doc.isClosed) return;
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  if (editor) await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
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
