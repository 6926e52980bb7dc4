// The data of the embedded default model, read from ../shared/data (never copied into the
// repository): CUAD contracts with gold PARTY/DATE/DURATION/JURISDICTION, completed by
// rule-made "silver" spans for the labels CUAD leaves unlabelled, plus invoices from the
// project's own generator. Gold and silver stay apart: silver lives in `silver`.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { annotate, type AnnotatedDocument, packageRoot, readJsonl } from '../model';
import { generateInvoices } from './synthetic-invoices';
import { CONTRACT_LABELS, generateContracts } from './synthetic-contracts';

export const DEFAULT_LABELS = [
  'PARTY',
  'DATE',
  'AMOUNT',
  'PERCENT',
  'DURATION',
  'JURISDICTION',
  'ADDRESS',
  'IBAN',
  'BIC',
  'INVOICE_ID',
  'TAX_ID',
];

/** CUAD annotates every party-name occurrence and the governing-law clause; nothing else fully. */
export const CUAD_COMPLETE = ['PARTY', 'JURISDICTION'];
/**
 * Labels the rules find essentially all of in contracts (rare there, regular in form): the
 * contracts count as complete for them, so their unlabelled text teaches "not an IBAN" rather
 * than nothing. Dates, durations and amounts stay open: the model should find what rules miss.
 */
export const RULE_COMPLETE = ['PERCENT', 'IBAN', 'BIC', 'INVOICE_ID', 'TAX_ID'];
/** labels the rules annotate on contract text (JURISDICTION has gold in CUAD) */
export const SILVER_LABELS = ['DATE', 'AMOUNT', 'PERCENT', 'DURATION', 'IBAN', 'BIC', 'INVOICE_ID', 'TAX_ID'];
/** labels whose gold is incomplete in the evaluation sets: recall is scored, precision is not */
export const CUAD_RECALL_ONLY = DEFAULT_LABELS.filter((l) => !CUAD_COMPLETE.includes(l));

export function dataDir(): string {
  const dir = process.env.ENTITY_LENS_DATA ?? path.resolve(packageRoot(), '..', 'shared', 'data');
  if (!fs.existsSync(path.join(dir, 'cuad.jsonl'))) {
    throw new Error(`CUAD data not found in ${dir} (set ENTITY_LENS_DATA to the folder holding cuad.jsonl)`);
  }
  return dir;
}

export async function readCuad(split: 'train' | 'dev' | 'test'): Promise<AnnotatedDocument[]> {
  const { docs } = await readJsonl(path.join(dataDir(), 'cuad.jsonl'));
  return docs.filter((d) => d.split === split);
}

export async function readSroie(): Promise<AnnotatedDocument[]> {
  return (await readJsonl(path.join(dataDir(), 'sroie-dev.jsonl'))).docs;
}

/**
 * SROIE has only a dev split. Decoding choices made on receipts are tuned on a fixed part of it
 * chosen by a hash of the id ('tune', about 40 %) and reported on the rest ('report'): the same
 * hash and share as the field chooser's split (its 'fit' part is this 'tune' part).
 */
export function sroiePart(id: string): 'tune' | 'report' {
  const h = createHash('sha256').update(`sroie-fields:${id}`).digest();
  return h[0] < 0.4 * 256 ? 'tune' : 'report';
}

/** Gold kept as is; silver spans from the rules where they do not overlap gold. */
export function withSilver(doc: AnnotatedDocument, complete: string[]): AnnotatedDocument {
  const silver = annotate(doc.text, SILVER_LABELS).filter(
    (s) => !doc.spans.some((g) => g.start < s.end && s.start < g.end),
  );
  return { ...doc, complete, silver };
}

export function invoices(count: number, seed: number): AnnotatedDocument[] {
  return generateInvoices(count, seed);
}

/**
 * Generated contract passages (preambles, notice and signature blocks): PARTY and ADDRESS are
 * complete, the rules' silver spans stand for the rest, as in CUAD.
 */
export function contractBlocks(count: number, seed: number, split = 'train'): AnnotatedDocument[] {
  return generateContracts(count, seed, { split }).map((d) => withSilver(d, [...CONTRACT_LABELS, ...RULE_COMPLETE]));
}
