// `npm run bench:train`: training speed of our engine against the PyTorch peer, on one
// synthetic workload with the reference dimensions, in the same run and interleaved
// (ours, torch, ours, torch, ours, torch) so that both see the same machine state.
//
// Workload: vocabulary 20000, word 100 / shape 16 / char 16 dims, 32 char filters of width 3
// over 12 characters, one bidirectional LSTM layer of 128 per direction, CRF over 33 BILOU
// tags (8 labels), batches of 32 sentences × 40 tokens with partial tag masks. Ours runs the
// trainer's step (network forward with dropout, partial CRF loss per sentence, backward, Adam
// with clipping) on the same encoded batches the peer gets; each run times `steps` steps after
// 3 warm-up steps, as bench/torch_peer.py does. The peer has no dropout; ours keeps the
// trainer's (slightly more work for us). Word ids are Zipf-distributed like text, so the lazy
// Adam rows behave as in training.
//
// Options: --steps N (default 50), --runs N (default 3), --batches N distinct batches
// (default 12), --dropout P (default 0.25, the trainer's default), --no-torch.
// The last line is always `train speed vs PyTorch: ...`.
import {
  Adam,
  allowedTransitions,
  CrfStructure,
  type EncodedBatch,
  initWeights,
  type ModelConfig,
  Network,
  partialCrfLoss,
  Rng,
  tagNames,
  prepareMatrixProducts,
  zeroGradients,
} from '../src/model';
import { runTorchPeer, type TorchPeerResult } from './torch-peer';

interface Options {
  steps: number;
  runs: number;
  batches: number;
  dropout: number;
  torch: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { steps: 50, runs: 3, batches: 12, dropout: 0.25, torch: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--steps') o.steps = Math.max(1, Math.floor(num()));
    else if (a === '--runs') o.runs = Math.max(1, Math.floor(num()));
    else if (a === '--batches') o.batches = Math.max(1, Math.floor(num()));
    else if (a === '--dropout') o.dropout = num();
    else if (a === '--no-torch') o.torch = false;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const LABELS = ['PARTY', 'DATE', 'DURATION', 'AMOUNT', 'JURISDICTION', 'TERM', 'ADDRESS', 'PERCENT'];
const B = 32;
const L = 40;

function referenceConfig(): ModelConfig {
  return {
    scheme: 'BILOU',
    labels: LABELS,
    tags: tagNames(LABELS, 'BILOU'),
    vocabSize: 20000,
    shapeCount: 120,
    charCount: 150,
    wordDim: 100,
    shapeDim: 16,
    charDim: 16,
    charFilters: 32,
    charWidth: 3,
    maxChars: 12,
    cell: 'lstm',
    hidden: 128,
    layers: 1,
    residual: false,
    output: 'crf',
  };
}

interface Batch {
  enc: EncodedBatch;
  /** per sentence: [len * T] possible tags */
  masks: Uint8Array[];
}

/** Zipf-like word ids (frequent words dominate, as in text), 1..vocab-1. */
function zipf(rng: Rng, n: number): number {
  // inverse CDF of a 1/x density over [1, n)
  return Math.min(n - 1, Math.max(1, Math.floor(Math.exp(rng.next() * Math.log(n)))));
}

/**
 * Partial supervision as in the real data (dataset.ts): a few gold entities (1–4 tokens, BILOU
 * tags, one allowed tag each); every other token is O where its sentence is complete, else O
 * or any tag of any label. The mask always admits a valid path.
 */
function partialMask(c: ModelConfig, rng: Rng): Uint8Array {
  const T = c.tags.length;
  const index = new Map(c.tags.map((tag, i) => [tag, i]));
  const mask = new Uint8Array(L * T);
  const complete = rng.next() < 0.3;
  let t = 0;
  while (t < L) {
    if (rng.next() < 0.08) {
      const label = c.labels[rng.int(c.labels.length)];
      const len = Math.min(1 + rng.int(4), L - t);
      for (let k = 0; k < len; k++) {
        const prefix = len === 1 ? 'U' : k === 0 ? 'B' : k === len - 1 ? 'L' : 'I';
        mask[(t + k) * T + (index.get(`${prefix}-${label}`) as number)] = 1;
      }
      t += len;
    } else {
      if (complete) mask[t * T] = 1;
      else mask.fill(1, t * T, (t + 1) * T);
      t++;
    }
  }
  return mask;
}

function makeBatches(c: ModelConfig, count: number, seed: number): Batch[] {
  const rng = new Rng(seed);
  const C = c.maxChars;
  const out: Batch[] = [];
  for (let q = 0; q < count; q++) {
    const words = new Int32Array(B * L);
    const shapes = new Int32Array(B * L);
    const chars = new Int32Array(B * L * C);
    const lengths = new Int32Array(B).fill(L);
    const masks: Uint8Array[] = [];
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < L; t++) {
        const n = b * L + t;
        words[n] = zipf(rng, c.vocabSize);
        shapes[n] = 1 + rng.int(c.shapeCount - 1);
        const nc = 1 + rng.int(C);
        for (let k = 0; k < nc; k++) chars[n * C + k] = 2 + rng.int(c.charCount - 2);
      }
      masks.push(partialMask(c, rng));
    }
    out.push({ enc: { batch: B, length: L, maxChars: C, words, shapes, chars, lengths }, masks });
  }
  return out;
}

/** The same data in bench/torch_peer.py's workload format. */
function torchWorkload(c: ModelConfig, batches: Batch[], steps: number): object {
  const T = c.tags.length;
  const C = c.maxChars;
  const rows2 = (a: Int32Array, bb: number, l: number) =>
    Array.from({ length: bb }, (_, b) => Array.from(a.subarray(b * l, (b + 1) * l)));
  const chars3 = (a: Int32Array, bb: number, l: number) =>
    Array.from({ length: bb }, (_, b) =>
      Array.from({ length: l }, (_, t) => Array.from(a.subarray((b * l + t) * C, (b * l + t + 1) * C))),
    );
  const train = batches.map(({ enc, masks }) => ({
    words: rows2(enc.words, B, L),
    shapes: rows2(enc.shapes, B, L),
    chars: chars3(enc.chars, B, L),
    lengths: Array.from(enc.lengths),
    tagMask: masks.map((m) =>
      Array.from({ length: L }, (_, t) => Array.from({ length: T }, (_, j) => m[t * T + j] === 1)),
    ),
  }));
  // tagging inputs (the peer times them too): a 400-token document and one sentence
  const rng = new Rng(99);
  const docLen = 400;
  const dw = Array.from({ length: docLen }, () => zipf(rng, c.vocabSize));
  const ds = Array.from({ length: docLen }, () => 1 + rng.int(c.shapeCount - 1));
  const dc = Array.from({ length: docLen }, () =>
    Array.from({ length: C }, (_, k) => (k < 6 ? 2 + rng.int(c.charCount - 2) : 0)),
  );
  const rules = allowedTransitions(c.tags, c.scheme);
  return {
    config: c,
    steps,
    allowed: rules,
    train,
    doc: { words: [dw], shapes: [ds], chars: [dc], lengths: [docLen] },
    sentence: { words: [dw.slice(0, L)], shapes: [ds.slice(0, L)], chars: [dc.slice(0, L)], lengths: [L] },
  };
}

/** One timed run of our trainer's step; returns sentences/s. */
function runOurs(
  c: ModelConfig,
  batches: Batch[],
  steps: number,
  dropout: number,
  seed: number,
): { rate: number; seconds: number; firstLoss: number; lastLoss: number } {
  const weights = initWeights(c, seed);
  const network = new Network(c, weights);
  const structure = new CrfStructure(allowedTransitions(c.tags, c.scheme));
  const adam = new Adam(weights, c.wordDim, { learningRate: 1e-3, clipNorm: 5 });
  const grads = zeroGradients(c);
  const rng = new Rng(seed);
  const T = c.tags.length;
  const step = (batch: Batch): number => {
    const { enc, masks } = batch;
    const { emissions, cache } = network.forward(enc, dropout, rng);
    const dEm = new Float32Array(emissions.length);
    const g = {
      em: dEm,
      trans: grads.dense['crf.trans'],
      start: grads.dense['crf.start'],
      end: grads.dense['crf.end'],
    };
    const crf = { trans: weights['crf.trans'], start: weights['crf.start'], end: weights['crf.end'] };
    let loss = 0;
    for (let b = 0; b < enc.batch; b++) {
      const l = partialCrfLoss(
        emissions,
        b * enc.length * T,
        enc.lengths[b],
        crf,
        structure,
        masks[b],
        0,
        1 / enc.batch,
        g,
      );
      if (l === null) throw new Error('a workload mask admits no tag path');
      loss += l;
    }
    network.backward(cache, dEm, grads);
    adam.apply(grads);
    return loss;
  };
  let firstLoss = 0;
  for (let i = 0; i < 3; i++) firstLoss = step(batches[i % batches.length]);
  let sentences = 0;
  let lastLoss = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) {
    const batch = batches[(3 + i) % batches.length];
    lastLoss = step(batch);
    sentences += batch.enc.batch;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { rate: sentences / seconds, seconds, firstLoss, lastLoss };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const engine = await prepareMatrixProducts();
  const c = referenceConfig();
  const batches = makeBatches(c, o.batches, 1234);
  console.log(
    `workload: ${o.batches} batches of ${B}x${L}, vocab ${c.vocabSize}, word ${c.wordDim} shape ${c.shapeDim} ` +
      `char ${c.charDim}x${c.charFilters}/${c.maxChars}, BiLSTM ${c.hidden}, CRF ${c.tags.length} tags; ` +
      `${o.steps} timed steps per run after 3 warm-up; ours: products on ${engine}, dropout ${o.dropout}`,
  );
  const workload = o.torch ? torchWorkload(c, batches, o.steps) : null;
  const ours: number[] = [];
  const torch: number[] = [];
  let torchRss = 0;
  let unavailable: string | null = o.torch ? null : 'skipped (--no-torch)';
  let peerInfo = '';
  for (let r = 0; r < o.runs; r++) {
    const res = runOurs(c, batches, o.steps, o.dropout, 1 + r);
    ours.push(res.rate);
    console.log(
      `ours  run ${r + 1}: ${res.rate.toFixed(1)} sentences/s (${o.steps} steps in ${res.seconds.toFixed(2)} s, ` +
        `loss ${res.firstLoss.toFixed(3)} -> ${res.lastLoss.toFixed(3)})`,
    );
    if (unavailable === null && workload) {
      const p: TorchPeerResult | { unavailable: string } = await runTorchPeer(workload, {
        threads: 1,
        repeats: 1,
        verbose: false,
      });
      if ('unavailable' in p) {
        unavailable = p.unavailable;
        console.log(`torch run ${r + 1}: unavailable (${p.unavailable})`);
      } else {
        torch.push(p.trainMedian);
        torchRss = Math.max(torchRss, p.peakRssMb);
        peerInfo = `torch ${p.torch}, ${p.blas}, matmul ${p.matmulGflops} GFLOP/s, ${p.threads} thread(s)`;
        console.log(`torch run ${r + 1}: ${p.trainMedian.toFixed(1)} sentences/s`);
      }
    }
  }
  const oursMed = median(ours);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  if (peerInfo) console.log(`peer: ${peerInfo}`);
  console.log(`median ours: ${oursMed.toFixed(1)} sentences/s of [${ours.map((v) => v.toFixed(1)).join(', ')}]`);
  if (torch.length > 0)
    console.log(
      `median torch: ${median(torch).toFixed(1)} sentences/s of [${torch.map((v) => v.toFixed(1)).join(', ')}]`,
    );
  // on a busy machine single runs swing widely; the best runs are the least disturbed ones
  if (torch.length > 0)
    console.log(`best runs: ours ${Math.max(...ours).toFixed(1)}, torch ${Math.max(...torch).toFixed(1)} sentences/s`);
  console.log(`peak RSS: ours ${rssMb.toFixed(0)} MB` + (torch.length > 0 ? `, torch ${torchRss.toFixed(0)} MB` : ''));
  if (unavailable !== null || torch.length === 0) {
    console.log(
      `train speed vs PyTorch: ${oursMed.toFixed(1)} sentences/s; PyTorch peer unavailable: ${unavailable ?? 'no result'}`,
    );
  } else {
    const t = median(torch);
    console.log(
      `train speed vs PyTorch: ${oursMed.toFixed(1)} / ${t.toFixed(1)} sentences/s = ${(oursMed / t).toFixed(2)}x`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  console.log(`train speed vs PyTorch: failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
