// `entity-lens train`: trains (or fine-tunes) a model from JSONL annotations in a worker
// thread, with a progress bar. Each new best model is saved to --out as training goes, so
// Ctrl-C (or a crash) leaves the last good model there. A model given with --from learns the
// labels of the data it lacks, as the editor teaches them (withLabels); with --editor it takes
// the editor's own path (learnFromRecords: its plan, then its promotion verdict).
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type AnnotatedDocument,
  buildEnsemble,
  configProblem,
  evaluateSpans,
  type EvalReport,
  describeScope,
  describeVerdict,
  learnFromRecords,
  loadReferenceSet,
  type Span,
  type TrainedModel,
  withLabels,
  loadModel,
  saveModel,
  formatReport,
  readJsonl,
  type TagScheme,
  trainInWorker,
  type TrainOptions,
  type WorkerRequest,
  type WorkerSummary,
} from '../../model';
import {
  CliError,
  PROGRAM,
  UsageError,
  errorText,
  printProblems,
  printWarning,
  type CommandSpec,
  type ParsedArgs,
} from '../args';
import { TrainingProgress, formatDuration } from '../progress';
import { loadModelDir, openTagger } from './tag';

const DEFAULT_EPOCHS = 10;

export const spec: CommandSpec = {
  name: 'train',
  summary: 'Train a model (or fine-tune one) on JSONL annotations.',
  synopsis: 'train --data FILE.jsonl [--data ...] --dev FILE.jsonl --out DIR [options]',
  description:
    'Reads the annotation format of ../shared/data (one {"text", "spans"} record per line); a malformed\n' +
    'line is reported as FILE:LINE and skipped. Training runs in a worker thread; each new best model\n' +
    '(by dev F1) is saved to --out at once. Ctrl-C stops at the next batch and keeps the last good\n' +
    'model (exit code 130); a second Ctrl-C quits at once.\n' +
    'By default unlabelled text is treated as unknown for every label (partial-annotation loss):\n' +
    'use --complete for labels the data annotates exhaustively, or --plain to treat it all as O.',
  flags: {
    data: {
      kind: 'string',
      repeatable: true,
      required: true,
      value: 'FILE.jsonl',
      description: 'training annotations',
    },
    dev: {
      kind: 'string',
      value: 'FILE.jsonl',
      description: 'dev annotations: early stopping and the report (required without --editor)',
    },
    out: { kind: 'string', required: true, value: 'DIR', description: 'model folder to write (created or replaced)' },
    labels: {
      kind: 'list',
      labels: true,
      value: 'L1,L2',
      description: "labels to learn (with --from: the model's labels and these)",
      default: 'every label in the training data',
    },
    epochs: { kind: 'int', value: 'N', min: 1, description: 'passes over the data', default: String(DEFAULT_EPOCHS) },
    'batch-size': { kind: 'int', value: 'N', min: 1, description: 'sequences per step', default: '32' },
    lr: { kind: 'number', value: 'X', min: 0, minExclusive: true, description: 'Adam learning rate', default: '0.002' },
    hidden: {
      kind: 'int',
      value: 'N',
      min: 1,
      description: 'recurrent units per direction (tcn: channels)',
      default: '100',
    },
    layers: {
      kind: 'int',
      value: '1|2',
      min: 1,
      max: 2,
      description: 'recurrent layers (tcn: times the block of dilations runs, same weights)',
      default: '1',
    },
    cell: {
      kind: 'choice',
      choices: ['lstm', 'gru', 'tcn'],
      description: 'encoder: BiLSTM, BiGRU, or dilated convolutions (tcn)',
      default: 'lstm',
    },
    dilations: {
      kind: 'string',
      value: 'D1,D2,...',
      description: 'tcn: dilations of one block of width-3 residual convolutions',
      default: '1,2,4',
    },
    residual: { kind: 'boolean', description: 'residual connection between the two layers' },
    'line-features': {
      kind: 'boolean',
      description: "read each token's line and page features (its place in its line, the line's shape)",
    },
    output: { kind: 'choice', choices: ['crf', 'softmax'], description: 'output layer', default: 'crf' },
    scheme: { kind: 'choice', choices: ['BILOU', 'BIO', 'IO'], description: 'tag scheme', default: 'BILOU' },
    plain: { kind: 'boolean', description: 'treat every unlabelled token as O (no partial-annotation loss)' },
    complete: {
      kind: 'list',
      labels: true,
      value: 'L1,L2',
      description: 'labels annotated exhaustively: set as "complete" on every training document without one',
    },
    'recall-only': {
      kind: 'list',
      labels: true,
      value: 'L1,L2',
      description: 'incompletely annotated labels: the dev report scores only their recall',
    },
    split: {
      kind: 'string',
      value: 'NAME',
      description: 'use only the --data records whose "split" is NAME (train, dev, test)',
    },
    'dev-split': { kind: 'string', value: 'NAME', description: 'use only the --dev records whose "split" is NAME' },
    'max-docs': { kind: 'int', value: 'N', min: 1, description: 'use only the first N training documents' },
    seed: { kind: 'int', value: 'N', description: 'random seed', default: '1' },
    ensemble: {
      kind: 'int',
      value: 'N',
      min: 1,
      max: 16,
      description: 'train N models (seeds SEED, SEED+1, ...) and save them as one ensemble',
      default: '1',
    },
    from: {
      kind: 'string',
      value: 'DIR',
      description: 'fine-tune this model: its architecture and labels are kept, labels it lacks are added',
    },
    editor: {
      kind: 'boolean',
      description:
        "with --from: learn as the editor does (whole documents held out; rehearsal of the model's own training " +
        'windows, a pull toward its weights, the last epoch kept; then the promotion verdict on the held-out ' +
        `documents and the reference set). --out is written only when the new model is promoted (else exit ${3}); ` +
        '--dev is then only scored',
    },
    reference: {
      kind: 'string',
      value: 'FILE',
      description:
        "with --editor: the reference set (JSONL) the verdict checks for forgetting (default: --from's reference.jsonl)",
    },
  },
  examples: [
    'entity-lens train --data cuad.jsonl --split train --dev cuad.jsonl --dev-split dev --out my-model \\\n' +
      '      --complete PARTY,JURISDICTION --recall-only DATE,DURATION',
    'entity-lens train --data corrections.jsonl --dev dev.jsonl --from my-model --out my-model-2 --epochs 3',
    'entity-lens train --data corrections.jsonl --from models/default --editor --out my-model',
  ],
};

/**
 * Reads a JSONL annotation file: each malformed line is a warning `FILE:LINE: message` and
 * is skipped; refuses (CliError) when no valid record remains, or none has split `split`.
 */
export async function readDocuments(file: string, split?: string): Promise<AnnotatedDocument[]> {
  const { docs, problems } = await readJsonl(file);
  printProblems(
    file,
    problems.map((p) => `${file}:${p.line}: ${p.message}`),
  );
  if (docs.length === 0) {
    throw new CliError(
      problems.length > 0
        ? `${file}: no valid record (${problems.length} ${problems.length === 1 ? 'line has a problem' : 'lines have problems'}, see above).`
        : `${file}: the file holds no records.`,
    );
  }
  if (split === undefined) return docs;
  const kept = docs.filter((d) => d.split === split);
  if (kept.length === 0) {
    const found = [...new Set(docs.map((d) => d.split).filter((s) => s !== undefined))];
    throw new CliError(
      `${file}: none of its ${docs.length} records has "split": "${split}"` +
        (found.length > 0
          ? ` (it has ${found.map((s) => `"${s}"`).join(', ')}).`
          : ' (no record has a "split" field).'),
    );
  }
  return kept;
}

export async function run(args: ParsedArgs): Promise<number> {
  const started = Date.now();
  const dataFiles = args.strings('data');
  const devFile = args.string('dev');
  const outDir = args.string('out') as string;
  const fromDir = args.string('from');
  const editor = args.flag('editor');
  if (editor && fromDir === undefined) throw new UsageError('--editor fine-tunes a model: give it with --from DIR');
  if (devFile === undefined && !editor) throw new UsageError('--dev is required');
  await checkOutDir(outDir);
  const initial = fromDir !== undefined ? await loadModelDir(fromDir) : undefined;

  // --- data
  let train: AnnotatedDocument[] = [];
  for (const file of dataFiles) train = train.concat(await readDocuments(file, args.string('split')));
  const maxDocs = args.number('max-docs');
  if (maxDocs !== undefined) train = train.slice(0, maxDocs);
  const dev = devFile !== undefined ? await readDocuments(devFile, args.string('dev-split')) : [];
  const devIds = new Set(dev.map((d) => d.id));
  const shared = train.filter((d) => devIds.has(d.id)).length;
  if (shared > 0) {
    printWarning(
      `${shared} of the ${dev.length} dev documents are also training documents (same id): the dev score will be ` +
        'optimistic; use --split/--dev-split to keep them apart.',
    );
  }

  // --- labels
  const found = new Set<string>();
  for (const d of train) for (const s of d.spans) found.add(s.label);
  let labels: string[];
  let added: string[] = [];
  if (initial) {
    added = labelsToAdd(initial, args.list('labels') ?? [...found].sort(), found);
    labels = [...initial.config.labels, ...added];
    // --cell other than the model's: a new encoder on the model's vocabulary and embeddings
    const newCell = !editor && args.has('cell') && args.choice<string>('cell') !== initial.config.cell;
    const ignored = [
      ...(newCell ? [] : ['hidden', 'layers', 'cell', 'dilations']),
      'residual',
      'output',
      'scheme',
      'line-features',
    ].filter((f) => args.has(f));
    if (initial.members && !newCell) {
      printWarning(
        `${fromDir} is an ensemble: fine-tuning trains its first member (with the members' averaged CRF) as a single model.`,
      );
    }
    if (initial.info.scope && !editor) {
      printWarning(
        `${fromDir} was trained on corrections (it tags ${describeScope(initial.info.scope)}; its base the rest): ` +
          'fine-tuning without --editor trains its own network alone, and the new model tags everything with it.',
      );
    }
    if (ignored.length > 0) {
      printWarning(`--from keeps the model's architecture; ignoring ${ignored.map((f) => `--${f}`).join(', ')}.`);
    }
    const schedule = ['batch-size', 'lr', 'plain', 'ensemble'].filter((f) => args.has(f));
    if (editor && schedule.length > 0) {
      printWarning(`--editor trains on the editor's schedule; ignoring ${schedule.map((f) => `--${f}`).join(', ')}.`);
    }
    if (added.length > 0) {
      process.stderr.write(
        `Adding ${added.length === 1 ? 'the label' : 'the labels'} ${added.join(', ')} to the model from ${fromDir} ` +
          `(new output columns; its labels ${initial.config.labels.join(', ')} are kept).\n`,
      );
    }
  } else {
    labels = args.list('labels') ?? [...found].sort();
    if (labels.length === 0) {
      throw new CliError(
        `the training data has no entity spans, so there is nothing to learn (${dataFiles.join(', ')}).`,
      );
    }
    const missing = labels.filter((l) => !found.has(l));
    if (missing.length > 0) printWarning(`no training span has the label ${missing.join(', ')}.`);
  }
  const unused = [...found].filter((l) => !labels.includes(l)).sort();
  if (unused.length > 0) printWarning(`spans labelled ${unused.join(', ')} are ignored (not among --labels).`);
  const complete = args.list('complete');
  const recallOnly = args.list('recall-only');
  for (const [flag, list] of [
    ['complete', complete],
    ['recall-only', recallOnly],
  ] as const) {
    const unknown = (list ?? []).filter((l) => !labels.includes(l));
    if (unknown.length > 0)
      printWarning(
        `--${flag}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the labels (${labels.join(', ')}).`,
      );
  }
  if (complete) {
    train = train.map((d) => (d.complete === undefined ? { ...d, complete: [...complete] } : d));
  }

  // --- options
  const epochs = args.number('epochs') ?? DEFAULT_EPOCHS;
  const options: Omit<TrainOptions, 'initial'> = {
    labels,
    scheme: args.choice<TagScheme>('scheme'),
    cell: args.choice<'lstm' | 'gru' | 'tcn'>('cell'),
    dilations: parseDilations(args.string('dilations'), args.choice<string>('cell')),
    hidden: args.number('hidden'),
    layers: args.number('layers') as 1 | 2 | undefined,
    residual: args.flag('residual') || undefined,
    lineFeatures: args.flag('line-features') || undefined,
    output: args.choice<'crf' | 'softmax'>('output'),
    partial: !args.flag('plain'),
    epochs,
    batchSize: args.number('batch-size'),
    learningRate: args.number('lr'),
    seed: args.number('seed'),
    recallOnly,
    name: path.basename(path.resolve(outDir)),
  };

  const chars = train.reduce((n, d) => n + d.text.length, 0);
  const arch = initial
    ? `fine-tuning ${fromDir}${options.cell && options.cell !== initial.config.cell ? ` with a new ${options.cell} encoder` : ''}`
    : options.cell === 'tcn'
      ? `TCN-${(options.output ?? 'crf').toUpperCase()}, ${options.hidden ?? 100} channels, dilations ` +
        `${(options.dilations ?? [1, 2, 4]).join(',')} × ${options.layers ?? 1}, ${options.scheme ?? 'BILOU'}`
      : `Bi${(options.cell ?? 'lstm').toUpperCase()}-${(options.output ?? 'crf').toUpperCase()}, hidden ${options.hidden ?? 100}, ` +
        `${options.layers ?? 1} layer${(options.layers ?? 1) > 1 ? 's' : ''}, ${options.scheme ?? 'BILOU'}`;
  if (!editor)
    process.stderr.write(
      `Training on ${train.length} document${train.length === 1 ? '' : 's'} (${formatCount(chars)} characters), ` +
        `dev ${dev.length} document${dev.length === 1 ? '' : 's'}; labels ${labels.join(', ')}\n` +
        `${arch}; ${options.partial ? 'partial-annotation loss' : 'plain loss (unlabelled = O)'}` +
        `${complete ? ` (complete: ${complete.join(', ')})` : ''}; up to ${epochs} epoch${epochs === 1 ? '' : 's'}\n`,
    );

  // --- training
  if (editor && fromDir !== undefined) return learnAsEditor({ fromDir, train, labels, outDir, args, dev, recallOnly });
  const members = args.number('ensemble') ?? 1;
  if (members > 1 && initial) throw new UsageError('--ensemble trains new models; it cannot be used with --from');
  if (members > 1) return trainEnsemble(members, { train, dev, options, fromDir, outDir, epochs, started });
  const temp = initial ? await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-base-')) : undefined;
  let planned: { request: WorkerRequest; epochs: number };
  let run: Awaited<ReturnType<typeof trainOnce>>;
  try {
    planned = {
      request: {
        train,
        dev,
        options,
        initialDir: temp ? await widened(initial, labels, fromDir, temp) : undefined,
        outDir,
      },
      epochs,
    };
    run = await trainOnce(planned.request, planned.epochs);
  } finally {
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  }
  if (run.failed) throw run.failed;
  const summary = run.summary;
  const savedEpoch = run.savedEpoch;

  // --- result
  const took = formatDuration((Date.now() - started) / 1000);
  const best = summary.history.find((h) => h.epoch === summary.bestEpoch);
  const bestText = best
    ? `epoch ${best.epoch}${Number.isNaN(best.devF1) ? '' : `, dev F1 ${best.devF1.toFixed(4)}`}`
    : '';
  if (summary.cancelled) {
    if (savedEpoch > 0) {
      process.stderr.write(`Training cancelled. The best model so far (${bestText}) is in ${outDir}.\n`);
    } else if (await exists(path.join(outDir, 'model.json'))) {
      process.stderr.write(
        `Training cancelled before an epoch finished; the model already in ${outDir} was left as it was.\n`,
      );
    } else {
      process.stderr.write('Training cancelled before an epoch finished; no model was saved.\n');
    }
    return 130;
  }
  if (summary.history.length < planned.epochs) {
    process.stderr.write(`Stopped early after epoch ${summary.history.length}: dev F1 stopped improving.\n`);
  }
  if (summary.report) {
    process.stdout.write(
      `Dev report (${bestText}; ${summary.devSequences} dev sequences):\n${formatReport(summary.report)}\n` +
        formatUnverified(summary.report),
    );
  }
  process.stdout.write(
    `Model saved to ${outDir} (${bestText}; ${summary.trainSequences} training sequences) in ${took}.\n`,
  );
  return 0;
}

/**
 * The labels `wanted` that the model lacks, to be added. A label no training span has is
 * refused: the model would carry it without ever having seen one.
 */
function labelsToAdd(model: TrainedModel, wanted: string[], found: Set<string>): string[] {
  const added = wanted.filter((l) => !model.config.labels.includes(l));
  const unseen = added.filter((l) => !found.has(l));
  if (unseen.length > 0) {
    throw new CliError(
      `cannot add ${unseen.join(', ')} to the model: no training span has ${unseen.length === 1 ? 'that label' : 'those labels'}, ` +
        'so it could never learn to find them.',
    );
  }
  return added;
}

/**
 * The folder training starts from: --from itself, or (labels to add) a copy of its model
 * with the new labels' tags appended, saved in `temp`. An ensemble is fine-tuned as its first
 * member, so the copy is a single model.
 */
async function widened(model: TrainedModel | undefined, labels: string[], fromDir: string | undefined, temp: string) {
  if (!model || fromDir === undefined) return fromDir;
  if (labels.every((l) => model.config.labels.includes(l))) return fromDir;
  const { members: _members, ...single } = withLabels(model, labels);
  const problem = configProblem(single.config);
  if (problem) throw new CliError(`cannot add the labels to the model from ${fromDir}: ${problem}.`);
  await saveModel(temp, single);
  return temp;
}

/** Exit code of `train --editor` when the promotion rule keeps the model given with --from. */
export const NOT_PROMOTED = 3;

/**
 * --editor: exactly the editor's path (learnFromRecords): whole documents held out, the plan
 * (rehearsal, anchor, new labels, the last epoch kept), then the promotion verdict against the
 * --from model on the held-out documents and the reference set. The candidate is trained in a
 * folder beside --out and saved there only when it is promoted: a model already in --out is
 * never replaced by a worse one.
 */
async function learnAsEditor(o: {
  fromDir: string;
  train: AnnotatedDocument[];
  labels: string[];
  outDir: string;
  args: ParsedArgs;
  dev: AnnotatedDocument[];
  recallOnly: string[] | undefined;
}): Promise<number> {
  const referenceFile = o.args.string('reference');
  const reference =
    referenceFile !== undefined ? await readDocuments(referenceFile) : await loadReferenceSet(o.fromDir);
  const parent = path.dirname(path.resolve(o.outDir));
  await fs.mkdir(parent, { recursive: true });
  const work = await fs.mkdtemp(path.join(parent, `.${path.basename(path.resolve(o.outDir))}.candidate-`));
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await learnFromRecords({
      baseDir: o.fromDir,
      records: o.train,
      labels: o.labels,
      outDir: path.join(work, 'model'),
      reference,
      name: path.basename(path.resolve(o.outDir)),
      seed: o.args.number('seed'),
      epochs: o.args.number('epochs'),
      signal: stop.signal,
      onEpoch: (r) =>
        process.stderr.write(`  epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, ${r.seconds.toFixed(1)} s\n`),
      onJudging: (m) => process.stderr.write(`  ${m}\n`),
      log: (m) => process.stderr.write(`${m}\n`),
    });
    if (result.cancelled) {
      process.stderr.write('Training cancelled; nothing was saved.\n');
      return 130;
    }
    const told = describeVerdict(result.verdict);
    process.stdout.write(`${told.markdown ? `${told.markdown}\n\n` : ''}`);
    if (!result.verdict.promote) {
      process.stderr.write(`Not saved: ${told.summary}\n`);
      return NOT_PROMOTED;
    }
    await saveModel(o.outDir, await loadModel(result.outDir));
    await fs.copyFile(path.join(result.outDir, 'report.json'), path.join(o.outDir, 'report.json'));
    if (o.dev.length > 0) await reportOnDev(o.outDir, o.dev, o.recallOnly);
    process.stdout.write(`Model saved to ${o.outDir}: ${told.summary}\n`);
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** --editor with --dev: the saved model tags the dev documents whole, as `entity-lens eval` scores them. */
async function reportOnDev(outDir: string, dev: AnnotatedDocument[], recallOnly: string[] | undefined): Promise<void> {
  const tagger = await openTagger(outDir, 'auto');
  try {
    const labels = tagger.model.config.labels;
    const gold = dev.map((d) => d.spans.filter((s) => labels.includes(s.label)));
    const pred: Span[][] = [];
    for (const d of dev) pred.push(await tagger.tag(d.text));
    const report = evaluateSpans(gold, pred, { labels, recallOnly });
    process.stdout.write(
      `Dev report (${dev.length} documents tagged whole):\n${formatReport(report)}\n${formatUnverified(report)}`,
    );
  } finally {
    await tagger.dispose();
  }
}

/** One training run in a worker thread, with the progress bar and Ctrl-C handling. */
async function trainOnce(
  request: WorkerRequest,
  epochs: number,
): Promise<{ summary: WorkerSummary; savedEpoch: number; failed?: undefined } | { failed: CliError }> {
  const progress = new TrainingProgress(process.stderr);
  let savedEpoch = 0;
  const job = trainInWorker(request, {
    onProgress: (p) => progress.update(p),
    onEpoch: (r, improved) => {
      if (improved) savedEpoch = r.epoch;
      progress.epoch(r, improved, epochs);
    },
  });
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      job.cancel();
      progress.message(
        `Stopping at the next batch; the last good model in ${request.outDir} is kept. Press Ctrl-C again to quit at once.`,
      );
    } else {
      progress.done();
      process.stderr.write(`${PROGRAM}: interrupted.\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  try {
    return { summary: await job.done, savedEpoch };
  } catch (e) {
    return { failed: new CliError(`training failed: ${errorText(e)}`) };
  } finally {
    process.off('SIGINT', onSigint);
    progress.done();
  }
}

/**
 * --ensemble N: N runs with seeds seed, seed+1, ... (each saved to a temporary folder as it
 * trains), then one ensemble folder at --out. Ctrl-C stops the run in progress and saves
 * nothing.
 */
async function trainEnsemble(
  n: number,
  job: {
    train: AnnotatedDocument[];
    dev: AnnotatedDocument[];
    options: Omit<TrainOptions, 'initial'>;
    fromDir?: string;
    outDir: string;
    epochs: number;
    started: number;
  },
): Promise<number> {
  const seed = job.options.seed ?? 1;
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-ensemble-'));
  try {
    const dirs: string[] = [];
    const scores: string[] = [];
    for (let i = 0; i < n; i++) {
      const dir = path.join(temp, `seed-${seed + i}`);
      process.stderr.write(`Member ${i + 1}/${n} (seed ${seed + i})\n`);
      const run = await trainOnce(
        { train: job.train, dev: job.dev, options: { ...job.options, seed: seed + i }, outDir: dir },
        job.epochs,
      );
      if (run.failed) throw run.failed;
      if (run.summary.cancelled) {
        process.stderr.write('Training cancelled; no ensemble was saved.\n');
        return 130;
      }
      if (run.savedEpoch === 0) throw new CliError(`member ${i + 1} saved no model.`);
      const best = run.summary.history.find((h) => h.epoch === run.summary.bestEpoch);
      scores.push(best && !Number.isNaN(best.devF1) ? best.devF1.toFixed(4) : 'n/a');
      dirs.push(dir);
    }
    const models = [];
    for (const dir of dirs) models.push(await loadModel(dir));
    const now = new Date().toISOString();
    const info = {
      ...models[0].info,
      name: job.options.name ?? models[0].info.name,
      version: now,
      created: now,
      training: {
        ...(models[0].info.training ?? {}),
        ensemble: models.map((m, i) => ({
          seed: seed + i,
          epoch: m.info.training?.epoch,
          devF1: m.info.training?.devF1,
        })),
      },
    };
    await saveModel(job.outDir, buildEnsemble(models, info));
    const took = formatDuration((Date.now() - job.started) / 1000);
    process.stdout.write(
      `Ensemble of ${n} models (seeds ${seed}-${seed + n - 1}; member dev F1 ${scores.join(', ')}) saved to ${job.outDir} in ${took}.\n`,
    );
    return 0;
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}

/** --dilations 1,2,4: whole numbers from 1 to 256; only with --cell tcn. */
export function parseDilations(raw: string | undefined, cell: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  if (cell !== 'tcn') throw new UsageError('--dilations is for --cell tcn');
  const parts = raw.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.length > 8 || values.some((v, i) => parts[i] === '' || !Number.isInteger(v) || v < 1 || v > 256)) {
    throw new UsageError(`--dilations must be 1 to 8 whole numbers from 1 to 256 separated by commas, not "${raw}"`);
  }
  return values;
}

/**
 * formatReport leaves out how many predictions of recall-only labels matched no gold span;
 * a model that tags every token as DATE scores a fine DATE recall, so say it: one line, or ''.
 */
export function formatUnverified(report: EvalReport): string {
  const rows = report.labels.filter((s) => s.precision === null);
  if (rows.length === 0) return '';
  const parts = rows.map((s) => `${s.label} ${s.unverified} (gold ${s.support})`);
  return `unverified predictions of recall-only labels: ${parts.join(', ')}\n`;
}

/**
 * The model is saved by swapping folders, which would throw away anything else in --out:
 * refuse a folder that holds files but no model.
 */
export async function checkOutDir(dir: string): Promise<void> {
  let entries: string[];
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new CliError(`--out ${dir}: a file has that name; --out must be a folder.`, 2);
    entries = await fs.readdir(dir);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new CliError(`--out ${dir}: cannot use this folder (${errorText(e)}).`, 2);
  }
  if (entries.length > 0 && !entries.includes('model.json')) {
    throw new CliError(
      `--out ${dir}: the folder is not empty and holds no model; saving would replace it, so pick a new or empty folder.`,
      2,
    );
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

function formatCount(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 10_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}
