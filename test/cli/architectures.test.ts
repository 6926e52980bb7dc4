// The other taggers end to end through the command line, on tiny synthetic contracts: a TCN
// trained with `train --cell tcn`, tagged through onnxruntime and the engine's own forward
// pass; ensembles from `ensemble --out DIR A B` and `train --ensemble N`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnnotatedDocument } from '../../src/model/core/types';
import { loadModel } from '../../src/model/nn/model-folder';
import { Tagger } from '../../src/model/inference/tagger';
import { syntheticContracts } from '../fixtures/contracts';
import { assertNoStack, cli, type Result } from '../fixtures/cli';

const jsonl = (docs: AnnotatedDocument[]): string => docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
const CONTRACT =
  'This Agreement is made on March 3, 2021 between Acme Corp. and Beta Holdings LLC.\n' +
  'Globex GmbH shall pay Initech Ltd. no later than June 30, 2022.\n';

let dir: string;
let trainFile: string;
let devFile: string;

/** Small and quick: 2 epochs (unless `extra` says) of 40 synthetic contracts. */
function trainArgs(out: string, ...extra: string[]): string[] {
  return [
    'train',
    '--data',
    trainFile,
    '--dev',
    devFile,
    '--out',
    out,
    ...(extra.includes('--epochs') ? [] : ['--epochs', '2']),
    '--hidden',
    '16',
    '--batch-size',
    '4',
    '--lr',
    '0.01',
    '--complete',
    'PARTY,DATE',
    ...extra,
  ];
}

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-arch-'));
  trainFile = path.join(dir, 'train.jsonl');
  devFile = path.join(dir, 'dev.jsonl');
  await fs.writeFile(trainFile, jsonl(syntheticContracts(40, 7)));
  await fs.writeFile(devFile, jsonl(syntheticContracts(10, 99)));
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('train --cell tcn', () => {
  let tcnDir: string;
  let run: Result;
  before(async () => {
    tcnDir = path.join(dir, 'tcn');
    run = await cli(...trainArgs(tcnDir, '--cell', 'tcn', '--layers', '2', '--seed', '3'));
  });

  test('trains a TCN-CRF and saves a model folder with a dilated-convolution graph', async () => {
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /TCN-CRF, 16 channels, dilations 1,2,4 × 2/);
    const model = await loadModel(tcnDir);
    assert.equal(model.config.cell, 'tcn');
    assert.ok(model.weights['tcn.conv2.w']);
    assert.ok(!Object.keys(model.weights).some((k) => k.startsWith('rnn')));
  });

  test('tags with onnxruntime and with the engine alike, and finds the dates', async () => {
    const file = path.join(dir, 'contract.txt');
    await fs.writeFile(file, CONTRACT);
    const r = await cli('tag', '--json', '--model', tcnDir, file);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as { entities: { label: string; text: string }[] };
    assert.ok(
      out.entities.some((e) => e.label === 'DATE' && /2021|2022/.test(e.text)),
      r.stdout,
    );
    const onnx = await Tagger.load(tcnDir, { runtime: 'onnx', rules: false, propagate: false });
    const engine = await Tagger.load(tcnDir, { runtime: 'tfjs', rules: false, propagate: false });
    try {
      assert.equal(onnx.runtime.kind, 'onnx');
      const a = await onnx.tag(CONTRACT);
      const b = await engine.tag(CONTRACT);
      assert.deepEqual(
        a.map((e) => [e.label, e.start, e.end]),
        b.map((e) => [e.label, e.start, e.end]),
      );
      for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i].confidence - b[i].confidence) < 1e-3);
    } finally {
      await onnx.dispose();
      await engine.dispose();
    }
  });

  test('--dilations without --cell tcn, or malformed, is a usage error', async () => {
    const r1 = await cli(...trainArgs(path.join(dir, 'never'), '--dilations', '1,2'));
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /--dilations is for --cell tcn/);
    const r2 = await cli(...trainArgs(path.join(dir, 'never'), '--cell', 'tcn', '--dilations', '1,0'));
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /--dilations must be 1 to 8 whole numbers/);
    assertNoStack(r2.stderr);
  });
});

describe('ensembles', () => {
  let lstmDir: string;
  let tcnDir: string;
  before(async () => {
    lstmDir = path.join(dir, 'e-lstm');
    tcnDir = path.join(dir, 'e-tcn');
    const runs = await Promise.all([
      cli(...trainArgs(lstmDir, '--seed', '1')),
      cli(...trainArgs(tcnDir, '--cell', 'tcn', '--seed', '2')),
    ]);
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
  });

  test('ensemble --out DIR A B: one folder that tags like any model', async () => {
    const out = path.join(dir, 'ens-ab');
    const r = await cli('ensemble', '--out', out, lstmDir, tcnDir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Ensemble of 2 models \(lstm, tcn;/);
    const model = await loadModel(out);
    assert.deepEqual(
      model.members?.map((m) => m.config.cell),
      ['lstm', 'tcn'],
    );
    const file = path.join(dir, 'ens-contract.txt');
    await fs.writeFile(file, CONTRACT);
    const tagged = await cli('tag', '--json', '--model', out, file);
    assert.equal(tagged.code, 0, tagged.stderr);
    const found = JSON.parse(tagged.stdout.trim()) as { entities: { label: string; confidence: number }[] };
    assert.ok(
      found.entities.some((e) => e.label === 'DATE'),
      tagged.stdout,
    );
    for (const e of found.entities) assert.ok(e.confidence > 0 && e.confidence <= 1);
  });

  test('models with other labels, or a missing folder, are refused with one line', async () => {
    const dateOnly = path.join(dir, 'e-date');
    const t = await cli(...trainArgs(dateOnly, '--labels', 'DATE', '--epochs', '1'));
    assert.equal(t.code, 0, t.stderr);
    const r = await cli('ensemble', '--out', path.join(dir, 'never'), lstmDir, dateOnly);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /cannot make an ensemble: .*e-date and .*e-lstm have different labels \(DATE \/ DATE, PARTY\)/,
    );
    assertNoStack(r.stderr);
    const missing = await cli('ensemble', '--out', path.join(dir, 'never'), lstmDir, path.join(dir, 'nope'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope: no such model folder/);
    const one = await cli('ensemble', '--out', path.join(dir, 'never'), lstmDir);
    assert.equal(one.code, 2);
  });

  test('train --ensemble 2 trains two seeds and saves one ensemble', async () => {
    const out = path.join(dir, 'ens-seeds');
    const r = await cli(...trainArgs(out, '--ensemble', '2', '--epochs', '1', '--seed', '5'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Member 1\/2 \(seed 5\)[\s\S]*Member 2\/2 \(seed 6\)/);
    assert.match(r.stdout, /Ensemble of 2 models \(seeds 5-6; member dev F1 /);
    const model = await loadModel(out);
    assert.equal(model.members?.length, 2);
    const tagger = await Tagger.load(out, { rules: false });
    try {
      assert.equal(tagger.runtime.kind, 'onnx');
      assert.ok((await tagger.tag(CONTRACT)).length > 0);
    } finally {
      await tagger.dispose();
    }
  });
});
