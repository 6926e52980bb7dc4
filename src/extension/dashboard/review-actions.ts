// What a decision in the review queue does: accepting a passage is the editor's correction —
// applyReviews on the passage's range with exactly the spans the person left there, so the
// record lands in annotations.jsonl as if typed in the editor (the document is opened, without
// an editor, when it was not). Undo puts back, inside what the decision touched, the document
// state from before it and appends the earlier records again (a tombstone where there was none):
// the store is append-only and the latest record wins.
import * as vscode from 'vscode';
import { spanProblem, type SpanDto } from '../../shared/messages';
import { applyReviews } from '../corrections';
import { renderNow, whenIdle } from '../document-tagger';
import { findOpenDocument, toRange } from '../document-text';
import {
  isValidLabel,
  labelProblem,
  normalizeRanges,
  overlaps,
  type Range,
  subtractRange,
  recordsForUri,
  type AnnotationRecord,
} from '../../model';
import { type Ctx } from '../ctx';
import { type ConfirmedSpan, type Passage, type TrackedDocument } from '../tracked-document';
import { folderFor, folderPath, appendAnnotations } from '../workspace-files';

interface Snapshot {
  confirmed: ConfirmedSpan[];
  reviewed: Range[];
  passages: Passage[];
}

export interface UndoEntry {
  uri: string;
  version: number;
  /** what the decision covered in the document (its range and the records it wrote) */
  region: Range[];
  before: Snapshot;
  /** the latest record of each passage id before the decision (undefined: there was none) */
  prior: Map<string, AnnotationRecord | undefined>;
  ids: string[];
}

export interface CommitRequest {
  uri: string;
  start: number;
  end: number;
  text: string;
  /** relative to `text` */
  spans: SpanDto[];
}

const snapshot = (ds: TrackedDocument): Snapshot => ({
  confirmed: ds.confirmed.map((c) => ({ ...c })),
  reviewed: ds.reviewed.map((r) => ({ ...r })),
  passages: ds.passages.map((p) => ({ ...p })),
});

/** The open document and its tagging state (opening it, without an editor, if needed). */
async function documentFor(ctx: Ctx, uri: string): Promise<{ doc: vscode.TextDocument; ds: TrackedDocument }> {
  const doc = findOpenDocument(uri) ?? (await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)));
  const ds = ctx.document(doc.uri.toString());
  if (!ds) throw new Error('Entity Lens is not tagging this document (Tag This Document turns it on)');
  // a document just opened restores its reviewed passages, then tags: let that finish first
  await whenIdle(ctx, ds.key, 60_000);
  return { doc, ds };
}

/** Where the passage is now: at its offsets, or (text moved) its only occurrence. */
function locate(doc: vscode.TextDocument, req: CommitRequest): number | undefined {
  if (doc.getText(toRange(doc, { start: req.start, end: req.end })) === req.text) return req.start;
  const all = doc.getText();
  const at = all.indexOf(req.text);
  if (at < 0 || all.indexOf(req.text, at + 1) >= 0) return undefined;
  return at;
}

export async function commitReview(ctx: Ctx, req: CommitRequest): Promise<{ entry?: UndoEntry; saved: number }> {
  if (req.end - req.start !== req.text.length) throw new Error('the passage does not match its offsets');
  const problem = spanProblem(req.spans, req.text.length);
  if (problem) throw new Error(problem);
  const bad = req.spans.find((s) => !isValidLabel(s.label));
  if (bad) throw new Error(labelProblem(bad.label) ?? 'not a label');
  const { doc, ds } = await documentFor(ctx, req.uri);
  const at = locate(doc, req);
  if (at === undefined)
    throw new Error('the passage changed in the document since the queue was built; refresh the queue');
  const range = { start: at, end: at + req.text.length };
  const spans = req.spans.map((s) => ({ start: s.start + at, end: s.end + at, label: s.label }));
  const fp = folderPath(folderFor(doc.uri));
  const prior = new Map<string, AnnotationRecord | undefined>();
  if (fp) for (const r of recordsForUri(await ctx.readAnnotations(fp), ds.key)) prior.set(r.id, r);
  const before = snapshot(ds);
  const records = await applyReviews(ctx, doc, ds, [{ range, spans }]);
  if (records.length === 0) return { saved: 0 };
  const region = normalizeRanges([
    range,
    ...records.map((r) => ({ start: r.start ?? at, end: (r.start ?? at) + r.text.length })),
  ]);
  // passages merged away by this decision got tombstones: their records come back on undo too
  const gone = before.passages.filter((p) => !ds.passages.some((q) => q.id === p.id)).map((p) => p.id);
  const ids = [...new Set([...records.map((r) => r.id), ...gone])];
  const known = new Map<string, AnnotationRecord | undefined>();
  for (const id of ids) known.set(id, prior.get(id));
  return { entry: { uri: ds.key, version: doc.version, region, before, prior: known, ids }, saved: records.length };
}

function inRegion<T extends Range>(items: readonly T[], region: readonly Range[]): { inside: T[]; outside: T[] } {
  const inside: T[] = [];
  const outside: T[] = [];
  for (const it of items)
    (region.some((r) => overlaps(it, r) || (it.start === it.end && it.start >= r.start && it.start <= r.end))
      ? inside
      : outside
    ).push(it);
  return { inside, outside };
}

export async function undoReview(ctx: Ctx, entry: UndoEntry): Promise<void> {
  const doc = findOpenDocument(entry.uri);
  const ds = ctx.document(entry.uri);
  if (!doc || !ds) throw new Error('the document was closed; undo it in the editor instead');
  if (doc.version !== entry.version) throw new Error('the document was edited since; undo is no longer possible');
  const fp = folderPath(folderFor(doc.uri));
  if (!fp) throw new Error('no folder to write to');
  // the document state: as it was, inside the region only
  const r = entry.region;
  const confirmed = [...inRegion(ds.confirmed, r).outside, ...inRegion(entry.before.confirmed, r).inside].sort(
    (a, b) => a.start - b.start,
  );
  let reviewed = ds.reviewed;
  for (const cut of r) reviewed = subtractRange(reviewed, cut);
  const back: Range[] = [];
  for (const x of entry.before.reviewed) {
    for (const cut of r) {
      const start = Math.max(x.start, cut.start);
      const end = Math.min(x.end, cut.end);
      if (end > start) back.push({ start, end });
    }
  }
  ds.setReview(confirmed, [...reviewed, ...back]);
  ds.setPassages(
    [...inRegion(ds.passages, r).outside, ...inRegion(entry.before.passages, r).inside].sort(
      (a, b) => a.start - b.start,
    ),
  );
  renderNow(ctx, ds);
  // the training set: the earlier records win again
  const time = new Date().toISOString();
  const records: AnnotationRecord[] = entry.ids.map((id) => {
    const p = entry.prior.get(id);
    return p ? { ...p, time } : { id, text: '', spans: [], source: 'editor', uri: entry.uri, time };
  });
  await appendAnnotations(fp, records);
  ctx.log.info(`review undone in ${doc.uri.fsPath || entry.uri}: ${records.length} record(s) restored`);
}
