// A model directory: model.json (architecture, vocabularies' sizes, training record),
// vocab.json, weights.bin (all weights, float32 little-endian, in the order model.json lists)
// and model.onnx (the emission graph for onnxruntime).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RulePolicy } from '../rules/policy';
import { featureDim, sizeOf, weightShapes, type ModelConfig, type Weights } from './architecture';
import { isKnownFeatureSet } from '../text/line-features';
import { Vocabulary, type VocabularyData } from './vocabulary';
import { writeFileAtomic } from '../io/files';
import { exportOnnx } from './onnx-export';

/**
 * model.json's `format`: 1 for models that read tokens only, 2 for models that also read line
 * and page features (an engine that predates them refuses such a model by its format instead of
 * failing on a weight shape). A model is written in the lowest format that holds it.
 */
export const FORMAT_VERSION = 2;
const READABLE_FORMATS = [1, 2];

export function formatOf(config: ModelConfig): number {
  return featureDim(config) > 0 ? 2 : 1;
}

export interface ModelInfo {
  name: string;
  version: string;
  created: string;
  /** free-form training record: data counts, epochs, dev scores */
  training?: Record<string, unknown>;
  /** labels the rule-based annotators decide at tagging time (combine.ts) */
  rules?: RulePolicy;
  /**
   * Added to the emission score of each tag of a label before decoding: moves that label's
   * precision / recall operating point (the default model's is chosen on dev, see its card).
   */
  labelBias?: Record<string, number>;
  /**
   * Per label, what an entity pays to run on across a line break (subtracted from the score of
   * continuing it on the next line's first token): labels that rarely cross lines stay within
   * one unless the network is confident. Absent or 0: free to cross (an address).
   */
  lineBreakPenalty?: Record<string, number>;
}

export interface ModelManifest extends ModelInfo {
  format: number;
  config: ModelConfig;
  weights: { name: string; shape: number[] }[];
}

export interface TrainedModel {
  info: ModelInfo;
  config: ModelConfig;
  vocab: Vocabulary;
  weights: Weights;
}

/**
 * Writes the model into a fresh sibling folder and swaps it in with renames, so a crash
 * leaves either the old model or the new one, never a mix of their files.
 */
export async function saveModel(dir: string, model: TrainedModel): Promise<void> {
  const shapes = weightShapes(model.config);
  const names = Object.keys(shapes);
  let total = 0;
  for (const n of names) total += sizeOf(shapes[n]);
  const all = new Float32Array(total);
  let at = 0;
  for (const n of names) {
    const w = model.weights[n];
    if (!w || w.length !== sizeOf(shapes[n])) throw new Error(`weight ${n} is missing or has the wrong size`);
    all.set(w, at);
    at += w.length;
  }
  const manifest: ModelManifest = {
    format: formatOf(model.config),
    ...model.info,
    config: model.config,
    weights: names.map((name) => ({ name, shape: shapes[name] })),
  };
  const target = path.resolve(dir);
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const partial = `${target}.partial-${tag}`;
  const previous = `${target}.previous-${tag}`;
  await fs.mkdir(partial, { recursive: true });
  try {
    await writeFileAtomic(path.join(partial, 'vocab.json'), JSON.stringify(model.vocab.toJSON()));
    await writeFileAtomic(path.join(partial, 'weights.bin'), new Uint8Array(all.buffer));
    await writeFileAtomic(path.join(partial, 'model.onnx'), exportOnnx(model.config, model.weights));
    await writeFileAtomic(path.join(partial, 'model.json'), JSON.stringify(manifest, null, 2) + '\n');
    // files other than the model's own (a model card, say) move to the new version
    for (const extra of await listExtras(target))
      await fs.copyFile(path.join(target, extra), path.join(partial, extra));
    let hadOld = true;
    try {
      await fs.rename(target, previous);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      hadOld = false;
    }
    await fs.rename(partial, target);
    if (hadOld) await fs.rm(previous, { recursive: true, force: true });
  } catch (e) {
    await fs.rm(partial, { recursive: true, force: true });
    throw e;
  }
}

const MODEL_FILES = new Set(['model.json', 'vocab.json', 'weights.bin', 'model.onnx']);

async function listExtras(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile() && !MODEL_FILES.has(e.name)).map((e) => e.name);
  } catch {
    return [];
  }
}

export async function loadModel(dir: string): Promise<TrainedModel> {
  const manifestPath = path.join(dir, 'model.json');
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as ModelManifest;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new Error(`${dir} is not an Entity Lens model (no model.json)`);
    throw new Error(`${manifestPath} could not be read: ${err.message}`);
  }
  if (!READABLE_FORMATS.includes(manifest.format)) {
    throw new Error(
      `${manifestPath}: model format ${manifest.format} is not supported (this version reads ${READABLE_FORMATS.join(' and ')})`,
    );
  }
  if (manifest.config?.features !== undefined && !isKnownFeatureSet(manifest.config.features)) {
    throw new Error(
      `${manifestPath}: the model reads line features "${String(manifest.config.features)}", unknown here`,
    );
  }
  const vocab = new Vocabulary(JSON.parse(await fs.readFile(path.join(dir, 'vocab.json'), 'utf8')) as VocabularyData);
  const buf = await fs.readFile(path.join(dir, 'weights.bin'));
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const expected = weightShapes(manifest.config);
  const weights: Weights = {};
  let at = 0;
  for (const { name, shape } of manifest.weights) {
    const n = sizeOf(shape);
    if (!expected[name] || sizeOf(expected[name]) !== n)
      throw new Error(`${dir}: weight ${name} does not match the architecture`);
    if (at + n > floats.length) throw new Error(`${dir}: weights.bin is truncated`);
    weights[name] = floats.subarray(at, at + n);
    at += n;
  }
  for (const name of Object.keys(expected)) if (!weights[name]) throw new Error(`${dir}: weight ${name} is missing`);
  const { format: _format, config, weights: _list, ...info } = manifest;
  return { info, config, vocab, weights };
}

export function onnxPath(dir: string): string {
  return path.join(dir, 'model.onnx');
}
