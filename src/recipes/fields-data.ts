// The data of the field chooser, read from ../shared/data (never copied into the repository):
// CUAD contracts with the annotators' field answers (cuad-fields.jsonl) and SROIE receipts
// with their task-3 values (sroie-dev-fields.jsonl), each paired with the entities the default
// tagger finds in it. Tagging 500 contracts takes minutes, so the entities are cached in
// out/fields-cache/, keyed by a hash of the model's weights and of the running script (a new
// model or new tagging code tags again).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  addDuration,
  type AnnotatedDocument,
  cleanPartyName,
  decimalString,
  type DocumentKind,
  type Entity,
  extractDocument,
  type FieldAnswer,
  type FieldAnswers,
  governingLawName,
  normalizeAmount,
  normalizeDuration,
  normalizePercent,
  OcrEngine,
  packageRoot,
  readJsonl,
  type Tagger,
  type TextLayout,
} from '../model';
import { dataDir, readSroie, sroiePart as sroieTaggerPart } from './default-data';
import { generateInvoiceRecord } from './synthetic-invoices';

/** A document of a field corpus: its text, its split, the annotators' answers. */
export interface FieldDocument {
  id: string;
  text: string;
  kind: DocumentKind;
  split: string;
  answers: FieldAnswers;
  /** the page layout, for a document read from a PDF or a photo */
  layout?: TextLayout;
}

/** The contract fields CUAD answers; a field it leaves out of a record has no value there. */
const CUAD_FIELDS = [
  'parties',
  'agreement_date',
  'effective_date',
  'expiration_date',
  'governing_law',
  'renewal_term',
  'notice_period',
];

/** A duration answer: "30 days", "successive 1 year", "180 days / 6 months" (either), "perpetual" (none). */
function durationAnswers(answer: string): FieldAnswer[] {
  const values = answer
    .split(/\s*(?:\/|;|\bor\b)\s*/)
    .map((a) => normalizeDuration(a))
    .filter((v): v is string => v !== undefined);
  return values.length ? [...new Set(values)].map((value) => ({ value })) : [{ unnormalisable: answer }];
}

/** A party answer: the name, or unnormalisable when it is a placeholder ("[]", "[* * *]"). */
function partyAnswer(answer: string): FieldAnswer {
  const name = cleanPartyName(answer);
  return /\p{L}{2}/u.test(name) ? { value: name } : { unnormalisable: answer };
}

/** cuad-fields.jsonl's record as answers by field name. */
export function cuadAnswers(fields: Record<string, unknown>): FieldAnswers {
  const out: FieldAnswers = {};
  for (const name of CUAD_FIELDS) {
    const raw = fields[name];
    if (raw === undefined || raw === null) {
      out[name] = [];
      continue;
    }
    if (name === 'parties') {
      out[name] = (raw as string[]).map(partyAnswer);
      continue;
    }
    const { value, answer } = raw as { value?: string; answer?: string };
    if (name.endsWith('_date')) out[name] = [value ? { value } : { unnormalisable: answer ?? '' }];
    else if (name === 'governing_law') {
      const law = governingLawName(answer ?? '');
      out[name] = [law ? { value: law } : { unnormalisable: answer ?? '' }];
    } else out[name] = durationAnswers(answer ?? '');
  }
  const term = termAnswers(out);
  if (term) out.term = term;
  return out;
}

/**
 * The contract's term, which CUAD does not answer, from what it does: the duration that, added
 * to the start date (effective, else agreement), gives the annotators' expiration date within a
 * day ("five (5) years" and "60 months" alike). No term where CUAD has no expiration date or
 * calls it perpetual; unknown where the expiration is a date no whole number of months from
 * the start, or a blank template's, or there is no start date.
 */
export function termAnswers(answers: FieldAnswers): FieldAnswer[] | undefined {
  const exp = answers.expiration_date?.[0];
  if (!exp) return [];
  if (exp.value === undefined) return /perpetual/i.test(exp.unnormalisable ?? '') ? [] : undefined;
  const start = answers.effective_date?.[0]?.value ?? answers.agreement_date?.[0]?.value;
  if (!start) return undefined;
  const days = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 86_400_000;
  for (let months = 1; months <= 600; months++) {
    const end = addDuration(start, `P${months}M`);
    if (!end || Math.abs(days(end, exp.value)) > 1) continue;
    const out = [{ value: `P${months}M` }];
    if (months % 12 === 0) out.push({ value: `P${months / 12}Y` });
    return out;
  }
  return undefined;
}

/** sroie-dev-fields.jsonl's values as answers, compared as printed (SROIE task 3). */
export function sroieAnswers(fields: Record<string, string>): FieldAnswers {
  const out: FieldAnswers = {};
  const map: [string, string][] = [
    ['company', 'seller'],
    ['address', 'seller_address'],
    ['date', 'date'],
    ['total', 'total'],
  ];
  for (const [from, to] of map) if (typeof fields[from] === 'string') out[to] = [{ text: fields[from] }];
  return out;
}

/** The SROIE task-3 fields under the names the receipt schema gives them. */
export const SROIE_FIELDS = ['seller', 'seller_address', 'date', 'total'];

/**
 * Generated invoices and receipts (src/recipes/synthetic-invoices.ts) with every field the
 * generator wrote as an answer; a field it did not write has no value. Used to train the
 * invoice fields no public data covers (subtotal, tax, rate, due date, bank details).
 */
export function syntheticFieldDocuments(count: number, seed: number): FieldDocument[] {
  const all = [
    'seller',
    'seller_address',
    'buyer',
    'buyer_address',
    'invoice_number',
    'date',
    'due_date',
    'subtotal',
    'tax',
    'tax_rate',
    'total',
    'iban',
    'bic',
    'tax_id',
  ];
  return Array.from({ length: count }, (_, i) => {
    const r = generateInvoiceRecord(seed, i, { fieldVariety: true });
    const kind: DocumentKind = r.layout === 'receipt' ? 'receipt' : 'invoice';
    const answers: FieldAnswers = {};
    for (const name of all) {
      const written = r.fields[name];
      if (written === undefined) {
        // not printed in this document: the field has no value there
        answers[name] = [];
        continue;
      }
      if (name === 'subtotal' || name === 'tax' || name === 'total') {
        const a = normalizeAmount(written);
        answers[name] = [a ? { value: decimalString(a) } : { text: written }];
      } else if (name === 'tax_rate') {
        const p = normalizePercent(written);
        answers[name] = [p !== undefined ? { value: String(Math.round(p * 1e6) / 1e6) } : { text: written }];
      } else answers[name] = [{ text: written }];
    }
    return { id: r.document.id, text: r.document.text, kind, split: 'train', answers };
  });
}

function readJsonLines(file: string): unknown[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/** CUAD contracts of `splits` with their field answers (cuad-fields.jsonl), in file order. */
export async function readCuadFields(splits: readonly string[]): Promise<FieldDocument[]> {
  const answers = new Map<string, { split: string; fields: unknown }>();
  for (const row of readJsonLines(path.join(dataDir(), 'cuad-fields.jsonl')) as {
    id: string;
    split: string;
    fields: unknown;
  }[]) {
    answers.set(row.id, row);
  }
  const { docs } = await readJsonl(path.join(dataDir(), 'cuad.jsonl'));
  const out: FieldDocument[] = [];
  for (const d of docs) {
    const a = answers.get(d.id);
    if (!a || !splits.includes(a.split)) continue;
    out.push({
      id: d.id,
      text: d.text,
      kind: 'contract',
      split: a.split,
      answers: cuadAnswers(a.fields as Record<string, unknown>),
    });
  }
  return out;
}

/**
 * SROIE's 307 dev receipts with their task-3 values. SROIE is evaluation data: the chooser may
 * be fitted on a fixed part of it (`sroieFitPart`), and is scored on the rest.
 */
export async function readSroieFields(): Promise<FieldDocument[]> {
  const values = new Map<string, unknown>();
  for (const row of readJsonLines(path.join(dataDir(), 'sroie-dev-fields.jsonl')) as { id: string; fields: unknown }[])
    values.set(row.id, row.fields);
  const docs: AnnotatedDocument[] = await readSroie();
  return docs
    .filter((d) => values.has(d.id))
    .map((d) => ({
      id: d.id,
      text: d.text,
      kind: 'receipt' as const,
      split: sroiePart(d.id),
      answers: sroieAnswers(values.get(d.id) as Record<string, string>),
    }));
}

/**
 * The fixed split of the SROIE receipts: 'fit' (about 40 %, chosen by a hash of the id) may
 * train the chooser, 'eval' is scored. Fixed before any score was looked at; it is the default
 * model's split too (default-data.ts: its 'tune' part is this 'fit' part).
 */
export function sroiePart(id: string): 'fit' | 'eval' {
  return sroieTaggerPart(id) === 'tune' ? 'fit' : 'eval';
}

/**
 * The cache key of a model's entities: a hash of its weights and of the running script, whose
 * bundle holds the tagging code (the rules, the policy, name lending): a change to either tags
 * again.
 */
function modelKey(modelDir: string): string {
  const h = createHash('sha256');
  for (const name of ['model.json', 'weights.bin']) h.update(fs.readFileSync(path.join(modelDir, name)));
  const script = process.argv[1];
  if (script && fs.existsSync(script)) h.update(fs.readFileSync(script));
  return h.digest('hex').slice(0, 16);
}

/** Entities of each document as the tagger finds them, cached per model and corpus. */
export async function taggedEntities(
  docs: readonly FieldDocument[],
  tagger: Tagger,
  modelDir: string,
  corpus: string,
  log: (message: string) => void = () => undefined,
): Promise<Map<string, Entity[]>> {
  const dir = path.join(packageRoot(), 'out', 'fields-cache', modelKey(modelDir));
  const file = path.join(dir, `${corpus}.jsonl`);
  // keyed by id and a hash of the text, so that a document whose text changed is tagged again
  const key = (d: FieldDocument) => `${d.id}#${createHash('sha1').update(d.text).digest('hex').slice(0, 12)}`;
  const cache = new Map<string, Entity[]>();
  if (fs.existsSync(file)) {
    for (const row of readJsonLines(file) as { key?: string; entities: Entity[] }[])
      if (row.key) cache.set(row.key, row.entities);
  }
  const missing = docs.filter((d) => !cache.has(key(d)));
  if (missing.length) {
    fs.mkdirSync(dir, { recursive: true });
    const t0 = Date.now();
    for (const [i, d] of missing.entries()) {
      const entities = await tagger.tag(d.text);
      cache.set(key(d), entities);
      fs.appendFileSync(file, `${JSON.stringify({ key: key(d), entities })}\n`);
      if ((i + 1) % 25 === 0) log(`  tagged ${i + 1}/${missing.length} ${corpus} documents`);
    }
    log(`tagged ${missing.length} ${corpus} documents in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  return new Map(docs.map((d) => [d.id, cache.get(key(d)) ?? []]));
}

/** Where the recipes cache what intake read of the photos and PDFs (by content hash). */
function intakeCacheDir(): string {
  return path.join(packageRoot(), 'out', 'fields-cache', 'intake');
}

/** A receipt read from its photo: its OCR text and the page layout intake gives with it. */
export interface PhotoDocument extends FieldDocument {
  layout: TextLayout;
}

/**
 * The receipts among `docs` whose photo is in ../shared/data/sroie-dev-img (`sroie:NNN` is
 * `NNN.jpg`), read as the CLI and the editor read them: intake's OCR, cached by the photo's
 * hash in out/fields-cache/intake. The answers stay the annotators'. Empty without the folder.
 */
export async function readSroiePhotos(
  docs: readonly FieldDocument[],
  log: (message: string) => void = () => undefined,
): Promise<PhotoDocument[]> {
  const dir = path.join(dataDir(), 'sroie-dev-img');
  if (!fs.existsSync(dir)) return [];
  const cacheDir = intakeCacheDir();
  const ocr = new OcrEngine();
  const out: PhotoDocument[] = [];
  const t0 = Date.now();
  try {
    for (const d of docs) {
      const file = path.join(dir, `${d.id.replace(/^sroie:/, '')}.jpg`);
      if (!fs.existsSync(file)) continue;
      const read = await extractDocument(file, { ocr, cacheDir });
      out.push({ ...d, text: read.text, layout: read.layout });
      if (out.length % 25 === 0) log(`  read ${out.length} receipt photos`);
    }
  } finally {
    await ocr.terminate();
  }
  log(`read ${out.length} receipt photos in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return out;
}

/**
 * The contracts among `docs` as read from the PDF files scripts/cuad-pdfs.mjs made of them
 * (out/cuad-pdf/SPLIT/, index.json naming each file's contract), through intake as the CLI and
 * the editor read a PDF, cached like the photos; undefined when the files were not made.
 */
export async function readCuadPdfs(
  docs: readonly FieldDocument[],
  log: (message: string) => void = () => undefined,
): Promise<FieldDocument[] | undefined> {
  const splits = [...new Set(docs.map((d) => d.split))];
  const byId = new Map(docs.map((d) => [d.id, d]));
  const out: FieldDocument[] = [];
  const cacheDir = intakeCacheDir();
  const t0 = Date.now();
  for (const split of splits) {
    const dir = path.join(packageRoot(), 'out', 'cuad-pdf', String(split));
    const indexFile = path.join(dir, 'index.json');
    if (!fs.existsSync(indexFile)) return undefined;
    const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { id: string; file: string }[];
    for (const { id, file } of index) {
      const d = byId.get(id);
      if (!d) continue;
      const read = await extractDocument(path.join(dir, file), { cacheDir });
      out.push({ ...d, text: read.text, layout: read.layout });
    }
  }
  log(`read ${out.length} contract PDFs in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return out;
}
