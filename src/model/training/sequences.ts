// Turns annotated documents into training sequences: sentence windows of tokens, each token
// with the SET of tags still possible (partial supervision). A token inside a gold span has
// exactly its gold tag; an unlabelled token may be O or a tag of any label that the document
// does not annotate exhaustively — unless it lies in a reviewed range, where it is O, or in a
// range judged for some labels, where those labels' tags are not possible.
import { insideAny } from '../core/ranges';
import type { AnnotatedDocument, Span, TagScheme, Token } from '../core/types';
import { spansToTags, tagNames } from '../text/tags';
import { windows } from '../text/windows';
import { LineFeatures, lineFeaturesOfTokens, LINE_FEATURE_DIM } from '../text/line-features';

export interface Sequence {
  docId: string;
  tokens: Token[];
  /** [tokens.length * tagCount], 1 where the tag is possible */
  mask: Uint8Array;
  /** gold spans inside this window (absolute offsets), for evaluation */
  gold: Span[];
  /** loss weight (e.g. replayed predictions are down-weighted) */
  weight: number;
  /**
   * line and page features [tokens × dim] for models that read them, computed from the
   * document's text (and layout); absent, they are computed from the tokens alone (one line)
   */
  features?: Float32Array;
}

export interface SequenceOptions {
  labels: string[];
  scheme: TagScheme;
  /** false: the plain recipe, every unlabelled token is O */
  partial: boolean;
  maxTokens: number;
  /** how rule-made spans are used: as gold, or not at all */
  silver?: 'gold' | 'ignore';
  /** compute each window's line and page features (for models that read them) */
  features?: boolean;
}

export function documentSequences(doc: AnnotatedDocument, o: SequenceOptions): Sequence[] {
  const tags = tagNames(o.labels, o.scheme);
  const T = tags.length;
  const tagIndex = new Map(tags.map((t, i) => [t, i]));
  const known = new Set(o.labels);
  let spans = doc.spans.filter((s) => known.has(s.label));
  if (o.silver === 'gold' && doc.silver) {
    // gold wins where a rule-made span overlaps it
    const extra = doc.silver.filter(
      (s) => known.has(s.label) && !spans.some((g) => g.start < s.end && s.start < g.end),
    );
    spans = [...spans, ...extra].sort((a, b) => a.start - b.start);
  }
  const complete = doc.complete === 'all' ? new Set(o.labels) : new Set(doc.complete ?? []);
  // tags an unlabelled token may still carry
  const open: number[] = [0];
  if (o.partial) {
    for (let i = 1; i < T; i++) {
      const label = tags[i].slice(2);
      if (!complete.has(label)) open.push(i);
    }
  }
  // judged ranges by the tag indices they close
  const judged = (doc.judged ?? [])
    .filter((r) => known.has(r.label))
    .map((r) => ({ range: r, tags: open.filter((j) => tags[j].slice(2) === r.label) }));
  const out: Sequence[] = [];
  const lines = o.features ? new LineFeatures(doc.text, { layout: doc.layout }) : null;
  for (const toks of windows(doc.text, o.maxTokens)) {
    if (toks.length === 0) continue;
    const from = toks[0].start;
    const to = toks[toks.length - 1].end;
    const inside = spans.filter((s) => s.start < to && s.end > from);
    const gold = inside.filter((s) => s.start >= from && s.end <= to);
    const seqTags = spansToTags(toks, inside, o.scheme);
    const mask = new Uint8Array(toks.length * T);
    for (let t = 0; t < toks.length; t++) {
      const tag = seqTags[t];
      if (tag !== 'O') {
        mask[t * T + (tagIndex.get(tag) as number)] = 1;
      } else if (insideAny(toks[t], doc.reviewed)) {
        mask[t * T] = 1;
      } else {
        for (const j of open) mask[t * T + j] = 1;
        for (const j of judged) {
          if (j.range.start <= toks[t].start && toks[t].end <= j.range.end) for (const k of j.tags) mask[t * T + k] = 0;
        }
      }
    }
    const seq: Sequence = { docId: doc.id, tokens: toks, mask, gold, weight: 1 };
    if (lines) seq.features = lines.of(toks);
    out.push(seq);
  }
  return out;
}

/** The features a model with line features reads for these sequences (see Sequence.features). */
export function sequenceFeatures(sequences: readonly Sequence[], dim: number): { dim: number; values: Float32Array[] } {
  if (dim !== LINE_FEATURE_DIM) throw new Error(`line features have ${LINE_FEATURE_DIM} values, the model ${dim}`);
  return { dim, values: sequences.map((s) => s.features ?? lineFeaturesOfTokens(s.tokens)) };
}
