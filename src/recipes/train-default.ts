// `npm run train:default`: rebuilds models/default (and the plain baseline used by the model
// card) from ../shared/data, with fixed seeds, printing progress per epoch.
// --only default|baseline trains just one of the two. Experiment flags (defaults unchanged
// without them): --out DIR, --epochs N, --max-docs N,
// --invoices N, --contract-blocks N (generated contract passages), --lines on|off (line and
// page features), --seed N (the trainer's; the data's stays fixed), --baseline-out DIR,
// --output crf|softmax, --keep-by gold|any|silver-party-open (which contract windows count as having a span
// when windows without one are subsampled), --keep-empty X (the share of those kept),
// --average D (score and keep a moving average of the weights, decay D per step),
// --cell lstm|gru|tcn, --layers N and --dilations 1,2,4 (tcn) for the architecture comparison,
// --max-dev N (dev windows scored after each epoch), --select windows (choose the epoch on
// window-level dev F1 instead of whole CUAD dev contracts, see documentScore),
// --word-dim N and
// --vectors FILE: pretrained word vectors in the text format of src/model/nn/embeddings.ts
// (scripts/wink-vectors.mjs makes one); the word dimension follows them unless --word-dim says.
import * as path from 'node:path';
import { defaultModelDir, loadWordVectors, packageRoot, saveModel, train, errorMessage } from '../model';
import {
  ADDRESS_BIAS,
  calibrateLinePenalty,
  calibratePartyBias,
  documentScore,
  LINE_BREAK_PENALTY,
  recipeData,
  recipeOptions,
} from './default-recipe';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function numberArg(name: string): number | undefined {
  const v = arg(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} expects a positive whole number, got "${v}"`);
  return n;
}

/** A whole number, 0 allowed. */
function countArg(name: string): number | undefined {
  const v = arg(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} expects a whole number, got "${v}"`);
  return n;
}

/** A number strictly between `lo` and `hi` (`inclusive`: or equal to them). */
function shareArg(name: string, lo: number, hi: number, inclusive: boolean): number | undefined {
  const v = arg(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  const inside = inclusive ? n >= lo && n <= hi : n > lo && n < hi;
  if (!inside) throw new Error(`${name} expects a number between ${lo} and ${hi}, got "${v}"`);
  return n;
}

type Vectors = Map<string, Float32Array>;

async function vectorsFromArgs(): Promise<Vectors | undefined> {
  const file = arg('--vectors');
  if (!file) return undefined;
  const t0 = Date.now();
  const vectors = await loadWordVectors(file);
  const dim = vectors.values().next().value?.length ?? 0;
  console.log(
    `vectors: ${vectors.size} normalised words × ${dim} dimensions from ${file} in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  return vectors;
}

async function trainOne(partial: boolean, out: string, vectors?: Vectors): Promise<void> {
  const epochs = Number(arg('--epochs') ?? (partial ? 10 : 4));
  const t0 = Date.now();
  const keepBy = arg('--keep-by');
  if (keepBy !== undefined && keepBy !== 'gold' && keepBy !== 'any' && keepBy !== 'silver-party-open') {
    throw new Error(`--keep-by expects gold, any or silver-party-open, got "${keepBy}"`);
  }
  const keepEmpty = shareArg('--keep-empty', 0, 1, true);
  const lines = arg('--lines');
  if (lines !== undefined && lines !== 'on' && lines !== 'off')
    throw new Error(`--lines expects on or off, got "${lines}"`);
  const lineFeatures = lines !== 'off';
  const data = await recipeData(partial, {
    maxDocs: numberArg('--max-docs'),
    invoices: numberArg('--invoices'),
    contractBlocks: countArg('--contract-blocks'),
    keepBy,
    keepEmpty,
    lineFeatures,
  });
  console.log(`${partial ? 'default model' : 'plain baseline'}: ${data.train.length} training windows`, data.counts);
  const options = { ...recipeOptions(partial, epochs, lineFeatures) };
  const output = arg('--output');
  if (output !== undefined) {
    if (output !== 'crf' && output !== 'softmax') throw new Error(`--output expects crf or softmax, got "${output}"`);
    options.output = output;
  }
  const cell = arg('--cell');
  if (cell !== undefined) {
    if (cell !== 'lstm' && cell !== 'gru' && cell !== 'tcn')
      throw new Error(`--cell expects lstm, gru or tcn, got "${cell}"`);
    options.cell = cell;
  }
  const layers = numberArg('--layers');
  if (layers !== undefined) {
    if (layers !== 1 && layers !== 2) throw new Error(`--layers expects 1 or 2, got ${layers}`);
    options.layers = layers;
  }
  const dilations = arg('--dilations');
  if (dilations !== undefined) {
    if (options.cell !== 'tcn') throw new Error('--dilations belong to --cell tcn');
    const list = dilations.split(',').map(Number);
    if (list.some((d) => !Number.isInteger(d) || d <= 0))
      throw new Error(`--dilations expects positive whole numbers separated by commas, got "${dilations}"`);
    options.dilations = list;
  }
  const maxDev = numberArg('--max-dev');
  if (maxDev !== undefined) options.maxDevSequences = maxDev;
  const seed = numberArg('--seed');
  if (seed !== undefined) options.seed = seed;
  const average = shareArg('--average', 0, 1, false);
  if (average !== undefined) options.averageDecay = average;
  const vectorDim = vectors ? (vectors.values().next().value?.length ?? 0) : undefined;
  const wordDim = numberArg('--word-dim') ?? vectorDim;
  if (wordDim !== undefined) options.wordDim = wordDim;
  if (vectors) {
    if (wordDim !== vectorDim)
      throw new Error(`--word-dim ${wordDim} differs from the vectors' dimension ${vectorDim}`);
    options.pretrained = vectors;
  }
  console.log(`word dimension ${options.wordDim}${vectors ? ', pretrained vectors' : ''}`);
  const cuadDev = data.dev.filter((d) => d.source === 'cuad');
  const select = arg('--select');
  if (select !== undefined && select !== 'windows' && select !== 'documents')
    throw new Error(`--select expects documents or windows, got "${select}"`);
  let lastLine = 0;
  const result = await train(
    [],
    data.dev,
    {
      ...options,
      extraSequences: data.train,
      name: partial ? 'entity-lens-default' : 'plain-baseline',
      version: arg('--version') ?? '1.3.2',
    },
    {
      onProgress: (p) => {
        if (Date.now() - lastLine < 30000 && p.step !== p.steps) return;
        lastLine = Date.now();
        console.log(
          `  epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} ` +
            `${p.sentencesPerSecond.toFixed(0)} sentences/s, ETA ${Math.round(p.etaSeconds / 60)} min`,
        );
      },
      // each new best is saved at once: a stopped run still leaves its best model
      onCheckpoint: (m) => saveModel(out, m),
      devScore: select === 'windows' ? undefined : documentScore(cuadDev),
      onEpoch: (r, improved) =>
        console.log(
          `epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, ${select === 'windows' ? 'dev F1' : 'dev contracts PARTY+JURISDICTION F1'} ` +
            `${r.devF1.toFixed(4)}${improved ? ' (best)' : ''}, ${r.seconds.toFixed(0)} s`,
        ),
    },
  );
  const model = result.model;
  if (vectors) {
    // the same count as the trainer's initialisation: vocabulary words (not <pad>/<unk>) with a vector
    const words = model.vocab.words.slice(2);
    const hits = words.filter((w) => vectors.has(w)).length;
    console.log(
      `pretrained vectors matched ${hits} of ${words.length} vocabulary words (${((100 * hits) / Math.max(1, words.length)).toFixed(1)}%)`,
    );
  }
  if (partial && lineFeatures) {
    model.info.lineBreakPenalty = { ...LINE_BREAK_PENALTY };
    const generatedDev = data.dev.filter((d) => d.source !== 'cuad');
    const penalty = await calibrateLinePenalty(model, generatedDev, console.log);
    model.info.lineBreakPenalty.PARTY = penalty;
    console.log(`PARTY line-break penalty ${penalty} chosen`);
  }
  if (partial) {
    const bias = await calibratePartyBias(model, cuadDev, console.log);
    model.info.labelBias = { PARTY: bias, ADDRESS: ADDRESS_BIAS };
    console.log(`PARTY bias ${bias} chosen`);
  }
  model.info.training = {
    ...model.info.training,
    recipe: partial ? 'partial CRF + silver' : 'plain softmax',
    data: data.counts,
    history: result.history,
    minutes: (Date.now() - t0) / 60000,
  };
  await saveModel(out, model);
  console.log(`saved ${out} (best epoch ${result.bestEpoch}) in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
}

async function main(): Promise<void> {
  const which = arg('--only');
  if (which !== undefined && which !== 'default' && which !== 'baseline')
    throw new Error(`--only expects default or baseline, got "${which}"`);
  const vectors = await vectorsFromArgs();
  if (which !== 'baseline') await trainOne(true, arg('--out') ?? defaultModelDir(), vectors);
  if (which !== 'default')
    await trainOne(false, arg('--baseline-out') ?? path.join(packageRoot(), 'models', 'baseline-plain'), vectors);
}

main().catch((e) => {
  console.error(`train:default failed: ${errorMessage(e)}`);
  process.exit(1);
});
