// The field chooser: a small log-linear model per kind of document and field over the
// candidates' features (features.ts). For a field with one value the candidates and "no value"
// compete in a softmax: the chosen value is the one whose mentions hold the most probability,
// unless "no value" holds more. For a field with several values (the parties of a contract)
// each candidate is kept or not by a logistic score. Weights are named, so the file that ships
// with a model (field-chooser.json) stays small and readable, and a user's corrections can
// fine-tune it (training.ts).
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../io/files';
import { defaultModelDir } from '../io/paths';
import { modelIdentity, type ModelIdentity } from '../nn/model-identity';
import type { Candidate } from './candidates';
import type { Features } from './features';
import type { KnownVendor } from './vendors';

export const CHOOSER_FILE = 'field-chooser.json';
const FORMAT = 'entity-lens-field-chooser';

/** The weights of one field of one kind of document. */
export interface FieldWeights {
  weights: Record<string, number>;
  /** the score of "no value" (single-valued fields) */
  none: number;
  /** several values: a logistic keep-or-drop per candidate instead of one softmax */
  multi?: boolean;
  /**
   * the probability a value needs to be kept, tuned on held-out documents for F1; without it a
   * single value needs more than "no value", and one of several values 0.5
   */
  threshold?: number;
  /** several values: keep at least `count` of them when they reach `threshold` (a contract has two parties) */
  floor?: { count: number; threshold: number };
}

export interface ChooserData {
  format: typeof FORMAT;
  version: 1;
  /** how it was trained (data, sizes, options), for the model card */
  trained?: Record<string, unknown>;
  /** by `<kind>.<field>` */
  fields: Record<string, FieldWeights>;
  /** sellers and addresses filed before, whose near misreadings are filed as known (vendors.ts) */
  vendors?: KnownVendor[];
}

export interface Scored {
  candidate: Candidate;
  /** single-valued: the candidate's softmax share; multi-valued: its keep probability */
  probability: number;
}

export const chooserKey = (kind: string, field: string): string => `${kind}.${field}`;

export function scoreCandidate(w: FieldWeights, f: Features): number {
  let s = 0;
  for (const [k, v] of f) {
    const x = w.weights[k];
    if (x !== undefined) s += x * v;
  }
  return s;
}

export class FieldChooser {
  constructor(readonly data: ChooserData) {}

  static empty(): FieldChooser {
    return new FieldChooser({ format: FORMAT, version: 1, fields: {} });
  }

  weights(kind: string, field: string): FieldWeights | undefined {
    return this.data.fields[chooserKey(kind, field)];
  }

  /**
   * Candidates with their probabilities, best first, and the probability of "no value" (0 for
   * multi-valued fields). Undefined when the chooser has no weights for the field.
   */
  rank(kind: string, field: string, candidates: readonly Candidate[]): { ranked: Scored[]; none: number } | undefined {
    const w = this.weights(kind, field);
    if (!w) return undefined;
    const scores = candidates.map((c) => scoreCandidate(w, c.features));
    if (w.multi) {
      const ranked = candidates.map((candidate, i) => ({ candidate, probability: 1 / (1 + Math.exp(-scores[i])) }));
      return { ranked: ranked.sort((a, b) => b.probability - a.probability), none: 0 };
    }
    const max = Math.max(w.none, ...scores);
    const exp = scores.map((s) => Math.exp(s - max));
    const noneExp = Math.exp(w.none - max);
    const z = noneExp + exp.reduce((a, b) => a + b, 0);
    const ranked = candidates.map((candidate, i) => ({ candidate, probability: exp[i] / z }));
    return { ranked: ranked.sort((a, b) => b.probability - a.probability), none: noneExp / z };
  }

  toJSON(): ChooserData {
    return this.data;
  }

  /** Checks a parsed field-chooser.json; throws an InputError naming what is wrong. */
  static fromJSON(raw: unknown, where = CHOOSER_FILE): FieldChooser {
    const bad = (what: string) => new InputError(`${where}: ${what}.`);
    if (typeof raw !== 'object' || raw === null) throw bad('not a field chooser (not an object)');
    const d = raw as Partial<ChooserData>;
    if (d.format !== FORMAT) throw bad(`not a field chooser (format is not "${FORMAT}")`);
    if (d.version !== 1) throw bad(`version ${String(d.version)} is not supported (1 is)`);
    if (typeof d.fields !== 'object' || d.fields === null) throw bad('"fields" must be an object');
    for (const [key, w] of Object.entries(d.fields)) {
      if (!/^[a-z]+\.[A-Za-z][\w]*$/.test(key)) throw bad(`"${key}" is not <kind>.<field>`);
      if (typeof w !== 'object' || w === null || typeof w.none !== 'number' || typeof w.weights !== 'object')
        throw bad(`fields["${key}"] needs "weights" and "none"`);
      for (const [f, x] of Object.entries(w.weights))
        if (typeof x !== 'number' || !Number.isFinite(x)) throw bad(`fields["${key}"].weights["${f}"] is not a number`);
    }
    if (d.vendors !== undefined) {
      if (!Array.isArray(d.vendors)) throw bad('"vendors" must be a list');
      d.vendors.forEach((v, i) => {
        const ok = (x: unknown) => x === undefined || typeof x === 'string';
        if (typeof v !== 'object' || v === null || !ok(v.seller) || !ok(v.address))
          throw bad(`vendors[${i}] must be {"seller", "address"} strings`);
      });
    }
    return new FieldChooser(d as ChooserData);
  }
}

/** The chooser shipped in a model folder, or undefined when the folder has none. */
export async function loadFieldChooser(modelDir: string): Promise<FieldChooser | undefined> {
  const file = path.join(modelDir, CHOOSER_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseChooser(text, file);
}

/**
 * A chooser file (a model's, or a workspace's `.entity-lens/field-chooser.json` as training
 * writes it); an InputError naming the file when it cannot be read or is not a chooser.
 */
export async function loadFieldChooserFile(file: string): Promise<FieldChooser> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (e as Error).message;
    throw new InputError(`${file}: cannot read the field chooser (${why}).`, file);
  }
  return parseChooser(text, file);
}

function parseChooser(text: string, file: string): FieldChooser {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]}).`, file);
  }
  return FieldChooser.fromJSON(raw, file);
}

/** The chooser file a model folder's fields use: its own, else the default model's; undefined when neither exists. */
export async function chooserFileFor(modelDir: string): Promise<string | undefined> {
  for (const dir of [modelDir, defaultModelDir()]) {
    const file = path.join(dir, CHOOSER_FILE);
    const present = await fsp.stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (present) return file;
  }
  return undefined;
}

/**
 * The identity of fields made with a model folder: the tagger's files and the chooser that picks
 * the values (`chooserFile`, else the folder's) and the corrections used with it, so fields chosen
 * by another chooser (a retrained one) or corrected anew carry another hash.
 */
export async function fieldsModelIdentity(
  modelDir: string,
  chooserFile?: string,
  correctionsFile?: string,
): Promise<ModelIdentity> {
  const chooser = chooserFile ?? (await chooserFileFor(modelDir));
  return modelIdentity(modelDir, [...(chooser ? [chooser] : []), ...(correctionsFile ? [correctionsFile] : [])]);
}
