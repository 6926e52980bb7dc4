// `npm run train:fields`: trains the field chooser that ships with the default model
// (models/default/field-chooser.json) from ../shared/data: CUAD's train contracts with their
// field answers (the term, which CUAD does not answer, as the duration its expiration date is
// from the start: fields-data.ts's termAnswers), a fixed part of the SROIE receipts (the 'fit' part of fields-data.ts's hash
// split: SROIE is evaluation data, and the rest of it is what eval:fields reports), and the
// project's generated invoices and receipts for the invoice fields no public data covers. The
// L2 penalty is chosen on CUAD dev (contracts) and on the SROIE fit part by two folds
// (receipts), each receipt of it with a photo also as read from the photo (intake's OCR), the
// input a user's receipts come as. Entities come from the default tagger (cached in
// out/fields-cache/).
// --dev prints dev scores per penalty and writes nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CHOOSER_FILE,
  type ChooserData,
  defaultModelDir,
  collectDecisions,
  type FieldDecision,
  fieldTrainingSets,
  mergeTrainingSets,
  scoreDecisions,
  tuneThresholds,
  type FieldWeights,
  chooserKey,
  writeFileAtomic,
} from '../model';
import {
  chooserOf,
  examplesOf,
  fit,
  ITERATIONS,
  loadCorpora,
  loadPhotos,
  SYNTHETIC_COUNT,
  SYNTHETIC_SEED,
} from './fields-recipe';
import type { FieldDocument } from './fields-data';

const L2_GRID = [0.001, 0.003, 0.01, 0.03];

type Tuned = Record<string, Pick<FieldWeights, 'threshold' | 'floor'>>;
const show = (scores: Record<string, number>) =>
  Object.entries(scores)
    .map(([k, v]) => `${k.replace(/^\w+\./, '')} ${v.toFixed(3)}`)
    .join(', ');
async function main(): Promise<void> {
  const t0 = Date.now();
  const log = (m: string) => console.log(m);
  const modelDir = defaultModelDir();
  const dev = process.argv.includes('--dev');
  const c = await loadCorpora(modelDir, log);
  const split = (docs: FieldDocument[], s: string) => docs.filter((d) => d.split === s);
  const cuadTrain = examplesOf(split(c.cuad, 'train'), c.entities);
  const fitPart = split(c.sroie, 'fit');
  const synthetic = examplesOf(c.synthetic, c.entities);

  // contracts: L2 and thresholds on CUAD dev
  const contractSets = fieldTrainingSets(cuadTrain);
  const cuadDev = examplesOf(split(c.cuad, 'dev'), c.entities);
  let best = { l2: L2_GRID[0], f1: -1, tuned: {} as Tuned };
  for (const l2 of L2_GRID) {
    const decisions = collectDecisions(chooserOf(fit(contractSets, l2)), cuadDev);
    const tuned = tuneThresholds(decisions);
    const scores = scoreDecisions(decisions, tuned);
    console.log(`contracts l2 ${l2}: CUAD dev F1 ${show(scores)}`);
    if (scores.all > best.f1) best = { l2, f1: scores.all, tuned };
  }
  const contract = best;

  // receipts: L2 and thresholds by two folds of the SROIE fit part (generated documents in both);
  // a receipt with a photo is in its fold twice, as the dataset's text and as read from the photo,
  // so that the chooser learns from OCR text and answers on it only as often as that pays
  const { photos, entities: photoEntities } = await loadPhotos(fitPart, modelDir, log);
  const foldExamples = [0, 1].map((k) => {
    const texts = fitPart.filter((_, i) => i % 2 === k);
    const ids = new Set(texts.map((d) => d.id));
    return [
      ...examplesOf(texts, c.entities),
      ...examplesOf(
        photos.filter((p) => ids.has(p.id)),
        photoEntities,
      ),
    ];
  });
  const syntheticSets = fieldTrainingSets(synthetic);
  const foldSets = foldExamples.map((ex) => fieldTrainingSets(ex));
  console.log(`training sets built (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  best = { l2: L2_GRID[0], f1: -1, tuned: {} };
  for (const l2 of L2_GRID) {
    const decisions: FieldDecision[] = [];
    for (let k = 0; k < 2; k++) {
      const sets = mergeTrainingSets(syntheticSets, foldSets[1 - k]).filter((s) => s.kind === 'receipt');
      decisions.push(...collectDecisions(chooserOf(fit(sets, l2)), foldExamples[k]));
    }
    const tuned = tuneThresholds(decisions);
    const scores = scoreDecisions(decisions, tuned);
    console.log(`receipts l2 ${l2}: SROIE fit part, two folds, F1 ${show(scores)}`);
    if (scores.all > best.f1) best = { l2, f1: scores.all, tuned };
  }
  const receipt = best;
  console.log(`chosen L2: contracts ${contract.l2}, receipts and invoices ${receipt.l2}`);
  console.log(`thresholds: ${JSON.stringify({ ...contract.tuned, ...receipt.tuned })}`);
  if (dev) return;

  const receiptSets = mergeTrainingSets(syntheticSets, ...foldSets);
  const fields: Record<string, FieldWeights> = { ...fit(contractSets, contract.l2), ...fit(receiptSets, receipt.l2) };
  for (const [key, t] of Object.entries({ ...contract.tuned, ...receipt.tuned }))
    if (fields[key]) fields[key] = { ...fields[key], ...t };
  const count = (docs: unknown[]) => docs.length;
  const trained: Record<string, unknown> = {
    data: {
      'CUAD v1 (The Atticus Project, CC BY 4.0), train split': count(cuadTrain),
      'SROIE receipts, fit part of the hash split (evaluation data; scored on the other part)': fitPart.length,
      'the same receipts read from their photos (sroie-dev-img, intake OCR)': photos.length,
      [`generated invoices and receipts (seed ${SYNTHETIC_SEED})`]: SYNTHETIC_COUNT,
    },
    l2: { contract: contract.l2, receipt: receipt.l2, invoice: receipt.l2 },
    thresholds:
      'tuned for F1 on CUAD dev (contracts) and on two folds of the SROIE fit part (receipts); invoices: none',
    iterations: ITERATIONS,
    unreachable: Object.fromEntries(
      [...contractSets, ...receiptSets].map((s) => [
        chooserKey(s.kind, s.field),
        `${s.unreachable}/${s.choices.length}`,
      ]),
    ),
  };
  const data: ChooserData = chooserOf(fields, trained).toJSON();
  const file = path.join(modelDir, CHOOSER_FILE);
  await writeFileAtomic(file, `${JSON.stringify(data)}\n`);
  const weights = Object.values(fields).reduce((a, w) => a + Object.keys(w.weights).length, 0);
  console.log(
    `wrote ${file}: ${Object.keys(fields).length} fields, ${weights} weights, ${(fs.statSync(file).size / 1024).toFixed(0)} KB`,
  );
  console.error(`train:fields took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(`train:fields failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
