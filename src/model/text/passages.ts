// The passage a correction is saved with: the paragraph around the corrected range, or, in a long
// paragraph, the sentences it touches, trimmed to whole tokens. The editor (which reads the block
// from its document) and the learning bench (which simulates it on a string) cut the same way.
import type { Range } from '../core/types';
import { splitSentences, tokenize } from './tokenizer';

/** A paragraph longer than this (characters) is saved sentence by sentence. */
export const MAX_PASSAGE = 3000;

/** The passage around `range` inside `block` (its text and where it starts); never narrower than the range. */
export function passageInBlock(block: { start: number; text: string }, range: Range): Range {
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
