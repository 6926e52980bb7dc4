// The fine-tuning plan (learning/fine-tune.ts): new labels widen the base and are learnt, few
// records are repeated up to the minimum number of steps, the rehearsal sample is mixed in
// (its silver as gold, a new label unknown there), the plan is the same for the same input,
// and a label the base's rules decide alone is given to the network once records correct it:
// the saved candidate's model.json says so and its tagger lets the network's spans through.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FINE_TUNE,
  loadRehearsalSet,
  planFineTune,
  REHEARSAL_FILE,
  yieldTo,
} from '../../../src/model/learning/fine-tune';
import { train, type TrainOptions } from '../../../src/model/training/trainer';
import { loadModel, saveModel, type TrainedModel } from '../../../src/model/nn/model-folder';
import { Tagger } from '../../../src/model/inference/tagger';
import { tagNames } from '../../../src/model/text/tags';
import { windows } from '../../../src/model/text/windows';
import type { AnnotatedDocument } from '../../../src/model/core/types';
import { syntheticContracts } from '../../fixtures/contracts';

const tempDir = (prefix: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `entity-lens-${prefix}`));

const small: TrainOptions = {
  labels: ['PARTY', 'DATE'],
  wordDim: 16,
  shapeDim: 8,
  charDim: 8,
  charFilters: 12,
  hidden: 16,
  epochs: 6,
  batchSize: 16,
  learningRate: 5e-3,
  minWordCount: 1,
  seed: 2,
};

let base: TrainedModel;

before(async () => {
  base = (await train(syntheticContracts(60, 11), [], small)).model;
});

const steps = (plan: ReturnType<typeof planFineTune>, windows: number): number =>
  (plan.options.epochs ?? 0) * Math.ceil((windows + (plan.options.extraSequences?.length ?? 0)) / FINE_TUNE.batchSize);

test('few records are repeated, and rehearsal fills the epochs, until the run has the minimum number of steps; many are not', () => {
  const few = syntheticContracts(2, 3);
  const own = (plan: ReturnType<typeof planFineTune>) =>
    plan.train.reduce((n, d) => n + windows(d.text, FINE_TUNE.maxTokens).length, 0);
  const alone = planFineTune({ base, train: few, labels: base.config.labels, rehearsal: [] });
  const repeats = alone.train.length / few.length;
  assert.ok(Number.isInteger(repeats) && repeats > 1, `repeats ${repeats}`);
  for (let i = 0; i < alone.train.length; i++) assert.equal(alone.train[i], few[i % few.length]);
  // without rehearsal a record is repeated at most maxRepeats times
  assert.ok(repeats === FINE_TUNE.maxRepeats || steps(alone, own(alone)) >= FINE_TUNE.minSteps);
  const rehearsal = syntheticContracts(600, 8);
  const mixed = planFineTune({ base, train: few, labels: base.config.labels, rehearsal });
  assert.ok(steps(mixed, own(mixed)) >= FINE_TUNE.minSteps, `${steps(mixed, own(mixed))} steps`);
  const many = syntheticContracts(2000, 3);
  assert.equal(planFineTune({ base, train: many, labels: base.config.labels, rehearsal: [] }).train.length, 2000);
});

test('the plan anchors the base, and without rehearsal or replay it adds no sequences', () => {
  const plan = planFineTune({ base, train: syntheticContracts(4, 3), labels: ['DATE', 'PARTY'], rehearsal: [] });
  assert.equal(plan.initial, base, 'no new label: the base itself');
  assert.deepEqual(plan.newLabels, []);
  assert.equal(plan.options.anchor, FINE_TUNE.anchor);
  assert.equal(plan.options.newLabels, undefined);
  assert.deepEqual(plan.options.extraSequences, []);
});

test('rehearsal windows are mixed in, silver as gold, complete "all" meaning the base labels only; the same input gives the same plan', () => {
  const text = 'Signed by Acme Corp. on March 3, 2021 in Paris.';
  const rehearsal: AnnotatedDocument[] = Array.from({ length: 50 }, (_, i) => ({
    id: `r${i}`,
    text,
    spans: [{ start: 10, end: 20, label: 'PARTY' }],
    silver: [{ start: 24, end: 37, label: 'DATE' }],
    complete: 'all',
  }));
  const records = syntheticContracts(3, 4, { labels: ['PARTY', 'DATE', 'AMOUNT'] });
  const plan = planFineTune({ base, train: records, labels: ['PARTY', 'DATE', 'AMOUNT'], rehearsal, seed: 7 });
  const extra = plan.options.extraSequences ?? [];
  assert.ok(extra.length > 0 && extra.length <= rehearsal.length);
  const tags = tagNames(plan.initial.config.labels, plan.initial.config.scheme);
  const T = tags.length;
  const s = extra[0];
  const tokenAt = (start: number) => s.tokens.findIndex((t) => t.start === start);
  const possible = (t: number) => tags.filter((_, j) => s.mask[t * T + j] === 1);
  assert.deepEqual(possible(tokenAt(24)), ['B-DATE'], 'the silver date is a target');
  // "Paris": not PARTY nor DATE (complete), but AMOUNT, new, is unknown there
  assert.deepEqual(possible(tokenAt(41)).sort(), ['B-AMOUNT', 'L-AMOUNT', 'I-AMOUNT', 'O', 'U-AMOUNT'].sort());
  const again = planFineTune({ base, train: records, labels: ['PARTY', 'DATE', 'AMOUNT'], rehearsal, seed: 7 });
  assert.deepEqual(
    again.options.extraSequences?.map((q) => q.docId),
    extra.map((q) => q.docId),
  );
});

test('a new label: the base is widened, its windows weigh more, and after training the candidate tags it', async () => {
  const records = syntheticContracts(12, 4, { labels: ['PARTY', 'DATE', 'AMOUNT'] });
  const plan = planFineTune({ base, train: records, labels: [...base.config.labels, 'AMOUNT'], rehearsal: [] });
  assert.deepEqual(plan.newLabels, ['AMOUNT']);
  assert.deepEqual(plan.initial.config.labels, ['PARTY', 'DATE', 'AMOUNT']);
  assert.deepEqual(plan.options.newLabels, ['AMOUNT']);
  assert.deepEqual(plan.options.labelWeights, { AMOUNT: FINE_TUNE.newLabelWeight });
  const { model } = await train(plan.train, [], { ...plan.options, initial: plan.initial });
  const tagger = await Tagger.create(model, { runtime: 'tfjs' });
  const docs = syntheticContracts(6, 99, { labels: ['PARTY', 'DATE', 'AMOUNT'] });
  const found = (await Promise.all(docs.map((d) => tagger.tag(d.text)))).flatMap((es, i) =>
    es.filter((e) => e.label === 'AMOUNT').map((e) => ({ ...e, doc: i })),
  );
  const gold = docs.flatMap((d, i) => d.spans.filter((s) => s.label === 'AMOUNT').map((s) => ({ ...s, doc: i })));
  assert.ok(gold.length > 0);
  const hits = gold.filter((g) => found.some((e) => e.doc === g.doc && e.start === g.start && e.end === g.end));
  assert.ok(hits.length >= gold.length / 2, `${hits.length} of ${gold.length} amounts found`);
});

test('a label the rules decide alone is yielded to the network when records correct it: saved, and the tagger honours it', async () => {
  // no rule annotator finds parties: as rule-only, every PARTY span of the network is dropped
  const ruled: TrainedModel = { ...base, info: { ...base.info, rules: { labels: ['PARTY'], ruleOnly: ['PARTY'] } } };
  const [doc] = syntheticContracts(1, 42);
  const before = await Tagger.create(ruled, { runtime: 'tfjs' });
  assert.equal((await before.tag(doc.text)).filter((e) => e.label === 'PARTY').length, 0);
  const withoutParty = syntheticContracts(4, 5, { labels: ['DATE'] });
  assert.deepEqual(
    planFineTune({ base: ruled, train: withoutParty, labels: ['PARTY', 'DATE'], rehearsal: [] }).yieldedLabels,
    [],
  );

  const plan = planFineTune({ base: ruled, train: syntheticContracts(6, 5), labels: ['PARTY', 'DATE'], rehearsal: [] });
  assert.deepEqual(plan.yieldedLabels, ['PARTY']);
  assert.deepEqual(plan.options.rules, { labels: [], ruleOnly: [], fill: ['PARTY'] });
  const { model } = await train(plan.train, [], { ...plan.options, initial: plan.initial, epochs: 1 });
  const dir = tempDir('fine-tune-');
  await saveModel(dir, model);
  const saved = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { rules: unknown };
  assert.deepEqual(saved.rules, { labels: [], ruleOnly: [], fill: ['PARTY'] });
  const after = await Tagger.create(await loadModel(dir), { runtime: 'tfjs' });
  const parties = (await after.tag(doc.text)).filter((e) => e.label === 'PARTY');
  assert.ok(parties.length > 0, 'the network’s parties come through');
});

test('yieldTo moves labels from the deciding and rule-only lists to fill, and leaves the rest alone', () => {
  const policy = { labels: ['DATE', 'IBAN'], ruleOnly: ['DATE'], validate: ['IBAN'], fill: ['AMOUNT'] };
  assert.deepEqual(yieldTo(policy, ['DATE']), {
    labels: ['IBAN'],
    ruleOnly: [],
    validate: ['IBAN'],
    fill: ['AMOUNT', 'DATE'],
  });
  assert.equal(yieldTo(policy, []), policy);
  assert.equal(yieldTo(undefined, ['DATE']), undefined);
});

test('loadRehearsalSet: [] without the file; the records with it; a damaged line is refused with its place', async () => {
  const dir = tempDir('rehearsal-');
  assert.deepEqual(await loadRehearsalSet(dir), []);
  const file = path.join(dir, REHEARSAL_FILE);
  fs.writeFileSync(
    file,
    JSON.stringify({ id: 'a', text: 'Acme Corp.', spans: [{ start: 0, end: 10, label: 'PARTY' }] }) + '\n',
  );
  assert.deepEqual(
    (await loadRehearsalSet(dir)).map((d) => d.id),
    ['a'],
  );
  fs.appendFileSync(file, '{"id": "b", "text": 3}\n');
  await assert.rejects(loadRehearsalSet(dir), /rehearsal\.jsonl:2: .*rehearsal set is damaged/);
});

test('bad labels and empty records are refused with a clear message', () => {
  assert.throws(
    () => planFineTune({ base, train: syntheticContracts(1, 1), labels: ['bad label'], rehearsal: [] }),
    /fine-tuning: /,
  );
  assert.throws(() => planFineTune({ base, train: [], labels: ['PARTY'], rehearsal: [] }), /no records to learn from/);
});
