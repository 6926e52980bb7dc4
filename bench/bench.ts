// `npm run bench`: tagging speed with onnxruntime (a 10,000-token contract end to end:
// tokenize + windows + ORT + Viterbi + confidences; and one sentence), training speed, peak RSS,
// and, where python3-torch is installed, the same architecture in PyTorch on the same ids in
// the same run. Figures only, no assertions. The last line reads
// `tag 10k tokens: <ms> ms (PyTorch <ms> ms, ratio <x>)`, ratio = PyTorch time / ours.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type AnnotatedDocument,
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
import { runTorchPeer } from './torch-peer';
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
  if ('unavailable' in peer) {
    console.log(`PyTorch peer unavailable: ${peer.unavailable}`);
    console.log(`tag 10k tokens: ${docMs.toFixed(1)} ms (PyTorch n/a, ratio n/a)`);
    return;
  }
  console.log(`PyTorch ${peer.torch} (${peer.blas.split(' ')[0]}, matmul ${peer.matmulGflops} GFLOP/s, 1 thread):`);
  console.log(
    `  tag document as its ${wins.length} windows: ${peer.tagDocChunksMs.toFixed(1)} ms (ids given; no tokenizing, no confidences); as one sequence ${peer.tagDocMs.toFixed(1)} ms`,
  );
  console.log(
    `  tag one sentence: ${peer.tagSentenceMs.toFixed(3)} ms; ours / PyTorch ${(sentMs / peer.tagSentenceMs).toFixed(2)}x the time`,
  );
  console.log(
    `  train: ${peer.trainMedian} sentences/s; ours / PyTorch = ${(trainSps / peer.trainMedian).toFixed(2)}x`,
  );
  console.log(`  peak RSS ${peer.peakRssMb} MB`);
  console.log(
    `tag 10k tokens: ${docMs.toFixed(1)} ms (PyTorch ${peer.tagDocChunksMs.toFixed(1)} ms, ratio ${(peer.tagDocChunksMs / docMs).toFixed(2)}x)`,
  );
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
