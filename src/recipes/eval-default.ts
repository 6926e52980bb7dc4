// `npm run eval:default`: the model card's table. Per label, on the CUAD test split and on
// SROIE receipts (never trained on): the default model as it tags (network + the rules its
// policy names + party propagation), the network without the rules, the rule-based annotators
// alone and the plain baseline (BiLSTM + softmax, every unlabelled token "outside").
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  annotate,
  type AnnotatedDocument,
  defaultModelDir,
  type EvalReport,
  evaluateSpans,
  type LabelScore,
  packageRoot,
  type Span,
  Tagger,
  errorMessage,
} from '../model';
import { CUAD_RECALL_ONLY, DEFAULT_LABELS, SILVER_LABELS, readCuad, readSroie } from './default-data';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

type Predictor = (doc: AnnotatedDocument) => Promise<Span[]>;

async function score(docs: AnnotatedDocument[], predict: Predictor, recallOnly: string[]): Promise<EvalReport> {
  const gold: Span[][] = [];
  const pred: Span[][] = [];
  for (const d of docs) {
    gold.push(d.spans.filter((s) => DEFAULT_LABELS.includes(s.label)));
    pred.push((await predict(d)).filter((s) => DEFAULT_LABELS.includes(s.label)));
  }
  return evaluateSpans(gold, pred, { labels: DEFAULT_LABELS, recallOnly });
}

const f = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(3));

function row(r: EvalReport, label: string): LabelScore | undefined {
  return r.labels.find((l) => l.label === label);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const loadStart = process.hrtime.bigint();
  const modelDir = argValue('--model') ?? defaultModelDir();
  const model = await Tagger.load(modelDir);
  // the network (with party propagation) without the rule annotators' say
  const alone = await Tagger.load(modelDir, { rules: false });
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  const baselineDir = path.join(packageRoot(), 'models', 'baseline-plain');
  const baseline = fs.existsSync(path.join(baselineDir, 'model.json')) ? await Tagger.load(baselineDir) : null;
  const rules: Predictor = async (d) => annotate(d.text, [...SILVER_LABELS, 'JURISDICTION']);
  // `--split dev` scores CUAD dev instead: for choosing between recipes; the card shows test
  const split = argValue('--split') === 'dev' ? 'dev' : 'test';
  const cuad = await readCuad(split);
  const sroie = await readSroie();
  // SROIE labels only the seller, its address, the date and the total: recall is what counts
  const sroieRecallOnly = DEFAULT_LABELS;
  const systems: [string, Predictor | null][] = [
    ['default', (d) => model.tag(d.text)],
    ['alone', (d) => alone.tag(d.text)],
    ['rules', rules],
    ['plain', baseline ? (d) => baseline.tag(d.text) : null],
  ];
  const results: Record<string, { cuad: EvalReport; sroie: EvalReport } | null> = {};
  for (const [name, p] of systems) {
    results[name] = p
      ? { cuad: await score(cuad, p, CUAD_RECALL_ONLY), sroie: await score(sroie, p, sroieRecallOnly) }
      : null;
  }
  const size = ['model.json', 'vocab.json', 'weights.bin', 'model.onnx']
    .map((n) => fs.statSync(path.join(modelDir, n)).size)
    .reduce((a, b) => a + b, 0);
  const lines: string[] = [];
  lines.push(
    `CUAD ${split} (${cuad.length} contracts): precision / recall / F1, exact span and label. n/a: the gold label is incomplete there, so precision is not measured.`,
  );
  lines.push('');
  lines.push(
    '| label | support | default P | default R | default F1 | model alone P | model alone R | rules P | rules R | plain P | plain R |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  const d = results.default as { cuad: EvalReport; sroie: EvalReport };
  for (const label of DEFAULT_LABELS) {
    const a = row(d.cuad, label);
    if (!a || a.support === 0) continue;
    const [m, r, p] = ['alone', 'rules', 'plain'].map((name) =>
      results[name] ? row(results[name].cuad, label) : undefined,
    );
    lines.push(
      `| ${label} | ${a.support} | ${f(a.precision)} | ${f(a.recall)} | ${f(a.f1)} | ${f(m?.precision)} | ${f(m?.recall)} | ` +
        `${f(r?.precision)} | ${f(r?.recall)} | ${f(p?.precision)} | ${f(p?.recall)} |`,
    );
  }
  lines.push('');
  lines.push(`SROIE receipts (${sroie.length}, never trained on): recall, exact span and label.`);
  lines.push('');
  lines.push('| label | support | default R | model alone R | rules R | plain R |');
  lines.push('|---|---|---|---|---|---|');
  for (const label of DEFAULT_LABELS) {
    const a = row(d.sroie, label);
    if (!a || a.support === 0) continue;
    const [m, r, p] = ['alone', 'rules', 'plain'].map((name) =>
      results[name] ? row(results[name].sroie, label) : undefined,
    );
    lines.push(`| ${label} | ${a.support} | ${f(a.recall)} | ${f(m?.recall)} | ${f(r?.recall)} | ${f(p?.recall)} |`);
  }
  lines.push('');
  lines.push(
    `Model files: ${(size / 1e6).toFixed(1)} MB; load (files + onnxruntime session): ${loadMs.toFixed(0)} ms; runtime ${model.runtime.kind}.`,
  );
  if (!baseline) lines.push('The plain baseline is missing (models/baseline-plain): run `npm run train:default`.');
  const table = lines.join('\n');
  console.log(table);
  if (process.argv.includes('--write-card')) {
    if (split !== 'test') throw new Error('the model card shows the test split: drop --split dev');
    const card = path.join(modelDir, 'README.md');
    const text = fs.readFileSync(card, 'utf8');
    const begin = '<!-- eval:default begin -->';
    const end = '<!-- eval:default end -->';
    const i = text.indexOf(begin);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${card} has no ${begin} … ${end} section`);
    fs.writeFileSync(card, text.slice(0, i + begin.length) + '\n' + table + '\n' + text.slice(j));
    console.log(`updated ${card}`);
  }
  console.error(`eval:default took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await model.dispose();
  await alone.dispose();
  await baseline?.dispose();
}

main().catch((e) => {
  console.error(`eval:default failed: ${errorMessage(e)}`);
  process.exit(1);
});
