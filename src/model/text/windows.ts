// Model-sized windows of a text: its sentences grouped up to a token budget; and batches of
// windows (or sequences) of similar length, so that little is padded.
import type { Token } from '../core/types';
import { chunkSentences, isSpaceCode, splitSentences, tokenize } from './tokenizer';

/** Splits a text into model-sized windows of tokens (sentences grouped up to maxTokens). */
export function windows(text: string, maxTokens: number): Token[][] {
  const tokens = tokenize(text);
  const sentences = chunkSentences(splitSentences(text, tokens), maxTokens, tokens);
  return sentences.map((s) => tokens.slice(s.tokenStart, s.tokenEnd));
}

/** Groups sequences of similar length into batches (less padding), in a stable order. */
export function bucketBatches<T extends { tokens: unknown[] }>(items: T[], batchSize: number): T[][] {
  const sorted = [...items].sort((a, b) => a.tokens.length - b.tokens.length);
  const batches: T[][] = [];
  for (let i = 0; i < sorted.length; i += batchSize) batches.push(sorted.slice(i, i + batchSize));
  return batches;
}

/**
 * Indices of the windows that have tokens, shortest first (a stable order), cut into batches of
 * `size`: windows of similar length share a batch, so little of it is padding.
 */
export function batchesByLength(wins: readonly (readonly unknown[])[], size: number): number[][] {
  const order = wins.map((_, i) => i).filter((i) => wins[i].length > 0);
  order.sort((a, b) => wins[a].length - wins[b].length);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += size) batches.push(order.slice(i, i + size));
  return batches;
}

/** How far past a part's size windowParts looks for a blank line to end the part at. */
const MAX_PART_REACH = 1 << 22;

/**
 * The windows of `windows(text, maxTokens)`, in order and identical, a part of the text at a
 * time: each part ends at a blank line about `partChars` characters on (sentences never cross
 * a blank line, so each part is tokenized and split on its own), and sentences are grouped as
 * chunkSentences groups them, with the window left open at the end of a part carried into the
 * next. Tagging a long text this way holds one part's tokens at a time, not all of them. A text
 * with no blank line for 4 MB (or 4 × partChars) is cut at whitespace there (windows may then
 * differ from windows()'s at that cut).
 */
export function* windowParts(text: string, maxTokens: number, partChars: number): Generator<Token[][]> {
  let open: Token[] = [];
  for (let from = 0; from < text.length;) {
    const to = partEnd(text, from + partChars, Math.max(4 * partChars, MAX_PART_REACH));
    const tokens = tokenize(text.slice(from, to)).map((t) => ({
      text: t.text,
      start: t.start + from,
      end: t.end + from,
    }));
    const done: Token[][] = [];
    for (const s of splitSentences(text, tokens)) {
      const size = s.tokenEnd - s.tokenStart;
      if (size > maxTokens) {
        if (open.length > 0) done.push(open);
        open = [];
        for (let k = s.tokenStart; k < s.tokenEnd; k += maxTokens) {
          done.push(tokens.slice(k, Math.min(k + maxTokens, s.tokenEnd)));
        }
      } else if (open.length > 0 && open.length + size <= maxTokens) {
        open = open.concat(tokens.slice(s.tokenStart, s.tokenEnd));
      } else {
        if (open.length > 0) done.push(open);
        open = tokens.slice(s.tokenStart, s.tokenEnd);
      }
    }
    from = to;
    if (from >= text.length && open.length > 0) {
      done.push(open);
      open = [];
    }
    yield done;
  }
}

/**
 * Where a part that should end near `at` ends: just after the next blank line (two line breaks
 * with only whitespace between), looking at most `reach` characters on; else at the next
 * whitespace; else at the end of the text.
 */
function partEnd(text: string, at: number, reach: number): number {
  if (at >= text.length) return text.length;
  const limit = Math.min(text.length, at + reach);
  let breaks = 0;
  for (let i = at; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x2028 || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) breaks++;
    else if (c === 0x2029) breaks += 2;
    else if (!isSpaceCode(c)) breaks = 0;
    if (breaks >= 2) return i + 1;
  }
  for (let i = limit; i < text.length; i++) if (isSpaceCode(text.charCodeAt(i))) return i;
  return text.length;
}
