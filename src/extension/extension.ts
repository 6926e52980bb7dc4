// Entry point: creates the state and the editor surfaces and wires events to them. Nothing
// heavy happens here: the model loads when a document first needs tagging.
import * as vscode from 'vscode';
import { createCodeActionProvider, codeActionMetadata } from './code-actions';
import { registerAcceptAllInDocument, registerAcceptAllInSelection } from './commands/accept-all';
import { registerAcceptEntity } from './commands/accept-entity';
import { registerAddLabel } from './commands/add-label';
import { registerCancelTraining } from './commands/cancel-training';
import { registerChangeLabel } from './commands/change-label';
import { registerExportAnnotations } from './commands/export-annotations';
import { registerImportAnnotations } from './commands/import-annotations';
import { registerNextUncertain, registerPreviousUncertain } from './commands/navigate-uncertain';
import { registerRemoveEntity } from './commands/remove-entity';
import { registerResetModel } from './commands/reset-model';
import { registerResizeEntity } from './commands/resize-entity';
import { registerRetagDocument } from './commands/retag-document';
import { registerRollBackModel } from './commands/roll-back-model';
import { registerShowLog } from './commands/show-log';
import { registerShowModelReport } from './commands/show-model-report';
import { registerTagSelectionAs } from './commands/tag-selection-as';
import { registerTrainModel } from './commands/train-model';
import { restoreReviewed } from './corrections';
import { registerDashboard } from './dashboard/register';
import { now as timingNow, recordRender, registerTimingsCommand } from './bench-timings';
import {
  createDecorationState,
  renderAllEditors,
  renderDecorations,
  resetDecorationTypes,
  type DecorationState,
} from './decorations';
import { createDiagnostics, renderDiagnostics } from './diagnostics';
import { applyEdit, retagAll, schedule, trackDocument, untrackDocument, whenIdle } from './document-tagger';
import { findOpenDocument } from './document-text';
import { createHoverProvider } from './hover';
import { createLog } from './log';
import { invalidateModels, modelFor } from './model-manager';
import { createReportProvider, REPORT_SCHEME, type ReportState } from './report';
import { isEnabledFor, readSettings, SECTION } from './settings';
import { Ctx } from './ctx';
import type { DisplayEntity } from './tracked-document';
import { createStatusBar, updateStatusBar, type StatusBar } from './status-bar';
import { createSymbolProvider } from './symbols';
import { folderFor } from './workspace-files';
import { ContextKey } from './command-ids';
import { EXTRACTED_SCHEME } from './pages/extracted-uri';
import { registerPages } from './pages/register';

/** What activate() returns: enough for integration tests to wait for tagging. */
export interface EntityLensApi {
  whenIdle(uri: vscode.Uri | string, timeoutMs?: number): Promise<boolean>;
  entities(uri: vscode.Uri | string): DisplayEntity[];
  model(uri?: vscode.Uri): Promise<{ name: string; version: string; labels: string[]; dir: string } | undefined>;
}

interface Surfaces {
  deco: DecorationState;
  diagnostics: vscode.DiagnosticCollection;
  bar: StatusBar;
  /** providers registered for the enabled languages; re-registered when they change */
  providers?: vscode.Disposable;
  statusTimer?: NodeJS.Timeout;
}

export function activate(context: vscode.ExtensionContext): EntityLensApi {
  const log = createLog();
  const ctx = new Ctx(context, log);
  const surfaces: Surfaces = {
    deco: createDecorationState(),
    diagnostics: createDiagnostics(),
    bar: createStatusBar(),
  };
  const report: ReportState = { content: new Map(), changed: new vscode.EventEmitter<vscode.Uri>() };
  context.subscriptions.push(
    log,
    surfaces.diagnostics,
    surfaces.bar.item,
    report.changed,
    { dispose: () => resetDecorationTypes(surfaces.deco) },
    { dispose: () => surfaces.providers?.dispose() },
    { dispose: () => void invalidateModels(ctx) },
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, createReportProvider(report)),
  );
  registerProviders(ctx, surfaces);

  context.subscriptions.push(
    registerAcceptEntity(ctx),
    registerChangeLabel(ctx),
    registerRemoveEntity(ctx),
    registerResizeEntity(ctx),
    registerAcceptAllInDocument(ctx),
    registerAcceptAllInSelection(ctx),
    registerTagSelectionAs(ctx),
    registerNextUncertain(ctx),
    registerPreviousUncertain(ctx),
    registerAddLabel(ctx),
    registerTrainModel(ctx),
    registerCancelTraining(ctx),
    registerRollBackModel(ctx),
    registerResetModel(ctx),
    registerShowModelReport(ctx, report),
    registerExportAnnotations(ctx),
    registerImportAnnotations(ctx),
    registerRetagDocument(ctx),
    registerShowLog(ctx),
    registerDashboard(ctx),
    registerTimingsCommand(), // entityLens._timings: hidden, for bench/editor
    registerPages(ctx), // PDFs and images: the pages editor and the extracted-text view
  );

  context.subscriptions.push(
    ctx.entitiesChanged.event((ds) => {
      const doc = findOpenDocument(ds.key);
      if (!doc) return;
      const editors = vscode.window.visibleTextEditors.filter((e) => e.document === doc);
      const r0 = timingNow(); // bench hook (benchTimings.ts)
      renderDecorations(surfaces.deco, ds, editors);
      const timing = recordRender({
        key: ds.key,
        start: r0,
        end: timingNow(),
        entities: ds.entities().length,
        editors: editors.length,
        running: ds.running,
      });
      // a big document being tagged: the Problems panel is refreshed once a second, not per chunk
      const now = Date.now();
      const more = ds.running || !!ds.debounce || ds.pending.length > 0; // a later render will publish
      if (more && ds.entities().length > 2000 && now - ds.lastDiagnostics < 1000) return;
      ds.lastDiagnostics = now;
      const d0 = timingNow();
      renderDiagnostics(surfaces.diagnostics, doc, ds);
      timing.diagnosticsMs = timingNow() - d0;
    }),
    ctx.statusChanged.event(() => scheduleStatus(ctx, surfaces)),
    ctx.modelChanged.event(() => scheduleStatus(ctx, surfaces)),
    vscode.workspace.onDidOpenTextDocument((doc) => open(ctx, doc)),
    vscode.workspace.onDidChangeTextDocument((e) => applyEdit(ctx, e)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      untrackDocument(ctx, doc.uri.toString());
      surfaces.diagnostics.delete(doc.uri);
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => {
      for (const e of editors) open(ctx, e.document);
      const r0 = timingNow(); // bench hook (benchTimings.ts)
      renderAllEditors(ctx, surfaces.deco);
      recordVisibleRender(ctx, r0);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      void vscode.commands.executeCommand(
        'setContext',
        ContextKey.enabledForEditor,
        !!editor && !!ctx.document(editor.document.uri.toString()),
      );
      scheduleStatus(ctx, surfaces);
    }),
    vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
      const ds = ctx.document(e.textEditor.document.uri.toString());
      if (ds && ds.predictions.length > 20_000) renderDecorations(surfaces.deco, ds, [e.textEditor]);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => onSettingsChanged(ctx, surfaces, e)),
    retryStalled(ctx),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await invalidateModels(ctx);
      retagAll(ctx);
    }),
  );

  for (const doc of vscode.workspace.textDocuments) open(ctx, doc);
  const active = vscode.window.activeTextEditor;
  void vscode.commands.executeCommand(
    'setContext',
    ContextKey.enabledForEditor,
    !!active && !!ctx.document(active.document.uri.toString()),
  );
  scheduleStatus(ctx, surfaces);

  const key = (uri: vscode.Uri | string): string => (typeof uri === 'string' ? uri : uri.toString());
  return {
    whenIdle: (uri, timeoutMs) => whenIdle(ctx, key(uri), timeoutMs),
    entities: (uri) => {
      const ds = ctx.document(key(uri));
      return ds ? ds.entities() : [];
    },
    model: async (uri) => {
      const m = await modelFor(ctx, folderFor(uri));
      return m ? { name: m.info.name, version: m.info.version, labels: m.labels, dir: m.dir } : undefined;
    },
  };
}

export function deactivate(): void {
  // everything is in context.subscriptions
}

/** Starts tagging a document (restoring what was reviewed in it before). */
function open(ctx: Ctx, doc: vscode.TextDocument): void {
  if (!!ctx.document(doc.uri.toString())) return;
  const ds = trackDocument(ctx, doc);
  if (!ds) return;
  if (vscode.window.activeTextEditor?.document === doc) {
    void vscode.commands.executeCommand('setContext', ContextKey.enabledForEditor, true);
  }
  void restoreReviewed(ctx, doc, ds).finally(() => schedule(ctx, ds, 0));
}

/**
 * Documents waiting for a model (the embedded default may still be in training, a modelPath
 * not written yet) try again every few seconds: a missing model is never cached.
 */
function retryStalled(ctx: Ctx): vscode.Disposable {
  const timer = setInterval(() => {
    for (const ds of ctx.documents()) if (ds.stalled && !ds.running && !ds.debounce) schedule(ctx, ds, 0);
  }, 10_000);
  return { dispose: () => clearInterval(timer) };
}

/** bench hook: renders of newly visible editors (renderAllEditors), per tracked document shown */
function recordVisibleRender(ctx: Ctx, r0: number): void {
  const end = timingNow();
  for (const e of vscode.window.visibleTextEditors) {
    const ds = ctx.document(e.document.uri.toString());
    if (ds)
      recordRender({
        key: ds.key,
        start: r0,
        end,
        entities: ds.entities().length,
        editors: 1,
        running: ds.running,
        visible: true,
      });
  }
}

function registerProviders(ctx: Ctx, surfaces: Surfaces): void {
  surfaces.providers?.dispose();
  const languages = readSettings().languages;
  const selector: vscode.DocumentSelector = languages.includes('*')
    ? [{ pattern: '**' }]
    : [...languages.map((language) => ({ language })), { scheme: EXTRACTED_SCHEME }];
  surfaces.providers = vscode.Disposable.from(
    vscode.languages.registerHoverProvider(selector, createHoverProvider(ctx)),
    vscode.languages.registerCodeActionsProvider(selector, createCodeActionProvider(ctx), codeActionMetadata),
    vscode.languages.registerDocumentSymbolProvider(selector, createSymbolProvider(ctx), { label: 'Entity Lens' }),
  );
}

function scheduleStatus(ctx: Ctx, surfaces: Surfaces): void {
  if (surfaces.statusTimer) return;
  surfaces.statusTimer = setTimeout(() => {
    surfaces.statusTimer = undefined;
    void updateStatusBar(ctx, surfaces.bar);
  }, 100);
}

function onSettingsChanged(ctx: Ctx, surfaces: Surfaces, e: vscode.ConfigurationChangeEvent): void {
  if (!e.affectsConfiguration(SECTION)) return;
  if (e.affectsConfiguration(`${SECTION}.labelColors`)) resetDecorationTypes(surfaces.deco);
  if (e.affectsConfiguration(`${SECTION}.languages`)) registerProviders(ctx, surfaces);
  if (['languages', 'include', 'exclude', 'maxDocumentSize'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
    for (const doc of vscode.workspace.textDocuments) {
      const key = doc.uri.toString();
      const tracked = ctx.document(key);
      const enabled = isEnabledFor(doc);
      if (tracked && (!enabled || e.affectsConfiguration(`${SECTION}.maxDocumentSize`))) {
        untrackDocument(ctx, key);
        surfaces.diagnostics.delete(doc.uri);
      }
      if (enabled) open(ctx, doc);
    }
  }
  if (e.affectsConfiguration(`${SECTION}.modelPath`) || e.affectsConfiguration(`${SECTION}.ruleAnnotators`)) {
    void invalidateModels(ctx).then(() => retagAll(ctx));
  }
  renderAllEditors(ctx, surfaces.deco);
  for (const ds of ctx.documents()) {
    const doc = findOpenDocument(ds.key);
    if (doc) renderDiagnostics(surfaces.diagnostics, doc, ds);
  }
  scheduleStatus(ctx, surfaces);
}
