// The extension's state behind one object (after rust-analyzer's ctx.ts): the log, the tracked
// documents, the loaded models, training, the annotation-store cache and the events the
// surfaces listen to. Modules read through getters and change state through methods.
import * as vscode from 'vscode';
import {
  createStoreCache,
  readStore,
  type ModelInfo,
  type StoreCache,
  type StoreContents,
  type Tagger,
} from '../model';
import { CorrectionHistory } from './correction-history';
import { DocumentChoices, type TagDecision } from './document-choice';
import type { Log } from './log';
import { TrackedDocument } from './tracked-document';
import { annotationsFile } from './workspace-files';

export interface LoadedModel {
  tagger: Tagger;
  dir: string;
  info: ModelInfo;
  labels: string[];
  /** where it came from: a trained workspace version, the modelPath setting, or the embedded default */
  origin: 'workspace' | 'setting' | 'default';
  key: string;
}

/** Loaded and failed models by folder; model-manager.ts owns it. */
export interface ModelsState {
  loaded: Map<string, Promise<LoadedModel | undefined>>;
  /** model folders whose load failed, with the message shown */
  failed: Map<string, string>;
}

export interface TrainingRun {
  folder: string;
  version: string;
  finished: string;
  swapped: boolean;
  cancelled: boolean;
  reason: string;
  markdown: string;
}

export interface RunningTraining {
  folder: string;
  cancel: () => void;
  progress: string;
  percent: number;
}

export type Activity = 'idle' | 'loading' | 'tagging' | 'training';

/** Messages shown once a session. */
export type Notice = 'noModel' | 'untrustedNotSaved';

export class Ctx {
  readonly entitiesChanged = new vscode.EventEmitter<TrackedDocument>();
  readonly statusChanged = new vscode.EventEmitter<void>();
  /** a model was swapped in, rolled back or reset */
  readonly modelChanged = new vscode.EventEmitter<string | undefined>();
  /** a person chose to tag a document or to stop: decide it again */
  readonly trackingChanged = new vscode.EventEmitter<vscode.Uri>();
  /** the field chooser or the field corrections of a folder changed: compute the fields again */
  readonly fieldsChanged = new vscode.EventEmitter<void>();
  readonly models: ModelsState = { loaded: new Map(), failed: new Map() };
  /** parsed annotation files */
  readonly storeCache: StoreCache = createStoreCache();
  /** a person's Tag This Document / Stop Tagging choices, kept in the workspace state */
  readonly choices: DocumentChoices;
  /** the corrections Undo Last Correction can take back, per document */
  readonly corrections = new CorrectionHistory();
  private readonly docs = new Map<string, TrackedDocument>();
  /** why each open, eligible document is or is not tagged (the status bar says it) */
  private readonly decisions = new Map<string, TagDecision>();
  private tagging = 0;
  private loading = 0;
  private runningTraining?: RunningTraining;
  private lastTrainingRun?: TrainingRun;
  private readonly shownNotices = new Set<Notice>();

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: Log,
  ) {
    this.choices = new DocumentChoices(context.workspaceState);
    context.subscriptions.push(
      this.entitiesChanged,
      this.statusChanged,
      this.modelChanged,
      this.trackingChanged,
      this.fieldsChanged,
      this.corrections,
    );
  }

  // ---------------------------------------------------------------- documents

  document(uri: vscode.Uri | string): TrackedDocument | undefined {
    return this.docs.get(typeof uri === 'string' ? uri : uri.toString());
  }

  documents(): IterableIterator<TrackedDocument> {
    return this.docs.values();
  }

  /** Starts tracking a document (document-tagger.ts decides whether it qualifies). */
  track(uri: vscode.Uri): TrackedDocument {
    const ds = new TrackedDocument(uri);
    this.docs.set(ds.key, ds);
    return ds;
  }

  untrack(key: string): TrackedDocument | undefined {
    const ds = this.docs.get(key);
    this.docs.delete(key);
    return ds;
  }

  /** Why an open document is (not) tagged; undefined when it is not eligible at all. */
  decision(uri: vscode.Uri | string): TagDecision | undefined {
    return this.decisions.get(typeof uri === 'string' ? uri : uri.toString());
  }

  setDecision(uri: vscode.Uri, decision: TagDecision | undefined): void {
    if (decision) this.decisions.set(uri.toString(), decision);
    else this.decisions.delete(uri.toString());
  }

  /** Whether `ds` is still the tracked state of its document (not closed and reopened since). */
  isCurrent(ds: TrackedDocument): boolean {
    return this.docs.get(ds.key) === ds;
  }

  // ---------------------------------------------------------------- activity

  get activity(): Activity {
    if (this.runningTraining) return 'training';
    if (this.loading > 0) return 'loading';
    if (this.tagging > 0) return 'tagging';
    return 'idle';
  }

  taggingStarted(): void {
    this.tagging++;
    this.statusChanged.fire();
  }

  taggingStopped(): void {
    this.tagging--;
    this.statusChanged.fire();
  }

  /** Runs `load` counted as loading (the status bar says so meanwhile). */
  async whileLoading<T>(load: () => Promise<T>): Promise<T> {
    this.loading++;
    this.statusChanged.fire();
    try {
      return await load();
    } finally {
      this.loading--;
      this.statusChanged.fire();
    }
  }

  // ---------------------------------------------------------------- training

  get training(): { readonly running?: RunningTraining; readonly lastRun?: TrainingRun } {
    return { running: this.runningTraining, lastRun: this.lastTrainingRun };
  }

  trainingStarted(run: RunningTraining): void {
    this.runningTraining = run;
    this.statusChanged.fire();
  }

  trainingProgress(progress: string, percent: number): void {
    if (!this.runningTraining) return;
    this.runningTraining.progress = progress;
    this.runningTraining.percent = percent;
    this.statusChanged.fire();
  }

  trainingStopped(): void {
    this.runningTraining = undefined;
    this.statusChanged.fire();
  }

  /** The outcome of the last run (the report and the dashboard show it). */
  recordTrainingRun(run: TrainingRun): void {
    this.lastTrainingRun = run;
  }

  // ---------------------------------------------------------------- the training set

  /** A folder's annotations, parsed once per change of the file; malformed lines are logged once. */
  readAnnotations(folder: string): Promise<StoreContents> {
    return readStore(annotationsFile(folder), this.storeCache, (m) => this.log.warn(m));
  }

  // ---------------------------------------------------------------- notices

  /** True the first time a notice is asked for this session: show it then, not again. */
  firstTime(notice: Notice): boolean {
    if (this.shownNotices.has(notice)) return false;
    this.shownNotices.add(notice);
    return true;
  }
}
