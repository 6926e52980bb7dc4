// `entity-lens train --from DIR` with labels the model lacks: they are added (said on stderr)
// and learnt, both on the CLI's own options and on the editor's schedule (--editor); a label
// that cannot be added is refused with a non-zero exit and nothing is saved.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnnotatedDocument } from '../../src/model/core/types';
import { saveModel } from '../../src/model/nn/model-folder';
import { train } from '../../src/model/training/trainer';
import { syntheticContracts } from '../fixtures/contracts';
import { assertNoStack, cli } from '../fixtures/cli';

const jsonl = (docs: AnnotatedDocument[]): string => docs.map((d) => JSON.stringify(d)).join('\n') + '\n';

let dir: string;
let baseDir: string;
let amountsFile: string;
let manyAmountsFile: string;
let devFile: string;
let textFile: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-train-from-'));
  baseDir = path.join(dir, 'base');
  const base = await train(syntheticContracts(40, 7), [], {
    labels: ['PARTY', 'DATE'],
    wordDim: 16,
    shapeDim: 8,
    charDim: 8,
    charFilters: 12,
    hidden: 16,
    epochs: 4,
    batchSize: 8,
    learningRate: 5e-3,
    minWordCount: 1,
    seed: 3,
  });
  await saveModel(baseDir, base.model);
  amountsFile = path.join(dir, 'amounts.jsonl');
  await fs.writeFile(amountsFile, jsonl(syntheticContracts(16, 21, { labels: ['PARTY', 'DATE', 'AMOUNT'] })));
  manyAmountsFile = path.join(dir, 'many-amounts.jsonl');
  await fs.writeFile(manyAmountsFile, jsonl(syntheticContracts(60, 22, { labels: ['PARTY', 'DATE', 'AMOUNT'] })));
  devFile = path.join(dir, 'dev.jsonl');
  await fs.writeFile(devFile, jsonl(syntheticContracts(4, 99, { labels: ['PARTY', 'DATE', 'AMOUNT'] })));
  textFile = path.join(dir, 'text.txt');
  const [doc] = syntheticContracts(1, 123, { labels: ['PARTY', 'DATE', 'AMOUNT'], sentences: [6, 6] });
  await fs.writeFile(textFile, doc.text);
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function labelsOf(modelDir: string): Promise<string[]> {
  return (JSON.parse(await fs.readFile(path.join(modelDir, 'model.json'), 'utf8')) as { config: { labels: string[] } })
    .config.labels;
}

async function amountsTagged(modelDir: string): Promise<number> {
  const tagged = await cli('tag', '--json', '--model', modelDir, textFile);
  assert.equal(tagged.code, 0, tagged.stderr);
  const entities = (JSON.parse(tagged.stdout) as { entities: { label: string }[] }).entities;
  return entities.filter((e) => e.label === 'AMOUNT').length;
}

describe('train --from with a label the model lacks', () => {
  test('the label is added (said on stderr), saved in model.json, and the model tags it', async () => {
    const out = path.join(dir, 'own-options');
    const r = await cli(
      'train',
      '--from',
      baseDir,
      '--data',
      amountsFile,
      '--dev',
      devFile,
      '--out',
      out,
      '--epochs',
      '6',
      '--batch-size',
      '4',
      '--lr',
      '0.01',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /Adding the label AMOUNT to the model from .*base \(new output columns; its labels PARTY, DATE are kept\)/,
    );
    assert.doesNotMatch(r.stderr, /ignored/);
    assert.deepEqual(await labelsOf(out), ['PARTY', 'DATE', 'AMOUNT']);
    assert.ok((await amountsTagged(out)) > 0, 'the fine-tuned model tags amounts');
  });

  test('--editor: the editor’s path — the label added and learnt, promoted on the held-out documents, --dev scored after', async () => {
    const out = path.join(dir, 'editor');
    const r = await cli(
      'train',
      '--from',
      baseDir,
      '--editor',
      '--data',
      manyAmountsFile,
      '--dev',
      devFile,
      '--out',
      out,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Adding the label AMOUNT/);
    assert.match(r.stderr, /training on \d+ records \(\d+ held out; \d+ with repeats\), 0 rehearsal windows/);
    assert.match(r.stdout, /\*\*Your held-out documents\*\* \(\d+ documents, \d+ entities/);
    assert.match(
      r.stdout,
      /Model saved to .*: The new model is used: held-out F1 [\d.]+ against [\d.]+ on \d+ held-out entities/,
    );
    assert.match(r.stdout, /Dev report \(4 documents tagged whole\)/);
    assert.deepEqual(await labelsOf(out), ['PARTY', 'DATE', 'AMOUNT']);
    const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8')) as { promote: boolean };
    assert.equal(report.promote, true);
    assert.ok((await amountsTagged(out)) > 0, 'the fine-tuned model tags amounts');
  });

  test('--editor keeps a model in --out when the verdict does not promote: exit 3, the reason, nothing replaced', async () => {
    const out = path.join(dir, 'kept');
    await fs.cp(baseDir, out, { recursive: true });
    const before = await fs.readFile(path.join(out, 'weights.bin'));
    const few = path.join(dir, 'few.jsonl');
    await fs.writeFile(few, jsonl(syntheticContracts(3, 31, { labels: ['PARTY', 'DATE', 'AMOUNT'] })));
    const r = await cli('train', '--from', baseDir, '--editor', '--data', few, '--out', out, '--epochs', '1');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /Not saved: .*held-out entit.*needed/);
    assert.deepEqual(await fs.readFile(path.join(out, 'weights.bin')), before, 'the model in --out is unchanged');
    assert.deepEqual(
      (await fs.readdir(dir)).filter((f) => f.includes('.candidate-')),
      [],
      'no candidate folder is left beside --out',
    );
  });

  test('--editor mixes in the rehearsal windows beside the model', async () => {
    const withRehearsal = path.join(dir, 'base-rehearsal');
    await fs.cp(baseDir, withRehearsal, { recursive: true });
    await fs.writeFile(path.join(withRehearsal, 'rehearsal.jsonl'), jsonl(syntheticContracts(30, 5)));
    const run = (from: string, out: string) =>
      cli('train', '--from', from, '--editor', '--data', amountsFile, '--out', path.join(dir, out), '--epochs', '1');
    const plain = await run(baseDir, 'editor-plain');
    const rehearsed = await run(withRehearsal, 'editor-rehearsal');
    const mixed = (r: { stderr: string }) => Number(/(\d+) rehearsal windows/.exec(r.stderr)?.[1] ?? -1);
    assert.ok(rehearsed.code === 0 || rehearsed.code === 3, rehearsed.stderr);
    assert.equal(mixed(plain), 0, plain.stderr);
    assert.ok(mixed(rehearsed) > 0, rehearsed.stderr);
  });

  test('a label no training span has cannot be added: exit 1, nothing saved', async () => {
    const out = path.join(dir, 'never');
    const r = await cli(
      'train',
      '--from',
      baseDir,
      '--labels',
      'LOCATION',
      '--data',
      amountsFile,
      '--dev',
      devFile,
      '--out',
      out,
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^entity-lens: cannot add LOCATION to the model: no training span has that label/m);
    assertNoStack(r.stderr);
    await assert.rejects(fs.stat(out));
  });

  test('a label name that breaks the label grammar is refused: exit 2', async () => {
    const out = path.join(dir, 'never');
    const r = await cli(
      'train',
      '--from',
      baseDir,
      '--labels',
      'unit price',
      '--data',
      amountsFile,
      '--dev',
      devFile,
      '--out',
      out,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--labels: "unit price" is not a valid label .*use UNIT_PRICE/);
    await assert.rejects(fs.stat(out));
  });

  test('--editor needs --from; without --editor, --dev is required', async () => {
    const out = path.join(dir, 'never');
    const a = await cli('train', '--editor', '--data', amountsFile, '--out', out);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--editor fine-tunes a model: give it with --from DIR/);
    const b = await cli('train', '--from', baseDir, '--data', amountsFile, '--out', out);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--dev is required/);
  });
});
