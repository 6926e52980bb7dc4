// The pages editor: a read-only custom editor for PDFs and images. Its webview (webview/pages)
// draws the pages from the file's bytes and the entities of the extracted-text view as boxes;
// the text view (text-view.ts) opens beside it, and every surface of a text document works there.
// The two follow each other: a click on a box selects the entity in the text, the cursor on an
// entity in the text scrolls the page to its box and highlights it. One PagesSession per open
// editor; the extraction itself is shared (extractions.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { boxAt, sniffKind, errorMessage, type ExtractedDocument } from '../../model';
import { checkPagesWebviewMessage, type PagesHostMessage, type PagesWebviewMessage } from '../../shared/page-messages';
import { toRange } from '../document-text';
import { readSettings } from '../settings';
import { type Ctx } from '../ctx';
import { textUriFor } from './extracted-uri';
import { overallFraction, progressMessage, type Extractions } from './extractions';
import { pagesHtml } from './html';
import { entityData, highlightBoxes, layoutData } from './page-data';

/** the pages editor of PDFs and TIFFs (VS Code shows neither): their default editor */
export const PAGES_VIEW_TYPE = 'entityLens.pages';
/** the same editor for PNG and JPEG, offered beside VS Code's image preview (Open as Pages, Reopen Editor With…) */
export const IMAGE_PAGES_VIEW_TYPE = 'entityLens.imagePages';

/** at most one entities message per this many ms while tagging runs */
const ENTITIES_INTERVAL_MS = 200;

class PagesDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {
    // nothing held: the extraction is shared and cached
  }
}

/** What the test hook reports of one open pages editor. */
export interface PagesTrace {
  uri: string;
  textUri: string;
  received: string[];
  sent: string[];
  rendered: number[];
  entities: number;
  lastHighlight?: { start: number; end: number; boxes: number };
  stopped?: string;
  /** the status line of the layout sent */
  status?: string;
}

export class PagesEditorProvider implements vscode.CustomReadonlyEditorProvider<PagesDocument> {
  readonly sessions = new Set<PagesSession>();

  constructor(
    private readonly ctx: Ctx,
    private readonly extractions: Extractions,
    private readonly testing: boolean,
  ) {}

  openCustomDocument(uri: vscode.Uri): PagesDocument {
    return new PagesDocument(uri);
  }

  resolveCustomEditor(document: PagesDocument, panel: vscode.WebviewPanel): void {
    const session = new PagesSession(this.ctx, this.extractions, document.uri, panel, this.testing);
    this.sessions.add(session);
    panel.onDidDispose(() => {
      session.dispose();
      this.sessions.delete(session);
    });
  }
}

export class PagesSession {
  readonly textUri: vscode.Uri;
  readonly trace: PagesTrace;
  private doc?: ExtractedDocument;
  private readonly disposables: vscode.Disposable[] = [];
  private entitiesTimer?: NodeJS.Timeout;
  private lastEntitiesSent = 0;
  private disposed = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly extractions: Extractions,
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly testing: boolean,
  ) {
    this.textUri = textUriFor(uri);
    this.trace = {
      uri: uri.toString(),
      textUri: this.textUri.toString(),
      received: [],
      sent: [],
      rendered: [],
      entities: 0,
    };
    const root = vscode.Uri.joinPath(ctx.context.extensionUri, 'out', 'webview');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [root] };
    webview.html = pagesHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'pages.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'pages.css')).toString(),
      title: path.basename(uri.path),
    });
    const textKey = this.textUri.toString();
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => void this.receive(raw)),
      extractions.onDidChange((e) => {
        if (e.uri.toString() !== this.trace.uri || e.status !== 'running' || !e.progress) return;
        const p = e.progress;
        this.post({
          type: 'progress',
          message: progressMessage(p),
          fraction: overallFraction(p),
          ocr: p.stage === 'ocr',
        });
      }),
      ctx.entitiesChanged.event((ds) => {
        if (ds.key === textKey) this.scheduleEntities();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() === textKey) this.followCursor(e.textEditor);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration('entityLens.labelColors') ||
          e.affectsConfiguration('entityLens.lowConfidenceThreshold')
        )
          this.sendEntities();
      }),
    );
  }

  dispose(): void {
    this.disposed = true;
    if (this.entitiesTimer) clearTimeout(this.entitiesTimer);
    for (const d of this.disposables) d.dispose();
  }

  private post(message: PagesHostMessage): void {
    if (this.disposed) return;
    if (this.testing) this.trace.sent.push(message.type);
    void this.panel.webview.postMessage(message);
  }

  /** A message from the page view: checked, then handled (a test may deliver one the same way). */
  async receive(raw: unknown): Promise<boolean> {
    const checked = checkPagesWebviewMessage(raw);
    if (!checked.ok) {
      this.ctx.log.warn(`pages editor: ${checked.error}`);
      return false;
    }
    const m = checked.message;
    if (this.testing) this.trace.received.push(m.type);
    try {
      await this.handle(m);
    } catch (e) {
      this.ctx.log.warn(`pages editor: ${m.type}: ${errorMessage(e)}`);
      return false;
    }
    return true;
  }

  private async handle(m: PagesWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.sendFile();
        return this.start();
      case 'retry':
        return this.start();
      case 'select':
        await this.reveal(m.start, m.end);
        return;
      case 'pageClick':
        return this.pageClick(m.page, m.x, m.y);
      case 'rendered':
        if (!this.trace.rendered.includes(m.page)) this.trace.rendered.push(m.page);
        return;
      case 'log':
        if (m.level === 'error') this.ctx.log.error(`page view: ${m.message}`);
        else if (m.level === 'warning') this.ctx.log.warn(`page view: ${m.message}`);
        else this.ctx.log.info(`page view: ${m.message}`);
        return;
    }
  }

  private async sendFile(): Promise<void> {
    const bytes = await vscode.workspace.fs.readFile(this.uri);
    const kind = sniffKind(bytes);
    if (!kind) {
      this.stopped('failed', `${path.basename(this.uri.path)}: not a PDF, PNG, JPEG or TIFF file.`);
      return;
    }
    this.post({
      type: 'file',
      kind,
      name: path.basename(this.uri.path),
      base64: Buffer.from(bytes).toString('base64'),
    });
  }

  /** Reads the document (or joins the running read), then shows the layout, the text view and the entities. */
  private async start(): Promise<void> {
    let doc: ExtractedDocument;
    try {
      doc = await this.extractions.get(this.uri);
    } catch (e) {
      const state = this.extractions.state(this.uri);
      this.stopped(state?.status === 'cancelled' ? 'cancelled' : 'failed', errorMessage(e));
      return;
    }
    if (this.disposed) return;
    this.doc = doc;
    const layout = layoutData(doc);
    this.trace.status = layout.status;
    this.post({ type: 'layout', data: layout });
    await this.openTextView();
    this.sendEntities();
  }

  private stopped(status: 'cancelled' | 'failed', message: string): void {
    this.trace.stopped = status;
    this.post({ type: 'stopped', status, message });
  }

  /** Opens the text view beside the pages, unless it is shown already. */
  private async openTextView(): Promise<vscode.TextEditor> {
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.trace.textUri);
    if (shown) return shown;
    const doc = await vscode.workspace.openTextDocument(this.textUri);
    return vscode.window.showTextDocument(doc, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: false,
    });
  }

  private scheduleEntities(): void {
    if (this.entitiesTimer) return;
    const wait = Math.max(0, ENTITIES_INTERVAL_MS - (Date.now() - this.lastEntitiesSent));
    this.entitiesTimer = setTimeout(() => {
      this.entitiesTimer = undefined;
      this.sendEntities();
    }, wait);
  }

  private sendEntities(): void {
    const doc = this.doc;
    const ds = this.ctx.document(this.trace.textUri);
    if (!doc || this.disposed) return;
    this.lastEntitiesSent = Date.now();
    const settings = readSettings(this.uri);
    const entities = entityData(doc, ds ? ds.entities() : [], settings.lowConfidenceThreshold, settings.labelColors);
    this.trace.entities = entities.length;
    this.post({ type: 'entities', entities });
  }

  /** The cursor or selection in the text view: the entity there (or the word) is highlighted on its page. */
  private followCursor(editor: vscode.TextEditor): void {
    const doc = this.doc;
    if (!doc) return;
    const sel = editor.selection;
    const start = editor.document.offsetAt(sel.start);
    const end = editor.document.offsetAt(sel.end);
    const ds = this.ctx.document(this.trace.textUri);
    const entity = ds?.entityAt({ start, end });
    const range = entity ? { start: entity.start, end: entity.end } : { start, end };
    const boxes = highlightBoxes(doc, range.start, range.end);
    this.trace.lastHighlight = { ...range, boxes: boxes.length };
    this.post({ type: 'highlight', start: range.start, end: range.end, boxes });
  }

  /** A click on a page: the entity under it (else the word) is selected in the text view. */
  private async pageClick(page: number, x: number, y: number): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const word = boxAt(doc.layout, page, x, y, 4);
    if (!word) return;
    const entity = this.ctx.document(this.trace.textUri)?.entityAt({ start: word.start, end: word.end });
    await this.reveal(entity?.start ?? word.start, entity?.end ?? word.end);
  }

  /** Selects a range of the text view (opening it if needed) and scrolls to it. */
  async reveal(start: number, end: number): Promise<vscode.TextEditor> {
    const shown = await this.openTextView();
    const length = shown.document.getText().length;
    const range = toRange(shown.document, { start: Math.min(start, length), end: Math.min(end, length) });
    const editor = await vscode.window.showTextDocument(shown.document, {
      viewColumn: shown.viewColumn,
      selection: range,
      preview: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
  }
}
