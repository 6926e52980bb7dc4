// Annotation exchange formats, pure:
//  - spaCy-style JSONL: {"text": ..., "entities": [[start, end, label], ...], "meta": {...}}
//  - CoNLL with BILOU tags: "token<TAB>tag" per line, a blank line between sentences,
//    "-DOCSTART-<TAB>O" before each document.
// Import reads both of these and the project's own JSONL ({"text", "spans": [{start, end, label}]}).
import { parseJsonlRecord } from '../io/jsonl';
import { firstLabelProblem } from '../core/labels';
import { spansToTags, tagsToSpans } from '../text/tags';
import { splitSentences, tokenize } from '../text/tokenizer';
import type { AnnotatedDocument, Token } from '../core/types';

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
            ...(d.complete ? { complete: d.complete } : {}),
          },
        }),
      )
      .join('\n') + (docs.length ? '\n' : '')
  );
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
  problems: string[];
}

/** Reads JSONL in the project's or spaCy's style; each bad line becomes a problem. */
export function fromJsonl(text: string, fileLabel: string): ImportResult {
  const docs: AnnotatedDocument[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) return;
    try {
      let value = JSON.parse(line) as Record<string, unknown>;
      if (value && typeof value === 'object' && !Array.isArray(value) && value.spans === undefined) {
        const ents = (value.entities ?? value.label) as unknown;
        if (Array.isArray(ents)) {
          const meta = (value.meta ?? {}) as Record<string, unknown>;
          value = {
            id: typeof value.id === 'string' ? value.id : typeof meta.id === 'string' ? meta.id : undefined,
            text: value.text,
            spans: ents.map((e) => (Array.isArray(e) ? { start: e[0], end: e[1], label: e[2] } : e)),
          };
        }
      }
      docs.push(
        parseJsonlRecord(JSON.stringify(value), i + 1, fileLabel, (m) => problems.push(`${fileLabel}:${i + 1}: ${m}`)),
      );
    } catch (e) {
      problems.push(
        e instanceof Error && e.message.startsWith(fileLabel)
          ? e.message
          : `${fileLabel}:${i + 1}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  });
  return { docs, problems };
}

/** Reads CoNLL (token and tag in the first and last columns; BILOU, BIO or IO); text is rebuilt with spaces. */
export function fromConll(text: string, fileLabel: string): ImportResult {
  const docs: AnnotatedDocument[] = [];
  const problems: string[] = [];
  let words: string[] = [];
  let tags: string[] = [];
  let docText = '';
  const spans: AnnotatedDocument['spans'] = [];
  let n = 0;
  const flushSentence = (): void => {
    if (words.length === 0) return;
    const tokens: Token[] = [];
    let at = docText.length + (docText ? 1 : 0);
    const base = at;
    for (const w of words) {
      tokens.push({ text: w, start: at, end: at + w.length });
      at += w.length + 1;
    }
    docText += (docText ? '\n' : '') + words.join(' ');
    try {
      const scheme = tags.some((t) => /^[LU]-/.test(t)) ? 'BILOU' : tags.some((t) => t.startsWith('B-')) ? 'BIO' : 'IO';
      const found = tagsToSpans(tokens, tags, scheme);
      const problem = firstLabelProblem(found.map((s) => s.label));
      if (problem) throw new Error(problem);
      spans.push(...found);
    } catch (e) {
      problems.push(`${fileLabel}: sentence at character ${base}: ${e instanceof Error ? e.message : String(e)}`);
    }
    words = [];
    tags = [];
  };
  const flushDoc = (): void => {
    flushSentence();
    if (docText) docs.push({ id: `${fileLabel}#${++n}`, text: docText, spans: [...spans] });
    docText = '';
    spans.length = 0;
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('-DOCSTART-')) return flushDoc();
    if (!line.trim()) return flushSentence();
    if (line.startsWith('#')) return;
    const cols = line.split(/\t| +/).filter(Boolean);
    if (cols.length < 2) {
      problems.push(`${fileLabel}:${i + 1}: expected "token<TAB>tag"`);
      return;
    }
    words.push(cols[0]);
    tags.push(cols[cols.length - 1]);
  });
  flushDoc();
  return { docs, problems };
}
