// Incremental tagging of open documents. Each document has a DocState (state.ts): the model's
// predictions, the text still to tag (`pending`) and what a person reviewed. On an edit,
// everything after the change moves by its length delta, entities it touches are dropped and
// the changed text becomes pending; after a debounce, only the sentence windows overlapping
// pending text are re-tagged. Work goes in chunks of a few thousand characters, the visible
// part of the document first, yielding to the editor between chunks.
import * as vscode from 'vscode';
import {
  addRange,
  type Entity,
  lendsNames,
  propagateEntities,
  type Range,
  shiftInPlace,
  shiftItems,
  shiftRangesSplit,
  shiftRangesStretch,
  spliceRegion,
  subtractRange,
  type TextChange,
  type Token,
  windows,
  errorMessage,
} from '../model';
import { docLength, findOpenDocument, nextChunk, readBlock, visibleOffsets } from './document-text';
import { now as timingNow, recordTagStep } from './bench-timings';
import { modelFor } from './model-manager';
import { decideOpenDocument } from './document-choice';
import { readSettings } from './settings';
import type { Ctx, LoadedModel } from './ctx';
import type { DisplayEntity, TrackedDocument } from './tracked-document';
import { folderFor } from './workspace-files';
import { shiftLabelRanges } from './label-ranges';
import { kindOfDocument } from './document-kinds';

/** characters of pending text handled per step (a few dozen sentences: one or two model calls) */
const CHUNK_CHARS = 6000;
/** longer documents are not searched for further occurrences of party names (the pass grows with the length) */
const PROPAGATE_MAX_CHARS = 2_000_000;
/** minimum time between two re-renders of a document while it is being tagged */
const RENDER_INTERVAL_MS = 150;

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Starts tracking a document if it is to be tagged (document-choice.ts: language, globs, what the
 * text reads like, a person's choice); the decision is kept either way for the status bar.
 */
export function trackDocument(ctx: Ctx, doc: vscode.TextDocument): TrackedDocument | undefined {
  const existing = ctx.document(doc.uri);
  if (existing) return existing;
  const settings = readSettings(doc.uri);
  const decision = decideOpenDocument(doc, ctx.choices, settings);
  ctx.setDecision(doc.uri, decision);
  if (!decision?.tag) return undefined;
  const ds = ctx.track(doc.uri);
  ds.tooLarge = docLength(doc) > settings.maxDocumentSize;
  if (ds.tooLarge) {
    ctx.log.info(
      `${doc.uri.fsPath || ds.key}: larger than entityLens.maxDocumentSize (${settings.maxDocumentSize}); not tagged`,
    );
  } else {
    ds.pending = [{ start: 0, end: docLength(doc) }];
  }
  return ds;
}

export function untrackDocument(ctx: Ctx, key: string): void {
  const ds = ctx.untrack(key);
  if (!ds) return;
  if (ds.debounce) clearTimeout(ds.debounce);
  if (ds.renderTimer) clearTimeout(ds.renderTimer);
  if (ds.propagateTimer) clearTimeout(ds.propagateTimer);
  ds.pending = [];
  resolveWaiters(ds);
}

/** Runs the tagging loop after `delayMs` (restarting the delay if already scheduled). */
export function schedule(ctx: Ctx, ds: TrackedDocument, delayMs: number): void {
  if (ds.debounce) clearTimeout(ds.debounce);
  ds.debounce = setTimeout(() => {
    ds.debounce = undefined;
    void runLoop(ctx, ds);
  }, delayMs);
}

/** Applies an edit to the document's state: shift, drop, mark pending, re-render, debounce. */
export function applyEdit(ctx: Ctx, event: vscode.TextDocumentChangeEvent): void {
  const ds = ctx.document(event.document.uri.toString());
  if (!ds || event.contentChanges.length === 0) return;
  const changes: TextChange[] = [...event.contentChanges]
    .sort((a, b) => b.rangeOffset - a.rangeOffset)
    .map((c) => ({ start: c.rangeOffset, oldEnd: c.rangeOffset + c.rangeLength, newLength: c.text.length }));
  for (const c of changes) applyChange(ds, c);
  const settings = readSettings(event.document.uri);
  const length = docLength(event.document);
  if (length > settings.maxDocumentSize) {
    ds.tooLarge = true;
    ds.pending = [];
  } else if (ds.tooLarge) {
    ds.tooLarge = false;
    ds.pending = [{ start: 0, end: length }];
  }
  ctx.entitiesChanged.fire(ds);
  schedule(ctx, ds, settings.debounceMs);
}

export function applyChange(ds: TrackedDocument, c: TextChange): void {
  shiftInPlace(ds.predictions, c);
  ds.confirmed = shiftItems(ds.confirmed, c);
  ds.reviewed = shiftRangesSplit(ds.reviewed, c);
  ds.judged = shiftLabelRanges(ds.judged, c);
  ds.passages = shiftRangesStretch(ds.passages, c);
  ds.pending = addRange(shiftRangesStretch(ds.pending, c), { start: c.start, end: c.start + c.newLength });
  ds.stepChanges?.push(c);
  ds.invalidate();
}

/** Marks whole documents for re-tagging (a new model, a settings change). */
export function retagAll(ctx: Ctx): void {
  for (const ds of ctx.documents()) {
    const doc = findOpenDocument(ds.key);
    if (!doc || ds.tooLarge) continue;
    ds.retagWhole(docLength(doc));
    schedule(ctx, ds, 0);
  }
}

/** Resolves when the document has nothing left to tag (or after `timeoutMs`). */
export function whenIdle(ctx: Ctx, key: string, timeoutMs = 30_000): Promise<boolean> {
  const ds = ctx.document(key);
  if (!ds || isIdle(ds)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    ds.waiters.push(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Nothing more will happen without an edit or a new model. */
function isIdle(ds: TrackedDocument): boolean {
  return !ds.running && !ds.debounce && !ds.propagateTimer && (ds.pending.length === 0 || ds.stalled);
}

/** how long after tagging stops the document-level party pass runs: typing goes on undisturbed */
const PROPAGATE_DELAY_MS = 250;

/**
 * Runs the document-level pass once tagging has been quiet for a moment, then re-renders. The
 * edited sentence's own entities are shown at once; lent party names follow (they stay in
 * place meanwhile: only re-tagged text drops them). Its cost is in the README's Performance section.
 */
function schedulePropagation(ctx: Ctx, ds: TrackedDocument): void {
  if (ds.propagateTimer) clearTimeout(ds.propagateTimer);
  ds.propagateTimer = setTimeout(() => {
    ds.propagateTimer = undefined;
    const doc = findOpenDocument(ds.key);
    if (doc && ctx.isCurrent(ds) && !ds.running && ds.pending.length === 0) {
      try {
        // the kind as the text reads now (a pasted contract in a new file), not as first tagged
        propagateDocument(ds, doc, kindOfDocument(ctx.context.workspaceState, doc));
      } catch (e) {
        ctx.log.error(`finding further party names in ${ds.uri.fsPath || ds.key} failed: ${errorMessage(e)}`);
      }
      renderNow(ctx, ds);
    }
    if (isIdle(ds) || !doc) resolveWaiters(ds);
  }, PROPAGATE_DELAY_MS);
}

function resolveWaiters(ds: TrackedDocument): void {
  const waiters = ds.waiters;
  ds.waiters = [];
  for (const w of waiters) w();
}

async function runLoop(ctx: Ctx, ds: TrackedDocument): Promise<void> {
  if (ds.running) return;
  ds.running = true;
  ctx.taggingStarted();
  const started = Date.now();
  let steps = 0;
  let longest = 0;
  let lastModel: LoadedModel | undefined;
  try {
    while (ds.pending.length > 0 && ctx.isCurrent(ds)) {
      const doc = findOpenDocument(ds.key);
      if (!doc) break;
      const m0 = timingNow(); // bench hook (benchTimings.ts)
      const model = await modelFor(ctx, folderFor(doc.uri));
      const modelLookupMs = timingNow() - m0;
      if (!model) {
        ds.stalled = true; // nothing to tag with: pending stays until a model appears
        break;
      }
      ds.stalled = false;
      lastModel = model;
      const t0 = Date.now();
      try {
        await step(ctx, ds, doc, model, modelLookupMs);
        steps++;
        longest = Math.max(longest, Date.now() - t0);
      } catch (e) {
        const message = errorMessage(e);
        if (/after dispose/.test(message)) continue; // the model was swapped mid-step: retry with the new one
        ctx.log.error(`tagging ${doc.uri.fsPath || ds.key} failed: ${message}`);
        ds.pending = [];
        break;
      }
      scheduleRender(ctx, ds);
      await yieldNow();
    }
  } finally {
    const took = Date.now() - started;
    if (took > 1000) {
      ctx.log.info(
        `tagged ${ds.uri.fsPath || ds.key} in ${steps} chunks, ${(took / 1000).toFixed(1)} s (longest chunk ${longest} ms), ${ds.predictions.length} entities`,
      );
    }
    ds.running = false;
    ds.stepChanges = undefined;
    if (lastModel?.tagger.propagate && ds.pending.length === 0 && ctx.isCurrent(ds)) schedulePropagation(ctx, ds);
    ctx.taggingStopped();
    renderNow(ctx, ds);
    if (isIdle(ds) || !findOpenDocument(ds.key)) resolveWaiters(ds);
  }
}

/** Tags the sentence windows overlapping the next pending chunk. */
async function step(
  ctx: Ctx,
  ds: TrackedDocument,
  doc: vscode.TextDocument,
  model: LoadedModel,
  modelLookupMs = 0,
): Promise<void> {
  const t0 = timingNow(); // bench hook (benchTimings.ts)
  const chunk = nextChunk(ds.pending, visibleOffsets(doc), CHUNK_CHARS);
  const block = readBlock(doc, chunk);
  const selected: Token[][] = [];
  let region: Range = { ...chunk };
  for (const w of windows(block.text, model.tagger.maxTokens)) {
    if (w.length === 0) continue;
    const start = w[0].start + block.start;
    const end = w[w.length - 1].end + block.start;
    if (start > chunk.end || end < chunk.start) continue;
    selected.push(w);
    region = { start: Math.min(region.start, start), end: Math.max(region.end, end) };
  }
  ds.pending = subtractRange(ds.pending, region);
  if (selected.length === 0) {
    spliceRegion(ds.predictions, region, []);
    ds.invalidate();
    return;
  }
  ds.stepChanges = [];
  let results: Entity[][];
  try {
    // a model tuned on some kinds only routes by the document's kind, read once per document
    const kind = model.info.scope ? (ds.kind ??= kindOfDocument(ctx.context.workspaceState, doc)) : undefined;
    results = await model.tagger.tagWindows(block.text, selected, { kind });
  } catch (e) {
    let back = region;
    for (const c of ds.stepChanges ?? []) back = shiftRangesStretch([back], c)[0];
    ds.pending = addRange(ds.pending, back);
    ds.stepChanges = undefined;
    throw e;
  }
  const changes = ds.stepChanges ?? [];
  ds.stepChanges = undefined;
  let found: DisplayEntity[] = results
    .flat()
    .map((e) => ({ ...e, start: e.start + block.start, end: e.end + block.start, reviewed: false }));
  for (const c of changes) {
    found = shiftItems(found, c);
    region = shiftRangesStretch([region], c)[0];
  }
  spliceRegion(ds.predictions, region, found);
  ds.modelKey = model.key;
  ds.invalidate();
  recordTagStep({
    key: ds.key,
    start: t0,
    end: timingNow(),
    chunkChars: chunk.end - chunk.start,
    blockChars: block.text.length,
    windows: selected.length,
    tokens: selected.reduce((n, w) => n + w.length, 0),
    modelLookupMs,
  });
}

/**
 * The document-level pass `entity-lens tag` makes too: further occurrences of confident party
 * names (their short names, in capitals) get the label (propagate.ts). Runs over the model's
 * own entities each time, so an edited name's lent occurrences go with it.
 */
export function propagateDocument(ds: TrackedDocument, doc: vscode.TextDocument, kind: string): void {
  if (docLength(doc) > PROPAGATE_MAX_CHARS) return;
  const own = ds.predictions.filter((e) => e.source !== 'document');
  const all = lendsNames(kind) ? propagateEntities(doc.getText(), null, own) : own;
  ds.predictions =
    all === own ? own : all.map((e) => ('reviewed' in e ? (e as DisplayEntity) : { ...e, reviewed: false }));
  ds.invalidate();
}

// ------------------------------------------------------------------ rendering cadence

export function scheduleRender(ctx: Ctx, ds: TrackedDocument): void {
  const wait = RENDER_INTERVAL_MS - (Date.now() - ds.lastRender);
  if (wait <= 0) {
    renderNow(ctx, ds);
    return;
  }
  if (ds.renderTimer) return;
  ds.renderTimer = setTimeout(() => {
    ds.renderTimer = undefined;
    renderNow(ctx, ds);
  }, wait);
}

export function renderNow(ctx: Ctx, ds: TrackedDocument): void {
  if (ds.renderTimer) {
    clearTimeout(ds.renderTimer);
    ds.renderTimer = undefined;
  }
  ds.lastRender = Date.now();
  if (ctx.isCurrent(ds)) ctx.entitiesChanged.fire(ds);
}
