// modelIdentity: name, version and one content hash of a model folder. The same files give the
// same hash; a changed weight, vocabulary or description gives another; hashes recorded in
// model.json are used instead of reading the files, and recording them does not change the hash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSha256, modelIdentity } from '../../../src/model/nn/model-identity';
import { CHOOSER_FILE, fieldsModelIdentity } from '../../../src/model/fields/chooser';
import { defaultModelDir } from '../../../src/model/io/paths';

let dir: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-identity-'));
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function copyModel(name: string): Promise<string> {
  const to = path.join(dir, name);
  await fs.cp(defaultModelDir(), to, { recursive: true });
  return to;
}

/** A copy without model.json's `files` record, so the identity reads the files' bytes. */
async function copyUnrecorded(name: string): Promise<string> {
  const to = await copyModel(name);
  const manifestPath = path.join(to, 'model.json');
  const { files: _files, ...manifest } = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
  await fs.writeFile(manifestPath, JSON.stringify(manifest));
  return to;
}

test('the default model: its name and version, and a hash that is the same for a copy', async () => {
  const id = await modelIdentity(defaultModelDir());
  const manifest = JSON.parse(await fs.readFile(path.join(defaultModelDir(), 'model.json'), 'utf8'));
  assert.equal(id.name, manifest.name);
  assert.equal(id.version, manifest.version);
  assert.match(id.hash, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(await modelIdentity(await copyModel('copy')), id);
});

test('one changed byte of the weights, the vocabulary or the description changes the hash', async () => {
  // (with a `files` record the recorded hashes stand for the files, and loading checks them)
  const base = (await modelIdentity(await copyUnrecorded('unrecorded'))).hash;
  assert.equal(base, (await modelIdentity(defaultModelDir())).hash, 'recording the hashes keeps the identity');
  const weights = await copyUnrecorded('weights');
  const bytes = await fs.readFile(path.join(weights, 'weights.bin'));
  bytes[100] ^= 1;
  await fs.writeFile(path.join(weights, 'weights.bin'), bytes);
  assert.notEqual((await modelIdentity(weights)).hash, base);

  const vocab = await copyUnrecorded('vocab');
  await fs.appendFile(path.join(vocab, 'vocab.json'), ' ');
  assert.notEqual((await modelIdentity(vocab)).hash, base);

  const described = await copyModel('described');
  const manifest = JSON.parse(await fs.readFile(path.join(described, 'model.json'), 'utf8'));
  await fs.writeFile(path.join(described, 'model.json'), JSON.stringify({ ...manifest, labelBias: {} }));
  assert.notEqual((await modelIdentity(described)).hash, base);
});

test('hashes recorded in model.json are used, and recording the true ones keeps the identity', async () => {
  const base = await modelIdentity(defaultModelDir());
  const recorded = await copyModel('recorded');
  const manifestPath = path.join(recorded, 'model.json');
  const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const name of ['weights.bin', 'vocab.json', 'model.onnx']) {
    const file = path.join(recorded, name);
    files[name] = { bytes: (await fs.stat(file)).size, sha256: await fileSha256(file) };
  }
  // pretty-printed differently and with the record: the same identity
  await fs.writeFile(manifestPath, JSON.stringify({ ...manifest, files }));
  assert.deepEqual(await modelIdentity(recorded), base);
  // a recorded hash is trusted (the files are not read again): a different one changes the identity
  files['weights.bin'] = { ...files['weights.bin'], sha256: 'f'.repeat(64) };
  await fs.writeFile(manifestPath, JSON.stringify({ ...manifest, files }));
  assert.notEqual((await modelIdentity(recorded)).hash, base.hash);
});

test('a folder without model.onnx has an identity; one without a readable model.json is an error', async () => {
  const noOnnx = await copyModel('no-onnx');
  await fs.rm(path.join(noOnnx, 'model.onnx'));
  assert.match((await modelIdentity(noOnnx)).hash, /^sha256:/);
  await assert.rejects(
    modelIdentity(path.join(dir, 'absent')),
    /model\.json: cannot read the model's name and version/,
  );
});

test("the fields' identity covers the field chooser: another chooser, another hash; the tagger's is unchanged", async () => {
  const tagger = await modelIdentity(defaultModelDir());
  const fields = await fieldsModelIdentity(defaultModelDir());
  assert.equal(fields.name, tagger.name);
  assert.equal(fields.version, tagger.version);
  assert.notEqual(fields.hash, tagger.hash, 'the chooser is part of what makes fields');
  // a folder without a chooser of its own uses the default model's: the same chooser, the same part
  const own = await copyModel('chooser');
  assert.equal((await fieldsModelIdentity(own)).hash, fields.hash);
  const chooser = JSON.parse(await fs.readFile(path.join(own, CHOOSER_FILE), 'utf8'));
  const [key] = Object.keys(chooser.fields);
  chooser.fields[key].none += 0.5;
  await fs.writeFile(path.join(own, CHOOSER_FILE), JSON.stringify(chooser));
  assert.notEqual((await fieldsModelIdentity(own)).hash, fields.hash, 'a retrained chooser');
  assert.equal((await modelIdentity(own)).hash, tagger.hash, "the tagger's identity does not read the chooser");
  const none = await copyModel('no-chooser');
  await fs.rm(path.join(none, CHOOSER_FILE));
  assert.equal((await fieldsModelIdentity(none)).hash, fields.hash, "without one, the default model's is used");
});
