// The dashboard's messages: every message the host (src/extension/dashboard) and the webview
// (webview/) exchange, typed here once and checked on arrival by the engine's validators
// (src/model/core/validate.ts, imported directly: the webview bundle must not pull in the
// engine's door, which brings Node modules).
// A message that fails its check is logged and ignored by the side that received it.
// Pure TypeScript: no vscode, no DOM, no Node (both bundles import it).
import {
  arrayOf,
  bool,
  must,
  nat,
  nonEmptyStr,
  nullable,
  num,
  object,
  oneOf,
  str,
  type Validator,
} from '../model/core/validate';

// ------------------------------------------------------------------ shared data shapes

export const VIEWS = ['training', 'models', 'labels', 'entities', 'fields', 'review'] as const;
export type ViewId = (typeof VIEWS)[number];

/** A labelled range; in review passages offsets are relative to the passage text. */
export interface SpanDto {
  start: number;
  end: number;
  label: string;
}

/** One record of the training set (a reviewed passage). */
export interface PassageDto {
  id: string;
  /** document it came from (absent for imported records) */
  uri: string | null;
  /** workspace-relative path or the id, for display */
  file: string;
  /** document offset where the passage starts (null when unknown) */
  start: number | null;
  text: string;
  gold: number;
  silver: number;
  labels: string[];
  source: string;
  time: string | null;
}

export interface LabelCountDto {
  label: string;
  gold: number;
  silver: number;
}

export interface TrainingSetDto {
  folder: string | null;
  documents: number;
  passages: number;
  gold: number;
  silver: number;
  malformed: number;
  byLabel: LabelCountDto[];
  lastChange: string | null;
  /** the most recent passages first; `passages` counts all of them */
  items: PassageDto[];
}

export interface LabelScoreDto {
  label: string;
  precision: number | null;
  recall: number;
  f1: number | null;
  support: number;
}

export interface EpochDto {
  epoch: number;
  loss: number;
  devF1: number | null;
  seconds: number;
  sentencesPerSecond: number;
}

export interface DataCountsDto {
  trainRecords: number | null;
  heldOutRecords: number | null;
  trainSequences: number | null;
  devSequences: number | null;
  replayed: number | null;
}

export interface ModelVersionDto {
  /** "base" for the base model, else the folder name under .entity-lens/models */
  id: string;
  name: string;
  version: string;
  created: string;
  source: 'workspace' | 'setting' | 'default';
  active: boolean;
  labels: string[];
  data: DataCountsDto;
  /** held-out scores recorded when it was trained (empty when none were) */
  scores: LabelScoreDto[];
  microF1: number | null;
  history: EpochDto[];
  /** why it was (not) swapped in */
  note: string;
  /** what a model trained on corrections tags itself ("PARTY on invoices and receipts"; '' for others); the rest is its base's */
  scope: string;
}

export interface TrainingProgressDto {
  running: boolean;
  percent: number;
  message: string;
  /** epochs finished in this run so far (from the progress the controller publishes) */
  epochs: EpochDto[];
}

/** A set every version is scored on: its size */
export interface ScoredSetDto {
  documents: number;
  entities: number;
}

/** Every version's micro F1 on the same two sets (null: not scored yet, or the set is empty) */
export interface CurveDto {
  heldOut: ScoredSetDto | null;
  reference: ScoredSetDto | null;
  points: { id: string; heldOut: number | null; reference: number | null }[];
  /** versions are being scored in the background */
  pending: boolean;
}

export interface ModelsDto {
  versions: ModelVersionDto[];
  canRollBack: boolean;
  trusted: boolean;
  curve: CurveDto | null;
}

export interface LabelDto {
  name: string;
  /** a CSS colour: "#rrggbb" or var(--vscode-entityLens-…) */
  color: string;
  /** the colour comes from entityLens.labelColors */
  customColor: boolean;
  description: string;
  gold: number;
  silver: number;
  inModel: boolean;
}

export interface EntityDto {
  start: number;
  end: number;
  label: string;
  text: string;
  confidence: number;
  reviewed: boolean;
}

export interface EntitiesDto {
  uri: string | null;
  file: string;
  threshold: number;
  entities: EntityDto[];
  /** more entities than were sent */
  truncated: boolean;
}

/** One value of a document field: normalised, as printed, and where. */
export interface FieldValueDto {
  value: string;
  text: string;
  confidence: number;
  start: number;
  end: number;
  /** 1-based page (PDFs and scans), null when the document has none */
  page: number | null;
  /** a person's correction, not the chooser's pick */
  corrected: boolean;
  /** computed from other fields ("effective_date + term"), null when a mention states it */
  derived: string | null;
}

export interface FieldDto {
  name: string;
  /** empty when the document has no value for it */
  values: FieldValueDto[];
}

/** A value check that fails (net + tax ≠ total, a due date before the date, ...). */
export interface FieldCheckDto {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  fields: string[];
}

/** The fields of the last active text editor's document. */
export interface FieldsDto {
  /** null: no text editor yet */
  uri: string | null;
  file: string;
  /** contract, invoice or receipt; null when the document has no fields (not tagged, or not yet) */
  kind: string | null;
  /** the kind was set by a person (Set Document Kind), not detected */
  kindSet: boolean;
  /** in the schema's order */
  fields: FieldDto[];
  checks: FieldCheckDto[];
}

export interface ReviewPassageDto {
  key: string;
  uri: string;
  file: string;
  /** document offsets of the passage */
  start: number;
  end: number;
  text: string;
  /** predicted entities, offsets relative to `text` */
  entities: EntityDto[];
  /** lowest confidence among the entities (the queue is sorted by it) */
  score: number;
}

export interface ReviewQueueDto {
  status: 'ready' | 'scanning' | 'no-model' | 'no-folder';
  message: string;
  passages: ReviewPassageDto[];
  documents: number;
}

// ------------------------------------------------------------------ host → webview

export type HostMessage =
  | { type: 'trainingSet'; data: TrainingSetDto }
  | { type: 'models'; data: ModelsDto }
  | { type: 'progress'; data: TrainingProgressDto }
  | { type: 'labels'; data: LabelDto[] }
  | { type: 'entities'; data: EntitiesDto }
  | { type: 'fields'; data: FieldsDto }
  | { type: 'reviewQueue'; data: ReviewQueueDto }
  | { type: 'reviewResult'; key: string; ok: boolean; message: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string }
  /** read: the view whose text the pong carries (null: none) */
  | { type: 'ping'; id: number; read: ViewId | null };

// ------------------------------------------------------------------ webview → host

/** characters of a view's text a pong carries at most */
export const PONG_TEXT = 20_000;

export type EntityAction = 'accept' | 'relabel' | 'remove';

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'viewChanged'; view: ViewId }
  | { type: 'refresh'; view: ViewId }
  | { type: 'requestLabels' }
  | { type: 'openPassage'; id: string }
  | { type: 'revealEntity'; uri: string; start: number; end: number }
  | {
      type: 'entityAction';
      action: EntityAction;
      uri: string;
      start: number;
      end: number;
      label: string;
      newLabel: string;
    }
  | { type: 'revealFieldValue'; uri: string; start: number; end: number }
  | { type: 'correctField'; uri: string; field: string }
  | { type: 'train' }
  | { type: 'cancelTraining' }
  | { type: 'activateVersion'; id: string }
  | { type: 'addLabel'; name: string; description: string }
  | { type: 'renameLabel'; from: string; to: string }
  | { type: 'recolorLabel'; name: string; color: string }
  | { type: 'describeLabel'; name: string; description: string }
  | { type: 'reviewCommit'; key: string; uri: string; start: number; end: number; text: string; spans: SpanDto[] }
  | { type: 'reviewUndo'; key: string }
  /** text: what the view the ping named reads, as rendered (cut at PONG_TEXT characters) */
  | { type: 'pong'; id: number; view: ViewId; labels: string[]; text: string }
  | { type: 'log'; level: 'info' | 'warning' | 'error'; message: string };

// ------------------------------------------------------------------ validators

const view = oneOf(VIEWS);
const level = oneOf(['info', 'warning', 'error'] as const);

const span = object<SpanDto>({ start: nat, end: nat, label: str });
const labelCount = object<LabelCountDto>({ label: str, gold: nat, silver: nat });
const passage = object<PassageDto>({
  id: str,
  uri: nullable(str),
  file: str,
  start: nullable(nat),
  text: str,
  gold: nat,
  silver: nat,
  labels: arrayOf(str),
  source: str,
  time: nullable(str),
});
const trainingSet = object<TrainingSetDto>({
  folder: nullable(str),
  documents: nat,
  passages: nat,
  gold: nat,
  silver: nat,
  malformed: nat,
  byLabel: arrayOf(labelCount),
  lastChange: nullable(str),
  items: arrayOf(passage),
});
const labelScore = object<LabelScoreDto>({
  label: str,
  precision: nullable(num),
  recall: num,
  f1: nullable(num),
  support: nat,
});
const epoch = object<EpochDto>({ epoch: nat, loss: num, devF1: nullable(num), seconds: num, sentencesPerSecond: num });
const counts = object<DataCountsDto>({
  trainRecords: nullable(nat),
  heldOutRecords: nullable(nat),
  trainSequences: nullable(nat),
  devSequences: nullable(nat),
  replayed: nullable(nat),
});
const modelVersion = object<ModelVersionDto>({
  id: str,
  name: str,
  version: str,
  created: str,
  source: oneOf(['workspace', 'setting', 'default'] as const),
  active: bool,
  labels: arrayOf(str),
  data: counts,
  scores: arrayOf(labelScore),
  microF1: nullable(num),
  history: arrayOf(epoch),
  note: str,
  scope: str,
});
const scoredSet = object<ScoredSetDto>({ documents: nat, entities: nat });
const curve = object<CurveDto>({
  heldOut: nullable(scoredSet),
  reference: nullable(scoredSet),
  points: arrayOf(object({ id: str, heldOut: nullable(num), reference: nullable(num) })),
  pending: bool,
});
const models = object<ModelsDto>({
  versions: arrayOf(modelVersion),
  canRollBack: bool,
  trusted: bool,
  curve: nullable(curve),
});
const progress = object<TrainingProgressDto>({ running: bool, percent: num, message: str, epochs: arrayOf(epoch) });
const label = object<LabelDto>({
  name: str,
  color: str,
  customColor: bool,
  description: str,
  gold: nat,
  silver: nat,
  inModel: bool,
});
const entity = object<EntityDto>({ start: nat, end: nat, label: str, text: str, confidence: num, reviewed: bool });
const entities = object<EntitiesDto>({
  uri: nullable(str),
  file: str,
  threshold: num,
  entities: arrayOf(entity),
  truncated: bool,
});
const fieldValue = object<FieldValueDto>({
  value: str,
  text: str,
  confidence: num,
  start: nat,
  end: nat,
  page: nullable(nat),
  corrected: bool,
  derived: nullable(str),
});
const fieldCheck = object<FieldCheckDto>({
  code: str,
  severity: oneOf(['error', 'warning'] as const),
  message: str,
  fields: arrayOf(str),
});
const fields = object<FieldsDto>({
  uri: nullable(str),
  file: str,
  kind: nullable(str),
  kindSet: bool,
  fields: arrayOf(object<FieldDto>({ name: str, values: arrayOf(fieldValue) })),
  checks: arrayOf(fieldCheck),
});
const reviewPassage = object<ReviewPassageDto>({
  key: str,
  uri: str,
  file: str,
  start: nat,
  end: nat,
  text: str,
  entities: arrayOf(entity),
  score: num,
});
const reviewQueue = object<ReviewQueueDto>({
  status: oneOf(['ready', 'scanning', 'no-model', 'no-folder'] as const),
  message: str,
  passages: arrayOf(reviewPassage),
  documents: nat,
});

type Shapes<U extends { type: string }> = { [M in U as M['type']]: Validator<M> };

const hostShapes: Shapes<HostMessage> = {
  trainingSet: object({ type: oneOf(['trainingSet'] as const), data: trainingSet }),
  models: object({ type: oneOf(['models'] as const), data: models }),
  progress: object({ type: oneOf(['progress'] as const), data: progress }),
  labels: object({ type: oneOf(['labels'] as const), data: arrayOf(label) }),
  entities: object({ type: oneOf(['entities'] as const), data: entities }),
  fields: object({ type: oneOf(['fields'] as const), data: fields }),
  reviewQueue: object({ type: oneOf(['reviewQueue'] as const), data: reviewQueue }),
  reviewResult: object({ type: oneOf(['reviewResult'] as const), key: str, ok: bool, message: str }),
  notice: object({ type: oneOf(['notice'] as const), level, text: str }),
  ping: object({ type: oneOf(['ping'] as const), id: nat, read: nullable(view) }),
};

const entityAction = oneOf(['accept', 'relabel', 'remove'] as const);

const webviewShapes: Shapes<WebviewMessage> = {
  ready: object({ type: oneOf(['ready'] as const) }),
  viewChanged: object({ type: oneOf(['viewChanged'] as const), view }),
  refresh: object({ type: oneOf(['refresh'] as const), view }),
  requestLabels: object({ type: oneOf(['requestLabels'] as const) }),
  openPassage: object({ type: oneOf(['openPassage'] as const), id: str }),
  revealEntity: object({ type: oneOf(['revealEntity'] as const), uri: str, start: nat, end: nat }),
  entityAction: object({
    type: oneOf(['entityAction'] as const),
    action: entityAction,
    uri: str,
    start: nat,
    end: nat,
    label: str,
    newLabel: str,
  }),
  revealFieldValue: object({ type: oneOf(['revealFieldValue'] as const), uri: str, start: nat, end: nat }),
  correctField: object({ type: oneOf(['correctField'] as const), uri: str, field: nonEmptyStr }),
  train: object({ type: oneOf(['train'] as const) }),
  cancelTraining: object({ type: oneOf(['cancelTraining'] as const) }),
  activateVersion: object({ type: oneOf(['activateVersion'] as const), id: str }),
  addLabel: object({ type: oneOf(['addLabel'] as const), name: str, description: str }),
  renameLabel: object({ type: oneOf(['renameLabel'] as const), from: str, to: str }),
  recolorLabel: object({ type: oneOf(['recolorLabel'] as const), name: str, color: str }),
  describeLabel: object({ type: oneOf(['describeLabel'] as const), name: str, description: str }),
  reviewCommit: object({
    type: oneOf(['reviewCommit'] as const),
    key: str,
    uri: str,
    start: nat,
    end: nat,
    text: str,
    spans: arrayOf(span, 10_000),
  }),
  reviewUndo: object({ type: oneOf(['reviewUndo'] as const), key: str }),
  pong: object({ type: oneOf(['pong'] as const), id: nat, view, labels: arrayOf(str), text: str }),
  log: object({ type: oneOf(['log'] as const), level, message: str }),
};

export type Checked<T> = { ok: true; message: T } | { ok: false; error: string };

const anObject = must('an object', (v): v is object => typeof v === 'object' && v !== null && !Array.isArray(v));

/** Checks a message against the validators of its type (the pages editor's messages use it too). */
export function check<U extends { type: string }>(
  raw: unknown,
  shapes: Record<string, Validator<U> | undefined>,
  side: string,
): Checked<U> {
  const at = `${side} message`;
  const knownType = must(
    'a known message type',
    (t): t is string => typeof t === 'string' && Object.prototype.hasOwnProperty.call(shapes, t),
  );
  const notObject = anObject(raw, at);
  if (notObject !== undefined) return { ok: false, error: notObject };
  const type = (raw as { type?: unknown }).type;
  const error = knownType(type, `${at} "type"`) ?? shapes[type as string]?.(raw, `${at} ${type as string}`);
  return error === undefined ? { ok: true, message: raw as U } : { ok: false, error };
}

/** What the webview does with a message from the host. */
export function checkHostMessage(raw: unknown): Checked<HostMessage> {
  return check<HostMessage>(raw, hostShapes, 'host');
}

/** What the host does with a message from the webview. */
export function checkWebviewMessage(raw: unknown): Checked<WebviewMessage> {
  return check<WebviewMessage>(raw, webviewShapes, 'webview');
}

/** Checks a span list against a text: in bounds, non-empty, sorted, not overlapping. */
export function spanProblem(spans: readonly SpanDto[], textLength: number): string | undefined {
  let last = 0;
  for (const s of spans) {
    if (s.end <= s.start) return `empty span ${s.start}-${s.end}`;
    if (s.end > textLength) return `span ${s.start}-${s.end} is outside the passage (${textLength} characters)`;
    if (s.start < last) return `span ${s.start}-${s.end} overlaps the one before it`;
    last = s.end;
  }
  return undefined;
}
