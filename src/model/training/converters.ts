// Annotation exchange formats, pure (the editor's Export/Import Annotations and
// `entity-lens convert` share them):
//  - spaCy-style JSONL: {"text": ..., "entities": [[start, end, label], ...], "meta": {...}}
//    (doccano's "label" instead of "entities" is read too; "meta" carries id, reviewed, judged,
//    complete)
//  - CoNLL with BILOU tags: "token<TAB>tag" per line, a blank line between sentences,
//    "-DOCSTART-<TAB>O" before each document. CoNLL has no "unknown": unlabelled tokens are O.
//  - the project's own JSONL ({"id", "text", "spans": [{start, end, label}], ...}, the
//    ../shared/data format), which import reads as well.
// Import never throws on bad input: each bad line becomes a problem "FILE:LINE: reason".
import { parseJsonlRecord } from '../io/jsonl';
import { labelProblem } from '../core/labels';
import { spansToTags, tagPrefix, tagsToSpans } from '../text/tags';
import { splitSentences, tokenize } from '../text/tokenizer';
import type { AnnotatedDocument, Token } from '../core/types';
import { errorMessage } from '../core/errors';

export type ExportFormat = 'spacy' | 'conll' | 'jsonl';

export function toSpacyJsonl(docs: AnnotatedDocument[]): string {
  return (
    docs
      .map((d) =>
        JSON.stringify({
          text: d.text,
          entities: d.spans.map((s) => [s.start, s.end, s.label]),
          meta: {
            id: d.id,
            ...(d.reviewed ? { reviewed: d.reviewed.map((r) => [r.start, r.end]) } : {}),
            ...(d.judged ? { judged: d.judged.map((r) => [r.start, r.end, r.label]) } : {}),
            ...(d.complete ? { complete: d.complete } : {}),
          },
        }),
      )
      .join('\n') + (docs.length ? '\n' : '')
  );
}

/** The project's own JSONL: the ../shared/data fields and the optional ones it reads, in a fixed order. */
export function toJsonl(docs: AnnotatedDocument[]): string {
  return docs
    .map(
      (d) =>
        JSON.stringify({
          id: d.id,
          text: d.text,
          spans: d.spans.map((s) => ({ start: s.start, end: s.end, label: s.label })),
          ...(d.source !== undefined ? { source: d.source } : {}),
          ...(d.split !== undefined ? { split: d.split } : {}),
          ...(d.complete !== undefined ? { complete: d.complete } : {}),
          ...(d.reviewed ? { reviewed: d.reviewed.map((r) => ({ start: r.start, end: r.end })) } : {}),
          ...(d.judged ? { judged: d.judged.map((r) => ({ start: r.start, end: r.end, label: r.label })) } : {}),
          ...(d.silver ? { silver: d.silver.map((s) => ({ start: s.start, end: s.end, label: s.label })) } : {}),
        }) + '\n',
    )
    .join('');
}

export function toConllBilou(docs: AnnotatedDocument[]): string {
  const lines: string[] = [];
  for (const d of docs) {
    lines.push('-DOCSTART-\tO', '');
    const tokens = tokenize(d.text);
    const tags = spansToTags(tokens, d.spans, 'BILOU');
    for (const s of splitSentences(d.text, tokens)) {
      for (let t = s.tokenStart; t < s.tokenEnd; t++) lines.push(`${tokens[t].text}\t${tags[t]}`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

export interface ImportResult {
  docs: AnnotatedDocument[];
  /** "FILE:LINE: reason", in line order */
  problems: string[];
}

/** The lines of a file's text: a UTF-8 byte-order mark dropped, "\r\n" read as "\n". */
function linesOf(text: string): string[] {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n').map((l) => l.replace(/\r$/, ''));
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string id, or a number one as text (doccano numbers its records). */
function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/** A spaCy-style record in the project's shape (its checks are the JSONL reader's); others unchanged. */
function fromSpacyStyle(value: unknown): unknown {
  if (!isObject(value) || value.spans !== undefined) return value;
  const entities = value.entities ?? value.label;
  if (!Array.isArray(entities)) return value;
  const { entities: _entities, label: _label, meta: rawMeta, ...rest } = value;
  const meta = isObject(rawMeta) ? rawMeta : {};
  const range = (r: unknown): unknown => (Array.isArray(r) ? { start: r[0], end: r[1] } : r);
  const labelled = (e: unknown): unknown => (Array.isArray(e) ? { start: e[0], end: e[1], label: e[2] } : e);
  const reviewed = rest.reviewed ?? meta.reviewed;
  const judged = rest.judged ?? meta.judged;
  return {
    ...rest,
    id: idOf(rest.id) ?? idOf(meta.id),
    spans: entities.map(labelled),
    reviewed: Array.isArray(reviewed) ? reviewed.map(range) : reviewed,
    judged: Array.isArray(judged) ? judged.map(labelled) : judged,
    complete: rest.complete ?? meta.complete,
  };
}

/** Reads JSONL in the project's or spaCy's style; each bad line becomes a problem. */
export function fromJsonl(text: string, fileLabel: string): ImportResult {
  const docs: AnnotatedDocument[] = [];
  const problems: string[] = [];
  linesOf(text).forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${fileLabel}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      problems.push(`${where}: invalid JSON (${errorMessage(e)}).`);
      return;
    }
    try {
      const record = JSON.stringify(fromSpacyStyle(value));
      docs.push(parseJsonlRecord(record, i + 1, fileLabel, (m) => problems.push(`${where}: ${m}`)));
    } catch (e) {
      const message = errorMessage(e);
      problems.push(message.startsWith(`${where}: `) ? message : `${where}: ${message}`);
    }
  });
  return { docs, problems };
}

/** Whether a CoNLL column is a tag: "O" or a prefix, "-" and a label ("B-PARTY"). */
function isTag(s: string): boolean {
  return s === 'O' || /^[BILUES]-./.test(s);
}

/**
 * Reads CoNLL (token in the first column, tag in the last; BILOU, BIO or IO, told apart per
 * sentence); the text is rebuilt with one space between tokens and a line break between
 * sentences. "-DOCSTART-" starts a document; "#" lines are comments unless they end in a tag
 * (a "#" token). A bad tag is reported with its line and read as O.
 */
export function fromConll(text: string, fileLabel: string): ImportResult {
  const docs: AnnotatedDocument[] = [];
  const problems: string[] = [];
  const name = fileLabel.replace(/^.*[\\/]/, '');
  let words: string[] = [];
  let tags: string[] = [];
  let docText = '';
  const spans: AnnotatedDocument['spans'] = [];
  let n = 0;
  const flushSentence = (): void => {
    if (words.length === 0) return;
    const tokens: Token[] = [];
    let at = docText.length + (docText ? 1 : 0);
    for (const w of words) {
      tokens.push({ text: w, start: at, end: at + w.length });
      at += w.length + 1;
    }
    docText += (docText ? '\n' : '') + words.join(' ');
    // every tag was checked when read, and the scheme is the one its prefixes belong to
    const scheme = tags.some((t) => /^[LU]-/.test(t)) ? 'BILOU' : tags.some((t) => t.startsWith('B-')) ? 'BIO' : 'IO';
    for (const s of tagsToSpans(tokens, tags, scheme)) spans.push(s);
    words = [];
    tags = [];
  };
  const flushDoc = (): void => {
    flushSentence();
    if (docText) docs.push({ id: `${name}#${++n}`, text: docText, spans: [...spans] });
    docText = '';
    spans.length = 0;
  };
  linesOf(text).forEach((line, i) => {
    if (line.startsWith('-DOCSTART-')) return flushDoc();
    if (!line.trim()) return flushSentence();
    const cols = line.split(/\t| +/).filter(Boolean);
    const last = cols[cols.length - 1];
    if (line.startsWith('#') && !(cols.length >= 2 && isTag(last))) return;
    if (cols.length < 2) {
      problems.push(`${fileLabel}:${i + 1}: expected "token<TAB>tag", found "${line.slice(0, 40)}"`);
      return;
    }
    let tag = last;
    try {
      // E- and S- (BIOES) are L- and U- by other names
      tag = tag.replace(/^E-/, 'L-').replace(/^S-/, 'U-');
      tagPrefix(tag);
    } catch {
      problems.push(`${fileLabel}:${i + 1}: "${last}" is not a tag (expected O or e.g. B-PARTY); read as O`);
      tag = 'O';
    }
    // the label grammar every entry point checks
    const problem = tag === 'O' ? null : labelProblem(tag.slice(2));
    if (problem) {
      problems.push(`${fileLabel}:${i + 1}: ${problem}; read as O`);
      tag = 'O';
    }
    words.push(cols[0]);
    tags.push(tag);
  });
  flushDoc();
  return { docs, problems };
}
