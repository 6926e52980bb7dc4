// `npm run errors:fields`: the field chooser's misses on the SROIE receipts it may be tuned on
// (the 'fit' part of fields-data.ts's hash split; the other part is what eval:fields reports and
// is never read here). The chooser is fitted as train:fields fits it, by two folds: each half is
// chosen by a chooser fitted on the other half and the generated documents, so a miss here is
// one the shipped chooser would make on unseen receipts. Prints per field F1 and each miss: the
// annotators' value, ours, and whether any candidate held the right value (a miss of the
// candidates — a boundary or a normalisation — or of the choice).
//   --field NAME (default every field), --l2 X (default the shipped chooser's), --limit N
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
  Tagger,
  tuneThresholds,
  type DocumentFields,
  type Entity,
  type FieldChooser,
} from '../model';
import { readSroieFields, syntheticFieldDocuments, taggedEntities, type FieldDocument } from './fields-data';
import {
  chooserOf,
  examplesOf,
  fit,
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
  const folds = [sroie.filter((_, i) => i % 2 === 0), sroie.filter((_, i) => i % 2 === 1)];
  const syntheticSets = fieldTrainingSets(examplesOf(synthetic, entities));
  const foldSets = folds.map((f) => fieldTrainingSets(examplesOf(f, entities)));
  const choosers: FieldChooser[] = [];
  const decisions = [];
  for (let k = 0; k < 2; k++) {
    const sets = mergeTrainingSets(syntheticSets, foldSets[1 - k]).filter((s) => s.kind === 'receipt');
    choosers[k] = chooserOf(fit(sets, l2));
    decisions.push(...collectDecisions(choosers[k], examplesOf(folds[k], entities)));
  }
  const tuned = tuneThresholds(decisions);
  for (const c of choosers)
    for (const [key, t] of Object.entries(tuned)) if (c.data.fields[key]) Object.assign(c.data.fields[key], t);

  const docs: FieldDocument[] = [];
  const found: DocumentFields[] = [];
  for (let k = 0; k < 2; k++)
    for (const d of folds[k]) {
      docs.push(d);
      found.push(extractFields(d.text, { entities: entities.get(d.id), chooser: choosers[k] }));
    }
  console.log(`SROIE fit part (${docs.length} receipts), two folds, l2 ${l2}:`);
  console.log(scoreTable(scoreOn(docs, found, 'receipt', SROIE_SCORED)).join('\n'));

  const only = arg('--field');
  const limit = Number(arg('--limit') ?? 200);
  for (const field of SROIE_SCORED) {
    if (only && only !== field) continue;
    const spec = fieldsFor('receipt').find((s) => s.name === field)!;
    const misses: string[] = [];
    docs.forEach((d, i) => {
      const gold = d.answers[field]?.[0];
      if (!gold?.text) return;
      const ours = found[i].fields[field]?.[0];
      if (ours && answerMatches(spec.type, ours, gold)) return;
      const doc = new DocumentContext(d.text, 'receipt', entities.get(d.id));
      const reachable = candidatesFor(spec, doc).some((c) => answerMatches(spec.type, c, gold));
      misses.push(
        `${d.id} [${found[i].kind}${reachable ? ', a candidate had it' : ', no candidate'}]\n    gold: ${oneLine(gold.text)}\n    ours: ${ours ? `${oneLine(ours.text)} (${ours.confidence})` : '—'}`,
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
