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
import {
  applyEdit,
  displayEntities,
  findOpenDocument,
  retagAll,
  schedule,
  trackDocument,
  untrackDocument,
  whenIdle,
} from './document-tagger';
import { createHoverProvider } from './hover';
import { createLog } from './log';
import { invalidateModels, modelFor } from './model-manager';
import { createReportProvider, REPORT_SCHEME, type ReportState } from './report';
import { isEnabledFor, readSettings, SECTION } from './settings';
import { createState, type DisplayEntity, type ExtensionState } from './state';
import { createStatusBar, updateStatusBar, type StatusBar } from './status-bar';
import { createSymbolProvider } from './symbols';
import { folderFor } from './workspace-files';

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
  const state = createState(context, log);
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
    { dispose: () => void invalidateModels(state) },
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, createReportProvider(report)),
  );
  registerProviders(state, surfaces);

  context.subscriptions.push(
    registerAcceptEntity(state),
    registerChangeLabel(state),
    registerRemoveEntity(state),
    registerResizeEntity(state),
    registerAcceptAllInDocument(state),
    registerAcceptAllInSelection(state),
    registerTagSelectionAs(state),
    registerNextUncertain(state),
    registerPreviousUncertain(state),
    registerAddLabel(state),
    registerTrainModel(state),
    registerCancelTraining(state),
    registerRollBackModel(state),
    registerResetModel(state),
    registerShowModelReport(state, report),
    registerExportAnnotations(state),
    registerImportAnnotations(state),
    registerRetagDocument(state),
    registerShowLog(state),
    registerDashboard(state),
    registerTimingsCommand(), // entityLens._timings: hidden, for bench/editor
  );

  context.subscriptions.push(
    state.entitiesChanged.event((ds) => {
      const doc = findOpenDocument(ds.key);
      if (!doc) return;
      const editors = vscode.window.visibleTextEditors.filter((e) => e.document === doc);
      const r0 = timingNow(); // bench hook (benchTimings.ts)
      renderDecorations(surfaces.deco, ds, editors);
      const timing = recordRender({
        key: ds.key,
        start: r0,
        end: timingNow(),
        entities: displayEntities(ds).length,
        editors: editors.length,
        running: ds.running,
      });
      // a big document being tagged: the Problems panel is refreshed once a second, not per chunk
      const now = Date.now();
      const more = ds.running || !!ds.debounce || ds.pending.length > 0; // a later render will publish
      if (more && displayEntities(ds).length > 2000 && now - ds.lastDiagnostics < 1000) return;
      ds.lastDiagnostics = now;
      const d0 = timingNow();
      renderDiagnostics(surfaces.diagnostics, doc, ds);
      timing.diagnosticsMs = timingNow() - d0;
    }),
    state.statusChanged.event(() => scheduleStatus(state, surfaces)),
    state.modelChanged.event(() => scheduleStatus(state, surfaces)),
    vscode.workspace.onDidOpenTextDocument((doc) => open(state, doc)),
    vscode.workspace.onDidChangeTextDocument((e) => applyEdit(state, e)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      untrackDocument(state, doc.uri.toString());
      surfaces.diagnostics.delete(doc.uri);
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => {
      for (const e of editors) open(state, e.document);
      const r0 = timingNow(); // bench hook (benchTimings.ts)
      renderAllEditors(state, surfaces.deco);
      recordVisibleRender(state, r0);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      void vscode.commands.executeCommand(
        'setContext',
        'entityLens.enabledForEditor',
        !!editor && state.docs.has(editor.document.uri.toString()),
      );
      scheduleStatus(state, surfaces);
    }),
    vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
      const ds = state.docs.get(e.textEditor.document.uri.toString());
      if (ds && ds.predictions.length > 20_000) renderDecorations(surfaces.deco, ds, [e.textEditor]);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => onSettingsChanged(state, surfaces, e)),
    retryStalled(state),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await invalidateModels(state);
      retagAll(state);
    }),
  );

  for (const doc of vscode.workspace.textDocuments) open(state, doc);
  const active = vscode.window.activeTextEditor;
  void vscode.commands.executeCommand(
    'setContext',
    'entityLens.enabledForEditor',
    !!active && state.docs.has(active.document.uri.toString()),
  );
  scheduleStatus(state, surfaces);

  const key = (uri: vscode.Uri | string): string => (typeof uri === 'string' ? uri : uri.toString());
  return {
    whenIdle: (uri, timeoutMs) => whenIdle(state, key(uri), timeoutMs),
    entities: (uri) => {
      const ds = state.docs.get(key(uri));
      return ds ? displayEntities(ds) : [];
    },
    model: async (uri) => {
      const m = await modelFor(state, folderFor(uri));
      return m ? { name: m.info.name, version: m.info.version, labels: m.labels, dir: m.dir } : undefined;
    },
  };
}

export function deactivate(): void {
  // everything is in context.subscriptions
}

/** Starts tagging a document (restoring what was reviewed in it before). */
function open(state: ExtensionState, doc: vscode.TextDocument): void {
  if (state.docs.has(doc.uri.toString())) return;
  const ds = trackDocument(state, doc);
  if (!ds) return;
  if (vscode.window.activeTextEditor?.document === doc) {
    void vscode.commands.executeCommand('setContext', 'entityLens.enabledForEditor', true);
  }
  void restoreReviewed(state, doc, ds).finally(() => schedule(state, ds, 0));
}

/**
 * Documents waiting for a model (the embedded default may still be in training, a modelPath
 * not written yet) try again every few seconds: a missing model is never cached.
 */
function retryStalled(state: ExtensionState): vscode.Disposable {
  const timer = setInterval(() => {
    for (const ds of state.docs.values()) if (ds.stalled && !ds.running && !ds.debounce) schedule(state, ds, 0);
  }, 10_000);
  return { dispose: () => clearInterval(timer) };
}

/** bench hook: renders of newly visible editors (renderAllEditors), per tracked document shown */
function recordVisibleRender(state: ExtensionState, r0: number): void {
  const end = timingNow();
  for (const e of vscode.window.visibleTextEditors) {
    const ds = state.docs.get(e.document.uri.toString());
    if (ds)
      recordRender({
        key: ds.key,
        start: r0,
        end,
        entities: displayEntities(ds).length,
        editors: 1,
        running: ds.running,
        visible: true,
      });
  }
}

function registerProviders(state: ExtensionState, surfaces: Surfaces): void {
  surfaces.providers?.dispose();
  const languages = readSettings().languages;
  const selector: vscode.DocumentSelector = languages.includes('*')
    ? [{ pattern: '**' }]
    : languages.map((language) => ({ language }));
  surfaces.providers = vscode.Disposable.from(
    vscode.languages.registerHoverProvider(selector, createHoverProvider(state)),
    vscode.languages.registerCodeActionsProvider(selector, createCodeActionProvider(state), codeActionMetadata),
    vscode.languages.registerDocumentSymbolProvider(selector, createSymbolProvider(state), { label: 'Entity Lens' }),
  );
}

function scheduleStatus(state: ExtensionState, surfaces: Surfaces): void {
  if (surfaces.statusTimer) return;
  surfaces.statusTimer = setTimeout(() => {
    surfaces.statusTimer = undefined;
    void updateStatusBar(state, surfaces.bar);
  }, 100);
}

function onSettingsChanged(state: ExtensionState, surfaces: Surfaces, e: vscode.ConfigurationChangeEvent): void {
  if (!e.affectsConfiguration(SECTION)) return;
  if (e.affectsConfiguration(`${SECTION}.labelColors`)) resetDecorationTypes(surfaces.deco);
  if (e.affectsConfiguration(`${SECTION}.languages`)) registerProviders(state, surfaces);
  if (['languages', 'include', 'exclude', 'maxDocumentSize'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
    for (const doc of vscode.workspace.textDocuments) {
      const key = doc.uri.toString();
      const tracked = state.docs.get(key);
      const enabled = isEnabledFor(doc);
      if (tracked && (!enabled || e.affectsConfiguration(`${SECTION}.maxDocumentSize`))) {
        untrackDocument(state, key);
        surfaces.diagnostics.delete(doc.uri);
      }
      if (enabled) open(state, doc);
    }
  }
  if (e.affectsConfiguration(`${SECTION}.modelPath`) || e.affectsConfiguration(`${SECTION}.ruleAnnotators`)) {
    void invalidateModels(state).then(() => retagAll(state));
  }
  renderAllEditors(state, surfaces.deco);
  for (const ds of state.docs.values()) {
    const doc = findOpenDocument(ds.key);
    if (doc) renderDiagnostics(surfaces.diagnostics, doc, ds);
  }
  scheduleStatus(state, surfaces);
}
