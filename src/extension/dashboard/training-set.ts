// Training set view: what .entity-lens/annotations.jsonl holds, read through the annotation
// store (latest record per passage): documents, passages, gold and rule-made (silver) spans
// per label, the last change, and the passages themselves, newest first.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabelCountDto, PassageDto, TrainingSetDto } from '../../shared/messages';
import { type Ctx } from '../ctx';
import { type AnnotationRecord } from '../../model';

/** passages sent to the webview (the counts cover all of them) */
const MAX_ITEMS = 500;
/** characters of each passage's text sent */
const MAX_TEXT = 600;

/** Spans a rule-based annotator made: the `silver` field, or every span of a rules/silver record. */
export function splitGoldSilver(r: AnnotationRecord): {
  gold: AnnotationRecord['spans'];
  silver: AnnotationRecord['spans'];
} {
  const fromRules = /\b(rules?|silver)\b/i.test(r.source ?? '');
  return fromRules
    ? { gold: [], silver: [...r.spans, ...(r.silver ?? [])] }
    : { gold: r.spans, silver: r.silver ?? [] };
}

export function displayPath(uri: string | undefined, folder: string | undefined): string {
  if (!uri) return '';
  try {
    const u = vscode.Uri.parse(uri);
    if (u.scheme === 'file' && folder) {
      const rel = path.relative(folder, u.fsPath);
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    }
    return u.scheme === 'file' ? u.fsPath : uri;
  } catch {
    return uri;
  }
}

export function summarize(records: AnnotationRecord[], folder: string | undefined, malformed: number): TrainingSetDto {
  const byLabel = new Map<string, LabelCountDto>();
  const docs = new Set<string>();
  let gold = 0;
  let silver = 0;
  let lastChange: string | null = null;
  const items: PassageDto[] = [];
  for (const r of records) {
    docs.add(r.uri ?? r.id); // an imported record is a document of its own
    const split = splitGoldSilver(r);
    const count = (label: string): LabelCountDto => {
      let c = byLabel.get(label);
      if (!c) byLabel.set(label, (c = { label, gold: 0, silver: 0 }));
      return c;
    };
    for (const s of split.gold) count(s.label).gold++;
    for (const s of split.silver) count(s.label).silver++;
    gold += split.gold.length;
    silver += split.silver.length;
    if (r.time && (!lastChange || r.time > lastChange)) lastChange = r.time;
    items.push({
      id: r.id,
      uri: r.uri ?? null,
      file: displayPath(r.uri, folder) || r.id,
      start: r.start ?? null,
      text: r.text.length > MAX_TEXT ? r.text.slice(0, MAX_TEXT) + '…' : r.text,
      gold: split.gold.length,
      silver: split.silver.length,
      labels: [...new Set([...split.gold, ...split.silver].map((s) => s.label))].sort(),
      source: r.source ?? 'editor',
      time: r.time ?? null,
    });
  }
  // newest first; records without a time keep file order at the end
  const order = items.map((it, i) => ({ it, i }));
  order.sort((a, b) => (b.it.time ?? '').localeCompare(a.it.time ?? '') || b.i - a.i);
  return {
    folder: folder ?? null,
    documents: docs.size,
    passages: records.length,
    gold,
    silver,
    malformed,
    byLabel: [...byLabel.values()].sort((a, b) => a.label.localeCompare(b.label)),
    lastChange,
    items: order.slice(0, MAX_ITEMS).map((o) => o.it),
  };
}

export async function trainingSetData(ctx: Ctx, folder: string | undefined): Promise<TrainingSetDto> {
  if (!folder) return summarize([], undefined, 0);
  const store = await ctx.readAnnotations(folder);
  return summarize(store.records, folder, store.problems.length);
}
