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
  firstEndingAfter,
  normalizeRanges,
  overlaps,
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
  tokenize,
  windows,
} from '../model';
import { now as timingNow, recordTagStep } from './bench-timings';
import { errorMessage } from './log';
import { modelFor } from './model-manager';
import { isEnabledFor, readSettings } from './settings';
import { newDocState, type DisplayEntity, type DocState, type ExtensionState, type LoadedModel } from './state';
import { folderFor } from './workspace-files';

/** characters of pending text handled per step (a few dozen sentences: one or two model calls) */
const CHUNK_CHARS = 6000;
/** how far to look for a paragraph boundary around a chunk */
const BLOCK_CONTEXT = 3000;
/** longer documents are not searched for further occurrences of party names (~10 ms per 300k characters) */
const PROPAGATE_MAX_CHARS = 2_000_000;
/** minimum time between two re-renders of a document while it is being tagged */
const RENDER_INTERVAL_MS = 150;

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Length in UTF-16 units without building the whole text (getText() copies 10 MB documents). */
export function docLength(doc: vscode.TextDocument): number {
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}

export function findOpenDocument(key: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

/** Starts tracking a document if its language, path and size qualify. Returns its state. */
export function trackDocument(state: ExtensionState, doc: vscode.TextDocument): DocState | undefined {
  const key = doc.uri.toString();
  const existing = state.docs.get(key);
  if (existing) return existing;
  const settings = readSettings(doc.uri);
  if (!isEnabledFor(doc, settings)) return undefined;
  const ds = newDocState(doc.uri);
  state.docs.set(key, ds);
  ds.tooLarge = docLength(doc) > settings.maxDocumentSize;
  if (ds.tooLarge) {
    state.log.info(
      `${doc.uri.fsPath || key}: larger than entityLens.maxDocumentSize (${settings.maxDocumentSize}); not tagged`,
    );
  } else {
    ds.pending = [{ start: 0, end: docLength(doc) }];
  }
  return ds;
}

export function untrackDocument(state: ExtensionState, key: string): void {
  const ds = state.docs.get(key);
  if (!ds) return;
  if (ds.debounce) clearTimeout(ds.debounce);
  if (ds.renderTimer) clearTimeout(ds.renderTimer);
  if (ds.propagateTimer) clearTimeout(ds.propagateTimer);
  state.docs.delete(key);
  ds.pending = [];
  resolveWaiters(ds);
}

/** Runs the tagging loop after `delayMs` (restarting the delay if already scheduled). */
export function schedule(state: ExtensionState, ds: DocState, delayMs: number): void {
  if (ds.debounce) clearTimeout(ds.debounce);
  ds.debounce = setTimeout(() => {
    ds.debounce = undefined;
    void runLoop(state, ds);
  }, delayMs);
}

/** Applies an edit to the document's state: shift, drop, mark pending, re-render, debounce. */
export function applyEdit(state: ExtensionState, event: vscode.TextDocumentChangeEvent): void {
  const ds = state.docs.get(event.document.uri.toString());
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
  state.entitiesChanged.fire(ds);
  schedule(state, ds, settings.debounceMs);
}

export function applyChange(ds: DocState, c: TextChange): void {
  shiftInPlace(ds.predictions, c);
  ds.confirmed = shiftItems(ds.confirmed, c);
  ds.reviewed = shiftRangesSplit(ds.reviewed, c);
  ds.passages = shiftRangesStretch(ds.passages, c);
  ds.pending = addRange(shiftRangesStretch(ds.pending, c), { start: c.start, end: c.start + c.newLength });
  ds.stepChanges?.push(c);
  ds.display = undefined;
}

/** Marks whole documents for re-tagging (a new model, a settings change). */
export function retagAll(state: ExtensionState): void {
  for (const ds of state.docs.values()) {
    const doc = findOpenDocument(ds.key);
    if (!doc || ds.tooLarge) continue;
    ds.pending = [{ start: 0, end: docLength(doc) }];
    schedule(state, ds, 0);
  }
}

/** Resolves when the document has nothing left to tag (or after `timeoutMs`). */
export function whenIdle(state: ExtensionState, key: string, timeoutMs = 30_000): Promise<boolean> {
  const ds = state.docs.get(key);
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
function isIdle(ds: DocState): boolean {
  return !ds.running && !ds.debounce && !ds.propagateTimer && (ds.pending.length === 0 || ds.stalled);
}

/** how long after tagging stops the document-level party pass runs: typing goes on undisturbed */
const PROPAGATE_DELAY_MS = 250;

/**
 * Runs the document-level pass once tagging has been quiet for a moment, then re-renders. The
 * edited sentence's own entities are shown at once; lent party names follow (they stay in
 * place meanwhile: only re-tagged text drops them). 10 ms on a 300k-character contract.
 */
function schedulePropagation(state: ExtensionState, ds: DocState): void {
  if (ds.propagateTimer) clearTimeout(ds.propagateTimer);
  ds.propagateTimer = setTimeout(() => {
    ds.propagateTimer = undefined;
    const doc = findOpenDocument(ds.key);
    if (doc && state.docs.get(ds.key) === ds && !ds.running && ds.pending.length === 0) {
      try {
        propagateDocument(ds, doc);
      } catch (e) {
        state.log.error(`finding further party names in ${ds.uri.fsPath || ds.key} failed: ${errorMessage(e)}`);
      }
      renderNow(state, ds);
    }
    if (isIdle(ds) || !doc) resolveWaiters(ds);
  }, PROPAGATE_DELAY_MS);
}

function resolveWaiters(ds: DocState): void {
  const waiters = ds.waiters;
  ds.waiters = [];
  for (const w of waiters) w();
}

async function runLoop(state: ExtensionState, ds: DocState): Promise<void> {
  if (ds.running) return;
  ds.running = true;
  state.taggingCount++;
  state.statusChanged.fire();
  const started = Date.now();
  let steps = 0;
  let longest = 0;
  let lastModel: LoadedModel | undefined;
  try {
    while (ds.pending.length > 0 && state.docs.get(ds.key) === ds) {
      const doc = findOpenDocument(ds.key);
      if (!doc) break;
      const m0 = timingNow(); // bench hook (benchTimings.ts)
      const model = await modelFor(state, folderFor(doc.uri));
      const modelLookupMs = timingNow() - m0;
      if (!model) {
        ds.stalled = true; // nothing to tag with: pending stays until a model appears
        break;
      }
      ds.stalled = false;
      lastModel = model;
      const t0 = Date.now();
      try {
        await step(ds, doc, model, modelLookupMs);
        steps++;
        longest = Math.max(longest, Date.now() - t0);
      } catch (e) {
        const message = errorMessage(e);
        if (/after dispose/.test(message)) continue; // the model was swapped mid-step: retry with the new one
        state.log.error(`tagging ${doc.uri.fsPath || ds.key} failed: ${message}`);
        ds.pending = [];
        break;
      }
      scheduleRender(state, ds);
      await yieldNow();
    }
  } finally {
    const took = Date.now() - started;
    if (took > 1000) {
      state.log.info(
        `tagged ${ds.uri.fsPath || ds.key} in ${steps} chunks, ${(took / 1000).toFixed(1)} s (longest chunk ${longest} ms), ${ds.predictions.length} entities`,
      );
    }
    ds.running = false;
    ds.stepChanges = undefined;
    if (lastModel?.tagger.propagate && ds.pending.length === 0 && state.docs.get(ds.key) === ds)
      schedulePropagation(state, ds);
    state.taggingCount--;
    state.statusChanged.fire();
    renderNow(state, ds);
    if (isIdle(ds) || !findOpenDocument(ds.key)) resolveWaiters(ds);
  }
}

/** Tags the sentence windows overlapping the next pending chunk. */
async function step(ds: DocState, doc: vscode.TextDocument, model: LoadedModel, modelLookupMs = 0): Promise<void> {
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
    ds.display = undefined;
    return;
  }
  ds.stepChanges = [];
  let results: Entity[][];
  try {
    results = await model.tagger.tagWindows(block.text, selected);
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
  ds.display = undefined;
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
export function propagateDocument(ds: DocState, doc: vscode.TextDocument): void {
  if (docLength(doc) > PROPAGATE_MAX_CHARS) return;
  const own = ds.predictions.filter((e) => e.source !== 'document');
  const all = propagateEntities(doc.getText(), null, own);
  ds.predictions =
    all === own ? own : all.map((e) => ('reviewed' in e ? (e as DisplayEntity) : { ...e, reviewed: false }));
  ds.display = undefined;
}

/** The next piece of pending text: inside a visible range if any, else the nearest after it. */
export function nextChunk(pending: readonly Range[], visible: readonly Range[], size: number): Range {
  for (const v of visible) {
    for (const p of pending) {
      if (p.start <= v.end && p.end >= v.start) {
        const start = Math.max(p.start, v.start);
        return { start, end: Math.min(p.end, start + size) };
      }
    }
  }
  const anchor = visible.length > 0 ? visible[0].end : 0;
  const p = pending.find((r) => r.end >= anchor) ?? pending[0];
  const start = p.start <= anchor && p.end >= anchor ? anchor : p.start;
  return { start, end: Math.min(p.end, start + size) };
}

function visibleOffsets(doc: vscode.TextDocument): Range[] {
  const out: Range[] = [];
  for (const editor of vscode.window.visibleTextEditors) {
    if (editor.document !== doc) continue;
    for (const r of editor.visibleRanges) out.push({ start: doc.offsetAt(r.start), end: doc.offsetAt(r.end) });
  }
  return normalizeRanges(out);
}

/**
 * The text around `range` out to paragraph boundaries (a blank line), or to a line break
 * when no blank line is near, or BLOCK_CONTEXT characters at most. Sentences never cross a
 * blank line, so windows computed inside the block are the document's own windows.
 */
export function readBlock(doc: vscode.TextDocument, range: Range): { start: number; text: string } {
  const length = docLength(doc);
  const from = Math.max(0, range.start - BLOCK_CONTEXT);
  const to = Math.min(length, range.end + BLOCK_CONTEXT);
  const text = doc.getText(new vscode.Range(doc.positionAt(from), doc.positionAt(to)));
  const a = range.start - from;
  const b = range.end - from;
  const before = text.slice(0, a);
  const blankBefore = lastMatchEnd(before, /\n[ \t\r\f\v]*\n/g);
  const start = blankBefore >= 0 ? blankBefore : from > 0 ? before.lastIndexOf('\n') + 1 : 0;
  const after = text.slice(b);
  const blankAfter = after.search(/\n[ \t\r\f\v]*\n/);
  const nl = after.indexOf('\n');
  const end = b + (blankAfter >= 0 ? blankAfter : to < length && nl >= 0 ? nl : after.length);
  return { start: from + start, text: text.slice(start, end) };
}

function lastMatchEnd(text: string, re: RegExp): number {
  let last = -1;
  for (const m of text.matchAll(re)) last = (m.index ?? 0) + m[0].length;
  return last;
}

/** Token-aligned version of a selection: whole tokens it overlaps, without outer whitespace. */
export function snapToTokens(doc: vscode.TextDocument, range: Range): Range | undefined {
  const length = docLength(doc);
  const from = Math.max(0, range.start - 200);
  const to = Math.min(length, range.end + 200);
  const text = doc.getText(new vscode.Range(doc.positionAt(from), doc.positionAt(to)));
  let first: Token | undefined;
  let last: Token | undefined;
  for (const t of tokenize(text)) {
    const s = t.start + from;
    const e = t.end + from;
    if (e > range.start && s < range.end) {
      first ??= t;
      last = t;
    }
    if (s >= range.end) break;
  }
  if (!first || !last) return undefined;
  return { start: first.start + from, end: last.end + from };
}

// ------------------------------------------------------------------ what is shown

/** Predictions outside reviewed text, plus confirmed spans; sorted by start. */
export function displayEntities(ds: DocState): DisplayEntity[] {
  if (ds.display) return ds.display;
  // nothing reviewed: the predictions themselves (no copy: a 10 MB document has 100k+ of them)
  if (ds.reviewed.length === 0 && ds.confirmed.length === 0) return (ds.display = ds.predictions);
  const out: DisplayEntity[] = [];
  const reviewed = ds.reviewed;
  let r = 0;
  let c = 0;
  const confirmed = ds.confirmed;
  for (const p of ds.predictions) {
    while (r < reviewed.length && reviewed[r].end <= p.start) r++;
    if (r < reviewed.length && overlaps(p, reviewed[r])) continue;
    while (c < confirmed.length && confirmed[c].start <= p.start) {
      out.push({ ...confirmed[c], confidence: 1, reviewed: true });
      c++;
    }
    out.push(p);
  }
  for (; c < confirmed.length; c++) out.push({ ...confirmed[c], confidence: 1, reviewed: true });
  ds.display = out;
  return out;
}

/** The shown entity at an offset (inside it or touching its end), or overlapping a range. */
export function entityAt(ds: DocState, range: Range): DisplayEntity | undefined {
  const list = displayEntities(ds);
  let best: DisplayEntity | undefined;
  // entities are sorted and never overlap: start at the first one ending at or after range.start
  for (let i = firstEndingAfter(list, range.start - 1); i < list.length; i++) {
    const e = list[i];
    if (e.start > range.end) break;
    const hit = range.start === range.end ? e.start <= range.start && range.start <= e.end : overlaps(e, range);
    if (hit) {
      best = e;
      if (range.start === range.end && range.start < e.end) break;
    }
  }
  return best;
}

// ------------------------------------------------------------------ rendering cadence

export function scheduleRender(state: ExtensionState, ds: DocState): void {
  const wait = RENDER_INTERVAL_MS - (Date.now() - ds.lastRender);
  if (wait <= 0) {
    renderNow(state, ds);
    return;
  }
  if (ds.renderTimer) return;
  ds.renderTimer = setTimeout(() => {
    ds.renderTimer = undefined;
    renderNow(state, ds);
  }, wait);
}

export function renderNow(state: ExtensionState, ds: DocState): void {
  if (ds.renderTimer) {
    clearTimeout(ds.renderTimer);
    ds.renderTimer = undefined;
  }
  ds.lastRender = Date.now();
  if (state.docs.get(ds.key) === ds) state.entitiesChanged.fire(ds);
}

export function toRange(doc: vscode.TextDocument, r: Range): vscode.Range {
  return new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end));
}
