// Scoped models (inference/scope.ts): a model tuned on a person's corrections decides only their
// labels on their kinds of documents; its base, kept in the folder's base/, decides the rest.
// The tiny models here are pushed by a label bias to tag everything, or nothing, as one label,
// so which model decided is visible in the entities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeScope, mergeScoped, scopeKinds } from '../../../src/model/inference/scope';
import { Tagger } from '../../../src/model/inference/tagger';
import { loadModel, saveModel } from '../../../src/model/nn/model-folder';
import { ensembleProblem } from '../../../src/model/nn/ensemble';
import type { TrainedModel } from '../../../src/model/nn/trained-model';
import type { Entity } from '../../../src/model/core/types';
import { tinyModel } from '../../fixtures/models';

const TEXT = 'This Agreement is made on March 3 , 2021 between Acme Corp and Beta LLC .';

/** A tiny model that tags as `label` wherever it can (bias +50), or nothing at all (label null). */
function biased(seed: number, label: 'PARTY' | 'DATE' | null): TrainedModel {
  const m = tinyModel(seed);
  const labelBias = label ? { [label]: 50 } : { PARTY: -50, DATE: -50 };
  return { ...m, info: { ...m.info, labelBias } };
}

function scoped(own: TrainedModel, base: TrainedModel, kinds: string[], labels: string[]): TrainedModel {
  return { ...own, info: { ...own.info, scope: { kinds, labels } }, base };
}

async function tagWith(model: TrainedModel, kind: string): Promise<Entity[]> {
  const tagger = await Tagger.create(model, { runtime: 'tfjs', propagate: false });
  try {
    return await tagger.tag(TEXT, { kind });
  } finally {
    await tagger.dispose();
  }
}

const e = (start: number, end: number, label: string): Entity => ({
  start,
  end,
  label,
  text: '',
  confidence: 1,
});

test('mergeScoped: the scope labels from the tuned network, the others from the base, the base winning overlaps', () => {
  const scope = { kinds: ['contract'], labels: ['LOCATION', 'PARTY'] };
  const own = [e(0, 5, 'LOCATION'), e(10, 15, 'LOCATION'), e(20, 25, 'PARTY'), e(30, 35, 'DATE')];
  const base = [e(12, 18, 'PARTY'), e(30, 34, 'DATE'), e(40, 45, 'PARTY'), e(50, 55, 'AMOUNT')];
  assert.deepEqual(
    mergeScoped(own, base, scope).map((x) => `${x.label}@${x.start}`),
    // LOCATION@10 overlaps the base's PARTY@12, but PARTY is in scope: the base's parties are
    // dropped, so it stays; the base's DATE and AMOUNT stay, the network's DATE does not
    ['LOCATION@0', 'LOCATION@10', 'PARTY@20', 'DATE@30', 'AMOUNT@50'],
  );
  const onlyLocation = { kinds: ['contract'], labels: ['LOCATION'] };
  assert.deepEqual(
    mergeScoped(own, base, onlyLocation).map((x) => `${x.label}@${x.start}`),
    // now the base's parties stay and LOCATION@10, over one of them, goes
    ['LOCATION@0', 'PARTY@12', 'DATE@30', 'PARTY@40', 'AMOUNT@50'],
  );
});

test('mergeScoped: a label takes over only the base labels its scope says, and only where every overlap is one', () => {
  const scope = { kinds: ['contract'], labels: ['LOCATION'], takesOver: { LOCATION: ['ADDRESS', 'JURISDICTION'] } };
  const own = [e(0, 5, 'LOCATION'), e(7, 12, 'LOCATION'), e(20, 25, 'LOCATION'), e(40, 50, 'LOCATION')];
  // one ADDRESS under two LOCATIONs; a PARTY; a JURISDICTION beside a PARTY under one LOCATION
  const base = [e(0, 12, 'ADDRESS'), e(20, 25, 'PARTY'), e(40, 44, 'JURISDICTION'), e(45, 50, 'PARTY')];
  assert.deepEqual(
    mergeScoped(own, base, scope).map((x) => `${x.label}@${x.start}`),
    ['LOCATION@0', 'LOCATION@7', 'PARTY@20', 'JURISDICTION@40', 'PARTY@45'],
  );
});

test('mergeScoped: a label the scope does not lend drops its lent names', () => {
  const lent = (start: number, end: number): Entity => ({ ...e(start, end, 'PARTY'), source: 'document' });
  const scope = { kinds: ['receipt'], labels: ['PARTY'], notLent: ['PARTY'] };
  assert.deepEqual(
    mergeScoped([e(0, 10, 'PARTY'), lent(30, 35)], [], scope).map((x) => `${x.label}@${x.start}`),
    ['PARTY@0'],
  );
});

test('scopeKinds takes invoices and receipts as one family; describeScope reads as a sentence', () => {
  assert.deepEqual(scopeKinds(['receipt']), ['invoice', 'receipt']);
  assert.deepEqual(scopeKinds(['contract', 'contract']), ['contract']);
  assert.equal(
    describeScope({ kinds: ['invoice', 'receipt'], labels: ['PARTY', 'ADDRESS'] }),
    'PARTY and ADDRESS on invoices and receipts',
  );
});

test('a scoped tagger: its labels on its kinds from its own network, everything else from the base', async () => {
  // the tuned network tags parties everywhere; the base tags nothing
  const model = scoped(biased(2, 'PARTY'), biased(1, null), ['contract'], ['PARTY']);
  const inScope = await tagWith(model, 'contract');
  assert.ok(inScope.length > 0 && inScope.every((x) => x.label === 'PARTY'));
  assert.deepEqual(await tagWith(model, 'receipt'), [], 'another kind is the base model alone');

  // the base tags dates everywhere: DATE is out of scope, so its dates stay and the network's
  // parties over them go
  const overDates = scoped(biased(2, 'PARTY'), biased(1, 'DATE'), ['contract'], ['PARTY']);
  const dates = await tagWith(overDates, 'contract');
  assert.ok(dates.length > 0 && dates.every((x) => x.label === 'DATE'), JSON.stringify(dates));

  // the base's parties are not used where PARTY is in scope
  const noParties = scoped(biased(2, null), biased(1, 'PARTY'), ['contract'], ['PARTY']);
  assert.deepEqual(await tagWith(noParties, 'contract'), []);
  assert.ok((await tagWith(noParties, 'invoice')).every((x) => x.label === 'PARTY'));
});

test('a scoped model folder keeps its base in base/, loads and routes again, and refuses a base that was swapped', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-scope-'));
  try {
    const modelDir = path.join(dir, 'model');
    await saveModel(modelDir, scoped(biased(2, 'PARTY'), biased(1, null), ['contract'], ['PARTY']));
    assert.ok(fs.existsSync(path.join(modelDir, 'base', 'model.json')));
    assert.ok(fs.existsSync(path.join(modelDir, 'base', 'model.onnx')));
    const loaded = await loadModel(modelDir);
    assert.deepEqual(loaded.info.scope?.kinds, ['contract']);
    assert.match(loaded.info.scope?.base ?? '', /^[0-9a-f]{64}$/);
    assert.equal(loaded.base?.info.version, '1');

    for (const runtime of ['onnx', 'tfjs'] as const) {
      const tagger = await Tagger.load(modelDir, { runtime, propagate: false });
      try {
        assert.ok((await tagger.tag(TEXT, { kind: 'contract' })).length > 0, runtime);
        assert.deepEqual(await tagger.tag(TEXT, { kind: 'receipt' }), [], runtime);
        const wins = await tagger.tagWindows(TEXT, [[]], { kind: 'receipt' });
        assert.deepEqual(wins, [[]]);
      } finally {
        await tagger.dispose();
      }
    }

    // the labels a scope takes over are kept, and a malformed list is refused by name
    const withTakeover = scoped(biased(2, 'PARTY'), biased(1, null), ['contract'], ['PARTY']);
    withTakeover.info.scope = { kinds: ['contract'], labels: ['PARTY'], takesOver: { PARTY: ['DATE'] } };
    const overDir = path.join(dir, 'over');
    await saveModel(overDir, withTakeover);
    assert.deepEqual((await loadModel(overDir)).info.scope?.takesOver, { PARTY: ['DATE'] });
    const manifest = JSON.parse(fs.readFileSync(path.join(overDir, 'model.json'), 'utf8'));
    manifest.scope.takesOver = { DATE: ['PARTY'] };
    fs.writeFileSync(path.join(overDir, 'model.json'), JSON.stringify(manifest));
    await assert.rejects(loadModel(overDir), /takesOver" names labels outside the scope: DATE/);
    manifest.scope.takesOver = { PARTY: ['DATE'] };
    manifest.scope.notLent = 'PARTY';
    fs.writeFileSync(path.join(overDir, 'model.json'), JSON.stringify(manifest));
    await assert.rejects(loadModel(overDir), /"scope.notLent" must be a list/);

    // another model put in base/ (same architecture, other weights) is refused by its hash
    await saveModel(path.join(modelDir, 'base'), biased(3, 'DATE'));
    await assert.rejects(loadModel(modelDir), /not the base this model was tuned from/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a scoped model cannot be an ensemble member: the ensemble would tag every kind with its network', () => {
  const model = scoped(biased(2, 'PARTY'), biased(1, null), ['contract'], ['PARTY']);
  assert.match(ensembleProblem([tinyModel(1), model], ['a', 'b']) ?? '', /b was trained on corrections/);
  assert.equal(ensembleProblem([tinyModel(1), tinyModel(2)], ['a', 'b']), null);
});
