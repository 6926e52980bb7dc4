// Shared by `npm run train:fields` and `npm run eval:fields`: the corpora with the default
// tagger's entities, the examples the chooser learns from, the naive picker it is compared
// with, and scoring a chooser on a set of documents.
import {
  chooserKey,
  type DocumentFields,
  type DocumentKind,
  type Entity,
  extractFields,
  FieldChooser,
  type FieldExample,
  type FieldScore,
  fieldsFor,
  type FieldsConfig,
  fitFieldWeights,
  type FieldTrainingSet,
  type FieldWeights,
  scoreFields,
  Tagger,
} from '../model';
import {
  type FieldDocument,
  type PhotoDocument,
  readCuadFields,
  readCuadPdfs,
  readSroieFields,
  readSroiePhotos,
  syntheticFieldDocuments,
  taggedEntities,
} from './fields-data';

/** Generated invoices and receipts the invoice fields learn from (their own seed, not the tagger's). */
export const SYNTHETIC_COUNT = 600;
export const SYNTHETIC_SEED = 20261207;

export const ITERATIONS = 300;

/** Field types whose label says what the value is: an IBAN is the IBAN wherever it is printed. */
const EXACT_TYPES = new Set(['iban', 'bic', 'identifier']);
/** "No value" for a field the data never fills (a receipt's buyer or due date). */
const NEVER: FieldWeights = { weights: {}, none: 20 };

/** The weights of each field of the training sets, fitted with the L2 penalty `l2`. */
export function fit(sets: FieldTrainingSet[], l2: number): Record<string, FieldWeights> {
  const out: Record<string, FieldWeights> = {};
  for (const s of sets) {
    const key = chooserKey(s.kind, s.field);
    if (s.choices.some((c) => c.right.some(Boolean)))
      out[key] = fitFieldWeights(s, { l2, iterations: ITERATIONS, minCount: 3, prune: 0.005 });
    // a field the data never fills: an exact one (a receipt's IBAN) is left to its fixed pick,
    // another (a receipt's buyer: the first party is its seller) is not given
    else if (!EXACT_TYPES.has(s.type)) out[key] = NEVER;
  }
  return out;
}

export const chooserOf = (fields: Record<string, FieldWeights>, trained?: Record<string, unknown>): FieldChooser =>
  new FieldChooser({ format: 'entity-lens-field-chooser', version: 1, ...(trained ? { trained } : {}), fields });

export interface Corpora {
  cuad: FieldDocument[];
  sroie: FieldDocument[];
  synthetic: FieldDocument[];
  entities: Map<string, Entity[]>;
}

/** Every corpus with the entities the model in `modelDir` finds in it (cached per model). */
export async function loadCorpora(modelDir: string, log: (m: string) => void, withSynthetic = true): Promise<Corpora> {
  const tagger = await Tagger.load(modelDir);
  try {
    const cuad = await readCuadFields(['train', 'dev', 'test']);
    const sroie = await readSroieFields();
    const synthetic = withSynthetic ? syntheticFieldDocuments(SYNTHETIC_COUNT, SYNTHETIC_SEED) : [];
    const entities = new Map<string, Entity[]>();
    for (const [name, docs] of [
      ['cuad', cuad],
      ['sroie', sroie],
      [`synthetic-${SYNTHETIC_SEED}`, synthetic],
    ] as const) {
      for (const [id, e] of await taggedEntities(docs, tagger, modelDir, name, log)) entities.set(id, e);
    }
    return { cuad, sroie, synthetic, entities };
  } finally {
    await tagger.dispose();
  }
}

export function examplesOf(docs: readonly FieldDocument[], entities: Map<string, Entity[]>): FieldExample[] {
  return docs.map((d) => ({
    id: d.id,
    text: d.text,
    kind: d.kind,
    entities: entities.get(d.id),
    answers: d.answers,
    layout: d.layout,
  }));
}

/**
 * The receipts among `docs` that have a photo, read from it (readSroiePhotos) and tagged by the
 * model in `modelDir` (cached like the corpora): the input the CLI and the editor get from a
 * photographed receipt.
 */
export async function loadPhotos(
  docs: readonly FieldDocument[],
  modelDir: string,
  log: (m: string) => void,
): Promise<{ photos: PhotoDocument[]; entities: Map<string, Entity[]> }> {
  const photos = await readSroiePhotos(docs, log);
  if (photos.length === 0) return { photos, entities: new Map() };
  const tagger = await Tagger.load(modelDir);
  try {
    return { photos, entities: await taggedEntities(photos, tagger, modelDir, 'sroie-photos', log) };
  } finally {
    await tagger.dispose();
  }
}

/**
 * The contracts among `docs` read from the PDF files scripts/cuad-pdfs.mjs made of them
 * (readCuadPdfs) and tagged by the model in `modelDir` (cached like the corpora): the input the
 * held-out contracts are scored from. Undefined when the PDFs were not made.
 */
export async function loadCuadPdfs(
  docs: readonly FieldDocument[],
  modelDir: string,
  corpus: string,
  log: (m: string) => void,
): Promise<{ pdfs: FieldDocument[]; entities: Map<string, Entity[]> } | undefined> {
  const pdfs = await readCuadPdfs(docs, log);
  if (!pdfs) return undefined;
  const tagger = await Tagger.load(modelDir);
  try {
    return { pdfs, entities: await taggedEntities(pdfs, tagger, modelDir, corpus, log) };
  } finally {
    await tagger.dispose();
  }
}

/**
 * The simplest picker one can write on top of `tag`, as a fields.json: the first date, every
 * party name, the first duration, the first governing-law place, the largest amount; on
 * receipts the first seller name and address the tagger found.
 */
export const NAIVE: FieldsConfig = {
  contract: {
    parties: { pick: 'all' },
    agreement_date: { pick: 'first' },
    effective_date: { pick: 'first' },
    expiration_date: { pick: 'first' },
    term: { pick: 'first' },
    renewal_term: { pick: 'first' },
    notice_period: { pick: 'first' },
    governing_law: { pick: 'first' },
  },
  receipt: {
    seller: { pick: 'first' },
    seller_address: { pick: 'first' },
    date: { pick: 'first' },
    total: { pick: 'largest' },
  },
};

/**
 * Fields of each document by the chooser (or, without one, by `config`'s fixed picks). `detect`:
 * the kind is detected from the text, as users get it, instead of taken from the corpus.
 */
export function extractAll(
  docs: readonly FieldDocument[],
  entities: Map<string, Entity[]>,
  chooser: FieldChooser | undefined,
  config?: FieldsConfig,
  detect = false,
): DocumentFields[] {
  return docs.map((d) =>
    extractFields(d.text, {
      kind: detect ? undefined : d.kind,
      entities: entities.get(d.id),
      chooser,
      config,
      layout: d.layout,
    }),
  );
}

/** Per-field scores of extracted fields against the documents' answers, on `fields` of `kind`. */
export function scoreOn(
  docs: readonly FieldDocument[],
  found: readonly DocumentFields[],
  kind: DocumentKind,
  fields: readonly string[],
): FieldScore[] {
  const specs = fieldsFor(kind).filter((s) => fields.includes(s.name));
  // the naive picker lists "all" parties: a field scored as multi-valued when its schema says so
  return scoreFields(
    docs.map((d, i) => ({ fields: found[i].fields, answers: d.answers })),
    specs.map((s) => ({ name: s.name, type: s.type, multi: s.max > 1 })),
  );
}

export const CUAD_SCORED = [
  'parties',
  'agreement_date',
  'effective_date',
  'expiration_date',
  'governing_law',
  'renewal_term',
  'notice_period',
];
export const SROIE_SCORED = ['seller', 'seller_address', 'date', 'total'];

export const fmt = (x: number): string => x.toFixed(3);

/** A score table: field, support, P/R/F1, unnormalisable, and a baseline's F1 beside it. */
export function scoreTable(scores: FieldScore[], baseline?: FieldScore[], baselineName = 'naive'): string[] {
  const lines = [
    `| field | support | P | R | F1 | not normalisable |${baseline ? ` ${baselineName} F1 |` : ''}`,
    `|---|---|---|---|---|---|${baseline ? '---|' : ''}`,
  ];
  for (const s of scores) {
    const b = baseline?.find((x) => x.field === s.field);
    lines.push(
      `| ${s.field} | ${s.support} | ${fmt(s.precision)} | ${fmt(s.recall)} | ${fmt(s.f1)} | ${s.unnormalisable} |${b ? ` ${fmt(b.f1)} |` : ''}`,
    );
  }
  return lines;
}
