// `npm run eval:default`: the model card's tables. Per label, on the CUAD test split and on
// SROIE receipts (never trained on), each scored by exact span and by overlap: the default model
// as it tags (network + the rules its policy names + party propagation), the network without the
// rules, the rule-based annotators alone, the plain baseline (BiLSTM + softmax, every unlabelled
// token "outside") and, with `--previous DIR`, an earlier model (the card compares 1.2.0).
// `--model DIR` / `--baseline DIR` score other folders; `--split dev` scores CUAD dev only (no
// SROIE: choices between recipes are made on dev) and prints the recipe's dev criterion;
// `--systems a,b` scores only those systems; `--write-card` puts the tables in the card. SROIE
// is scored whole and on the part not used for tuning decoding (default-data.ts sroiePart).
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
import {
  CUAD_COMPLETE,
  CUAD_RECALL_ONLY,
  DEFAULT_LABELS,
  SILVER_LABELS,
  readCuad,
  readSroie,
  sroiePart,
} from './default-data';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Bytes of a model folder's files the tagger loads (an ensemble's members included). */
function modelFilesSize(dir: string): number {
  let size = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) size += modelFilesSize(p);
    else if (['model.json', 'vocab.json', 'weights.bin', 'model.onnx'].includes(e.name)) size += fs.statSync(p).size;
  }
  return size;
}

type Predictor = (doc: AnnotatedDocument) => Promise<Span[]>;
type Match = 'exact' | 'overlap';

/** Scores of a system's predictions; `complete` only where asked for. */
interface Scores extends Record<Match, EvalReport> {
  /** exact spans of the labels the documents annotate completely, as the recipe's documentScore scores them */
  complete?: EvalReport;
}

/** Predictions of a system on documents, scored both ways (and on `complete` labels alone, when given). */
async function score(
  docs: AnnotatedDocument[],
  predict: Predictor,
  recallOnly: string[],
  complete?: string[],
): Promise<Scores> {
  const gold: Span[][] = [];
  const pred: Span[][] = [];
  for (const d of docs) {
    gold.push(d.spans.filter((s) => DEFAULT_LABELS.includes(s.label)));
    pred.push((await predict(d)).filter((s) => DEFAULT_LABELS.includes(s.label)));
  }
  const options = { labels: DEFAULT_LABELS, recallOnly };
  return {
    exact: evaluateSpans(gold, pred, { ...options, match: 'exact' }),
    overlap: evaluateSpans(gold, pred, { ...options, match: 'overlap' }),
    // spans of other labels are ignored when `labels` is given
    ...(complete ? { complete: evaluateSpans(gold, pred, { labels: complete, match: 'exact' }) } : {}),
  };
}

const f = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(3));

function row(r: EvalReport, label: string): LabelScore | undefined {
  return r.labels.find((l) => l.label === label);
}

/** "P / R", with F1 when asked and the label has a precision. */
function cell(s: LabelScore | undefined, withF1 = false): string {
  if (!s) return '–';
  const pr = `${f(s.precision)} / ${f(s.recall)}`;
  return withF1 && s.f1 !== null ? `${pr} / ${f(s.f1)}` : pr;
}

type Results = Record<string, Scores | null>;

/** One table: a row per label with gold in the data, a column per system. */
function table(results: Results, systems: string[], headers: string[], match: Match, recallOnlyNote: string): string[] {
  const first = results[systems[0]] as Record<Match, EvalReport>;
  const lines = [`| label | support | ${headers.join(' | ')} |`, `|---|---|${headers.map(() => '---').join('|')}|`];
  for (const label of DEFAULT_LABELS) {
    const a = row(first[match], label);
    if (!a || a.support === 0) continue;
    const cells = systems.map((name, i) => {
      const r = results[name];
      return r ? cell(row(r[match], label), i === 0) : '–';
    });
    lines.push(`| ${label} | ${a.support} | ${cells.join(' | ')} |`);
  }
  lines.push('', recallOnlyNote);
  return lines;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const loadStart = process.hrtime.bigint();
  const modelDir = argValue('--model') ?? defaultModelDir();
  const model = await Tagger.load(modelDir);
  // the network (with party propagation) without the rule annotators' say
  const alone = await Tagger.load(modelDir, { rules: false });
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  const baselineDir = argValue('--baseline') ?? path.join(packageRoot(), 'models', 'baseline-plain');
  const baseline = fs.existsSync(path.join(baselineDir, 'model.json')) ? await Tagger.load(baselineDir) : null;
  const previousDir = argValue('--previous');
  const previous = previousDir ? await Tagger.load(previousDir) : null;
  const previousName = previous ? previous.model.info.version : 'previous';
  const rules: Predictor = async (d) => annotate(d.text, [...SILVER_LABELS, 'JURISDICTION']);
  // `--split dev` scores CUAD dev instead: for choosing between recipes; the card shows test
  const split = argValue('--split') === 'dev' ? 'dev' : 'test';
  const cuad = await readCuad(split);
  const sroie = split === 'dev' ? [] : await readSroie();
  // SROIE labels only the seller, its address, the date and the total: recall is what counts
  const sroieRecallOnly = DEFAULT_LABELS;
  const systems: [string, Predictor | null][] = [
    ['default', (d) => model.tag(d.text)],
    ['alone', (d) => alone.tag(d.text)],
    ['rules', rules],
    ['plain', baseline ? (d) => baseline.tag(d.text) : null],
    ['previous', previous ? (d) => previous.tag(d.text) : null],
  ];
  // `--systems default,previous`: score only those (quicker, for experiments)
  const only = argValue('--systems')?.split(',');
  if (only) for (const s of systems) if (!only.includes(s[0])) s[1] = null;
  // decoding choices made on receipts were tuned on sroiePart 'tune': the rest is reported apart
  const sroieReport = sroie.filter((d) => sroiePart(d.id) === 'report');
  const cuadResults: Results = {};
  const sroieResults: Results = {};
  const reportResults: Results = {};
  for (const [name, p] of systems) {
    cuadResults[name] = p ? await score(cuad, p, CUAD_RECALL_ONLY, split === 'dev' ? CUAD_COMPLETE : undefined) : null;
    sroieResults[name] = p && split === 'test' ? await score(sroie, p, sroieRecallOnly) : null;
    reportResults[name] = p && split === 'test' ? await score(sroieReport, p, sroieRecallOnly) : null;
  }
  const names = systems.filter(([, p]) => p).map(([n]) => n);
  const headers = names.map((n) =>
    n === 'default' ? 'default P / R / F1' : n === 'alone' ? 'model alone' : n === 'previous' ? previousName : n,
  );
  const size = modelFilesSize(modelDir);
  const cuadNote = 'P / R per system; n/a: the gold label is incomplete there, so precision is not measured.';
  const sroieNote =
    'Recall only: SROIE labels the seller, its address, the date and the total, so other predictions are not wrong.';
  const lines: string[] = [];
  for (const match of ['exact', 'overlap'] as const) {
    const how = match === 'exact' ? 'exact span and label' : 'overlap (any shared character) and label';
    lines.push(`CUAD ${split} (${cuad.length} contracts), ${how}.`, '');
    lines.push(...table(cuadResults, names, headers, match, cuadNote), '');
  }
  if (split === 'dev') {
    lines.push(
      `Dev criterion (the recipe chooses epochs by it): CUAD dev ${CUAD_COMPLETE.join('+')} exact micro F1, ` +
        names.map((n, i) => `${headers[i].split(' ')[0]} ${f(cuadResults[n]?.complete?.micro.f1)}`).join(', '),
      '',
    );
  } else {
    for (const match of ['exact', 'overlap'] as const) {
      const how = match === 'exact' ? 'exact span and label' : 'overlap (any shared character) and label';
      lines.push(`SROIE receipts (${sroie.length}, never trained on), ${how}.`, '');
      lines.push(...table(sroieResults, names, headers, match, sroieNote), '');
    }
    lines.push(
      `SROIE receipts not used for tuning (${sroieReport.length} of ${sroie.length}: the 'report' part of a fixed hash split), exact span and label.`,
      '',
    );
    lines.push(...table(reportResults, names, headers, 'exact', sroieNote), '');
  }
  lines.push(
    `Model files: ${(size / 1e6).toFixed(1)} MB; load (files + onnxruntime session): ${loadMs.toFixed(0)} ms; runtime ${model.runtime.kind}.`,
  );
  if (!baseline) lines.push('The plain baseline is missing (models/baseline-plain): run `npm run train:default`.');
  const tableText = lines.join('\n');
  console.log(tableText);
  if (process.argv.includes('--write-card')) {
    if (split !== 'test') throw new Error('the model card shows the test split: drop --split dev');
    const card = path.join(modelDir, 'README.md');
    const text = fs.readFileSync(card, 'utf8');
    const begin = '<!-- eval:default begin -->';
    const end = '<!-- eval:default end -->';
    const i = text.indexOf(begin);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${card} has no ${begin} … ${end} section`);
    fs.writeFileSync(card, text.slice(0, i + begin.length) + '\n' + tableText + '\n' + text.slice(j));
    console.log(`updated ${card}`);
  }
  console.error(`eval:default took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await model.dispose();
  await alone.dispose();
  await baseline?.dispose();
  await previous?.dispose();
}

main().catch((e) => {
  console.error(`eval:default failed: ${errorMessage(e)}`);
  process.exit(1);
});
