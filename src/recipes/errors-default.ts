// `npm run errors:default`: the default model's errors, for tuning its decoding without
// retraining. Tags the CUAD dev contracts and the SROIE receipts of the tuning part (see
// sroiePart) and prints, per label, exact and overlap precision / recall, and with --show LABEL
// the misses (each gold span beside the predictions overlapping it) and, where the label is
// complete, the false positives grouped by text and by what found them (model, rules, document).
// Decoding knobs are overridden without touching the model folder:
//   --bias PARTY=0.5,ADDRESS=1      labelBias (added to the label's emission scores)
//   --penalty PARTY=4,ADDRESS=0     lineBreakPenalty (what an entity pays to run over a line)
//   --validate ADDRESS,PARTY        labels added to the rule policy's format checks (policy.ts)
//   --no-propagate                  party names are not lent to their other occurrences
//   --cuad dev|test|none (default dev), --sroie tune|report|all|none (default tune)
//   --model DIR, --show LABEL, --limit N (examples printed per list, default 40)
import {
  type AnnotatedDocument,
  defaultModelDir,
  type Entity,
  errorMessage,
  evaluateSpans,
  loadModel,
  onnxPath,
  type Span,
  Tagger,
} from '../model';
import { CUAD_RECALL_ONLY, DEFAULT_LABELS, readCuad, readSroie, sroiePart } from './default-data';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** "PARTY=0.5,ADDRESS=1" → { PARTY: 0.5, ADDRESS: 1 } */
function labelNumbers(name: string): Record<string, number> {
  const v = arg(name);
  if (!v) return {};
  const out: Record<string, number> = {};
  for (const part of v.split(',')) {
    const [label, value] = part.split('=');
    const n = Number(value);
    if (!DEFAULT_LABELS.includes(label) || !Number.isFinite(n)) throw new Error(`${name}: bad entry "${part}"`);
    out[label] = n;
  }
  return out;
}

const f = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
const show = (s: string) => JSON.stringify(s.length > 160 ? `${s.slice(0, 157)}...` : s);

interface Tagged {
  doc: AnnotatedDocument;
  pred: Entity[];
}

function summary(name: string, tagged: Tagged[], recallOnly: string[]): void {
  const gold = tagged.map((t) => t.doc.spans.filter((s) => DEFAULT_LABELS.includes(s.label)));
  const pred: Span[][] = tagged.map((t) => t.pred);
  const options = { labels: DEFAULT_LABELS, recallOnly };
  const exact = evaluateSpans(gold, pred, { ...options, match: 'exact' });
  const overlap = evaluateSpans(gold, pred, { ...options, match: 'overlap' });
  console.log(`${name} (${tagged.length} documents): exact P / R, overlap P / R, predictions overlapping no gold span`);
  for (const l of exact.labels) {
    if (l.support === 0) continue;
    const o = overlap.labels.find((x) => x.label === l.label);
    // where precision is not measured (labels annotated once per document, like a receipt's
    // address), predictions away from every gold span still show what a bias costs
    let away = 0;
    tagged.forEach((t, i) => {
      for (const p of t.pred) {
        if (p.label !== l.label) continue;
        if (!gold[i].some((g) => g.label === l.label && g.start < p.end && p.start < g.end)) away++;
      }
    });
    console.log(
      `  ${l.label.padEnd(13)} ${String(l.support).padStart(6)}  ${f(l.precision)} / ${f(l.recall)}   ${f(o?.precision)} / ${f(o?.recall)}   ${away}`,
    );
  }
}

function details(name: string, tagged: Tagged[], label: string, complete: boolean, limit: number): void {
  const misses: string[] = [];
  const wrong = new Map<string, number>();
  let missCount = 0;
  for (const { doc, pred } of tagged) {
    const mine = pred.filter((e) => e.label === label);
    const gold = doc.spans.filter((s) => s.label === label);
    for (const g of gold) {
      if (mine.some((e) => e.start === g.start && e.end === g.end)) continue;
      missCount++;
      const near = pred.filter((e) => e.start < g.end && g.start < e.end);
      const said = near.length
        ? near.map((e) => `${e.label} ${show(doc.text.slice(e.start, e.end))} ${e.confidence.toFixed(2)}`).join(' + ')
        : 'nothing';
      misses.push(`  ${doc.id}: gold ${show(doc.text.slice(g.start, g.end))} -> ${said}`);
    }
    for (const e of mine) {
      if (!complete && gold.some((g) => g.start < e.end && e.start < g.end)) continue;
      if (gold.some((g) => g.start === e.start && g.end === e.end)) continue;
      const overlaps = gold.some((g) => g.start < e.end && e.start < g.end);
      const key = `${overlaps ? 'boundary' : 'no gold'} ${e.source ?? 'model'} ${show(doc.text.slice(e.start, e.end))}`;
      wrong.set(key, (wrong.get(key) ?? 0) + 1);
    }
  }
  console.log(`\n${name}: ${label} misses (${missCount}), each beside what overlaps it:`);
  for (const m of misses.slice(0, limit)) console.log(m);
  if (misses.length > limit) console.log(`  ... ${misses.length - limit} more`);
  const sorted = [...wrong.entries()].sort((a, b) => b[1] - a[1]);
  const total = sorted.reduce((a, [, n]) => a + n, 0);
  const bySource = new Map<string, number>();
  for (const [key, n] of sorted) {
    const k = key.split(' "')[0];
    bySource.set(k, (bySource.get(k) ?? 0) + n);
  }
  console.log(
    `\n${name}: ${label} predictions that are not exact${complete ? '' : ' and overlap no gold span'} (${total}; ${[...bySource].map(([k, n]) => `${k} ${n}`).join(', ')}), most frequent first:`,
  );
  for (const [key, n] of sorted.slice(0, limit)) console.log(`  ${String(n).padStart(4)}  ${key}`);
}

async function main(): Promise<void> {
  const dir = arg('--model') ?? defaultModelDir();
  const model = await loadModel(dir);
  const labelBias = { ...model.info.labelBias, ...labelNumbers('--bias') };
  const lineBreakPenalty = { ...model.info.lineBreakPenalty, ...labelNumbers('--penalty') };
  const added = arg('--validate')?.split(',') ?? [];
  const policy = model.info.rules;
  const rules = policy ? { ...policy, validate: [...new Set([...(policy.validate ?? []), ...added])] } : policy;
  console.log(
    `labelBias ${JSON.stringify(labelBias)} lineBreakPenalty ${JSON.stringify(lineBreakPenalty)} validate ${JSON.stringify(rules?.validate)}`,
  );
  const tagger = await Tagger.create(
    { ...model, info: { ...model.info, labelBias, lineBreakPenalty, rules } },
    { propagate: !process.argv.includes('--no-propagate') },
    onnxPath(dir),
  );
  const limit = Number(arg('--limit') ?? 40);
  const label = arg('--show');
  const cuadSplit = arg('--cuad') ?? 'dev';
  const sroieWhich = arg('--sroie') ?? 'tune';
  try {
    if (cuadSplit !== 'none') {
      if (cuadSplit !== 'dev' && cuadSplit !== 'test') throw new Error('--cuad expects dev, test or none');
      const tagged: Tagged[] = [];
      for (const doc of await readCuad(cuadSplit)) tagged.push({ doc, pred: await tagger.tag(doc.text) });
      summary(`CUAD ${cuadSplit}`, tagged, CUAD_RECALL_ONLY);
      if (label) details(`CUAD ${cuadSplit}`, tagged, label, !CUAD_RECALL_ONLY.includes(label), limit);
    }
    if (sroieWhich !== 'none') {
      if (!['tune', 'report', 'all'].includes(sroieWhich)) throw new Error('--sroie expects tune, report, all or none');
      const docs = (await readSroie()).filter((d) => sroieWhich === 'all' || sroiePart(d.id) === sroieWhich);
      const tagged: Tagged[] = [];
      for (const doc of docs) tagged.push({ doc, pred: await tagger.tag(doc.text) });
      summary(`SROIE ${sroieWhich}`, tagged, DEFAULT_LABELS);
      if (label) details(`SROIE ${sroieWhich}`, tagged, label, false, limit);
    }
  } finally {
    await tagger.dispose();
  }
}

main().catch((e) => {
  console.error(`errors:default failed: ${errorMessage(e)}`);
  process.exit(1);
});
