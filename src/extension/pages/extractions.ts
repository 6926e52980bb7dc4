// The editor's side of intake: one extraction per PDF or image (engine: extractDocument, run in a
// worker thread by extractInWorker, so the extension host stays free while pdf.js parses a long
// PDF), shared by the pages editor and the extracted-text view, started on first use and joined
// after. Its result is cached by content hash in the extension's global storage (not in an
// untrusted workspace: nothing is written there), so a scan is recognised once. Long work shows a
// cancellable progress notification (at once for OCR, after a moment for a long PDF); Cancel
// aborts the engine's AbortSignal, and the next open starts again.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  errorMessage,
  extractInWorker,
  MAX_DOCUMENT_BYTES,
  type ExtractedDocument,
  type IntakeProgress,
} from '../../model';
import { type Ctx } from '../ctx';
import { rememberExtractedHash, rememberExtractedLayout } from './extracted-uri';

/** a PDF read from its text layer shows a notification only when it takes longer than this */
const QUIET_MS = 800;

export type ExtractionStatus = 'running' | 'done' | 'cancelled' | 'failed';

interface Entry {
  key: string;
  /** the file's mtime and size when it was read: a changed file is read again */
  version: string;
  promise: Promise<ExtractedDocument>;
  controller: AbortController;
  status: ExtractionStatus;
  doc?: ExtractedDocument;
  error?: string;
  progress?: IntakeProgress;
  /** the progress notification was shown (and its last message) */
  notified?: string;
}

export interface ExtractionEvent {
  uri: vscode.Uri;
  status: ExtractionStatus;
  progress?: IntakeProgress;
  error?: string;
}

export class Extractions implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<ExtractionEvent>();
  /** progress, completion, cancellation and failure of any extraction */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {}

  /** The file's extraction: the running or finished one, or a new one when the file changed or the last one failed. */
  async get(uri: vscode.Uri): Promise<ExtractedDocument> {
    const key = uri.toString();
    const stat = await vscode.workspace.fs.stat(uri);
    const version = `${stat.mtime}:${stat.size}`;
    const entry = this.entries.get(key);
    if (entry && entry.version === version && (entry.status === 'running' || entry.status === 'done'))
      return entry.promise;
    if (stat.size > MAX_DOCUMENT_BYTES)
      throw new Error(`${path.basename(uri.path)}: the file is larger than ${MAX_DOCUMENT_BYTES / 1e6} MB.`);
    entry?.controller.abort();
    return this.start(uri, key, version).promise;
  }

  /** The finished extraction of a file, if there is one. */
  peek(uri: vscode.Uri): ExtractedDocument | undefined {
    return this.entries.get(uri.toString())?.doc;
  }

  state(uri: vscode.Uri): Readonly<Omit<Entry, 'promise' | 'controller'>> | undefined {
    return this.entries.get(uri.toString());
  }

  /** Cancels a running extraction (what the notification's Cancel does). */
  cancel(uri: vscode.Uri): boolean {
    const entry = this.entries.get(uri.toString());
    if (!entry || entry.status !== 'running') return false;
    entry.controller.abort();
    return true;
  }

  dispose(): void {
    for (const e of this.entries.values()) e.controller.abort();
    this.entries.clear();
    this.changed.dispose();
  }

  private start(uri: vscode.Uri, key: string, version: string): Entry {
    const controller = new AbortController();
    const entry: Entry = { key, version, controller, status: 'running', promise: Promise.resolve(undefined as never) };
    const notice = new ProgressNotice(`Entity Lens: reading ${path.basename(uri.path)}`, () => controller.abort());
    const fire = (): void =>
      this.changed.fire({ uri, status: entry.status, progress: entry.progress, error: entry.error });
    entry.promise = (async () => {
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        const doc = await extractInWorker(bytes, {
          signal: controller.signal,
          name: path.basename(uri.path),
          cacheDir: this.cacheDir(),
          onProgress: (p) => {
            entry.progress = p;
            entry.notified = notice.report(p);
            fire();
          },
        });
        entry.doc = doc;
        entry.status = 'done';
        rememberExtractedHash(uri, doc.sha256);
        rememberExtractedLayout(uri, doc.text, doc.layout);
        return doc;
      } catch (e) {
        const cancelled = controller.signal.aborted || (e as Error)?.name === 'AbortError';
        entry.status = cancelled ? 'cancelled' : 'failed';
        entry.error = cancelled ? `Reading ${path.basename(uri.path)} was cancelled.` : errorMessage(e);
        if (!cancelled) this.ctx.log.warn(`reading ${uri.fsPath || key} failed: ${entry.error}`);
        throw new Error(entry.error);
      } finally {
        notice.close();
        if (this.entries.get(key) === entry) fire();
      }
    })();
    entry.promise.catch(() => undefined);
    this.entries.set(key, entry);
    fire();
    return entry;
  }

  /** The global storage folder; none in an untrusted workspace (nothing is written then). */
  private cacheDir(): string | undefined {
    const dir = this.ctx.context.globalStorageUri;
    return vscode.workspace.isTrusted && dir.scheme === 'file' ? dir.fsPath : undefined;
  }
}

/** How far a whole extraction is, 0-1, from the page being read and the share of it done. */
export function overallFraction(p: IntakeProgress): number {
  return p.pages > 0 ? Math.min(1, (p.page - 1 + p.fraction) / p.pages) : 0;
}

export function progressMessage(p: IntakeProgress): string {
  const page = p.pages > 1 ? `page ${p.page} of ${p.pages}` : '';
  if (p.stage === 'ocr') return `OCR${page ? `, ${page}` : ''} (${Math.round(p.fraction * 100)} %)`;
  return page || 'reading the text layer';
}

/**
 * A cancellable progress notification opened only when it is worth it: at once for OCR, after
 * QUIET_MS for anything else. `report` returns the message shown, or undefined while hidden.
 */
class ProgressNotice {
  private opened = false;
  private closed = false;
  private reporter?: vscode.Progress<{ message?: string; increment?: number }>;
  private shown = 0;
  private last?: IntakeProgress;
  private timer?: NodeJS.Timeout;
  private finish!: () => void;
  private readonly finished = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(
    private readonly title: string,
    private readonly cancel: () => void,
  ) {
    this.timer = setTimeout(() => this.open(), QUIET_MS);
  }

  report(p: IntakeProgress): string | undefined {
    this.last = p;
    if (p.stage === 'ocr') this.open();
    return this.update();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.finish();
  }

  private open(): void {
    if (this.opened || this.closed) return;
    this.opened = true;
    if (this.timer) clearTimeout(this.timer);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: this.title, cancellable: true },
      (progress, token) => {
        this.reporter = progress;
        token.onCancellationRequested(() => this.cancel());
        this.update();
        return this.finished;
      },
    );
  }

  private update(): string | undefined {
    if (!this.reporter || !this.last) return undefined;
    const total = Math.round(overallFraction(this.last) * 100);
    const message = progressMessage(this.last);
    this.reporter.report({ message, increment: Math.max(0, total - this.shown) });
    this.shown = Math.max(this.shown, total);
    return message;
  }
}
