// A plain-JS forward pass written straight from the math in src/model/config.ts, with no
// shared code with any runtime, so runtimes (ONNX, tfjs) can be checked against it.
import { featureDim, inputDim, tcnDilations, type ModelConfig, type Weights } from '../../../src/model/nn/architecture';
import type { EncodedBatch } from '../../../src/model/core/types';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function weight(weights: Weights, name: string): Float32Array {
  const w = weights[name];
  if (!w) throw new Error(`reference forward: missing weight ${name}`);
  return w;
}

/** tanh(max over the C positions of conv(char embeddings)), zero padding outside the C positions. */
function charFeature(
  c: ModelConfig,
  weights: Weights,
  chars: Int32Array,
  offset: number,
  out: Float64Array,
  at: number,
): void {
  const emb = weight(weights, 'char.emb');
  const w = weight(weights, 'char.conv.w'); // [F, dc, K]
  const bias = weight(weights, 'char.conv.b');
  const C = c.maxChars;
  const dc = c.charDim;
  const K = c.charWidth;
  const pad = (K - 1) / 2;
  for (let f = 0; f < c.charFilters; f++) {
    let best = -Infinity;
    for (let p = 0; p < C; p++) {
      let s = bias[f];
      for (let k = 0; k < K; k++) {
        const q = p + k - pad;
        if (q < 0 || q >= C) continue;
        const row = chars[offset + q] * dc; // id 0 (padding) is an ordinary row
        for (let d = 0; d < dc; d++) s += w[(f * dc + d) * K + k] * emb[row + d];
      }
      if (s > best) best = s;
    }
    out[at + f] = Math.tanh(best);
  }
}

/** One time step of one direction; updates h (and c for LSTM) in place. */
type Step = (x: Float64Array, h: Float64Array, c: Float64Array) => void;

function cellStep(cfg: ModelConfig, weights: Weights, layer: number, dir: number, inDim: number): Step {
  const H = cfg.hidden;
  const G = cfg.cell === 'lstm' ? 4 : 3;
  const W = weight(weights, `rnn${layer}.W`).subarray(dir * G * H * inDim, (dir + 1) * G * H * inDim);
  const R = weight(weights, `rnn${layer}.R`).subarray(dir * G * H * H, (dir + 1) * G * H * H);
  const B = weight(weights, `rnn${layer}.B`).subarray(dir * 2 * G * H, (dir + 1) * 2 * G * H);
  const wx = new Float64Array(G * H); // W x + Wb
  const rh = new Float64Array(G * H); // R h + Rb
  const project = (x: Float64Array, h: Float64Array): void => {
    for (let j = 0; j < G * H; j++) {
      let a = B[j];
      for (let i = 0; i < inDim; i++) a += W[j * inDim + i] * x[i];
      wx[j] = a;
      let r = B[G * H + j];
      for (let i = 0; i < H; i++) r += R[j * H + i] * h[i];
      rh[j] = r;
    }
  };
  if (cfg.cell === 'lstm') {
    // gate blocks i, o, f, c
    return (x, h, c) => {
      project(x, h);
      for (let j = 0; j < H; j++) {
        const i = sigmoid(wx[j] + rh[j]);
        const o = sigmoid(wx[H + j] + rh[H + j]);
        const f = sigmoid(wx[2 * H + j] + rh[2 * H + j]);
        const cand = Math.tanh(wx[3 * H + j] + rh[3 * H + j]);
        c[j] = f * c[j] + i * cand;
        h[j] = o * Math.tanh(c[j]);
      }
    };
  }
  // GRU, gate blocks z, r, h, linear_before_reset = 1
  return (x, h) => {
    project(x, h);
    for (let j = 0; j < H; j++) {
      const z = sigmoid(wx[j] + rh[j]);
      const r = sigmoid(wx[H + j] + rh[H + j]);
      const cand = Math.tanh(wx[2 * H + j] + r * rh[2 * H + j]);
      h[j] = (1 - z) * cand + z * h[j];
    }
  };
}

/**
 * Emissions [B*L*T] for a batch. Every position gets a score; at t >= length the recurrent
 * output is 0, so those positions hold out.b.
 */
export function referenceEmissions(cfg: ModelConfig, weights: Weights, batch: EncodedBatch): Float32Array {
  const { batch: B, length: L } = batch;
  const H = cfg.hidden;
  const T = cfg.tags.length;
  const D = inputDim(cfg);
  const wordEmb = weight(weights, 'word.emb');
  const shapeEmb = weight(weights, 'shape.emb');
  const outW = weight(weights, 'out.W');
  const outB = weight(weights, 'out.b');
  const result = new Float32Array(B * L * T);

  for (let b = 0; b < B; b++) {
    const len = batch.lengths[b];
    // features [L, D]
    let seq: Float64Array[] = [];
    for (let t = 0; t < L; t++) {
      const tok = b * L + t;
      const x = new Float64Array(D);
      const wr = batch.words[tok] * cfg.wordDim;
      for (let d = 0; d < cfg.wordDim; d++) x[d] = wordEmb[wr + d];
      const sr = batch.shapes[tok] * cfg.shapeDim;
      for (let d = 0; d < cfg.shapeDim; d++) x[cfg.wordDim + d] = shapeEmb[sr + d];
      charFeature(cfg, weights, batch.chars, tok * cfg.maxChars, x, cfg.wordDim + cfg.shapeDim);
      // line and page features follow, as given
      const K = featureDim(cfg);
      const at = cfg.wordDim + cfg.shapeDim + cfg.charFilters;
      for (let k = 0; k < K; k++) x[at + k] = (batch.features as Float32Array)[tok * K + k];
      seq.push(x);
    }

    if (cfg.cell === 'tcn') seq = tcnReference(cfg, weights, seq, len);
    for (let l = 0; l < cfg.layers && cfg.cell !== 'tcn'; l++) {
      const inDim = l === 0 ? D : 2 * H;
      const out = Array.from({ length: L }, () => new Float64Array(2 * H)); // zero at t >= len
      for (let dir = 0; dir < 2; dir++) {
        const step = cellStep(cfg, weights, l, dir, inDim);
        const h = new Float64Array(H);
        const c = new Float64Array(H);
        for (let k = 0; k < len; k++) {
          const t = dir === 0 ? k : len - 1 - k; // backward starts at the row's own last token
          step(seq[t], h, c);
          out[t].set(h, dir * H);
        }
      }
      if (cfg.residual && l > 0) {
        for (let t = 0; t < L; t++) for (let j = 0; j < 2 * H; j++) out[t][j] += seq[t][j];
      }
      seq = out;
    }

    for (let t = 0; t < L; t++) {
      const h = seq[t];
      const base = (b * L + t) * T;
      const E = h.length;
      for (let k = 0; k < T; k++) {
        let s = outB[k];
        for (let j = 0; j < E; j++) s += h[j] * outW[j * T + k];
        result[base + k] = s;
      }
    }
  }
  return result;
}

/**
 * The tcn encoder of one sequence, straight from architecture.ts: projection, then per
 * dilation d h[t] += relu(b + Σ_k w[:, :, k] · h[t + (k-1)·d]) (zero outside 0..len-1), the
 * block `layers` times; positions at t >= len are 0.
 */
function tcnReference(cfg: ModelConfig, weights: Weights, seq: Float64Array[], len: number): Float64Array[] {
  const H = cfg.hidden;
  const D = inputDim(cfg);
  const W = weight(weights, 'tcn.in.W');
  const bIn = weight(weights, 'tcn.in.b');
  let h = seq.map((x, t) => {
    const out = new Float64Array(H);
    if (t >= len) return out;
    for (let j = 0; j < H; j++) {
      let a = bIn[j];
      for (let i = 0; i < D; i++) a += x[i] * W[i * H + j];
      out[j] = a;
    }
    return out;
  });
  for (let rep = 0; rep < cfg.layers; rep++) {
    tcnDilations(cfg).forEach((d, i) => {
      const w = weight(weights, `tcn.conv${i}.w`);
      const bias = weight(weights, `tcn.conv${i}.b`);
      h = h.map((ht, t) => {
        const out = new Float64Array(H);
        if (t >= len) return out;
        for (let o = 0; o < H; o++) {
          let a = bias[o];
          for (let k = 0; k < 3; k++) {
            const s = t + (k - 1) * d;
            if (s < 0 || s >= len) continue;
            for (let j = 0; j < H; j++) a += w[(o * H + j) * 3 + k] * h[s][j];
          }
          out[o] = ht[o] + Math.max(0, a);
        }
        return out;
      });
    });
  }
  return h;
}
