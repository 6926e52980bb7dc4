// Token features the network reads: a normalised word id, a word-shape id and character ids.
// The vocabularies are built from training data and saved beside the model.
import type { EncodedBatch, Token } from '../core/types';

export const PAD = 0;
export const UNK = 1;

export interface VocabularyData {
  words: string[];
  shapes: string[];
  chars: string[];
}

/** Lower-cased, digits folded to 0: "May" and "MAY" share a row, as do all four-digit years. */
export function normalizeWord(text: string): string {
  return text.toLowerCase().replace(/[0-9]/g, '0');
}

/**
 * Collapsed word shape: X for upper-case, x for lower-case, d for digits, other characters
 * kept, runs of the same class collapsed ("Inc." → "Xx.", "12/05/2024" → "d/d/d",
 * "$1,250.00" → "$d,d.d"), capped at 8 symbols so the shape vocabulary stays small.
 */
export function wordShape(text: string): string {
  let out = '';
  let last = '';
  for (let i = 0; i < text.length && out.length < 8; i++) {
    const ch = text[i];
    let cls: string;
    if (ch >= '0' && ch <= '9') cls = 'd';
    else if (ch !== ch.toLowerCase()) cls = 'X';
    else if (ch !== ch.toUpperCase()) cls = 'x';
    else cls = ch;
    if (cls !== last) out += cls;
    last = cls;
  }
  return out;
}

export class Vocabulary {
  readonly words: string[];
  readonly shapes: string[];
  readonly chars: string[];
  private readonly wordIndex: Map<string, number>;
  private readonly shapeIndex: Map<string, number>;
  private readonly charIndex: Map<string, number>;

  constructor(data: VocabularyData) {
    this.words = data.words;
    this.shapes = data.shapes;
    this.chars = data.chars;
    this.wordIndex = indexOf(data.words);
    this.shapeIndex = indexOf(data.shapes);
    this.charIndex = indexOf(data.chars);
  }

  static build(
    tokenTexts: Iterable<string>,
    options: {
      maxWords?: number;
      minWordCount?: number;
      maxShapes?: number;
      maxChars?: number;
      minCharCount?: number;
    } = {},
  ): Vocabulary {
    const words = new Map<string, number>();
    const shapes = new Map<string, number>();
    const chars = new Map<string, number>();
    for (const text of tokenTexts) {
      bump(words, normalizeWord(text));
      bump(shapes, wordShape(text));
      for (const ch of text) bump(chars, ch.length === 1 ? ch : ch[0]);
    }
    return new Vocabulary({
      words: ['<pad>', '<unk>', ...topKeys(words, options.maxWords ?? 20000, options.minWordCount ?? 2)],
      shapes: ['<pad>', '<unk>', ...topKeys(shapes, options.maxShapes ?? 300, 2)],
      chars: ['<pad>', '<unk>', ...topKeys(chars, options.maxChars ?? 300, options.minCharCount ?? 3)],
    });
  }

  toJSON(): VocabularyData {
    return { words: this.words, shapes: this.shapes, chars: this.chars };
  }

  wordId(text: string): number {
    return this.wordIndex.get(normalizeWord(text)) ?? UNK;
  }

  shapeId(text: string): number {
    return this.shapeIndex.get(wordShape(text)) ?? UNK;
  }

  charId(ch: string): number {
    return this.charIndex.get(ch) ?? UNK;
  }

  /**
   * Encodes sequences of tokens, padded to the longest. `features`, for models that read line
   * and page features: one [tokens × dim] array per sequence.
   */
  encode(
    sequences: Token[][],
    maxChars: number,
    features?: { dim: number; values: readonly Float32Array[] },
  ): EncodedBatch {
    const batch = sequences.length;
    let length = 1;
    for (const s of sequences) length = Math.max(length, s.length);
    const words = new Int32Array(batch * length);
    const shapes = new Int32Array(batch * length);
    const chars = new Int32Array(batch * length * maxChars);
    const lengths = new Int32Array(batch);
    for (let b = 0; b < batch; b++) {
      const seq = sequences[b];
      lengths[b] = seq.length;
      for (let t = 0; t < seq.length; t++) {
        const text = seq[t].text;
        const at = b * length + t;
        words[at] = this.wordId(text);
        shapes[at] = this.shapeId(text);
        this.encodeChars(text, chars, at * maxChars, maxChars);
      }
    }
    if (!features) return { batch, length, maxChars, words, shapes, chars, lengths };
    const dim = features.dim;
    const packed = new Float32Array(batch * length * dim);
    for (let b = 0; b < batch; b++) {
      const f = features.values[b];
      if (!f || f.length !== sequences[b].length * dim) {
        throw new Error(
          `encode: sequence ${b} has ${f?.length ?? 0} feature values, expected ${sequences[b].length * dim}`,
        );
      }
      packed.set(f, b * length * dim);
    }
    return { batch, length, maxChars, words, shapes, chars, lengths, featureDim: dim, features: packed };
  }

  /** Long tokens keep their first and last characters: prefixes and suffixes carry the signal. */
  private encodeChars(text: string, out: Int32Array, offset: number, maxChars: number): void {
    const n = text.length;
    if (n <= maxChars) {
      for (let i = 0; i < n; i++) out[offset + i] = this.charId(text[i]);
      return;
    }
    const head = Math.ceil(maxChars / 2);
    const tail = maxChars - head;
    for (let i = 0; i < head; i++) out[offset + i] = this.charId(text[i]);
    for (let i = 0; i < tail; i++) out[offset + head + i] = this.charId(text[n - tail + i]);
  }
}

function indexOf(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  items.forEach((item, i) => m.set(item, i));
  return m;
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Most frequent keys first; ties broken alphabetically so builds are reproducible. */
function topKeys(counts: Map<string, number>, max: number, minCount: number): string[] {
  return [...counts.entries()]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max)
    .map(([k]) => k);
}
