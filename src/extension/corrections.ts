// What a person's accept or correction does: the reviewed range's entities become exactly
// the given spans (shown at once, kept over later predictions), and the passage around it
// (its paragraph, or its sentences in a long paragraph) is saved as a snapshot record.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  contains,
  firstEndingAfter,
  normalizeRanges,
  overlaps,
  type Range,
  type Span,
  splitSentences,
  tokenize,
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

/** A paragraph longer than this is saved sentence by sentence. */
const MAX_PASSAGE = 3000;

export interface Review {
  /** the text a person vouches for: inside it, exactly `spans` are entities */
  range: Range;
  spans: Span[];
}

/** Applies reviews to the document state and saves the passages they touch. */
export async function applyReviews(
  ctx: Ctx,
  doc: vscode.TextDocument,
  ds: TrackedDocument,
  reviews: Review[],
): Promise<AnnotationRecord[]> {
  // a label the annotation store and the trainer would refuse is never shown or saved
  for (const review of reviews) {
    for (const s of review.spans) {
      const problem = labelProblem(s.label);
      if (problem !== null) throw new Error(problem);
    }
  }
  const ranges: Range[] = [];
  const added: ConfirmedSpan[] = [];
  for (const review of reviews) {
    const spans = review.spans.filter((s) => s.end > s.start);
    let range = review.range;
    for (const s of spans) range = { start: Math.min(range.start, s.start), end: Math.max(range.end, s.end) };
    ranges.push(range);
    for (const s of spans)
      added.push({ start: s.start, end: s.end, label: s.label, text: doc.getText(toRange(doc, s)) });
  }
  // confirmed spans inside a reviewed range are replaced (one sweep: accept-all sends many ranges)
  const cut = normalizeRanges(ranges);
  const kept: ConfirmedSpan[] = [];
  let r = 0;
  for (const c of ds.confirmed) {
    while (r < cut.length && cut[r].end <= c.start) r++;
    if (r < cut.length && overlaps(c, cut[r])) continue;
    if (added.some((a) => overlaps(a, c))) continue;
    kept.push(c);
  }
  ds.setReview(
    [...kept, ...dropOverlapping(added)].sort((a, b) => a.start - b.start),
    [...ds.reviewed, ...cut],
  );
  renderNow(ctx, ds);
  return savePassages(ctx, doc, ds, cut);
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

/** Writes one snapshot record per passage around `ranges` (merging with passages already saved). */
async function savePassages(
  ctx: Ctx,
  doc: vscode.TextDocument,
  ds: TrackedDocument,
  ranges: Range[],
): Promise<AnnotationRecord[]> {
  const folder = folderFor(doc.uri);
  const fp = folderPath(folder);
  if (!vscode.workspace.isTrusted || !fp) {
    if (ctx.firstTime('untrustedNotSaved')) {
      const why = !vscode.workspace.isTrusted ? 'this workspace is not trusted' : 'no workspace folder is open';
      void vscode.window.showInformationMessage(`Entity Lens: corrections are shown but not saved: ${why}.`);
    }
    return [];
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
  for (const range of normalizeRanges(ranges)) {
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
    const record: AnnotationRecord = { id, text, spans, source: 'editor', reviewed, uri, time, start: p.start };
    if (sha256) record.sha256 = sha256;
    if (reviewed.length === 1 && reviewed[0].start <= firstNonSpace(text) && reviewed[0].end >= lastNonSpace(text))
      record.complete = 'all';
    records.push(record);
  }
  try {
    await appendAnnotations(fp, [...tombstones, ...records]);
    ctx.log.info(`saved ${records.length} annotation record(s) for ${doc.uri.fsPath || uri}`);
    void compactAnnotations(fp).catch((e) => ctx.log.warn(`compacting annotations failed: ${errorMessage(e)}`));
    const key = `sinceTraining:${fp}`;
    const count = (ctx.context.workspaceState.get<number>(key) ?? 0) + records.length;
    await ctx.context.workspaceState.update(key, count);
    const every = readSettings(doc.uri).autoTrainAfter;
    if (every > 0 && count >= every && !ctx.training.running) {
      void vscode.commands.executeCommand(CommandId.trainModel, { auto: true, folder: fp });
    }
  } catch (e) {
    const message = `Entity Lens: could not save the annotation: ${errorMessage(e)}`;
    ctx.log.error(message);
    void vscode.window.showErrorMessage(message);
  }
  return records;
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
  const block = readBlock(doc, range);
  const tokens = tokenize(block.text);
  if (tokens.length === 0) return range;
  const a = range.start - block.start;
  const b = range.end - block.start;
  let start = tokens[0].start;
  let end = tokens[tokens.length - 1].end;
  if (end - start > MAX_PASSAGE) {
    const hits = splitSentences(block.text, tokens).filter((s) => s.start <= b && s.end >= a);
    if (hits.length > 0) {
      start = hits[0].start;
      end = hits[hits.length - 1].end;
    }
  }
  return { start: Math.min(block.start + start, range.start), end: Math.max(block.start + end, range.end) };
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
    for (const s of r.spans) {
      confirmed.push({ start: s.start + at, end: s.end + at, label: s.label, text: r.text.slice(s.start, s.end) });
      reviewed.push({ start: s.start + at, end: s.end + at });
    }
    restored++;
  }
  ds.setPassages(passages.sort((a, b) => a.start - b.start));
  ds.setReview(
    confirmed.sort((a, b) => a.start - b.start),
    reviewed,
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
