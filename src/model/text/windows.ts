// Model-sized windows of a text: its sentences grouped up to a token budget; and batches of
// windows (or sequences) of similar length, so that little is padded.
import type { Token } from '../core/types';
import { chunkSentences, splitSentences, tokenize } from './tokenizer';

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
