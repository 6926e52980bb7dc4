// The webview's state: data from the host (never persisted: the host sends it again on
// "ready") and UI state (persisted with setState, so hiding and showing the panel, which
// destroys this page, comes back to the same tab, filters and review position and edits).
import {
  VIEWS,
  type EntitiesDto,
  type FieldsDto,
  type LabelDto,
  type ModelsDto,
  type ReviewQueueDto,
  type SpanDto,
  type TrainingProgressDto,
  type TrainingSetDto,
  type ViewId,
  type WebviewMessage,
} from '../src/shared/messages';
import { safeColor } from './dom';

export interface AppData {
  trainingSet?: TrainingSetDto;
  models?: ModelsDto;
  progress?: TrainingProgressDto;
  labels?: LabelDto[];
  entities?: EntitiesDto;
  fields?: FieldsDto;
  queue?: ReviewQueueDto;
}

/** A span in the review queue's working copy; confidence null = set by a person. */
export interface ReviewSpan extends SpanDto {
  confidence: number | null;
}

export type UndoAction =
  | { kind: 'edit'; key: string; before: ReviewSpan[]; selected: number }
  | { kind: 'commit'; key: string; spans: ReviewSpan[] };

export interface ReviewUi {
  /** key of the passage shown */
  current: string | null;
  /** index of the selected span in it */
  selected: number;
  /** working copies of passages a person changed */
  edits: Record<string, ReviewSpan[]>;
  /** passages accepted in this session */
  done: string[];
  undo: UndoAction[];
}

export interface UiState {
  version: 1;
  view: ViewId;
  entityLabel: string;
  /** show entities with confidence at most this */
  entityMaxConfidence: number;
  entityStatus: 'all' | 'unreviewed' | 'reviewed';
  selectedModel: string | null;
  review: ReviewUi;
}

export interface App {
  data: AppData;
  ui: UiState;
  send(m: WebviewMessage): void;
  /** persists the UI state */
  save(): void;
  /** re-renders a view (or all) */
  render(view?: ViewId): void;
  notify(level: 'info' | 'warning' | 'error', text: string): void;
  labelColor(label: string): string;
  /** switches to a tab */
  show(view: ViewId): void;
  /** redraws the training strip above the tabs */
  banner(): void;
}

export function defaultUi(): UiState {
  return {
    version: 1,
    view: 'training',
    entityLabel: '',
    entityMaxConfidence: 1,
    entityStatus: 'all',
    selectedModel: null,
    review: { current: null, selected: 0, edits: {}, done: [], undo: [] },
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function reviewSpans(v: unknown): ReviewSpan[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: ReviewSpan[] = [];
  for (const s of v) {
    if (!isObj(s) || typeof s.start !== 'number' || typeof s.end !== 'number' || typeof s.label !== 'string')
      return undefined;
    out.push({
      start: s.start,
      end: s.end,
      label: s.label,
      confidence: typeof s.confidence === 'number' ? s.confidence : null,
    });
  }
  return out;
}

/** The saved state, checked field by field (an older or damaged one falls back to defaults). */
export function restoreUi(saved: unknown): UiState {
  const ui = defaultUi();
  if (!isObj(saved) || saved.version !== 1) return ui;
  if (typeof saved.view === 'string' && (VIEWS as readonly string[]).includes(saved.view))
    ui.view = saved.view as ViewId;
  if (typeof saved.entityLabel === 'string') ui.entityLabel = saved.entityLabel;
  if (typeof saved.entityMaxConfidence === 'number' && saved.entityMaxConfidence >= 0 && saved.entityMaxConfidence <= 1)
    ui.entityMaxConfidence = saved.entityMaxConfidence;
  if (saved.entityStatus === 'unreviewed' || saved.entityStatus === 'reviewed') ui.entityStatus = saved.entityStatus;
  if (typeof saved.selectedModel === 'string') ui.selectedModel = saved.selectedModel;
  const r = saved.review;
  if (isObj(r)) {
    if (typeof r.current === 'string') ui.review.current = r.current;
    if (typeof r.selected === 'number' && Number.isInteger(r.selected) && r.selected >= 0)
      ui.review.selected = r.selected;
    if (isObj(r.edits)) {
      for (const [k, v] of Object.entries(r.edits)) {
        const spans = reviewSpans(v);
        if (spans) ui.review.edits[k] = spans;
      }
    }
    if (Array.isArray(r.done)) ui.review.done = r.done.filter((k): k is string => typeof k === 'string');
    if (Array.isArray(r.undo)) {
      for (const a of r.undo) {
        if (!isObj(a) || typeof a.key !== 'string') continue;
        if (a.kind === 'edit') {
          const before = reviewSpans(a.before);
          if (before)
            ui.review.undo.push({
              kind: 'edit',
              key: a.key,
              before,
              selected: typeof a.selected === 'number' ? a.selected : 0,
            });
        } else if (a.kind === 'commit') {
          const spans = reviewSpans(a.spans);
          if (spans) ui.review.undo.push({ kind: 'commit', key: a.key, spans });
        }
      }
    }
  }
  return ui;
}

/** The colour the host gave a label, or a neutral one. */
export function labelColorOf(labels: LabelDto[] | undefined, label: string): string {
  const l = labels?.find((x) => x.name === label);
  return safeColor(l?.color ?? '', 'var(--vscode-descriptionForeground)');
}
