// The reference set a model ships with (`reference.jsonl` beside model.json): whole documents
// of the model's own domains, each record's `complete` and `judged` saying exactly which labels
// are exhaustive there. A retrained model is scored on it next to the current one, so a model
// that forgot what it knew is not promoted (learning/promotion.ts). The file is recorded in
// model.json by hash and checked when read; the default model's is written by
// `npm run reference:default`.
import * as path from 'node:path';
import type { AnnotatedDocument } from '../core/types';
import { InputError } from '../io/files';
import { parseJsonlRecord } from '../io/jsonl';
import { readDataFile, type DataFile } from '../nn/model-folder';

export const REFERENCE_FILE = 'reference.jsonl';

/** The reference set beside a model ([] when the folder has none); an InputError names a damaged file. */
export async function loadReferenceSet(modelDir: string): Promise<AnnotatedDocument[]> {
  return loadModelDataSet(modelDir, REFERENCE_FILE);
}

/**
 * The records of a data file of a model folder (readDataFile checks it against model.json).
 * Every line must be a whole, valid record: a line the JSONL reader would repair (overlapping
 * spans) is refused too, since the file is not what was written.
 */
export async function loadModelDataSet(modelDir: string, name: DataFile): Promise<AnnotatedDocument[]> {
  const bytes = await readDataFile(modelDir, name);
  if (bytes === null) return [];
  const file = path.join(modelDir, name);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${modelDir}: ${name} is not valid UTF-8; the file is damaged.`, file);
  }
  const docs: AnnotatedDocument[] = [];
  const ids = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    const doc = parseJsonlRecord(line, i + 1, file, (problem) => {
      throw new InputError(`${where}: ${problem}; the file is damaged.`, file, i + 1);
    });
    if (ids.has(doc.id)) {
      throw new InputError(`${where}: the id "${doc.id}" is used twice; the file is damaged.`, file, i + 1);
    }
    ids.add(doc.id);
    docs.push(doc);
  });
  return docs;
}
