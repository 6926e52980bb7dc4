// `npm run bench`: tagging speed with onnxruntime (a 10,000-token contract end to end:
// tokenize + windows + ORT + Viterbi + confidences; and one sentence), training speed, peak RSS,
// and, where python3-torch is installed, the same architecture in PyTorch on the same ids in
// the same run. Then the levers for tagging at the limit on the default model (onnxruntime
// intra-op threads, worker threads, window batch sizes, the engine's own kernels instead of onnxruntime), and each
// architecture (BiLSTM default, BiGRU, TCN, an ensemble of 3) with tokens/s, the 10k-token time
// and its own PyTorch peer. Figures only, no assertions. The last line reads
// `tag 10k tokens: <ms> ms (PyTorch <ms> ms, ratio <x>)` for the default model, ratio =
// PyTorch time / ours. A spaCy peer is skipped with a message where spaCy cannot be installed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type AnnotatedDocument,
  buildEnsemble,
  defaultModelDir,
  documentSequences,
  featureDim,
  initWeights,
  LineFeatures,
  loadModel,
  makeConfig,
  packageRoot,
  readJsonl,
  sequenceFeatures,
  Tagger,
  type Token,
  tokenize,
  train,
  type TrainedModel,
  Vocabulary,
  windows,
} from '../src/model';
import { ARCHITECTURE } from '../src/recipes/default-recipe';
import { DEFAULT_LABELS } from '../src/recipes/default-data';
import { runTorchPeer, type TorchPeerResult } from './torch-peer';
import { peerAllowed, peerBatch } from './workload';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function contracts(): Promise<AnnotatedDocument[]> {
  const file = path.resolve(packageRoot(), '..', 'shared', 'data', 'cuad.jsonl');
  if (fs.existsSync(file)) return (await readJsonl(file)).docs;
  // no shared data: the sample workspace's contracts, repeated
  const dir = path.join(packageRoot(), 'samples', 'workspace', 'contracts');
  const text = fs
    .readdirSync(dir)
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n\n');
  return [{ id: 'samples', text: Array(40).fill(text).join('\n\n'), spans: [], split: 'test' }];
}

async function benchModel(text: string): Promise<{ model: TrainedModel; which: string }> {
  if (fs.existsSync(path.join(defaultModelDir(), 'model.json')))
    return { model: await loadModel(defaultModelDir()), which: 'embedded default model' };
  const vocab = Vocabulary.build(
    tokenize(text).map((t) => t.text),
    { minWordCount: 1 },
  );
  const config = makeConfig({ labels: DEFAULT_LABELS, ...ARCHITECTURE }, vocab);
  return {
    model: { info: { name: 'random', version: '0', created: '' }, config, vocab, weights: initWeights(config, 1) },
    which: 'random weights, default architecture (no default model yet)',
  };
}

async function main(): Promise<void> {
  const docs = await contracts();
  const long = docs.find((d) => d.split === 'test' && tokenize(d.text).length >= 10000) ?? docs[0];
  const toks = tokenize(long.text);
  const text = long.text.slice(0, toks[Math.min(9999, toks.length - 1)].end);
  const tokenCount = tokenize(text).length;
  const { model, which } = await benchModel(long.text);
  const c = model.config;
  console.log(`model: ${which}; ${c.cell} hidden ${c.hidden}, word ${c.wordDim}, ${c.tags.length} tags, ${c.output}`);
  console.log(`document: ${long.id}, ${tokenCount} tokens, ${text.length} characters`);

  const tagger = await Tagger.create(model, { runtime: 'onnx' });
  await tagger.tag(text);
  const docTimes: number[] = [];
  let entities = 0;
  for (let i = 0; i < 15; i++) {
    const t0 = now();
    entities = (await tagger.tag(text)).length;
    docTimes.push(now() - t0);
  }
  // where the time goes
  const t0 = now();
  const wins = windows(text, tagger.maxTokens);
  const tokenizeMs = now() - t0;
  // models with line features read them beside the ids (the tagger computes them from the text)
  const K = featureDim(c);
  const lines = K > 0 ? new LineFeatures(text) : null;
  const withFeatures = (groups: Token[][]) => (lines ? { dim: K, values: groups.map((g) => lines.of(g)) } : undefined);
  const batch = model.vocab.encode(wins, c.maxChars, withFeatures(wins));
  const t1 = now();
  await tagger.runtime.run(batch);
  const ortOneBatchMs = now() - t1;
  const sentence =
    'This Agreement is made on March 3, 2021 between Globex GmbH and Initech Ltd., a Delaware corporation.';
  for (let i = 0; i < 20; i++) await tagger.tag(sentence);
  const sentTimes: number[] = [];
  for (let i = 0; i < 300; i++) {
    const s0 = now();
    await tagger.tag(sentence);
    sentTimes.push(now() - s0);
  }
  await tagger.dispose();
  const docMs = median(docTimes);
  const sentMs = median(sentTimes);
  console.log(
    `tag ${tokenCount} tokens end to end: median ${docMs.toFixed(1)} ms (${((tokenCount / docMs) * 1000).toFixed(0)} tokens/s), ${entities} entities`,
  );
  console.log(
    `  tokenize + windows ${tokenizeMs.toFixed(1)} ms; onnxruntime on all ${wins.length} windows in one call ${ortOneBatchMs.toFixed(1)} ms`,
  );
  console.log(`tag one sentence (${tokenize(sentence).length} tokens): median ${sentMs.toFixed(3)} ms`);

  // training: the same architecture on contract windows (partial masks, CRF), one epoch
  const trainDocs = docs.filter((d) => d.split !== 'test').slice(0, 12);
  const seqOptions = { labels: c.labels, scheme: c.scheme, partial: true, maxTokens: 60, features: K > 0 };
  const seqs = trainDocs.flatMap((d) => documentSequences(d, seqOptions)).slice(0, 1600);
  const trained = await train([], [], {
    ...ARCHITECTURE,
    labels: c.labels,
    epochs: 1,
    extraSequences: seqs,
    seed: 1,
    lineFeatures: K > 0,
  });
  const trainSps = trained.history[0].sentencesPerSecond;
  console.log(
    `train: ${seqs.length} contract windows, ${trainSps.toFixed(0)} sentences/s (one thread, partial CRF, dropout 0.25)`,
  );

  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`peak RSS: ${rssMb.toFixed(0)} MB`);

  // the peer: same ids, same architecture
  const T = c.tags.length;
  const peerSeqs = seqs.filter((s) => s.tokens.length <= 40).slice(0, 32 * 10);
  const trainBatches = [];
  for (let i = 0; i + 32 <= peerSeqs.length; i += 32) {
    const group = peerSeqs.slice(i, i + 32);
    trainBatches.push(
      peerBatch(
        model.vocab.encode(
          group.map((s) => s.tokens),
          c.maxChars,
          K > 0 ? sequenceFeatures(group, K) : undefined,
        ),
        T,
        group.map((s) => s.mask),
      ),
    );
  }
  const docTokens = tokenize(text);
  const sentTokens = tokenize(sentence);
  const docIds = model.vocab.encode([docTokens], c.maxChars, withFeatures([docTokens]));
  const sentIds = model.vocab.encode(
    [sentTokens],
    c.maxChars,
    K > 0 ? { dim: K, values: [new LineFeatures(sentence).of(sentTokens)] } : undefined,
  );
  const peer = await runTorchPeer(
    {
      config: c,
      allowed: peerAllowed(c),
      train: trainBatches,
      steps: 30,
      doc: peerBatch(docIds),
      docChunks: peerBatch(batch),
      sentence: peerBatch(sentIds),
    },
    { threads: 1, repeats: 1, verbose: false },
  );
  const peerOk = !('unavailable' in peer);
  if (!peerOk) console.log(`PyTorch peer unavailable: ${(peer as { unavailable: string }).unavailable}`);
  else {
    const p = peer as TorchPeerResult;
    console.log(`PyTorch ${p.torch} (${p.blas.split(' ')[0]}, matmul ${p.matmulGflops} GFLOP/s, 1 thread):`);
    console.log(
      `  tag document as its ${wins.length} windows: ${p.tagDocChunksMs.toFixed(1)} ms (ids given; no tokenizing, no confidences); as one sequence ${p.tagDocMs.toFixed(1)} ms`,
    );
    console.log(
      `  tag one sentence: ${p.tagSentenceMs.toFixed(3)} ms; ours / PyTorch ${(sentMs / p.tagSentenceMs).toFixed(2)}x the time`,
    );
    console.log(`  train: ${p.trainMedian} sentences/s; ours / PyTorch = ${(trainSps / p.trainMedian).toFixed(2)}x`);
    console.log(`  peak RSS ${p.peakRssMb} MB`);
  }

  spacyPeer();
  await levers(model, text, tokenCount, docMs);
  await architectures(model, text, tokenCount, docMs, trainSps, seqs, peerOk ? (peer as TorchPeerResult) : null);

  const load = os.loadavg()[0].toFixed(1);
  if (!peerOk) {
    console.log(`tag 10k tokens: ${docMs.toFixed(1)} ms (PyTorch n/a, ratio n/a)`);
    return;
  }
  const p = peer as TorchPeerResult;
  console.log(`load average at the end: ${load} (2 cores)`);
  console.log(
    `tag 10k tokens: ${docMs.toFixed(1)} ms (PyTorch ${p.tagDocChunksMs.toFixed(1)} ms, ratio ${(p.tagDocChunksMs / docMs).toFixed(2)}x)`,
  );
}

/**
 * spaCy's NER as a second peer needs spaCy: Debian's archive has no python3-spacy and PyPI is not
 * reachable from these machines, so the bench says why it skips it.
 */
function spacyPeer(): void {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import spacy; print(spacy.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) {
      console.log(
        `spaCy peer: spaCy ${r.stdout.trim()} is installed for ${python}, but this bench has no spaCy peer yet`,
      );
      return;
    }
  }
  console.log(
    'spaCy peer: skipped (no Python here imports spacy; Debian has no python3-spacy and PyPI is not reachable from this machine)',
  );
}

/** Median ms of tagging `text` with a tagger (after a warm-up), over `runs` runs. */
async function timeTagging(tagger: Tagger, text: string, runs = 9): Promise<number> {
  await tagger.tag(text);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    await tagger.tag(text);
    times.push(now() - t0);
  }
  return median(times);
}

/**
 * The levers for tagging at the limit, on the default model and the same document, each
 * against the default setting measured again alternately (onnxruntime 1 thread, windows in
 * batches of 32 by length), so a change of load shows in both.
 */
async function levers(model: TrainedModel, text: string, tokens: number, baseline: number): Promise<void> {
  console.log(`levers (default model, ${tokens} tokens; the default setting measured alongside each):`);
  const variants: Array<[string, Parameters<typeof Tagger.create>[1]]> = [
    ['onnxruntime, 2 intra-op threads', { runtime: 'onnx', intraOpThreads: 2 }],
    ['windows over 2 worker threads (threads: 2; batches of 8)', { runtime: 'onnx', threads: 2 }],
    ['windows over 2 worker threads, batches of 16', { runtime: 'onnx', threads: 2, batchSize: 16 }],
    ['windows in batches of 8', { runtime: 'onnx', batchSize: 8 }],
    ['windows in batches of 128', { runtime: 'onnx', batchSize: 128 }],
    ['all windows in one batch', { runtime: 'onnx', batchSize: 100000 }],
    ["the engine's WebAssembly SIMD kernels instead of onnxruntime", { runtime: 'tfjs' }],
  ];
  const base = await Tagger.create(model, { runtime: 'onnx' });
  try {
    for (const [name, options] of variants) {
      const tagger = await Tagger.create(model, options);
      try {
        const a = await timeTagging(base, text, 5);
        const b = await timeTagging(tagger, text, 5);
        const a2 = await timeTagging(base, text, 5);
        const ref = (a + a2) / 2;
        console.log(
          `  ${name}: ${b.toFixed(1)} ms vs default ${ref.toFixed(1)} ms (${(ref / b).toFixed(2)}x the speed)`,
        );
      } finally {
        await tagger.dispose();
      }
    }
  } finally {
    await base.dispose();
  }
  void baseline;
}

/**
 * Each architecture: tokens/s and the 10k-token time end to end (onnxruntime), training
 * sentences/s, and the PyTorch peer on the same architecture and ids. The BiLSTM is the shipped
 * default model; the BiGRU and TCN are trained here for one epoch on the same contract windows
 * as the training figure above (quick models, not the default recipe: their speed is that of
 * their architecture, their accuracy is not measured here). The ensemble is the three together.
 */
async function architectures(
  model: TrainedModel,
  text: string,
  tokens: number,
  docMs: number,
  lstmTrainSps: number,
  seqs: ReturnType<typeof documentSequences>,
  lstmPeer: TorchPeerResult | null,
): Promise<void> {
  const c = model.config;
  const K = featureDim(c);
  const quick = async (cell: 'gru' | 'tcn') => {
    const r = await train([], [], {
      ...ARCHITECTURE,
      cell,
      ...(cell === 'tcn' ? { layers: 2 as const } : {}),
      labels: c.labels,
      scheme: c.scheme,
      maxChars: c.maxChars,
      epochs: 1,
      extraSequences: seqs,
      seed: 1,
      lineFeatures: K > 0,
    });
    return { model: r.model, sps: r.history[0].sentencesPerSecond };
  };
  const gru = await quick('gru');
  const tcn = await quick('tcn');
  const ensemble = buildEnsemble([model, gru.model, tcn.model], { name: 'bench-ensemble', version: '0', created: '' });
  const rows: Array<{ name: string; m: TrainedModel; sps: number | null; note: string }> = [
    { name: 'BiLSTM', m: model, sps: lstmTrainSps, note: 'the shipped default model' },
    { name: 'BiGRU', m: gru.model, sps: gru.sps, note: 'quick: 1 epoch, not the default recipe' },
    { name: 'TCN', m: tcn.model, sps: tcn.sps, note: 'quick: 1 epoch, not the default recipe; dilations 1,2,4 x 2' },
    { name: 'ensemble of 3', m: ensemble, sps: null, note: 'the three above, emissions averaged' },
  ];
  console.log(
    `architectures (${tokens} tokens end to end, onnxruntime 1 thread; hidden ${c.hidden}; the four taggers timed in turn, 7 rounds, medians):`,
  );
  const taggers = await Promise.all(rows.map((row) => Tagger.create(row.m, { runtime: 'onnx' })));
  const times: number[][] = rows.map(() => []);
  try {
    for (const t of taggers) await t.tag(text);
    for (let round = 0; round < 7; round++) {
      for (let i = 0; i < taggers.length; i++) {
        const t0 = now();
        await taggers[i].tag(text);
        times[i].push(now() - t0);
      }
    }
  } finally {
    for (const t of taggers) await t.dispose();
  }
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const ms = median(times[i]);
    let engineMs = NaN;
    if (row.m.config.cell === 'tcn' && !row.m.members) {
      const engine = await Tagger.create(row.m, { runtime: 'tfjs' });
      engineMs = await timeTagging(engine, text, 5);
      await engine.dispose();
    }
    let peerText = 'PyTorch n/a';
    const peer = row.m.members ? null : row.m === model ? lstmPeer : await archPeer(row.m, text);
    if (peer)
      peerText = `PyTorch ${peer.tagDocChunksMs.toFixed(1)} ms, ratio ${(peer.tagDocChunksMs / ms).toFixed(2)}x`;
    console.log(
      `  ${row.name} (${row.note}): ${ms.toFixed(1)} ms, ${((tokens / ms) * 1000).toFixed(0)} tokens/s; ` +
        `train ${row.sps === null ? 'n/a' : `${row.sps.toFixed(0)} sentences/s`}; ${peerText}` +
        (Number.isNaN(engineMs) ? '' : `; engine kernels instead of onnxruntime ${engineMs.toFixed(1)} ms`),
    );
  }
  void docMs;
}

/** The PyTorch peer of one architecture: tagging the document's windows only (few training steps). */
async function archPeer(m: TrainedModel, text: string): Promise<TorchPeerResult | null> {
  const c = m.config;
  const K = featureDim(c);
  const lines = K > 0 ? new LineFeatures(text) : null;
  const wins = windows(text, 100);
  const enc = (groups: Token[][]) =>
    m.vocab.encode(groups, c.maxChars, lines ? { dim: K, values: groups.map((g) => lines.of(g)) } : undefined);
  const docTokens = tokenize(text);
  const sentTokens = docTokens.slice(0, 20);
  const mask = (n: number) => new Uint8Array(n * c.tags.length).fill(1);
  const trainBatch = peerBatch(
    enc(wins.slice(0, 8)),
    c.tags.length,
    wins.slice(0, 8).map((w) => mask(w.length)),
  );
  const peer = await runTorchPeer(
    {
      config: c,
      allowed: peerAllowed(c),
      train: [trainBatch],
      steps: 2,
      doc: peerBatch(enc([docTokens])),
      docChunks: peerBatch(enc(wins)),
      sentence: peerBatch(enc([sentTokens])),
    },
    { threads: 1, repeats: 1, verbose: false },
  );
  return 'unavailable' in peer ? null : peer;
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
