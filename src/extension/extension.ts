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
import { registerMarkLabelsComplete } from './commands/mark-labels-complete';
import { registerRemoveEntity } from './commands/remove-entity';
import { registerResetModel } from './commands/reset-model';
import { registerResizeEntity } from './commands/resize-entity';
import { registerRetagDocument } from './commands/retag-document';
import { registerRollBackModel } from './commands/roll-back-model';
import { registerShowLog } from './commands/show-log';
import { registerShowModelReport } from './commands/show-model-report';
import { registerTagSelectionAs } from './commands/tag-selection-as';
import { registerTagThisDocument } from './commands/tag-this-document';
import { registerStatusMenu } from './commands/status-menu';
import { registerNavigateOccurrences } from './commands/navigate-occurrence';
import { registerTrainModel } from './commands/train-model';
import { registerUndoLastCorrection } from './commands/undo-last-correction';
import { registerCorrectField } from './commands/correct-field';
import { registerCopyFields } from './commands/copy-fields';
import { registerExportFields } from './commands/export-fields';
import { registerRevealFieldValue } from './commands/reveal-field-value';
import { registerSetDocumentKind } from './commands/set-document-kind';
import { FieldsService } from './fields';
import { FIELDS_VIEW, FieldsViewProvider } from './fields-view';
import {
  createFieldDiagnostics,
  createFieldFixProvider,
  fieldFixMetadata,
  renderFieldDiagnostics,
} from './fields-diagnostics';
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
import { decideOpenDocument } from './document-choice';
import { LEGEND_VIEW, LegendProvider } from './legend';
import { readSettings, SECTION } from './settings';
import { Ctx } from './ctx';
import type { DisplayEntity } from './tracked-document';
import { createStatusBar, updateStatusBar, type StatusBar } from './status-bar';
import { SymbolRefresher } from './symbols';
import { folderFor } from './workspace-files';
import { ContextKey } from './command-ids';
import { EXTRACTED_SCHEME } from './pages/extracted-uri';
import { registerPages } from './pages/register';

/** What activate() returns: enough for integration tests to wait for tagging. */
export interface EntityLensApi {
  whenIdle(uri: vscode.Uri | string, timeoutMs?: number): Promise<boolean>;
  entities(uri: vscode.Uri | string): DisplayEntity[];
  model(uri?: vscode.Uri): Promise<{ name: string; version: string; labels: string[]; dir: string } | undefined>;
  /** whether an open document is tagged, and why (undefined: not eligible, e.g. another language) */
  tagDecision(uri: vscode.Uri | string): { tag: boolean; source: string; reason: string } | undefined;
  /** how often the symbol provider was registered again to refresh the Outline */
  symbolRefreshes(): number;
  /** the extension's log folder (the extension host's own log is beside it) */
  logUri: vscode.Uri;
  /** what the legend view shows for the active editor: label, description and colour */
  legend(): Array<{ label: string; description: string; color: string }>;
  /** a tagged document's fields as the Document Fields view shows them, computed now */
  fields(uri: vscode.Uri | string): Promise<
    | {
        kind: string;
        kindSet: boolean;
        chooser: string;
        fields: Record<
          string,
          Array<{
            value: string;
            text: string;
            confidence: number;
            start: number;
            end: number;
            page?: number;
            corrected?: boolean;
          }>
        >;
        checks: Array<{ code: string; severity: string; message: string; fields: string[] }>;
      }
    | undefined
  >;
  /** the Document Fields view's rows for the active editor: label, description, children */
  fieldsView(): Array<{
    label: string;
    description?: string;
    children: Array<{ label: string; description?: string }>;
  }>;
  /** a field's candidates, best first, with the chooser's probability (what Correct Field offers) */
  fieldCandidates(
    uri: vscode.Uri | string,
    field: string,
  ): Promise<Array<{ value: string; text: string; start: number; end: number; probability: number }>>;
}

interface Surfaces {
  deco: DecorationState;
  diagnostics: vscode.DiagnosticCollection;
  bar: StatusBar;
  symbols: SymbolRefresher;
  legend: LegendProvider;
  fields: FieldsService;
  fieldsView: FieldsViewProvider;
  fieldDiagnostics: vscode.DiagnosticCollection;
  /** hover and code actions, registered for the enabled languages; again when they change */
  providers?: vscode.Disposable;
  statusTimer?: NodeJS.Timeout;
  /** untagged documents whose text is looked at again after an edit (it may now read like a contract) */
  recheck: Map<string, NodeJS.Timeout>;
}

/** how long after the last edit an untagged document's text is looked at again */
const RECHECK_MS = 1000;

export function activate(context: vscode.ExtensionContext): EntityLensApi {
  const log = createLog();
  const ctx = new Ctx(context, log);
  const fields = new FieldsService(ctx);
  const surfaces: Surfaces = {
    deco: createDecorationState(),
    diagnostics: createDiagnostics(),
    bar: createStatusBar(),
    symbols: new SymbolRefresher(ctx),
    legend: new LegendProvider(ctx),
    fields,
    fieldsView: new FieldsViewProvider(ctx, fields),
    fieldDiagnostics: createFieldDiagnostics(),
    recheck: new Map(),
  };
  const fieldsTree = vscode.window.createTreeView(FIELDS_VIEW, {
    treeDataProvider: surfaces.fieldsView,
    showCollapseAll: true,
  });
  surfaces.fieldsView.attach(fieldsTree);
  const report: ReportState = { content: new Map(), changed: new vscode.EventEmitter<vscode.Uri>() };
  context.subscriptions.push(
    log,
    surfaces.diagnostics,
    surfaces.bar.item,
    surfaces.symbols,
    surfaces.legend,
    vscode.window.registerTreeDataProvider(LEGEND_VIEW, surfaces.legend),
    fields,
    surfaces.fieldsView,
    fieldsTree,
    surfaces.fieldDiagnostics,
    fields.changed.event((key) => {
      const doc = findOpenDocument(key);
      if (doc) renderFieldDiagnostics(surfaces.fieldDiagnostics, fields, doc);
    }),
    ctx.fieldsChanged.event(() => void fields.refreshAll()),
    { dispose: () => surfaces.recheck.forEach((t) => clearTimeout(t)) },
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
    registerMarkLabelsComplete(ctx),
    registerUndoLastCorrection(ctx),
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
    registerTagThisDocument(ctx),
    registerStatusMenu(ctx),
    registerNavigateOccurrences(ctx),
    registerDashboard(ctx, fields),
    registerTimingsCommand(), // entityLens._timings: hidden, for bench/editor
    registerPages(ctx), // PDFs and images: the pages editor and the extracted-text view
    registerCorrectField(ctx, fields),
    registerCopyFields(fields),
    registerExportFields(ctx, fields),
    registerRevealFieldValue(),
    registerSetDocumentKind(fields),
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
      // the same entities in the Outline, breadcrumbs, Go to Symbol and the legend; the fields soon
      surfaces.symbols.entitiesChanged(doc);
      surfaces.fields.entitiesChanged(ds.key);
      if (vscode.window.activeTextEditor?.document === doc) surfaces.legend.refresh();
      // a big document being tagged: the Problems panel is refreshed once a second, not per chunk
      const now = Date.now();
      const more = ds.running || !!ds.debounce || ds.pending.length > 0; // a later render will publish
      if (more && ds.entities().length > 2000 && now - ds.lastDiagnostics < 1000) return;
      ds.lastDiagnostics = now;
      const d0 = timingNow();
      renderDiagnostics(surfaces.diagnostics, doc, ds);
      timing.diagnosticsMs = timingNow() - d0;
    }),
    ctx.trackingChanged.event((uri) => {
      const doc = findOpenDocument(uri.toString());
      if (!doc) return;
      stopTracking(ctx, surfaces, doc);
      open(ctx, doc);
      updateContextKeys(ctx);
      scheduleStatus(ctx, surfaces);
    }),
    ctx.statusChanged.event(() => scheduleStatus(ctx, surfaces)),
    ctx.modelChanged.event(() => scheduleStatus(ctx, surfaces)),
    vscode.workspace.onDidOpenTextDocument((doc) => open(ctx, doc)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      applyEdit(ctx, e);
      recheckSoon(ctx, surfaces, e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      const key = doc.uri.toString();
      untrackDocument(ctx, key);
      ctx.setDecision(doc.uri, undefined);
      surfaces.symbols.forget(key);
      surfaces.diagnostics.delete(doc.uri);
      surfaces.fields.forget(key);
      surfaces.fieldDiagnostics.delete(doc.uri);
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => {
      for (const e of editors) open(ctx, e.document);
      const r0 = timingNow(); // bench hook (benchTimings.ts)
      renderAllEditors(ctx, surfaces.deco);
      recordVisibleRender(ctx, r0);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => {
      updateContextKeys(ctx);
      surfaces.legend.refresh();
      surfaces.fieldsView.refresh();
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
  updateContextKeys(ctx);
  void vscode.commands.executeCommand('setContext', 'entityLens.active', true);
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
    tagDecision: (uri) => {
      const d = ctx.decision(key(uri));
      return d && { ...d, tag: d.tag && !!ctx.document(key(uri)) };
    },
    symbolRefreshes: () => surfaces.symbols.refreshes,
    legend: () => surfaces.legend.rows(),
    fields: async (uri) => {
      const v = await fields.refresh(key(uri));
      return (
        v && {
          kind: v.result.kind,
          kindSet: v.kindSet,
          chooser: v.chooser,
          fields: v.result.fields,
          checks: v.result.checks.map((c) => ({
            code: c.code,
            severity: c.severity,
            message: c.message,
            fields: c.fields,
          })),
        }
      );
    },
    fieldsView: () => surfaces.fieldsView.rows(),
    fieldCandidates: async (uri, field) =>
      (await fields.candidates(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri, field)).map((s) => ({
        value: s.candidate.value,
        text: s.candidate.text,
        start: s.candidate.start,
        end: s.candidate.end,
        probability: s.probability,
      })),
    logUri: context.logUri,
  };
}

export function deactivate(): void {
  // everything is in context.subscriptions
}

/** Starts tagging a document if it is to be tagged (restoring what was reviewed in it before). */
function open(ctx: Ctx, doc: vscode.TextDocument): void {
  if (!!ctx.document(doc.uri.toString())) return;
  const ds = trackDocument(ctx, doc);
  if (vscode.window.activeTextEditor?.document === doc) updateContextKeys(ctx);
  if (!ds) return;
  void restoreReviewed(ctx, doc, ds).finally(() => schedule(ctx, ds, 0));
}

/** Stops tagging a document and clears what it showed (decorations, Problems, Outline, legend). */
function stopTracking(ctx: Ctx, surfaces: Surfaces, doc: vscode.TextDocument): void {
  const key = doc.uri.toString();
  if (!ctx.document(key)) return;
  untrackDocument(ctx, key);
  surfaces.diagnostics.delete(doc.uri);
  renderDecorations(
    surfaces.deco,
    undefined,
    vscode.window.visibleTextEditors.filter((e) => e.document === doc),
  );
  surfaces.symbols.entitiesChanged(doc);
  surfaces.legend.refresh();
  surfaces.fields.forget(key);
  surfaces.fieldDiagnostics.delete(doc.uri);
}

/** when clauses: the active document is tagged (entityLens.enabledForEditor) or could be (canTagEditor) */
function updateContextKeys(ctx: Ctx): void {
  const doc = vscode.window.activeTextEditor?.document;
  const tagged = !!doc && !!ctx.document(doc.uri.toString());
  const decision = doc ? ctx.decision(doc.uri) : undefined;
  void vscode.commands.executeCommand('setContext', ContextKey.enabledForEditor, tagged);
  void vscode.commands.executeCommand('setContext', ContextKey.canTagEditor, !tagged && !!decision);
}

/**
 * An edited document that is not tagged because of what its text read like is looked at again
 * a moment after the edits stop: a contract pasted into a new file starts being tagged.
 */
function recheckSoon(ctx: Ctx, surfaces: Surfaces, doc: vscode.TextDocument): void {
  const key = doc.uri.toString();
  const decision = ctx.decision(key);
  if (ctx.document(key) || !decision || decision.source !== 'text') return;
  const old = surfaces.recheck.get(key);
  if (old) clearTimeout(old);
  surfaces.recheck.set(
    key,
    setTimeout(() => {
      surfaces.recheck.delete(key);
      if (doc.isClosed || ctx.document(key)) return;
      open(ctx, doc);
      if (vscode.window.activeTextEditor?.document === doc) {
        surfaces.legend.refresh();
        scheduleStatus(ctx, surfaces);
      }
    }, RECHECK_MS),
  );
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
  // languages may differ per folder: the union over the workspace's folders
  const folders = vscode.workspace.workspaceFolders ?? [];
  const languages = [
    ...new Set([readSettings(), ...folders.map((f) => readSettings(f.uri))].flatMap((s) => s.languages)),
  ];
  const selector: vscode.DocumentSelector = languages.includes('*')
    ? [{ pattern: '**' }]
    : [...languages.map((language) => ({ language })), { scheme: EXTRACTED_SCHEME }];
  surfaces.providers = vscode.Disposable.from(
    vscode.languages.registerHoverProvider(selector, createHoverProvider(ctx)),
    vscode.languages.registerCodeActionsProvider(selector, createCodeActionProvider(ctx), codeActionMetadata),
    vscode.languages.registerCodeActionsProvider(selector, createFieldFixProvider(surfaces.fields), fieldFixMetadata),
  );
  surfaces.symbols.register(selector);
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
  const which = ['languages', 'include', 'exclude', 'tagDocuments', 'maxDocumentSize'];
  if (which.some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
    for (const doc of vscode.workspace.textDocuments) {
      const tracked = ctx.document(doc.uri.toString());
      const decision = decideOpenDocument(doc, ctx.choices);
      ctx.setDecision(doc.uri, decision);
      if (tracked && (!decision?.tag || e.affectsConfiguration(`${SECTION}.maxDocumentSize`)))
        stopTracking(ctx, surfaces, doc);
      if (decision?.tag) open(ctx, doc);
    }
    updateContextKeys(ctx);
  }
  if (e.affectsConfiguration(`${SECTION}.modelPath`) || e.affectsConfiguration(`${SECTION}.ruleAnnotators`)) {
    void invalidateModels(ctx).then(() => retagAll(ctx));
  }
  renderAllEditors(ctx, surfaces.deco);
  surfaces.legend.refresh();
  for (const ds of ctx.documents()) {
    const doc = findOpenDocument(ds.key);
    if (doc) renderDiagnostics(surfaces.diagnostics, doc, ds);
  }
  scheduleStatus(ctx, surfaces);
}
