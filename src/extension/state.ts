// The extension's whole mutable state, in one object that every module receives.
import * as vscode from 'vscode';
import { type Entity, type ModelInfo, type Range, type Span, type Tagger, type TextChange } from '../model';
import { createStoreCache, type StoreCache } from './annotation-store';
import type { Log } from './log';

/** An entity as shown: a model prediction, or a span a person confirmed (confidence 1). */
export interface DisplayEntity extends Entity {
  reviewed: boolean;
}

export interface ConfirmedSpan extends Span {
  text: string;
}

/** A stretch of a document saved to the training set; later records for it reuse the id. */
export interface Passage extends Range {
  id: string;
}

/** Per-document tagging state. Offsets are current document offsets. */
export interface DocState {
  key: string;
  uri: vscode.Uri;
  /** model output, sorted by start, never overlapping (updated in place: see ranges.ts) */
  predictions: DisplayEntity[];
  /** text still to (re)tag */
  pending: Range[];
  /** ranges a person reviewed: the model's predictions there are replaced by `confirmed` */
  reviewed: Range[];
  /** spans a person accepted, labelled or drew, sorted, never overlapping */
  confirmed: ConfirmedSpan[];
  passages: Passage[];
  /** the model that produced `predictions` */
  modelKey?: string;
  debounce?: NodeJS.Timeout;
  /** a tagging loop is running for this document */
  running: boolean;
  /** edits made while a tagging step awaited the model, to map its results */
  stepChanges?: TextChange[];
  waiters: Array<() => void>;
  /** the last loop stopped because there is no model: pending text waits for one */
  stalled: boolean;
  tooLarge: boolean;
  /** reviewed state was restored from the annotation store */
  restored: boolean;
  lastRender: number;
  /** when diagnostics were last published (they are sent less often while a big document is tagged) */
  lastDiagnostics: number;
  renderTimer?: NodeJS.Timeout;
  /** the document-level party pass, due shortly after tagging stops (documentTagger.ts) */
  propagateTimer?: NodeJS.Timeout;
  /** cached merge of predictions and confirmed spans */
  display?: DisplayEntity[];
}

export interface LoadedModel {
  tagger: Tagger;
  dir: string;
  info: ModelInfo;
  labels: string[];
  /** where it came from: a trained workspace version, the modelPath setting, or the embedded default */
  source: 'workspace' | 'setting' | 'default';
  key: string;
}

export interface ModelsState {
  /** by model folder */
  loaded: Map<string, Promise<LoadedModel | undefined>>;
  /** "no model yet" was shown this session */
  missingNotified: boolean;
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

export interface TrainingState {
  running?: { folder: string; cancel: () => void; progress: string; percent: number };
  lastRun?: TrainingRun;
}

export type Activity = 'idle' | 'loading' | 'tagging' | 'training';

export interface ExtensionState {
  context: vscode.ExtensionContext;
  log: Log;
  docs: Map<string, DocState>;
  models: ModelsState;
  training: TrainingState;
  /** documents with a tagging loop running */
  taggingCount: number;
  loadingCount: number;
  /** parsed annotation files */
  storeCache: StoreCache;
  /** "untrusted: not saved" was shown */
  untrustedWarned: boolean;
  readonly entitiesChanged: vscode.EventEmitter<DocState>;
  readonly statusChanged: vscode.EventEmitter<void>;
  /** a model was swapped in, rolled back or reset */
  readonly modelChanged: vscode.EventEmitter<string | undefined>;
}

export function createState(context: vscode.ExtensionContext, log: Log): ExtensionState {
  const state: ExtensionState = {
    context,
    log,
    docs: new Map(),
    models: { loaded: new Map(), missingNotified: false, failed: new Map() },
    training: {},
    taggingCount: 0,
    loadingCount: 0,
    storeCache: createStoreCache(),
    untrustedWarned: false,
    entitiesChanged: new vscode.EventEmitter<DocState>(),
    statusChanged: new vscode.EventEmitter<void>(),
    modelChanged: new vscode.EventEmitter<string | undefined>(),
  };
  context.subscriptions.push(state.entitiesChanged, state.statusChanged, state.modelChanged);
  return state;
}

export function activity(state: ExtensionState): Activity {
  if (state.training.running) return 'training';
  if (state.loadingCount > 0) return 'loading';
  if (state.taggingCount > 0) return 'tagging';
  return 'idle';
}

export function newDocState(uri: vscode.Uri): DocState {
  return {
    key: uri.toString(),
    uri,
    predictions: [],
    pending: [],
    reviewed: [],
    confirmed: [],
    passages: [],
    running: false,
    waiters: [],
    stalled: false,
    tooLarge: false,
    restored: false,
    lastRender: 0,
    lastDiagnostics: 0,
  };
}
