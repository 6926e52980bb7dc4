// `npm run errors:fields`: the field chooser's misses on the SROIE receipts it may be tuned on
// (the 'fit' part of fields-data.ts's hash split; the other part is what eval:fields reports and
// is never read here). The chooser is fitted as train:fields fits it, by two folds: each half is
// chosen by a chooser fitted on the other half and the generated documents, so a miss here is
// one the shipped chooser would make on unseen receipts. Prints per field F1 and each miss: the
// annotators' value, ours, and whether any candidate held the right value (a miss of the
// candidates — a boundary or a normalisation — or of the choice). As in train:fields, a receipt
// with a photo is in its fold a second time as read from the photo; `--photos` lists the misses
// on those (the input the held-out receipts are scored from) instead of on the dataset's text.
//   --field NAME (default every field), --l2 X (default the shipped chooser's), --limit N, --photos,
//   --top N (each miss with the chooser's N best candidates; '=' marks the right ones),
//   --no-vendors (the fold's chooser without the other fold's known vendors)
import {
  candidatesFor,
  defaultModelDir,
  DocumentContext,
  extractFields,
  fieldsFor,
  fieldTrainingSets,
  collectDecisions,
  loadFieldChooser,
  mergeTrainingSets,
  answerMatches,
  rankCandidates,
  Tagger,
  tuneThresholds,
  type DocumentFields,
  type Entity,
  type FieldChooser,
  knownVendorsOf,
} from '../model';
import { readSroieFields, syntheticFieldDocuments, taggedEntities, type FieldDocument } from './fields-data';
import {
  chooserOf,
  examplesOf,
  fit,
  loadPhotos,
  scoreOn,
  scoreTable,
  SROIE_SCORED,
  SYNTHETIC_COUNT,
  SYNTHETIC_SEED,
} from './fields-recipe';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

async function main(): Promise<void> {
  const modelDir = defaultModelDir();
  const log = (m: string) => console.error(m);
  const sroie = (await readSroieFields()).filter((d) => d.split === 'fit');
  const synthetic = syntheticFieldDocuments(SYNTHETIC_COUNT, SYNTHETIC_SEED);
  const tagger = await Tagger.load(modelDir);
  const entities = new Map<string, Entity[]>();
  try {
    for (const [name, docs] of [
      ['sroie', sroie],
      [`synthetic-${SYNTHETIC_SEED}`, synthetic],
    ] as const)
      for (const [id, e] of await taggedEntities(docs, tagger, modelDir, name, log)) entities.set(id, e);
  } finally {
    await tagger.dispose();
  }
  const shipped = await loadFieldChooser(modelDir);
  const l2 = Number(arg('--l2') ?? (shipped?.data.trained?.l2 as { receipt?: number } | undefined)?.receipt ?? 0.01);
  const { photos, entities: photoEntities } = await loadPhotos(sroie, modelDir, log);
  for (const [id, e] of photoEntities) entities.set(`${id} photo`, e);
  // a photo is its receipt read by OCR: its own id, so that its entities are its own
  const photoDocs = photos.map((p) => ({ ...p, id: `${p.id} photo` }));
  const folds = [0, 1].map((k) => {
    const texts = sroie.filter((_, i) => i % 2 === k);
    const ids = new Set(texts.map((d) => `${d.id} photo`));
    return { texts, photos: photoDocs.filter((p) => ids.has(p.id)) };
  });
  const syntheticSets = fieldTrainingSets(examplesOf(synthetic, entities));
  const foldSets = folds.map((f) => fieldTrainingSets(examplesOf([...f.texts, ...f.photos], entities)));
  const choosers: FieldChooser[] = [];
  const decisions = [];
  for (let k = 0; k < 2; k++) {
    const sets = mergeTrainingSets(syntheticSets, foldSets[1 - k]).filter((s) => s.kind === 'receipt');
    choosers[k] = chooserOf(fit(sets, l2));
    if (!process.argv.includes('--no-vendors'))
      choosers[k].data.vendors = knownVendorsOf(examplesOf(folds[1 - k].texts, entities));
    decisions.push(...collectDecisions(choosers[k], examplesOf([...folds[k].texts, ...folds[k].photos], entities)));
  }
  const tuned = tuneThresholds(decisions);
  for (const c of choosers)
    for (const [key, t] of Object.entries(tuned)) if (c.data.fields[key]) Object.assign(c.data.fields[key], t);

  const onPhotos = process.argv.includes('--photos');
  const docs: FieldDocument[] = [];
  const found: DocumentFields[] = [];
  // each document's chooser: the one fitted without its fold
  const chooserOfDoc: FieldChooser[] = [];
  for (let k = 0; k < 2; k++)
    for (const d of onPhotos ? folds[k].photos : folds[k].texts) {
      docs.push(d);
      chooserOfDoc.push(choosers[k]);
      found.push(extractFields(d.text, { entities: entities.get(d.id), chooser: choosers[k], layout: d.layout }));
    }
  console.log(
    `SROIE fit part (${docs.length} receipts${onPhotos ? ', read from their photos' : ''}), two folds, l2 ${l2}:`,
  );
  console.log(scoreTable(scoreOn(docs, found, 'receipt', SROIE_SCORED)).join('\n'));

  const only = arg('--field');
  const limit = Number(arg('--limit') ?? 200);
  const top = Number(arg('--top') ?? 0);
  for (const field of SROIE_SCORED) {
    if (only && only !== field) continue;
    const spec = fieldsFor('receipt').find((s) => s.name === field)!;
    const misses: string[] = [];
    docs.forEach((d, i) => {
      const gold = d.answers[field]?.[0];
      if (!gold?.text) return;
      const ours = found[i].fields[field]?.[0];
      if (ours && answerMatches(spec.type, ours, gold)) return;
      const doc = new DocumentContext(d.text, 'receipt', entities.get(d.id), d.layout);
      const reachable = candidatesFor(spec, doc).some((c) => answerMatches(spec.type, c, gold));
      const ranked = rankCandidates(d.text, field, {
        kind: 'receipt',
        entities: entities.get(d.id),
        layout: d.layout,
        chooser: chooserOfDoc[i],
      })
        .slice(0, top)
        .map(
          (r) =>
            `\n      ${r.probability.toFixed(2)} ${answerMatches(spec.type, r.candidate, gold) ? '=' : ' '} ${oneLine(r.candidate.text)}`,
        );
      misses.push(
        `${d.id} [${found[i].kind}${reachable ? ', a candidate had it' : ', no candidate'}]\n    gold: ${oneLine(gold.text)}\n    ours: ${ours ? `${oneLine(ours.text)} (${ours.confidence})` : '—'}${ranked.join('')}`,
      );
    });
    console.log(`\n## ${field}: ${misses.length} misses`);
    for (const m of misses.slice(0, limit)) console.log(m);
  }
}

main().catch((e) => {
  console.error(`errors:fields failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
