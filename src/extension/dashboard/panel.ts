// The dashboard panel: one WebviewPanel (retainContextWhenHidden off: the webview keeps its UI
// state with setState and asks for fresh data with "ready" whenever it is created again), the
// data it is sent, and what its messages do. Every message from the webview is checked by
// checkWebviewMessage (src/shared/messages.ts); a malformed one is logged and ignored.
import * as vscode from 'vscode';
import {
  checkWebviewMessage,
  type HostMessage,
  type ReviewQueueDto,
  type ViewId,
  type WebviewMessage,
} from '../../shared/messages';
import { requireLabel } from '../labels';
import { SECTION } from '../settings';
import { type Ctx } from '../ctx';
import { type FieldsService } from '../fields';
import { folderFor, folderPath } from '../workspace-files';
import { entitiesData, entityAction, reveal } from './entities';
import { correctField, fieldsData, revealFieldValue } from './fields';
import { dashboardHtml, makeNonce } from './html';
import { addLabel, describeLabel, labelsData, recolorLabel, renameLabel } from './label-editing';
import { activateVersion, modelsData } from './models';
import { createProgressTracker, trackProgress, type ProgressTracker } from './progress';
import { commitReview, undoReview, type UndoEntry } from './review-actions';
import { buildReviewQueue } from './review-queue';
import { trainingSetData } from './training-set';
import { CommandId } from '../command-ids';
import { documentUriOf } from '../pages/extracted-uri';
import { errorMessage } from '../../model';

export const VIEW_TYPE = 'entityLens.dashboard';

/** Kept across panels: the last text editor (the panel itself takes focus) and a message trace. */
export interface DashboardHost {
  ctx: Ctx;
  fields: FieldsService;
  current?: Dashboard;
  lastEditorUri?: string;
  /** the last messages each way, kept outside production mode for the test hook */
  trace?: { received: WebviewMessage[]; sent: HostMessage[] };
}

export interface Dashboard {
  panel: vscode.WebviewPanel;
  view: ViewId;
  progress: ProgressTracker;
  wasTraining: boolean;
  /** the last progress sent (JSON) */
  lastProgress?: string;
  queue?: ReviewQueueDto;
  building?: Promise<void>;
  /** passages decided in this session (left out when the queue is sent again) */
  decided: Set<string>;
  undo: Map<string, UndoEntry>;
  pings: Map<number, (m: Extract<WebviewMessage, { type: 'pong' }>) => void>;
  timers: Map<string, NodeJS.Timeout>;
  disposables: vscode.Disposable[];
}

const TRACE = 50;

export function createDashboardHost(ctx: Ctx, fields: FieldsService, traced: boolean): DashboardHost {
  return { ctx, fields, trace: traced ? { received: [], sent: [] } : undefined };
}

function folderOf(host: DashboardHost): { folder: vscode.WorkspaceFolder | undefined; fp: string | undefined } {
  const folder = folderFor(host.lastEditorUri ? vscode.Uri.parse(host.lastEditorUri) : undefined);
  return { folder, fp: folderPath(folder) };
}

export function openDashboard(host: DashboardHost): Dashboard {
  if (host.current) {
    host.current.panel.reveal();
    return host.current;
  }
  const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
  const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Entity Lens', column, webviewOptions(host));
  return attach(host, panel);
}

export function webviewOptions(host: DashboardHost): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [
      vscode.Uri.joinPath(host.ctx.context.extensionUri, 'out', 'webview'),
      vscode.Uri.joinPath(host.ctx.context.extensionUri, 'media'),
    ],
  };
}

/** Fills a panel (new, or restored by VS Code after a reload) and wires it. */
export function attach(host: DashboardHost, panel: vscode.WebviewPanel): Dashboard {
  const { ctx } = host;
  const webview = panel.webview;
  webview.options = webviewOptions(host);
  const root = vscode.Uri.joinPath(ctx.context.extensionUri, 'out', 'webview');
  webview.html = dashboardHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(ctx.context.extensionUri, 'media', 'dashboard.css')).toString(),
  });
  const dash: Dashboard = {
    panel,
    view: 'training',
    progress: createProgressTracker(),
    wasTraining: !!ctx.training.running,
    decided: new Set(),
    undo: new Map(),
    pings: new Map(),
    timers: new Map(),
    disposables: [],
  };
  host.current = dash;
  const later = (key: string, ms: number, fn: () => unknown): void => {
    if (dash.timers.has(key)) return;
    dash.timers.set(
      key,
      setTimeout(() => {
        dash.timers.delete(key);
        void Promise.resolve(fn()).catch((e) => ctx.log.warn(`dashboard: ${errorMessage(e)}`));
      }, ms),
    );
  };
  dash.disposables.push(
    webview.onDidReceiveMessage((raw: unknown) => void receive(host, dash, raw)),
    panel.onDidDispose(() => {
      for (const t of dash.timers.values()) clearTimeout(t);
      for (const d of dash.disposables) d.dispose();
      if (host.current === dash) host.current = undefined;
    }),
    ctx.entitiesChanged.event((ds) => {
      if (ds.key === host.lastEditorUri && dash.view === 'entities')
        later('entities', 300, () => sendEntities(host, dash));
    }),
    host.fields.changed.event((key) => {
      if (key === host.lastEditorUri && dash.view === 'fields') later('fields', 200, () => sendFields(host, dash));
    }),
    ctx.statusChanged.event(() => later('progress', 250, () => sendProgress(host, dash))),
    ctx.modelChanged.event(() =>
      later('modelChanged', 300, () => Promise.all([sendModels(host, dash), sendLabels(host, dash)])),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.labelColors`)) later('labels', 200, () => sendLabels(host, dash));
      if (e.affectsConfiguration(`${SECTION}.modelPath`)) later('models', 300, () => sendModels(host, dash));
    }),
  );
  const { folder } = folderOf(host);
  if (folder && folder.uri.scheme === 'file') {
    const watch = (glob: string, fn: () => void): void => {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
      dash.disposables.push(w, w.onDidChange(fn), w.onDidCreate(fn), w.onDidDelete(fn));
    };
    watch('.entity-lens/{annotations.jsonl,labels.json,label-descriptions.json}', () =>
      later('store', 400, () => Promise.all([sendTrainingSet(host, dash), sendLabels(host, dash)])),
    );
    watch('.entity-lens/models/*/{model.json,report.json}', () => later('models', 400, () => sendModels(host, dash)));
    watch('.entity-lens/models/current.json', () => later('models', 300, () => sendModels(host, dash)));
  }
  return dash;
}

/** Documents the dashboard may open: files inside a workspace folder, or documents being tagged. */
function inWorkspace(ctx: Ctx, uri: string): boolean {
  if (!!ctx.document(uri)) return true;
  try {
    const u = vscode.Uri.parse(uri, true);
    return (
      ['file', 'vscode-remote', 'vscode-vfs'].includes(u.scheme) && vscode.workspace.getWorkspaceFolder(u) !== undefined
    );
  } catch {
    return false;
  }
}

/** A message from the webview: checked, then handled; failures are logged and shown in the panel. */
export async function receive(host: DashboardHost, dash: Dashboard, raw: unknown): Promise<boolean> {
  const checked = checkWebviewMessage(raw);
  if (!checked.ok) {
    host.ctx.log.warn(`dashboard: ignored a malformed message from the webview: ${checked.error}`);
    return false;
  }
  if (host.trace) remember(host.trace.received, checked.message);
  try {
    await handle(host, dash, checked.message);
  } catch (e) {
    const text = errorMessage(e);
    host.ctx.log.warn(`dashboard: ${checked.message.type}: ${text}`);
    post(host, dash, { type: 'notice', level: 'error', text });
  }
  return true;
}

function remember<T>(list: T[], m: T): void {
  list.push(m);
  if (list.length > TRACE) list.splice(0, list.length - TRACE);
}

export function post(host: DashboardHost, dash: Dashboard, message: HostMessage): void {
  if (host.current !== dash) return;
  if (host.trace) remember(host.trace.sent, message);
  void dash.panel.webview.postMessage(message).then(undefined, () => undefined);
}

async function sendTrainingSet(host: DashboardHost, dash: Dashboard): Promise<void> {
  post(host, dash, { type: 'trainingSet', data: await trainingSetData(host.ctx, folderOf(host).fp) });
}

async function sendModels(host: DashboardHost, dash: Dashboard): Promise<void> {
  const { folder, fp } = folderOf(host);
  post(host, dash, {
    type: 'models',
    data: await modelsData(host.ctx, folder, fp, () => void sendModels(host, dash)),
  });
}

async function sendLabels(host: DashboardHost, dash: Dashboard): Promise<void> {
  const { folder, fp } = folderOf(host);
  post(host, dash, { type: 'labels', data: await labelsData(host.ctx, folder, fp) });
}

function sendEntities(host: DashboardHost, dash: Dashboard): void {
  post(host, dash, { type: 'entities', data: entitiesData(host.ctx, host.lastEditorUri) });
}

function sendFields(host: DashboardHost, dash: Dashboard): void {
  post(host, dash, { type: 'fields', data: fieldsData(host.fields, host.lastEditorUri) });
}

async function sendProgress(host: DashboardHost, dash: Dashboard, force = false): Promise<void> {
  const data = trackProgress(dash.progress, host.ctx);
  // statusChanged also fires for tagging: send only what changed
  const text = JSON.stringify(data);
  if (force || text !== dash.lastProgress) post(host, dash, { type: 'progress', data });
  dash.lastProgress = text;
  if (dash.wasTraining && !data.running) {
    // a run ended: a new version may be there, and the held-out scores with it
    await Promise.all([sendModels(host, dash), sendLabels(host, dash)]);
  }
  dash.wasTraining = data.running;
}

function sendQueue(host: DashboardHost, dash: Dashboard): void {
  if (!dash.queue) return;
  const passages = dash.queue.passages.filter((p) => !dash.decided.has(p.key));
  post(host, dash, { type: 'reviewQueue', data: { ...dash.queue, passages } });
}

function rebuildQueue(host: DashboardHost, dash: Dashboard): Promise<void> {
  if (dash.building) return dash.building;
  post(host, dash, {
    type: 'reviewQueue',
    data: { status: 'scanning', message: 'Tagging the workspace documents…', passages: [], documents: 0 },
  });
  dash.building = (async () => {
    try {
      dash.queue = await buildReviewQueue(host.ctx, folderOf(host).folder);
      dash.decided.clear();
      sendQueue(host, dash);
    } finally {
      dash.building = undefined;
    }
  })();
  return dash.building;
}

async function sendView(host: DashboardHost, dash: Dashboard, view: ViewId): Promise<void> {
  switch (view) {
    case 'training':
      return sendTrainingSet(host, dash);
    case 'models':
      await sendModels(host, dash);
      return sendProgress(host, dash, true);
    case 'labels':
      return sendLabels(host, dash);
    case 'entities':
      return sendEntities(host, dash);
    case 'fields':
      return sendFields(host, dash);
    case 'review':
      return rebuildQueue(host, dash);
  }
}

function notice(
  host: DashboardHost,
  dash: Dashboard,
  text: string,
  level: 'info' | 'warning' | 'error' = 'info',
): void {
  post(host, dash, { type: 'notice', level, text });
}

async function handle(host: DashboardHost, dash: Dashboard, m: WebviewMessage): Promise<void> {
  const { ctx } = host;
  const { folder, fp } = folderOf(host);
  switch (m.type) {
    case 'ready':
      await Promise.all([sendTrainingSet(host, dash), sendModels(host, dash), sendLabels(host, dash)]);
      await sendProgress(host, dash, true);
      sendEntities(host, dash);
      sendFields(host, dash);
      if (dash.queue) sendQueue(host, dash);
      return;
    case 'viewChanged':
      dash.view = m.view;
      if (m.view === 'entities') sendEntities(host, dash);
      if (m.view === 'fields') sendFields(host, dash);
      if (m.view === 'review' && !dash.queue) await rebuildQueue(host, dash);
      return;
    case 'refresh':
      return sendView(host, dash, m.view);
    case 'requestLabels':
      return sendLabels(host, dash);
    case 'openPassage': {
      if (!fp) return;
      const r = (await ctx.readAnnotations(fp)).records.find((x) => x.id === m.id);
      if (!r?.uri) throw new Error('that passage has no document (imported records are not linked to a file)');
      if (!inWorkspace(ctx, r.uri)) throw new Error(`${r.uri} is not a document of this workspace`);
      const target = documentUriOf(r.uri); // a PDF or image: its text view
      const doc = await vscode.workspace.openTextDocument(target);
      const text = doc.getText();
      let at = r.start !== undefined && text.startsWith(r.text, r.start) ? r.start : text.indexOf(r.text);
      if (at < 0) {
        at = Math.min(r.start ?? 0, text.length);
        notice(host, dash, 'The passage text is no longer in the document; showing where it was.', 'warning');
      }
      await reveal(target.toString(), at, at + (text.startsWith(r.text, at) ? r.text.length : 0));
      return;
    }
    case 'revealEntity':
      if (!!!ctx.document(m.uri)) throw new Error('that document is no longer open');
      await reveal(m.uri, m.start, m.end);
      return;
    case 'entityAction':
      if (!!!ctx.document(m.uri)) throw new Error('that document is no longer open');
      if (m.action === 'relabel') requireLabel(m.newLabel);
      await entityAction(m.action, { uri: m.uri, start: m.start, end: m.end, label: m.label }, m.newLabel);
      sendEntities(host, dash);
      return;
    case 'revealFieldValue':
      return revealFieldValue(host.fields, m.uri, m.start, m.end);
    case 'correctField':
      // the fields are sent again when the correction is saved (FieldsService.changed)
      return correctField(host.fields, m.uri, m.field);
    case 'train':
      if (!fp) throw new Error('open a folder first: training reads its .entity-lens/annotations.jsonl');
      void vscode.commands.executeCommand(CommandId.trainModel, { folder: fp });
      setTimeout(() => void sendProgress(host, dash), 100); // progress follows through statusChanged
      return;
    case 'cancelTraining':
      await vscode.commands.executeCommand(CommandId.cancelTraining);
      return;
    case 'activateVersion':
      notice(host, dash, await activateVersion(ctx, fp, m.id));
      await sendModels(host, dash);
      return;
    case 'addLabel':
      notice(host, dash, await addLabel(ctx, folder, fp, m.name, m.description));
      return sendLabels(host, dash);
    case 'renameLabel':
      notice(host, dash, await renameLabel(ctx, folder, fp, m.from, m.to));
      await Promise.all([sendLabels(host, dash), sendTrainingSet(host, dash)]);
      return;
    case 'recolorLabel':
      await recolorLabel(folder, m.name, m.color);
      return sendLabels(host, dash);
    case 'describeLabel':
      await describeLabel(fp, m.name, m.description);
      return sendLabels(host, dash);
    case 'reviewCommit': {
      let result: Awaited<ReturnType<typeof commitReview>>;
      try {
        if (!inWorkspace(ctx, m.uri)) throw new Error(`${m.uri} is not a document of this workspace`);
        result = await commitReview(ctx, m);
      } catch (e) {
        post(host, dash, { type: 'reviewResult', key: m.key, ok: false, message: errorMessage(e) });
        return;
      }
      if (result.entry) dash.undo.set(m.key, result.entry);
      dash.decided.add(m.key);
      const message =
        result.saved > 0
          ? `saved ${result.saved} record(s)`
          : 'shown in the editor but not saved (untrusted workspace or no folder)';
      post(host, dash, { type: 'reviewResult', key: m.key, ok: result.saved > 0, message });
      return;
    }
    case 'reviewUndo': {
      const entry = dash.undo.get(m.key);
      if (!entry) throw new Error('nothing to undo for that passage in this session');
      await undoReview(ctx, entry);
      dash.undo.delete(m.key);
      dash.decided.delete(m.key);
      sendQueue(host, dash); // the passage is queued again
      return;
    }
    case 'pong':
      dash.pings.get(m.id)?.(m);
      dash.pings.delete(m.id);
      return;
    case 'log': {
      const text = `dashboard webview: ${m.message}`;
      if (m.level === 'error') ctx.log.error(text);
      else if (m.level === 'warning') ctx.log.warn(text);
      else ctx.log.info(text);
      return;
    }
  }
}

let pingId = 0;

/** Asks the webview what it shows, and the text of one view (the test hook uses it to see a full round trip). */
export function ping(
  host: DashboardHost,
  dash: Dashboard,
  read: ViewId | null = null,
  timeoutMs = 10_000,
): Promise<Extract<WebviewMessage, { type: 'pong' }> | undefined> {
  const id = ++pingId;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      dash.pings.delete(id);
      resolve(undefined);
    }, timeoutMs);
    dash.pings.set(id, (m) => {
      clearTimeout(timer);
      resolve(m);
    });
    post(host, dash, { type: 'ping', id, read });
  });
}

export function trackEditor(host: DashboardHost, editor: vscode.TextEditor | undefined): void {
  if (!editor || !['file', 'untitled', 'vscode-remote', 'vscode-vfs'].includes(editor.document.uri.scheme)) return;
  const uri = editor.document.uri.toString();
  if (uri === host.lastEditorUri) return;
  host.lastEditorUri = uri;
  const dash = host.current;
  if (dash && dash.view === 'entities') sendEntities(host, dash);
  if (dash && dash.view === 'fields') sendFields(host, dash);
}
