// Tag schemes: how labelled spans become one tag per token (for training and the CRF)
// and how a predicted tag sequence becomes spans again.
//
// Tags are "O" or "<prefix>-<label>", e.g. "B-PARTY", "L-GOVERNING-LAW" (the label is
// everything after the first "-"). Prefixes per scheme:
//   BILOU  B = begin, I = inside, L = last, U = unit (single-token entity)
//   BIO    B = begin, I = inside
//   IO     I = inside (adjacent entities of one label cannot be told apart)
import { firstEndingAfter } from '../core/ranges';
import type { Span, TagScheme, Token } from '../core/types';

export type TagPrefix = 'O' | 'B' | 'I' | 'L' | 'U';
type EntityPrefix = Exclude<TagPrefix, 'O'>;

const OUTSIDE = 'O';

const SCHEME_PREFIXES: Record<TagScheme, readonly EntityPrefix[]> = {
  BILOU: ['B', 'I', 'L', 'U'],
  BIO: ['B', 'I'],
  IO: ['I'],
};

interface ParsedTag {
  prefix: TagPrefix;
  /** null for "O" */
  label: string | null;
}

function isEntityPrefix(s: string): s is EntityPrefix {
  return s === 'B' || s === 'I' || s === 'L' || s === 'U';
}

function parseTag(tag: string): ParsedTag {
  if (tag === OUTSIDE) return { prefix: 'O', label: null };
  const prefix = tag.slice(0, 1);
  const label = tag.slice(2);
  if (tag.charAt(1) !== '-' || !isEntityPrefix(prefix) || label === '') {
    throw new Error(`malformed tag "${tag}": expected "O" or e.g. "B-PARTY"`);
  }
  return { prefix, label };
}

/** Parses and rejects tags the scheme does not have (e.g. "U-X" in BIO): a scheme mismatch is a bug. */
function parseTagIn(tag: string, scheme: TagScheme): ParsedTag {
  const parsed = parseTag(tag);
  if (parsed.prefix !== 'O' && !SCHEME_PREFIXES[scheme].includes(parsed.prefix)) {
    throw new Error(`tag "${tag}" does not belong to the ${scheme} scheme`);
  }
  return parsed;
}

/** "B" for "B-PARTY", "O" for "O". Throws on a malformed tag. */
export function tagPrefix(tag: string): TagPrefix {
  return parseTag(tag).prefix;
}

/** "PARTY" for "B-PARTY", null for "O". Throws on a malformed tag. */
export function tagLabel(tag: string): string | null {
  return parseTag(tag).label;
}

/** All tags of a scheme: "O" first, then per label (in the given order) its prefixes. */
export function tagNames(labels: string[], scheme: TagScheme): string[] {
  const seen = new Set<string>();
  for (const label of labels) {
    if (label === '') throw new Error('empty entity label');
    if (seen.has(label)) throw new Error(`duplicate entity label "${label}"`);
    seen.add(label);
  }
  const tags = [OUTSIDE];
  for (const label of labels) {
    for (const prefix of SCHEME_PREFIXES[scheme]) tags.push(`${prefix}-${label}`);
  }
  return tags;
}

/**
 * Encodes spans given in token indices (start inclusive, end exclusive; sorted, not
 * overlapping, within [0, tokenCount)) as one tag per token.
 */
export function tokenSpansToTags(tokenCount: number, spans: Span[], scheme: TagScheme): string[] {
  const tags: string[] = new Array<string>(tokenCount).fill(OUTSIDE);
  let previousEnd = 0;
  for (const { start, end, label } of spans) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < previousEnd || end <= start || end > tokenCount) {
      throw new Error(`token span [${start}, ${end}) ${label} is empty, out of range, unsorted or overlapping`);
    }
    previousEnd = end;
    for (let i = start; i < end; i++) {
      if (scheme === 'IO') tags[i] = `I-${label}`;
      else if (i === start) tags[i] = scheme === 'BILOU' && end - start === 1 ? `U-${label}` : `B-${label}`;
      else tags[i] = scheme === 'BILOU' && i === end - 1 ? `L-${label}` : `I-${label}`;
    }
  }
  return tags;
}

/**
 * Decodes a tag sequence to spans in token indices (end exclusive), sorted and never
 * overlapping. Invalid sequences are repaired the way conlleval reads them:
 *  - B-X always starts a new entity; U-X is always a one-token entity.
 *  - I-X / L-X continue the open entity only if it has label X (an entity is open after
 *    B-X or I-X); otherwise they start a new one (a stray L-X is a one-token entity).
 *  - L-X, U-X and O close the open entity, so B-X followed by anything but I-X/L-X is
 *    an entity ending at the B, and a label change mid-entity starts a new entity.
 *  - In IO every run of consecutive I-X is one entity.
 * Throws on tags that are malformed or not in the scheme.
 */
export function tagsToTokenSpans(tags: string[], scheme: TagScheme): Span[] {
  const spans: Span[] = [];
  let open: Span | null = null;
  for (let i = 0; i < tags.length; i++) {
    const { prefix, label } = parseTagIn(tags[i], scheme);
    if (label === null) {
      open = null;
      continue;
    }
    if (open !== null && open.label === label && (prefix === 'I' || prefix === 'L')) {
      open.end = i + 1;
    } else {
      open = { start: i, end: i + 1, label };
      spans.push(open);
    }
    if (prefix === 'L' || prefix === 'U') open = null;
  }
  return spans;
}

function checkTokensSorted(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.end < t.start || (i > 0 && t.start < tokens[i - 1].end)) {
      throw new Error(`tokens must be sorted and not overlap (token ${i} at [${t.start}, ${t.end}))`);
    }
  }
}

/**
 * Maps character spans to token spans. A token belongs to a span when it overlaps it.
 * Conflicts are resolved deterministically, independent of input order: spans are taken
 * by start, then longest first, then label; a span is dropped if it overlaps a span
 * already kept or shares a token with one. Empty spans and spans covering no token are
 * dropped too.
 */
function charSpansToTokenSpans(tokens: Token[], spans: Span[]): Span[] {
  checkTokensSorted(tokens);
  const ordered = [...spans].sort(
    (a, b) => a.start - b.start || b.end - a.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  const kept: Span[] = [];
  let keptCharEnd = -Infinity;
  let keptTokenEnd = 0;
  for (const span of ordered) {
    if (span.end <= span.start || span.start < keptCharEnd) continue;
    const first = firstEndingAfter(tokens, span.start);
    let end = first;
    while (end < tokens.length && tokens[end].start < span.end) end++;
    if (end === first || first < keptTokenEnd) continue;
    kept.push({ start: first, end, label: span.label });
    keptCharEnd = span.end;
    keptTokenEnd = end;
  }
  return kept;
}

/** One tag per token; tokens outside every span get "O". See charSpansToTokenSpans for overlaps. */
export function spansToTags(tokens: Token[], spans: Span[], scheme: TagScheme): string[] {
  return tokenSpansToTags(tokens.length, charSpansToTokenSpans(tokens, spans), scheme);
}

/**
 * Character spans of a tag sequence: start of the entity's first token to end of its
 * last. Invalid sequences are repaired as described at tagsToTokenSpans.
 */
export function tagsToSpans(tokens: Token[], tags: string[], scheme: TagScheme): Span[] {
  if (tags.length !== tokens.length) {
    throw new Error(`${tags.length} tags for ${tokens.length} tokens`);
  }
  return tagsToTokenSpans(tags, scheme).map(({ start, end, label }) => ({
    start: tokens[start].start,
    end: tokens[end - 1].end,
    label,
  }));
}

/** Re-encodes a tag sequence in another scheme. To IO, adjacent same-label entities merge. */
export function convertTags(tags: string[], from: TagScheme, to: TagScheme): string[] {
  return tokenSpansToTags(tags.length, tagsToTokenSpans(tags, from), to);
}

export interface TransitionMask {
  /** start[j]: tag j may begin a sequence */
  start: boolean[];
  /** end[i]: tag i may end a sequence */
  end: boolean[];
  /** trans[i][j]: tag j may follow tag i */
  trans: boolean[][];
}

/**
 * Which transitions a valid sequence of the scheme may contain, over `tags` in the given
 * order (hard constraints for Viterbi and the CRF). Exactly the sequences allowed here
 * decode without repair and re-encode to themselves.
 *   BILOU: after B-X/I-X only I-X or L-X; after O, L-*, U-* only O, B-*, U-*.
 *          Start: O, B, U. End: O, L, U.
 *   BIO:   I-X only after B-X or I-X, and not at the start. Any tag may end.
 *   IO:    everything allowed.
 */
export function allowedTransitions(tags: string[], scheme: TagScheme): TransitionMask {
  const parsed = tags.map((tag) => parseTagIn(tag, scheme));
  const insideEntity = (p: ParsedTag): boolean => p.prefix === 'B' || p.prefix === 'I';

  const mayStart = (to: ParsedTag): boolean => {
    if (scheme === 'BILOU') return to.prefix === 'O' || to.prefix === 'B' || to.prefix === 'U';
    if (scheme === 'BIO') return to.prefix !== 'I';
    return true;
  };
  const mayEnd = (from: ParsedTag): boolean => scheme !== 'BILOU' || !insideEntity(from);
  const mayFollow = (from: ParsedTag, to: ParsedTag): boolean => {
    const continues = insideEntity(from) && from.label === to.label;
    if (scheme === 'BILOU') {
      return insideEntity(from) ? continues && (to.prefix === 'I' || to.prefix === 'L') : mayStart(to);
    }
    if (scheme === 'BIO') return to.prefix !== 'I' || continues;
    return true;
  };

  return {
    start: parsed.map(mayStart),
    end: parsed.map(mayEnd),
    trans: parsed.map((from) => parsed.map((to) => mayFollow(from, to))),
  };
}
