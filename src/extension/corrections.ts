// What a person's accept or correction does: the spans they confirmed are shown at once and
// kept over later predictions, the text they judged (for one label, or reviewed for all) shows
// only those, and the passage around it (its paragraph, or its sentences in a long paragraph) is
// saved as a snapshot record. Each correction can be taken back: Undo Last Correction appends the
// records it replaced (or tombstones) and puts the document's state back where it changed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { kindOfDocument } from './document-kinds';
import {
  contains,
  firstEndingAfter,
  normalizeRanges,
  overlaps,
  overlapsAny,
  subtractRange,
  type LabelRange,
  type Range,
  type Span,
  passageInBlock,
  errorMessage,
  labelProblem,
  passageId,
  recordsForUri,
  type AnnotationRecord,
} from '../model';
import { renderNow } from './document-tagger';
import { readBlock, toRange } from './document-text';
import { readSettings } from './settings';
import { type Ctx } from './ctx';
import { type ConfirmedSpan, type Passage, type TrackedDocument } from './tracked-document';
import { folderFor, folderPath, appendAnnotations, compactAnnotations } from './workspace-files';
import { CommandId } from './command-ids';
import { extractedHash, storedUri } from './pages/extracted-uri';
import { clipLabelRanges, normalizeLabelRanges, restoreLabelRanges } from './label-ranges';
import type { CorrectionState, UndoEntry } from './correction-history';

export interface Review {
  /** text reviewed for every label (a passage reviewed in the dashboard): inside it, exactly `spans` are entities */
  range?: Range;
  /** entities a person confirmed */
  spans: Span[];
  /** per label: inside each range, that label's entities are exactly its `spans` there */
  judged?: LabelRange[];
}

export interface ReviewOptions {
  /** names the correction for Undo Last Correction; without a name it is not on the undo stack */
  undo?: string;
}

/** Applies reviews to the document state and saves the passages they touch. */
export async function applyReviews(
  ctx: Ctx,
  doc: vscode.TextDocument,
  ds: TrackedDocument,
  reviews: Review[],
  options: ReviewOptions = {},
): Promise<AnnotationRecord[]> {
  // a label the annotation store and the trainer would refuse is never shown or saved
  for (const review of reviews) {
    for (const s of [...review.spans, ...(review.judged ?? [])]) {
      const problem = labelProblem(s.label);
      if (problem !== null) throw new Error(problem);
    }
  }
  const before = stateOf(ds);
  const ranges: Range[] = [];
  const judged: LabelRange[] = [];
  const added: ConfirmedSpan[] = [];
  for (const review of reviews) {
    const spans = review.spans.filter((s) => s.end > s.start);
    if (review.range) {
      let range = review.range;
      for (const s of spans) range = { start: Math.min(range.start, s.start), end: Math.max(range.end, s.end) };
      ranges.push(range);
    }
    for (const j of review.judged ?? []) {
      // a judged range holds its label's confirmed spans whole
      let range: Range = j;
      for (const s of spans)
        if (s.label === j.label && overlaps(s, range))
          range = { start: Math.min(range.start, s.start), end: Math.max(range.end, s.end) };
      judged.push({ start: range.start, end: range.end, label: j.label });
    }
    for (const s of spans)
      added.push({ start: s.start, end: s.end, label: s.label, text: doc.getText(toRange(doc, s)) });
  }
  // confirmed spans inside a reviewed range, a judged range of their label or under a new span
  // are replaced (one sweep: accept-all sends many ranges)
  const cut = normalizeRanges(ranges);
  const kept: ConfirmedSpan[] = [];
  let r = 0;
  for (const c of ds.confirmed) {
    while (r < cut.length && cut[r].end <= c.start) r++;
    if (r < cut.length && overlaps(c, cut[r])) continue;
    if (judged.some((j) => j.label === c.label && overlaps(j, c))) continue;
    if (added.some((a) => overlaps(a, c))) continue;
    kept.push(c);
  }
  ds.setReview(
    [...kept, ...dropOverlapping(added)].sort((a, b) => a.start - b.start),
    [...ds.reviewed, ...cut],
    normalizeLabelRanges([...ds.judged, ...judged]),
  );
  renderNow(ctx, ds);
  const touched = normalizeRanges([...cut, ...judged, ...added]);
  const saved = await savePassages(ctx, doc, ds, touched, !!options.undo);
  if (options.undo) {
    const region = normalizeRanges([
      ...touched,
      ...saved.records.map((x) => ({ start: x.start ?? 0, end: (x.start ?? 0) + x.text.length })),
    ]);
    ctx.corrections.push(ds.key, {
      title: options.undo,
      region,
      before,
      folder: saved.folder,
      uri: storedUri(doc.uri).toString(),
      prior: saved.prior,
      saved: saved.folder ? saved.records.length : 0,
      editedAfter: false,
    });
  }
  return saved.records;
}

function stateOf(ds: TrackedDocument): CorrectionState {
  return {
    confirmed: ds.confirmed.map((c) => ({ ...c })),
    reviewed: ds.reviewed.map((x) => ({ ...x })),
    judged: ds.judged.map((x) => ({ ...x })),
    passages: ds.passages.map((p) => ({ ...p })),
  };
}

/** Later spans win over earlier ones they overlap (two selections tagged at once). */
function dropOverlapping(spans: ConfirmedSpan[]): ConfirmedSpan[] {
  const out: ConfirmedSpan[] = [];
  for (const s of spans) {
    for (let i = out.length - 1; i >= 0; i--) if (overlaps(out[i], s)) out.splice(i, 1);
    out.push(s);
  }
  return out;
}

interface Saved {
  records: AnnotationRecord[];
  /** where they were appended (undefined: not saved) */
  folder?: string;
  /** with `capture`: per id written, deleted or superseded, its record before the append */
  prior: Map<string, AnnotationRecord | undefined>;
}

/** Writes one snapshot record per passage around `ranges` (merging with passages already saved). */
async function savePassages(
  ctx: Ctx,
  doc: vscode.TextDocument,
  ds: TrackedDocument,
  ranges: Range[],
  capture: boolean,
): Promise<Saved> {
  const prior = new Map<string, AnnotationRecord | undefined>();
  const folder = folderFor(doc.uri);
  const fp = folderPath(folder);
  if (!vscode.workspace.isTrusted || !fp) {
    if (ctx.firstTime('untrustedNotSaved')) {
      const why = !vscode.workspace.isTrusted ? 'this workspace is not trusted' : 'no workspace folder is open';
      void vscode.window.showInformationMessage(`Entity Lens: corrections are shown but not saved: ${why}.`);
    }
    return { records: [], prior };
  }
  const records: AnnotationRecord[] = [];
  const tombstones: AnnotationRecord[] = [];
  // a PDF's or image's text view: stored against the file and the hash of the bytes it was read from
  const source = storedUri(doc.uri);
  const sha256 = extractedHash(doc.uri);
  const uri = source.toString();
  // ids from the folder-relative path: stable when the workspace folder moves
  const idKey = folder && source.scheme === 'file' ? path.relative(fp, source.fsPath).split(path.sep).join('/') : uri;
  const time = new Date().toISOString();
  // the document's kind: training scopes the model it makes to the kinds corrected (a passage alone may not tell)
  const kind = (ds.kind ??= kindOfDocument(ctx.context.workspaceState, doc));
  const saved: Range[] = [];
  for (const range of normalizeRanges(ranges)) {
    // several entities of one paragraph: one record for it
    if (saved.some((x) => contains(x, range))) continue;
    let p = passageAround(doc, range);
    // grow until no confirmed span or saved passage crosses its edge
    let ids: string[] = [];
    for (let changed = true; changed;) {
      changed = false;
      for (const s of [...ds.confirmed, ...ds.passages]) {
        if ((overlaps(s, p) || (s.start === p.start && s.end === p.end)) && !contains(p, s)) {
          p = { start: Math.min(p.start, s.start), end: Math.max(p.end, s.end) };
          changed = true;
        }
      }
    }
    const merged = ds.passages.filter((x) => overlaps(x, p) || contains(p, x));
    ids = merged.map((x) => x.id);
    const id = ids[0] ?? passageId(idKey, p.start);
    for (const dead of ids.slice(1)) tombstones.push({ id: dead, text: '', spans: [], source: 'editor', uri, time });
    ds.setPassages(
      [...ds.passages.filter((x) => !merged.includes(x)), { id, start: p.start, end: p.end } as Passage].sort(
        (a, b) => a.start - b.start,
      ),
    );
    const text = doc.getText(toRange(doc, p));
    const spans = ds.confirmed
      .filter((s) => contains(p, s))
      .map((s) => ({ start: s.start - p.start, end: s.end - p.start, label: s.label }));
    const reviewed: Range[] = [];
    for (const r of ds.reviewed) {
      const start = Math.max(r.start, p.start);
      const end = Math.min(r.end, p.end);
      if (end > start) reviewed.push({ start: start - p.start, end: end - p.start });
    }
    const record: AnnotationRecord = { id, text, spans, source: 'editor', kind, reviewed, uri, time, start: p.start };
    const judged = clipLabelRanges(ds.judged, p);
    if (judged.length > 0) record.judged = judged;
    if (sha256) record.sha256 = sha256;
    if (reviewed.length === 1 && reviewed[0].start <= firstNonSpace(text) && reviewed[0].end >= lastNonSpace(text))
      record.complete = 'all';
    records.push(record);
    saved.push(p);
  }
  try {
    if (capture) {
      // what these records replace: the same ids, and (by the store's rule) the same text of the document
      const stored = recordsForUri(await ctx.readAnnotations(fp), uri);
      const written = new Set([...tombstones, ...records].map((x) => x.id));
      const texts = new Set(records.map((x) => x.text));
      for (const id of written) prior.set(id, undefined);
      for (const old of stored) if (written.has(old.id) || texts.has(old.text)) prior.set(old.id, old);
    }
    await appendAnnotations(fp, [...tombstones, ...records]);
    ctx.log.info(`saved ${records.length} annotation record(s) for ${doc.uri.fsPath || uri}`);
    void compactAnnotations(fp).catch((e) => ctx.log.warn(`compacting annotations failed: ${errorMessage(e)}`));
    const count = await countSinceTraining(ctx, fp, records.length);
    const every = readSettings(doc.uri).autoTrainAfter;
    if (every > 0 && count >= every && !ctx.training.running) {
      void vscode.commands.executeCommand(CommandId.trainModel, { auto: true, folder: fp });
    }
  } catch (e) {
    const message = `Entity Lens: could not save the annotation: ${errorMessage(e)}`;
    ctx.log.error(message);
    void vscode.window.showErrorMessage(message);
    return { records, prior: new Map() };
  }
  return { records, folder: fp, prior };
}

/** Adds to the folder's count of records saved since the last training; returns the new count. */
async function countSinceTraining(ctx: Ctx, folder: string, added: number): Promise<number> {
  const key = `sinceTraining:${folder}`;
  const count = Math.max(0, (ctx.context.workspaceState.get<number>(key) ?? 0) + added);
  await ctx.context.workspaceState.update(key, count);
  return count;
}

/**
 * Takes a correction back: inside the region it touched, the document state from before it;
 * in the annotation store, the records it replaced appended again (a tombstone where there was
 * none), in one all-or-nothing append, so the latest record is the earlier one again.
 */
export async function undoCorrection(
  ctx: Ctx,
  doc: vscode.TextDocument,
  ds: TrackedDocument,
  entry: UndoEntry,
): Promise<void> {
  if (entry.folder && entry.prior.size > 0) {
    const time = new Date().toISOString();
    const back: AnnotationRecord[] = [];
    const tombstones: AnnotationRecord[] = [];
    for (const [id, record] of entry.prior) {
      if (record) back.push({ ...record, time });
      else tombstones.push({ id, text: '', spans: [], source: 'editor', uri: entry.uri, time });
    }
    // first: if this throws, the document state stays as the store has it
    await appendAnnotations(entry.folder, [...tombstones, ...back]);
    await countSinceTraining(ctx, entry.folder, -entry.saved);
    ctx.log.info(
      `undid ${entry.title} in ${doc.uri.fsPath || entry.uri}: ${back.length} record(s) restored, ${tombstones.length} removed`,
    );
  }
  const region = entry.region;
  const inRegion = (x: Range): boolean => overlapsAny(x, region) || region.some((r) => contains(r, x));
  const confirmed = [
    ...ds.confirmed.filter((c) => !inRegion(c)),
    ...entry.before.confirmed.filter((c) => inRegion(c)),
  ].sort((a, b) => a.start - b.start);
  let reviewed = ds.reviewed;
  for (const cut of region) reviewed = subtractRange(reviewed, cut);
  for (const x of entry.before.reviewed) {
    for (const cut of region) {
      const start = Math.max(x.start, cut.start);
      const end = Math.min(x.end, cut.end);
      if (end > start) reviewed.push({ start, end });
    }
  }
  ds.setReview(confirmed, reviewed, restoreLabelRanges(ds.judged, entry.before.judged, region));
  ds.setPassages(
    [...ds.passages.filter((p) => !inRegion(p)), ...entry.before.passages.filter((p) => inRegion(p))].sort(
      (a, b) => a.start - b.start,
    ),
  );
  renderNow(ctx, ds);
}

function firstNonSpace(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index : 0;
}
function lastNonSpace(text: string): number {
  const m = /\S\s*$/.exec(text);
  return m ? m.index + 1 : text.length;
}

/** The paragraph around a range, or its sentences when the paragraph is long; token-trimmed. */
export function passageAround(doc: vscode.TextDocument, range: Range): Range {
  return passageInBlock(readBlock(doc, range), range);
}

/** Puts back what earlier sessions reviewed in this document, where the snapshot text still is. */
export async function restoreReviewed(ctx: Ctx, doc: vscode.TextDocument, ds: TrackedDocument): Promise<void> {
  ds.markRestored();
  const fp = folderPath(folderFor(doc.uri));
  if (!fp) return;
  let records: AnnotationRecord[];
  try {
    records = recordsForUri(await ctx.readAnnotations(fp), storedUri(doc.uri).toString());
  } catch (e) {
    ctx.log.warn(`reading annotations failed: ${errorMessage(e)}`);
    return;
  }
  if (records.length === 0) return;
  const text = doc.getText();
  let restored = 0;
  const passages = [...ds.passages];
  const confirmed = [...ds.confirmed];
  const reviewed = [...ds.reviewed];
  const judged = [...ds.judged];
  for (const r of records) {
    let at = r.start !== undefined && text.startsWith(r.text, r.start) ? r.start : -1;
    if (at < 0) {
      at = text.indexOf(r.text);
      if (at >= 0 && text.indexOf(r.text, at + 1) >= 0) at = -1; // ambiguous: leave it
    }
    if (at < 0) continue;
    const p = { start: at, end: at + r.text.length };
    if (passages.some((x) => overlaps(x, p))) continue;
    passages.push({ id: r.id, ...p });
    for (const x of r.reviewed ?? []) reviewed.push({ start: x.start + at, end: x.end + at });
    for (const x of r.judged ?? []) judged.push({ start: x.start + at, end: x.end + at, label: x.label });
    for (const s of r.spans)
      confirmed.push({ start: s.start + at, end: s.end + at, label: s.label, text: r.text.slice(s.start, s.end) });
    restored++;
  }
  ds.setPassages(passages.sort((a, b) => a.start - b.start));
  ds.setReview(
    confirmed.sort((a, b) => a.start - b.start),
    reviewed,
    normalizeLabelRanges(judged),
  );
  if (restored > 0) {
    ctx.log.info(`restored ${restored} reviewed passage(s) in ${doc.uri.fsPath || doc.uri.toString()}`);
    renderNow(ctx, ds);
  }
}

/** Every shown entity inside a range (entities crossing its edge widen it). */
export function entitiesIn(ds: TrackedDocument, range: Range): { range: Range; spans: Span[] } {
  let r = range;
  const spans: Span[] = [];
  const list = ds.entities();
  for (let i = firstEndingAfter(list, range.start); i < list.length && list[i].start < range.end; i++) {
    const e = list[i];
    spans.push({ start: e.start, end: e.end, label: e.label });
    r = { start: Math.min(r.start, e.start), end: Math.max(r.end, e.end) };
  }
  return { range: r, spans };
}
