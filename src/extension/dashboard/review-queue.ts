// Review queue (active learning): passages of the workspace's documents that nobody reviewed
// yet, ranked by how unsure the model is about them — the lowest CRF marginal among the
// entities it predicts there, lowest first. Open documents use their live predictions; other
// text files of the folder (those Entity Lens would tag: entityLens.languages / include /
// exclude) are read from disk and tagged with the folder's model. Passages without any
// predicted entity have no score and are left out. Files not open count when Entity Lens would
// tag them on opening (document-choice.ts: their language, globs, text or a person's choice).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  normalizeRanges,
  overlaps,
  type Range,
  reviewedRanges,
  splitSentences,
  tokenize,
  errorMessage,
  recordsForUri,
  type AnnotationRecord,
} from '../../model';
import type { EntityDto, ReviewPassageDto, ReviewQueueDto } from '../../shared/messages';
import { findOpenDocument } from '../document-text';
import { modelFor } from '../model-manager';
import { decideDocument } from '../document-choice';
import { isEligible } from '../settings';
import { type Ctx } from '../ctx';
import { displayPath } from './training-set';
import { storedUri } from '../pages/extracted-uri';

const MAX_FILES = 200;
const MAX_FILE_BYTES = 1_000_000;
const MAX_TOTAL_CHARS = 2_000_000;
const MAX_PASSAGES = 300;
/** paragraphs longer than this are cut into groups of sentences about this long */
const MAX_PASSAGE_CHARS = 1200;

const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  '.txt': 'plaintext',
  '.text': 'plaintext',
  '.md': 'markdown',
  '.markdown': 'markdown',
};

/** Blank-line separated paragraphs (trimmed), long ones cut at sentence ends. */
export function passagesOf(text: string): Range[] {
  const out: Range[] = [];
  const re = /\S[\s\S]*?(?=\n[ \t\r\f\v]*\n|$)/g;
  for (const m of text.matchAll(re)) {
    const start = m.index ?? 0;
    const body = m[0].replace(/\s+$/, '');
    if (!body) continue;
    if (body.length <= MAX_PASSAGE_CHARS) {
      out.push({ start, end: start + body.length });
      continue;
    }
    const tokens = tokenize(body);
    let group: Range | undefined;
    for (const s of tokens.length ? splitSentences(body, tokens) : []) {
      if (group && s.end - group.start > MAX_PASSAGE_CHARS) {
        out.push({ start: start + group.start, end: start + group.end });
        group = undefined;
      }
      group = group ? { start: group.start, end: s.end } : { start: s.start, end: s.end };
    }
    if (group) out.push({ start: start + group.start, end: start + group.end });
  }
  return out;
}

/** Whether earlier records already cover a passage's text as reviewed (where the text still is). */
export function reviewedInRecords(passageText: string, records: readonly AnnotationRecord[]): boolean {
  for (const r of records) {
    const at = r.text.indexOf(passageText);
    if (at < 0) continue;
    const need = { start: at, end: at + passageText.length };
    const covered = normalizeRanges(reviewedRanges(r));
    if (covered.some((c) => c.start <= need.start && c.end >= need.end)) return true;
  }
  return false;
}

interface Source {
  uri: vscode.Uri;
  text: string;
  /** live predictions (open, tracked, fully tagged documents) */
  live?: EntityDto[];
  reviewed: Range[];
}

function languageOf(uri: vscode.Uri): string | undefined {
  return LANGUAGE_BY_EXTENSION[path.extname(uri.fsPath).toLowerCase()];
}

async function collectSources(ctx: Ctx, folder: vscode.WorkspaceFolder): Promise<Source[]> {
  const sources: Source[] = [];
  const seen = new Set<string>();
  let total = 0;
  // open documents of this folder first: their predictions are already there
  for (const ds of ctx.documents()) {
    const doc = findOpenDocument(ds.key);
    const inFolder = vscode.workspace.getWorkspaceFolder(storedUri(doc?.uri ?? ds.uri)); // a PDF's text view: where the PDF is
    if (!doc || inFolder?.uri.toString() !== folder.uri.toString() || ds.tooLarge) continue;
    const text = doc.getText();
    if (total + text.length > MAX_TOTAL_CHARS) continue;
    total += text.length;
    seen.add(ds.key);
    const settled = ds.pending.length === 0 && !ds.running;
    const live = settled ? ds.entities().filter((e) => !e.reviewed) : undefined;
    sources.push({ uri: doc.uri, text, live, reviewed: ds.reviewed });
  }
  const found = await vscode.workspace.findFiles(
    new vscode.RelativePattern(folder, '**/*.{txt,text,md,markdown}'),
    '{**/.entity-lens/**,**/node_modules/**,**/.git/**}',
    MAX_FILES,
  );
  found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  for (const uri of found) {
    const language = languageOf(uri);
    if (seen.has(uri.toString()) || !language || !isEligible(uri, language)) continue;
    try {
      const stat = await fs.stat(uri.fsPath);
      if (stat.size > MAX_FILE_BYTES || total + stat.size > MAX_TOTAL_CHARS) continue;
      const text = await fs.readFile(uri.fsPath, 'utf8');
      if (!decideDocument(uri, language, () => text, ctx.choices)?.tag) continue;
      total += text.length;
      sources.push({ uri, text, reviewed: [] });
    } catch {
      // unreadable: skip
    }
  }
  return sources;
}

export async function buildReviewQueue(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined): Promise<ReviewQueueDto> {
  if (!folder || folder.uri.scheme !== 'file') {
    return {
      status: 'no-folder',
      message: 'Open a folder: the queue is built from its documents.',
      passages: [],
      documents: 0,
    };
  }
  const model = await modelFor(ctx, folder);
  if (!model)
    return {
      status: 'no-model',
      message: 'No model yet: train one (or set entityLens.modelPath) to rank passages.',
      passages: [],
      documents: 0,
    };
  const fp = folder.uri.fsPath;
  const store = await ctx.readAnnotations(fp);
  const sources = await collectSources(ctx, folder);
  const out: ReviewPassageDto[] = [];
  let failed = 0;
  for (const src of sources) {
    const key = src.uri.toString();
    let entities = src.live;
    if (!entities) {
      try {
        entities = (await model.tagger.tag(src.text)).map((e) => ({ ...e, reviewed: false }));
      } catch (e) {
        failed++;
        ctx.log.warn(`review queue: tagging ${src.uri.fsPath} failed: ${errorMessage(e)}`);
        continue;
      }
    }
    const stored = storedUri(src.uri).toString(); // records of a PDF's text view name the PDF
    const records = recordsForUri(store, stored);
    const file = displayPath(stored, fp);
    let next = 0;
    for (const p of passagesOf(src.text)) {
      while (next < entities.length && entities[next].end <= p.start) next++;
      const inside: EntityDto[] = [];
      for (let i = next; i < entities.length && entities[i].start < p.end; i++) {
        const e = entities[i];
        if (e.start < p.start || e.end > p.end) continue;
        inside.push({
          start: e.start - p.start,
          end: e.end - p.start,
          label: e.label,
          text: e.text,
          confidence: Number.isFinite(e.confidence) ? e.confidence : 0,
          reviewed: false,
        });
      }
      if (inside.length === 0) continue;
      if (src.reviewed.some((r) => overlaps(r, p))) continue;
      const text = src.text.slice(p.start, p.end);
      if (reviewedInRecords(text, records)) continue;
      out.push({
        key: `${key}#${p.start}-${p.end}`,
        uri: key,
        file,
        start: p.start,
        end: p.end,
        text,
        entities: inside,
        score: Math.min(...inside.map((e) => e.confidence)),
      });
    }
  }
  out.sort((a, b) => a.score - b.score || a.file.localeCompare(b.file) || a.start - b.start);
  const documents = new Set(out.map((p) => p.uri)).size;
  const message = `${out.length} unreviewed passage(s) with entities in ${sources.length} document(s)${failed ? `; ${failed} could not be tagged (see the log)` : ''}.`;
  return { status: 'ready', message, passages: out.slice(0, MAX_PASSAGES), documents };
}
