// The model folder: saving swaps a complete folder in and a crash between its two renames is
// repaired by the next load or save; loading refuses damaged or mixed folders with a sentence
// naming the file — a changed weights.bin, another model's model.onnx, a missing vocab, sizes a
// hand-edited model.json makes up — with content hashes, and without them for older folders.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import {
  digest,
  InputError,
  loadModel,
  onnxPath,
  recordModelHashes,
  saveModel,
  Tagger,
  writeModelOnnx,
  type ModelManifest,
} from '../../../src/model';
import { ROOT } from '../../fixtures/paths';
import { tinyModel } from '../../fixtures/models';
import { TempFiles, exists } from '../../fixtures/temp-files';

const temp = new TempFiles();
before(() => temp.create('model-folder'));
after(() => temp.remove());

/** A saved tiny model in a fresh folder. */
async function savedModel(seed = 1): Promise<string> {
  const dir = await temp.file('model');
  await saveModel(dir, tinyModel(seed));
  return dir;
}

async function manifestOf(dir: string): Promise<ModelManifest> {
  return JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as ModelManifest;
}

async function editManifest(dir: string, edit: (m: ModelManifest) => void): Promise<void> {
  const m = await manifestOf(dir);
  edit(m);
  await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(m));
}

/** Removes the hashes: a folder as saved before they existed. */
const withoutHashes = (dir: string) =>
  editManifest(dir, (m) => {
    delete m.files;
  });

async function refused(dir: string, message: RegExp): Promise<void> {
  await assert.rejects(loadModel(dir), (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, message);
    assert.ok(!/ENOENT|EISDIR/.test(e.message), e.message);
    assert.equal(e.message.split('\n').length, 1);
    return true;
  });
}

async function siblings(dir: string): Promise<string[]> {
  const base = path.basename(dir);
  return (await fs.readdir(path.dirname(dir))).filter((n) => n !== base && n.startsWith(base));
}

describe('saveModel and the swap', () => {
  test('model.json records the size and SHA-256 of weights.bin, vocab.json and model.onnx', async () => {
    const dir = await savedModel();
    const { files } = await manifestOf(dir);
    for (const name of ['weights.bin', 'vocab.json', 'model.onnx'] as const) {
      assert.deepEqual(files?.[name], digest(await fs.readFile(path.join(dir, name))), name);
    }
    assert.deepEqual(await siblings(dir), [], 'no lock, partial or previous folder left');
  });

  test("a model saved into folders that do not exist yet (a workspace's first model)", async () => {
    const dir = path.join(await temp.file('fresh'), '.entity-lens', 'models', 'ws.1');
    await saveModel(dir, tinyModel(2));
    assert.equal((await loadModel(dir)).config.labels.length, tinyModel(2).config.labels.length);
  });

  test('a crash between the two renames: the next load puts the old model back and tidies up', async () => {
    const dir = await savedModel(1);
    // the state a kill between rename(DIR → previous) and rename(partial → DIR) leaves
    const tag = `${process.pid}-${Date.now().toString(36)}`;
    await fs.rename(dir, `${dir}.previous-${tag}`);
    await saveModel(`${dir}.partial-${tag}`, tinyModel(2));
    assert.equal(await exists(dir), false);
    const model = await loadModel(dir);
    assert.equal(model.info.version, '1', 'the old model, which was the one in place');
    assert.equal(await exists(path.join(dir, 'model.json')), true);
    assert.deepEqual(await siblings(dir), []);
  });

  test('the next save also restores and tidies: partial and previous folders of dead saves go', async () => {
    const dir = await savedModel(1);
    await fs.mkdir(`${dir}.partial-1-abc`);
    await fs.writeFile(path.join(`${dir}.partial-1-abc`, 'weights.bin'), 'half');
    await fs.cp(dir, `${dir}.previous-1-abd`, { recursive: true });
    await saveModel(dir, tinyModel(3));
    assert.equal((await loadModel(dir)).info.version, '3');
    assert.deepEqual(await siblings(dir), []);
  });

  test('a save killed at random moments always leaves a loadable model at the path', async () => {
    const dir = await savedModel(1);
    const door = path.join(ROOT, 'out-test', 'src', 'model', 'index.js');
    const fixture = path.join(ROOT, 'out-test', 'test', 'fixtures', 'models.js');
    const script = `const { saveModel } = require(${JSON.stringify(door)});
const { tinyModel } = require(${JSON.stringify(fixture)});
(async () => { for (let i = 2; ; i++) await saveModel(${JSON.stringify(dir)}, tinyModel(i)); })();`;
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
      const gone = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await gone;
      const model = await loadModel(dir);
      assert.ok(Number(model.info.version) >= 1, `round ${round}`);
      assert.deepEqual(
        (await siblings(dir)).filter((n) => !n.endsWith('.lock')),
        [],
        `round ${round}: leftovers`,
      );
    }
  });
});

describe('loadModel refuses damaged or mismatched folders before anything runs', () => {
  for (const hashed of [true, false]) {
    const kind = hashed ? 'with hashes' : 'saved before hashes';
    test(`${kind}: random weights.bin beside the original model.onnx`, async () => {
      const dir = await savedModel();
      if (!hashed) await withoutHashes(dir);
      const size = (await fs.stat(path.join(dir, 'weights.bin'))).size;
      const random = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4) random.writeFloatLE(Math.random() - 0.5, i);
      await fs.writeFile(path.join(dir, 'weights.bin'), random);
      await refused(
        dir,
        hashed ? /weights\.bin does not match model\.json/ : /model\.onnx does not belong to this model/,
      );
    });

    test(`${kind}: another model's model.onnx (same architecture)`, async () => {
      const dir = await savedModel(1);
      const other = await savedModel(2);
      if (!hashed) await withoutHashes(dir);
      await fs.copyFile(onnxPath(other), onnxPath(dir));
      await refused(dir, hashed ? /model\.onnx does not match model\.json/ : /model\.onnx does not belong.*differs/);
      await assert.rejects(Tagger.load(dir, { runtime: 'onnx' }), /model\.onnx/);
    });

    test(`${kind}: another model's vocab.json`, async () => {
      const dir = await savedModel(1);
      if (!hashed) await withoutHashes(dir);
      await fs.writeFile(
        path.join(dir, 'vocab.json'),
        JSON.stringify({ words: ['<pad>', '<unk>'], shapes: [], chars: [] }),
      );
      await refused(dir, hashed ? /vocab\.json does not match model\.json/ : /vocab\.json does not fit model\.json/);
    });
  }

  test('a missing vocab.json: a clear message, not ENOENT', async () => {
    const dir = await savedModel();
    await fs.rm(path.join(dir, 'vocab.json'));
    await refused(dir, /vocab\.json is missing; a model folder holds model\.json, vocab\.json, weights\.bin/);
  });

  test('weights.bin cut off or too long', async () => {
    const dir = await savedModel();
    await withoutHashes(dir);
    const w = await fs.readFile(path.join(dir, 'weights.bin'));
    await fs.writeFile(path.join(dir, 'weights.bin'), w.subarray(0, w.length - 4));
    await refused(dir, /weights\.bin has \d+ bytes, the architecture in model\.json needs \d+/);
    await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.concat([w, Buffer.alloc(8)]));
    await refused(dir, /weights\.bin is \d+ bytes, more than a model's/);
  });

  test('a hand-edited model.json: sizes, labels and tags are bounded and checked', async () => {
    const cases: Array<[(m: ModelManifest) => void, RegExp]> = [
      [(m) => (m.config.maxChars = 100_000), /"maxChars" must be a whole number from 1 to 64, found the number 100000/],
      [(m) => (m.config.vocabSize = 1e9), /"vocabSize" must be a whole number/],
      [(m) => (m.config.hidden = 1.5), /"hidden" must be a whole number from 1 to \d+, found the number 1\.5/],
      [
        (m) => delete (m.config as unknown as Record<string, unknown>).wordDim,
        /"wordDim" must be a whole number from 1 to \d+, found nothing/,
      ],
      [
        (m) => ((m.config as unknown as Record<string, unknown>).cell = 'rnn'),
        /"cell" must be "lstm", "gru" or "tcn", found the string "rnn"/,
      ],
      [
        (m) => ((m.config as unknown as Record<string, unknown>).residual = 'yes'),
        /"residual" must be true or false, found the string "yes"/,
      ],
      [(m) => (m.config.labels = ['PARTY', '<img src=x>']), /"<img src=x>" is not a valid label/],
      [(m) => (m.config.labels = ['PARTY', 'PARTY']), /listed twice/],
      [(m) => (m.config.tags = [...m.config.tags].reverse()), /"tags" must be the BILOU tags/],
      [(m) => ((m as unknown as Record<string, unknown>).format = 7), /model format 7 is not supported/],
      [(m) => (m.files = { 'weights.bin': { bytes: 1, sha256: 'nope' } }), /"files"."weights.bin" must be/],
    ];
    for (const [edit, message] of cases) {
      const dir = await savedModel();
      await editManifest(dir, edit);
      await refused(dir, message);
    }
    const dir = await savedModel();
    await fs.writeFile(path.join(dir, 'model.json'), '{"format": 1, "config": ');
    await refused(dir, /model\.json: not valid JSON/);
  });

  test('files that are not regular files: a FIFO model.json or weights.bin does not hang the load', async () => {
    const dir = await savedModel();
    await fs.rm(path.join(dir, 'weights.bin'));
    assert.equal(spawnSync('mkfifo', [path.join(dir, 'weights.bin')]).status, 0);
    await refused(dir, /weights\.bin: this is a named pipe/);
    const dir2 = await savedModel();
    await fs.rm(path.join(dir2, 'model.json'));
    await fs.mkdir(path.join(dir2, 'model.json'));
    await refused(dir2, /model\.json: this is a directory/);
  });

  test('a folder saved before hashes still loads, with the checks that need none', async () => {
    const dir = await savedModel();
    await withoutHashes(dir);
    const model = await loadModel(dir);
    assert.deepEqual(model.config, tinyModel().config);
    // without model.onnx too: it can be rebuilt from the weights
    await fs.rm(onnxPath(dir));
    await loadModel(dir);
  });
});

describe('hashes for existing folders', () => {
  test('recordModelHashes changes model.json only; the other files stay byte for byte', async () => {
    const dir = await savedModel();
    await withoutHashes(dir);
    const before = await Promise.all(
      ['weights.bin', 'vocab.json', 'model.onnx'].map((f) => fs.readFile(path.join(dir, f))),
    );
    const written = await recordModelHashes(dir);
    const after = await Promise.all(
      ['weights.bin', 'vocab.json', 'model.onnx'].map((f) => fs.readFile(path.join(dir, f))),
    );
    assert.deepEqual(after, before);
    assert.deepEqual((await manifestOf(dir)).files, written);
    await loadModel(dir);
  });

  test('writeModelOnnx rewrites model.onnx and its hash together', async () => {
    const dir = await savedModel(1);
    await fs.copyFile(onnxPath(await savedModel(2)), onnxPath(dir));
    await refused(dir, /model\.onnx does not match/);
    await writeModelOnnx(dir, await loadModel(dir).catch(() => loadWithoutOnnx(dir)));
    await loadModel(dir);
  });
});

/** The model of a folder whose model.onnx is wrong: load it without that file. */
async function loadWithoutOnnx(dir: string) {
  const copy = await temp.file('copy');
  await fs.cp(dir, copy, { recursive: true });
  await fs.rm(onnxPath(copy));
  return loadModel(copy);
}
