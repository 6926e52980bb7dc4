// A model directory: model.json (architecture, vocabularies' sizes, training record, and the
// size and SHA-256 of each other file), vocab.json, weights.bin (all weights, float32
// little-endian, in the order model.json lists) and model.onnx (the emission graph for
// onnxruntime).
//
// Saving writes a fresh sibling folder and swaps it in with two renames, holding the folder's
// lock (`DIR.lock`). A crash between the renames leaves the old model in `DIR.previous-*`: the
// next save or load puts it back, and removes the `.partial-*` / `.previous-*` folders of saves
// that died, so the path always holds a loadable model once one was saved. Loading checks the
// folder before anything runs: each file against its hash, or — in folders saved before hashes
// — the sizes against the architecture and model.onnx's weights against weights.bin. Data files
// a model may carry (the reference and rehearsal sets) are recorded by hash in the same list
// and checked when they are read (readDataFile); a save carries them and their records over.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import {
  configProblem,
  featureDim,
  sizeOf,
  weightCount,
  weightShapes,
  type ModelConfig,
  type Weights,
} from './architecture';
import { Vocabulary, type VocabularyData } from './vocabulary';
import type { ModelInfo, TrainedModel } from './trained-model';

export type { ModelInfo, TrainedModel } from './trained-model';
import { errorCode, InputError, openForReading, syncDirectory, writeFileAtomic } from '../io/files';
import { withFileLock } from '../io/lock';
import { exportEnsembleOnnx, exportOnnx, onnxProblem } from './onnx-export';
import { combineMembers, ensembleProblem, ENSEMBLE_LIMITS } from './ensemble';

/**
 * model.json's `format`: 1 for models that read tokens only, 2 for models that also read line
 * and page features (an engine that predates them refuses such a model by its format instead of
 * failing on a weight shape). A model is written in the lowest format that holds it.
 */
export const FORMAT_VERSION = 2;
const READABLE_FORMATS: unknown[] = [1, 2];

export function formatOf(config: ModelConfig): number {
  return featureDim(config) > 0 ? 2 : 1;
}

/** The files of a model folder that model.json records by size and content hash. */
export const HASHED_FILES = ['weights.bin', 'vocab.json', 'model.onnx'] as const;
export type HashedFile = (typeof HASHED_FILES)[number];

/** Data files a model folder may carry beside the model: recorded in model.json's "files" too. */
export const DATA_FILES = ['reference.jsonl', 'rehearsal.jsonl'] as const;
export type DataFile = (typeof DATA_FILES)[number];
/** a data file beyond this size is not a model's (the default's are kept under 3 MB) */
const MAX_DATA_BYTES = 64 * 1024 * 1024;

export interface FileDigest {
  bytes: number;
  sha256: string;
}

export interface ModelManifest extends ModelInfo {
  format: number;
  config: ModelConfig;
  weights: { name: string; shape: number[] }[];
  /** size and SHA-256 of each file, written at save; absent in folders saved before them */
  files?: Partial<Record<HashedFile | DataFile, FileDigest>>;
}

/** model.json's `format` for an ensemble folder (nn/ensemble.ts): engines before it refuse it by format. */
export const ENSEMBLE_FORMAT = 3;

export interface EnsembleMemberRecord {
  /** `member-N`, a model folder inside the ensemble's */
  folder: string;
  /** SHA-256 of that folder's model.json (which records its other files' hashes) */
  sha256: string;
}

export interface EnsembleManifest extends ModelInfo {
  format: typeof ENSEMBLE_FORMAT;
  kind: 'ensemble';
  /** the first member's config: the labels, tags and inputs of the whole */
  config: ModelConfig;
  members: EnsembleMemberRecord[];
  files?: Partial<Record<HashedFile, FileDigest>>;
}

/** model.json and vocab.json beyond these sizes are not a model's (the default's: 5 KB, 150 KB). */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const MAX_VOCAB_BYTES = 512 * 1024 * 1024;
/** an ONNX file holds the weights once plus a small graph */
const onnxLimit = (weightBytes: number) => weightBytes + 64 * 1024 * 1024;

export function digest(bytes: Uint8Array): FileDigest {
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function weightBytes(config: ModelConfig, weights: Weights): Uint8Array {
  const shapes = weightShapes(config);
  const names = Object.keys(shapes);
  const all = new Float32Array(weightCount(config));
  let at = 0;
  for (const n of names) {
    const w = weights[n];
    if (!w || w.length !== sizeOf(shapes[n])) throw new Error(`weight ${n} is missing or has the wrong size`);
    all.set(w, at);
    at += w.length;
  }
  return new Uint8Array(all.buffer);
}

/** The files of one model folder (model.json last): member folders of an ensemble carry no model.onnx. */
function folderFiles(model: TrainedModel, withOnnx: boolean): Array<[string, Uint8Array | string]> {
  const files: Partial<Record<HashedFile, Uint8Array>> = {
    'vocab.json': Buffer.from(JSON.stringify(model.vocab.toJSON()), 'utf8'),
    'weights.bin': weightBytes(model.config, model.weights),
  };
  if (withOnnx) files['model.onnx'] = exportOnnx(model.config, model.weights);
  const manifest: ModelManifest = {
    format: formatOf(model.config),
    ...withoutManifestFields(model.info),
    config: model.config,
    weights: Object.entries(weightShapes(model.config)).map(([name, shape]) => ({ name, shape })),
    files: Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, digest(bytes)])),
  };
  return [...Object.entries(files), ['model.json', JSON.stringify(manifest, null, 2) + '\n']];
}

/** The folder a scoped model keeps its base model in (ModelInfo.scope). */
export const SCOPE_BASE_FOLDER = 'base';

/**
 * The files of a scoped model's folder: its base as a model folder in `base/`, then its own
 * files, model.json last, recording the base's model.json by its hash.
 */
function scopedFiles(model: TrainedModel): Array<[string, Uint8Array | string]> {
  const base = model.base as TrainedModel;
  const scope = model.info.scope;
  if (!scope) throw new Error('a model with a base needs a scope');
  if (base.base || base.members) throw new Error("a scoped model's base must be a plain model");
  const baseFiles = folderFiles(base, true).map(([name, bytes]): [string, Uint8Array | string] => [
    `${SCOPE_BASE_FOLDER}/${name}`,
    bytes,
  ]);
  const baseManifest = baseFiles[baseFiles.length - 1][1];
  const info = { ...model.info, scope: { ...scope, base: digest(Buffer.from(baseManifest)).sha256 } };
  return [...baseFiles, ...folderFiles({ ...model, info, base: undefined }, true)];
}

/**
 * The files of an ensemble folder: `member-N/` (model.json, vocab.json, weights.bin: a model
 * folder each, without model.onnx), then the shared vocab.json, model.onnx (one graph that
 * averages the members' emissions) and model.json (format 3, kind "ensemble", each member's
 * model.json by its hash).
 */
function ensembleFiles(model: TrainedModel): Array<[string, Uint8Array | string]> {
  const members = model.members as TrainedModel[];
  const out: Array<[string, Uint8Array | string]> = [];
  const records: EnsembleMemberRecord[] = [];
  members.forEach((m, i) => {
    const folder = `member-${i}`;
    for (const [name, bytes] of folderFiles({ ...m, vocab: model.vocab }, false)) {
      out.push([`${folder}/${name}`, bytes]);
      if (name === 'model.json') records.push({ folder, sha256: digest(Buffer.from(bytes)).sha256 });
    }
  });
  const vocab = Buffer.from(JSON.stringify(model.vocab.toJSON()), 'utf8');
  const onnxBytes = exportEnsembleOnnx(members);
  const manifest: EnsembleManifest = {
    format: ENSEMBLE_FORMAT,
    kind: 'ensemble',
    ...withoutManifestFields(model.info),
    config: model.config,
    members: records,
    files: { 'vocab.json': digest(vocab), 'model.onnx': digest(onnxBytes) },
  };
  out.push(['vocab.json', vocab], ['model.onnx', onnxBytes]);
  out.push(['model.json', JSON.stringify(manifest, null, 2) + '\n']);
  return out;
}

/**
 * Writes the model into a fresh sibling folder and swaps it in with renames, so a crash
 * leaves either the old model or the new one at `dir` (restored by the next save or load),
 * never a mix of their files. Resolves once the new model is in place and on disk.
 */
export async function saveModel(dir: string, model: TrainedModel): Promise<void> {
  const problem = configProblem(model.config);
  if (problem) throw new InputError(`${dir}: cannot save this model: ${problem}.`, dir);
  if (model.members && model.base) throw new InputError(`${dir}: an ensemble cannot be a scoped model.`, dir);
  const files = model.members ? ensembleFiles(model) : model.base ? scopedFiles(model) : folderFiles(model, true);
  const target = path.resolve(dir);
  // the lock file and the sibling folders live beside the model: its parent must exist
  await fs.mkdir(path.dirname(target), { recursive: true });
  await withFileLock(target, async () => {
    await tidyModelFolder(target);
    const tag = `${process.pid}-${Date.now().toString(36)}`;
    const partial = `${target}.partial-${tag}`;
    const previous = `${target}.previous-${tag}`;
    await fs.mkdir(partial, { recursive: true });
    try {
      // model.json last: a folder with it is complete
      for (const [name, bytes] of files) {
        await fs.mkdir(path.dirname(path.join(partial, name)), { recursive: true });
        await writeFileAtomic(path.join(partial, name), bytes);
      }
      // files other than the model's own (a model card, say) move to the new version; the
      // records of the data files among them too, so they are still checked there
      const extras = await listExtras(target);
      for (const extra of extras) await fs.copyFile(path.join(target, extra), path.join(partial, extra));
      const carried = await dataRecords(target, extras);
      if (Object.keys(carried).length > 0) await recordDigests(partial, carried);
      let hadOld = true;
      try {
        await fs.rename(target, previous);
      } catch (e) {
        if (errorCode(e) !== 'ENOENT') throw e;
        hadOld = false;
      }
      await fs.rename(partial, target);
      await syncDirectory(path.dirname(target));
      if (hadOld) await fs.rm(previous, { recursive: true, force: true });
    } catch (e) {
      await fs.rm(partial, { recursive: true, force: true });
      throw e;
    }
  });
}

/** ModelInfo without the fields saveModel writes itself (a loaded model's info may carry them). */
function withoutManifestFields(info: ModelInfo): ModelInfo {
  const {
    format: _f,
    config: _c,
    weights: _w,
    files: _h,
    kind: _k,
    members: _m,
    ...rest
  } = info as ModelInfo & Partial<ModelManifest> & Partial<EnsembleManifest>;
  return rest;
}

const MODEL_FILES = new Set(['model.json', ...HASHED_FILES]);

async function listExtras(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile() && !MODEL_FILES.has(e.name)).map((e) => e.name);
  } catch {
    return [];
  }
}

/** `DIR.partial-*` and `DIR.previous-*` beside `dir`, newest first by the time in their name. */
async function leftovers(target: string): Promise<{ partial: string[]; previous: string[] }> {
  const base = path.basename(target);
  let names: string[];
  try {
    names = await fs.readdir(path.dirname(target));
  } catch {
    return { partial: [], previous: [] };
  }
  const time = (name: string) => parseInt(name.slice(name.lastIndexOf('-') + 1), 36) || 0;
  const pick = (kind: string) =>
    names
      .filter((n) => n.startsWith(`${base}.${kind}-`))
      .sort((a, b) => time(b) - time(a))
      .map((n) => path.join(path.dirname(target), n));
  return { partial: pick('partial'), previous: pick('previous') };
}

/**
 * Finishes what an interrupted save left (call while holding the folder's lock): when `dir` is
 * missing, the newest complete `DIR.previous-*` becomes `dir` again; then every `.partial-*`
 * and `.previous-*` folder of `dir` is removed. Returns whether it restored a model.
 */
async function tidyModelFolder(target: string): Promise<boolean> {
  const { partial, previous } = await leftovers(target);
  if (partial.length === 0 && previous.length === 0) return false;
  let restored = false;
  if (!(await exists(target))) {
    for (const candidate of previous) {
      if (!(await exists(path.join(candidate, 'model.json')))) continue;
      await fs.rename(candidate, target);
      await syncDirectory(path.dirname(target));
      restored = true;
      break;
    }
  }
  for (const leftover of [...partial, ...previous]) {
    if (leftover !== target) await fs.rm(leftover, { recursive: true, force: true });
  }
  return restored;
}

/**
 * Puts a model folder back in order after a save that died: restores `dir` from its newest
 * `DIR.previous-*` when `dir` is missing and removes leftovers, under the folder's lock.
 * Returns whether a model was restored. loadModel calls it first, saveModel as it starts.
 */
export async function recoverModelFolder(dir: string): Promise<boolean> {
  const target = path.resolve(dir);
  const { partial, previous } = await leftovers(target);
  if (partial.length === 0 && previous.length === 0) return false;
  return withFileLock(target, () => tidyModelFolder(target));
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/** Reads one file of a model folder: a regular file of at most `maxBytes`, else an InputError. */
async function readModelFile(dir: string, name: string, maxBytes: number): Promise<Buffer> {
  const file = path.join(dir, name);
  let fh: FileHandle;
  try {
    fh = await openForReading(file);
  } catch (e) {
    if (e instanceof InputError && /no such file/.test(e.message)) {
      throw new InputError(
        `${dir}: ${name} is missing; a model folder holds model.json, vocab.json, weights.bin and model.onnx.`,
        file,
        undefined,
        { cause: e },
      );
    }
    throw e;
  }
  try {
    const size = (await fh.stat()).size;
    if (size > maxBytes) {
      throw new InputError(`${dir}: ${name} is ${size} bytes, more than a model's (at most ${maxBytes}).`, file);
    }
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** Refuses a file whose size or content hash differs from what model.json recorded. */
function checkDigest(
  dir: string,
  name: HashedFile | DataFile,
  bytes: Uint8Array,
  expected: FileDigest | undefined,
): void {
  if (!expected) return;
  const actual = digest(bytes);
  if (actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256) {
    throw new InputError(
      `${dir}: ${name} does not match model.json (${actual.bytes !== expected.bytes ? `${actual.bytes} bytes, recorded ${expected.bytes}` : 'its content hash differs'}); ` +
        `the file was changed or comes from another model.`,
      path.join(dir, name),
    );
  }
}

function parseDigests(raw: unknown): Partial<Record<HashedFile, FileDigest>> | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('"files" must be an object');
  const out: Partial<Record<HashedFile, FileDigest>> = {};
  for (const name of HASHED_FILES) {
    const d = (raw as Record<string, unknown>)[name] as Partial<FileDigest> | undefined;
    if (d === undefined) continue;
    if (
      typeof d !== 'object' ||
      d === null ||
      typeof d.bytes !== 'number' ||
      typeof d.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(d.sha256)
    ) {
      throw new Error(`"files"."${name}" must be {"bytes", "sha256"}`);
    }
    out[name] = { bytes: d.bytes, sha256: d.sha256 };
  }
  return out;
}

function parseVocabulary(dir: string, bytes: Buffer, config: ModelConfig): Vocabulary {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new InputError(
      `${dir}: vocab.json is not valid JSON (${(e as Error).message}).`,
      path.join(dir, 'vocab.json'),
    );
  }
  const v = data as Partial<Record<keyof VocabularyData, unknown>>;
  const lists: Array<[keyof VocabularyData, number]> = [
    ['words', config.vocabSize],
    ['shapes', config.shapeCount],
    ['chars', config.charCount],
  ];
  for (const [key, size] of lists) {
    const list = v?.[key];
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string') || list.length !== size) {
      throw new InputError(
        `${dir}: vocab.json does not fit model.json ("${key}" should be a list of ${size} strings); ` +
          'the files come from different models.',
        path.join(dir, 'vocab.json'),
      );
    }
  }
  return new Vocabulary(data as VocabularyData);
}

/**
 * Loads a model folder, checking it before anything runs: model.json's architecture within
 * bounds and its labels valid; each file a regular file; weights.bin exactly the size the
 * architecture needs; vocab.json's lists the sizes model.json names; each file's hash when
 * model.json records one, and otherwise model.onnx's weights against weights.bin. Every
 * problem is an InputError naming the folder and the file.
 */
export async function loadModel(dir: string): Promise<TrainedModel> {
  const manifestPath = path.join(dir, 'model.json');
  // a save that died leaves DIR.partial-* or, between its two renames, the model in
  // DIR.previous-*: put it back and tidy up (a read-only or busy folder is read as it is)
  await recoverModelFolder(dir).catch(() => false);
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readModelFile(dir, 'model.json', MAX_MANIFEST_BYTES);
  } catch (e) {
    if (!(e instanceof InputError && /is missing/.test(e.message))) throw e;
    throw new InputError(`${dir} is not an Entity Lens model (no model.json).`, manifestPath, undefined, { cause: e });
  }
  const bad = (why: string) => new InputError(`${manifestPath}: ${why}.`, manifestPath);
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as ModelManifest;
  } catch (e) {
    throw bad(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw bad('not a JSON object');
  if ((manifest as { kind?: unknown }).kind === 'ensemble') {
    return loadEnsemble(dir, manifest as unknown as EnsembleManifest, bad);
  }
  if (!READABLE_FORMATS.includes(manifest.format)) {
    throw bad(
      `model format ${JSON.stringify(manifest.format)} is not supported (this version reads ${READABLE_FORMATS.join(' and ')})`,
    );
  }
  const problem = configProblem(manifest.config);
  if (problem) throw bad(problem);
  const labelMap = (v: unknown): boolean =>
    v === undefined ||
    (typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      Object.entries(v).every(
        ([label, x]) => manifest.config.labels.includes(label) && typeof x === 'number' && Number.isFinite(x),
      ));
  if (!labelMap(manifest.labelBias)) throw bad('"labelBias" must map labels of the model to numbers');
  if (!labelMap(manifest.lineBreakPenalty)) throw bad('"lineBreakPenalty" must map labels of the model to numbers');
  let digests: Partial<Record<HashedFile, FileDigest>> | undefined;
  try {
    digests = parseDigests(manifest.files);
  } catch (e) {
    throw bad((e as Error).message);
  }
  const config = manifest.config;
  const expected = weightShapes(config);
  if (
    !Array.isArray(manifest.weights) ||
    manifest.weights.length !== Object.keys(expected).length ||
    manifest.weights.some(
      (w, i) =>
        w?.name !== Object.keys(expected)[i] ||
        !Array.isArray(w.shape) ||
        w.shape.join(',') !== expected[w.name].join(','),
    )
  ) {
    throw bad('its weight list does not match the architecture');
  }

  const vocabBytes = await readModelFile(dir, 'vocab.json', MAX_VOCAB_BYTES);
  checkDigest(dir, 'vocab.json', vocabBytes, digests?.['vocab.json']);
  const vocab = parseVocabulary(dir, vocabBytes, config);

  const needed = 4 * weightCount(config);
  const buf = await readModelFile(dir, 'weights.bin', needed);
  checkDigest(dir, 'weights.bin', buf, digests?.['weights.bin']);
  if (buf.length !== needed) {
    throw new InputError(
      `${dir}: weights.bin has ${buf.length} bytes, the architecture in model.json needs ${needed}; ` +
        'the file is cut off or comes from another model.',
      path.join(dir, 'weights.bin'),
    );
  }
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const weights: Weights = {};
  let at = 0;
  for (const [name, shape] of Object.entries(expected)) {
    const n = sizeOf(shape);
    weights[name] = floats.subarray(at, at + n);
    at += n;
  }

  // model.onnx is optional (it can be rebuilt from the weights), but if present it must be this model's
  const onnxFile = onnxPath(dir);
  if (await exists(onnxFile)) {
    const onnxBytes = await readModelFile(dir, 'model.onnx', onnxLimit(needed));
    if (digests?.['model.onnx']) checkDigest(dir, 'model.onnx', onnxBytes, digests['model.onnx']);
    else {
      const mismatch = onnxProblem(onnxBytes, config, weights);
      if (mismatch) {
        throw new InputError(
          `${dir}: model.onnx does not belong to this model (${mismatch}); rebuild it with \`entity-lens export --model ${dir}\`.`,
          onnxFile,
        );
      }
    }
  }
  const { format: _format, config: _config, weights: _list, files: _files, ...info } = manifest;
  if (info.scope === undefined) return { info, config, vocab, weights };
  return { info, config, vocab, weights, base: await loadScopeBase(dir, info.scope, config.labels, bad) };
}

/**
 * A scoped model's base from `base/`: model.json must be the one the scope records by hash,
 * and a plain model (not itself scoped, not an ensemble).
 */
async function loadScopeBase(
  dir: string,
  scope: unknown,
  labels: readonly string[],
  bad: (why: string) => InputError,
): Promise<TrainedModel> {
  const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((v) => typeof v === 'string');
  const s = scope as Partial<Record<string, unknown>> | null;
  if (
    typeof s !== 'object' ||
    s === null ||
    !strings(s.kinds) ||
    !strings(s.labels) ||
    typeof s.base !== 'string' ||
    !/^[0-9a-f]{64}$/.test(s.base)
  )
    throw bad('"scope" must be {"kinds": [...], "labels": [...], "base": SHA-256 of base/model.json}');
  const foreign = s.labels.filter((l) => !labels.includes(l));
  if (foreign.length) throw bad(`"scope" names labels the model does not have: ${foreign.join(', ')}`);
  if (s.takesOver !== undefined) {
    const t = s.takesOver as Partial<Record<string, unknown>> | null;
    if (typeof t !== 'object' || t === null || Array.isArray(t) || !Object.values(t).every(strings))
      throw bad('"scope.takesOver" must map a label to the base labels it replaces, e.g. {"LOCATION": ["ADDRESS"]}');
    const outside = Object.keys(t).filter((l) => !(s.labels as string[]).includes(l));
    if (outside.length) throw bad(`"scope.takesOver" names labels outside the scope: ${outside.join(', ')}`);
  }
  if (s.notLent !== undefined) {
    if (!strings(s.notLent)) throw bad('"scope.notLent" must be a list of the scope\'s labels');
    const outside = s.notLent.filter((l) => !(s.labels as string[]).includes(l));
    if (outside.length) throw bad(`"scope.notLent" names labels outside the scope: ${outside.join(', ')}`);
  }
  const baseDir = path.join(dir, SCOPE_BASE_FOLDER);
  const manifest = await readModelFile(baseDir, 'model.json', MAX_MANIFEST_BYTES);
  if (digest(manifest).sha256 !== s.base)
    throw bad(`${SCOPE_BASE_FOLDER}/model.json is not the base this model was tuned from (its SHA-256 differs)`);
  const base = await loadModel(baseDir);
  if (base.base || base.members) throw bad(`${SCOPE_BASE_FOLDER}/ must hold a plain model`);
  return base;
}

/**
 * Loads an ensemble folder: each listed `member-N` folder (its model.json against the hash the
 * ensemble records, then loaded and checked like any model folder, the shared vocab.json and
 * model.onnx against their hashes; members that could not be one ensemble are refused.
 */
async function loadEnsemble(
  dir: string,
  manifest: EnsembleManifest,
  bad: (why: string) => InputError,
): Promise<TrainedModel> {
  if (manifest.format !== ENSEMBLE_FORMAT || manifest.kind !== 'ensemble')
    throw bad(`an ensemble has "format": ${ENSEMBLE_FORMAT} and "kind": "ensemble"`);
  const records = manifest.members;
  if (
    !Array.isArray(records) ||
    records.length < ENSEMBLE_LIMITS.min ||
    records.length > ENSEMBLE_LIMITS.max ||
    records.some(
      (r, i) =>
        typeof r !== 'object' || r === null || r.folder !== `member-${i}` || !/^[0-9a-f]{64}$/.test(String(r.sha256)),
    )
  ) {
    throw bad(
      `"members" must list ${ENSEMBLE_LIMITS.min} to ${ENSEMBLE_LIMITS.max} folders member-0, member-1, ... with the SHA-256 of their model.json`,
    );
  }
  let digests: Partial<Record<HashedFile, FileDigest>> | undefined;
  try {
    digests = parseDigests(manifest.files);
  } catch (e) {
    throw bad((e as Error).message);
  }
  const members: TrainedModel[] = [];
  for (const r of records) {
    const memberDir = path.join(dir, r.folder);
    const json = await readModelFile(memberDir, 'model.json', MAX_MANIFEST_BYTES);
    if (digest(json).sha256 !== r.sha256) {
      throw new InputError(
        `${dir}: ${r.folder}/model.json does not match the ensemble's model.json; the member was changed or comes from another ensemble.`,
        path.join(memberDir, 'model.json'),
      );
    }
    const member = await loadModel(memberDir);
    if (member.members) throw bad(`${r.folder} is itself an ensemble`);
    members.push(member);
  }
  const vocabBytes = await readModelFile(dir, 'vocab.json', MAX_VOCAB_BYTES);
  checkDigest(dir, 'vocab.json', vocabBytes, digests?.['vocab.json']);
  const vocab = parseVocabulary(dir, vocabBytes, members[0].config);
  const shared = JSON.stringify(vocab.toJSON());
  members.forEach((m, i) => {
    if (JSON.stringify(m.vocab.toJSON()) !== shared)
      throw bad(`member-${i} has another vocabulary than the ensemble's vocab.json`);
    m.vocab = vocab;
  });
  const problem = ensembleProblem(
    members,
    records.map((r) => r.folder),
  );
  if (problem) throw bad(problem);
  const onnxFile = onnxPath(dir);
  if (await exists(onnxFile)) {
    const limit = members.reduce((n, m) => n + onnxLimit(4 * weightCount(m.config)), 0);
    const onnxBytes = await readModelFile(dir, 'model.onnx', limit);
    checkDigest(dir, 'model.onnx', onnxBytes, digests?.['model.onnx']);
  }
  const { format: _f, kind: _k, config: _c, members: _m, files: _h, ...info } = manifest;
  return combineMembers(members, info);
}

/**
 * Writes `dir/model.onnx` from the model's weights and records its hash in model.json (both
 * atomically, under the folder's lock): what `entity-lens export` does to a model folder.
 */
export async function writeModelOnnx(dir: string, model: TrainedModel): Promise<Uint8Array> {
  const bytes = model.members ? exportEnsembleOnnx(model.members) : exportOnnx(model.config, model.weights);
  await withFileLock(path.resolve(dir), async () => {
    await writeFileAtomic(onnxPath(dir), bytes);
    await recordDigests(dir, { 'model.onnx': digest(bytes) });
  });
  return bytes;
}

/**
 * Records the size and hash of weights.bin, vocab.json and model.onnx in model.json, leaving
 * every file but model.json untouched: for folders saved before hashes (the folder is loaded,
 * and so checked, first). Returns the digests written.
 */
export async function recordModelHashes(dir: string): Promise<Partial<Record<HashedFile, FileDigest>>> {
  await loadModel(dir);
  const found: Partial<Record<HashedFile, FileDigest>> = {};
  for (const name of HASHED_FILES) {
    const file = path.join(dir, name);
    if (await exists(file)) found[name] = digest(await fs.readFile(file));
  }
  await withFileLock(path.resolve(dir), () => recordDigests(dir, found));
  return found;
}

/** The data files' records in the model.json of `dir`, for those of `names` that are data files. */
async function dataRecords(dir: string, names: string[]): Promise<Partial<Record<DataFile, FileDigest>>> {
  let files: Record<string, FileDigest> | undefined;
  try {
    files = (JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as ModelManifest).files;
  } catch {
    return {};
  }
  const out: Partial<Record<DataFile, FileDigest>> = {};
  for (const name of DATA_FILES) if (names.includes(name) && files?.[name]) out[name] = files[name];
  return out;
}

/**
 * Records the size and hash of the data files present in `dir` (reference.jsonl,
 * rehearsal.jsonl) in model.json, under the folder's lock; the model is loaded, and so
 * checked, first. Returns the digests written.
 */
export async function recordDataFiles(dir: string): Promise<Partial<Record<DataFile, FileDigest>>> {
  await loadModel(dir);
  const found: Partial<Record<DataFile, FileDigest>> = {};
  for (const name of DATA_FILES) {
    const file = path.join(dir, name);
    if (await exists(file)) found[name] = digest(await fs.readFile(file));
  }
  await withFileLock(path.resolve(dir), () => recordDigests(dir, found));
  return found;
}

/**
 * A data file of a model folder, checked against the size and hash model.json records for it:
 * null when the folder has none; an InputError when it is missing although recorded, or
 * differs from the record. A file without a record (a folder from before) is read as it is.
 */
export async function readDataFile(dir: string, name: DataFile): Promise<Buffer | null> {
  const manifestPath = path.join(dir, 'model.json');
  let recorded: FileDigest | undefined;
  try {
    recorded = (JSON.parse(await fs.readFile(manifestPath, 'utf8')) as ModelManifest).files?.[name];
  } catch (e) {
    if (errorCode(e) !== 'ENOENT')
      throw new InputError(`${manifestPath}: not valid JSON (${(e as Error).message}).`, manifestPath);
  }
  if (
    recorded !== undefined &&
    !(typeof recorded?.bytes === 'number' && /^[0-9a-f]{64}$/.test(String(recorded?.sha256)))
  ) {
    throw new InputError(`${manifestPath}: "files"."${name}" must be {"bytes", "sha256"}.`, manifestPath);
  }
  if (!(await exists(path.join(dir, name)))) {
    if (!recorded) return null;
    throw new InputError(
      `${dir}: ${name} is missing, but model.json records it; the model folder is incomplete.`,
      path.join(dir, name),
    );
  }
  const bytes = await readModelFile(dir, name, MAX_DATA_BYTES);
  checkDigest(dir, name, bytes, recorded);
  return bytes;
}

async function recordDigests(dir: string, digests: Partial<Record<HashedFile | DataFile, FileDigest>>): Promise<void> {
  const manifestPath = path.join(dir, 'model.json');
  const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as ModelManifest;
  const files = { ...(manifest.files ?? {}), ...digests };
  // keep the key order: hashes go after the weight list
  const { files: _old, ...rest } = manifest;
  await writeFileAtomic(manifestPath, JSON.stringify({ ...rest, files }, null, 2) + '\n');
}

export function onnxPath(dir: string): string {
  return path.join(dir, 'model.onnx');
}
