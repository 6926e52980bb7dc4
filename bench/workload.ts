// Encoded batches in the JSON shape bench/torch_peer.py reads, so the PyTorch peer runs on
// exactly the ids our engine sees.
import { allowedTransitions, type EncodedBatch, type ModelConfig } from '../src/model';

export interface PeerBatch {
  words: number[][];
  shapes: number[][];
  chars: number[][][];
  lengths: number[];
  tagMask?: number[][][];
  /** line and page features [B][L][K], for models that read them */
  features?: number[][][];
}

/** One encoded batch as nested arrays; `masks` ([len*T] per sequence) adds the tag masks. */
export function peerBatch(b: EncodedBatch, T?: number, masks?: Uint8Array[]): PeerBatch {
  const out: PeerBatch = { words: [], shapes: [], chars: [], lengths: Array.from(b.lengths) };
  for (let i = 0; i < b.batch; i++) {
    const row = (a: Int32Array) => Array.from(a.subarray(i * b.length, (i + 1) * b.length));
    out.words.push(row(b.words));
    out.shapes.push(row(b.shapes));
    const chars: number[][] = [];
    for (let t = 0; t < b.length; t++) {
      const at = (i * b.length + t) * b.maxChars;
      chars.push(Array.from(b.chars.subarray(at, at + b.maxChars)));
    }
    out.chars.push(chars);
  }
  if (b.features && b.featureDim) {
    const K = b.featureDim;
    const f = b.features;
    out.features = [];
    for (let i = 0; i < b.batch; i++) {
      const rows: number[][] = [];
      for (let t = 0; t < b.length; t++)
        rows.push(Array.from(f.subarray((i * b.length + t) * K, (i * b.length + t + 1) * K)));
      out.features.push(rows);
    }
  }
  if (masks && T) {
    out.tagMask = masks.map((m, i) => {
      const rows: number[][] = [];
      for (let t = 0; t < b.length; t++) {
        // padding positions: everything allowed (they are masked out by length anyway)
        rows.push(t < b.lengths[i] ? Array.from(m.subarray(t * T, (t + 1) * T)) : new Array(T).fill(1));
      }
      return rows;
    });
  }
  return out;
}

export function peerConfig(c: ModelConfig): Record<string, unknown> {
  return { ...c, allowed: undefined };
}

export function peerAllowed(c: ModelConfig): { start: boolean[]; end: boolean[]; trans: boolean[][] } {
  return allowedTransitions(c.tags, c.scheme);
}
