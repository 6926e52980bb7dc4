// `npm run reference:default`: writes the default model's reference set (models/default/
// reference.jsonl: whole documents it never trained on, for the promotion rule) and rehearsal set
// (rehearsal.jsonl: a sample of its own training windows, for fine-tuning) from ../shared/data,
// with fixed seeds, and records both files' hashes in model.json. Neither may pass MAX_BYTES.
import * as path from 'node:path';
import {
  type AnnotatedDocument,
  defaultModelDir,
  errorMessage,
  recordDataFiles,
  REFERENCE_FILE,
  toJsonl,
  writeFileAtomic,
} from '../model';
import { contractBlocks, CUAD_COMPLETE, invoices, readCuad, RULE_COMPLETE, withSilver } from './default-data';
import { CONTRACT_BLOCKS, INVOICES, KEEP_EMPTY, SEED, WINDOW_TOKENS } from './default-recipe';
import { referenceRecords, rehearsalRecords } from './reference-data';

const MAX_BYTES = 3 * 1024 * 1024;
/** the training data's generated documents use SEED, the dev set's SEED + 1 */
const REFERENCE_SEED = SEED + 2;
const REFERENCE_CONTRACTS = 60;
const REFERENCE_INVOICES = 120;
const REHEARSAL_WINDOWS = 3000;
const REHEARSAL_FILE = 'rehearsal.jsonl';

async function write(dir: string, name: string, docs: AnnotatedDocument[]): Promise<void> {
  const text = toJsonl(docs);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_BYTES) throw new Error(`${name} would be ${bytes} bytes, more than ${MAX_BYTES}`);
  await writeFileAtomic(path.join(dir, name), text);
  const spans = docs.reduce((n, d) => n + d.spans.length, 0);
  console.log(`${name}: ${docs.length} records, ${spans} gold spans, ${(bytes / 1024).toFixed(0)} KB`);
}

async function main(): Promise<void> {
  const dir = defaultModelDir();
  const reference = referenceRecords(await readCuad('dev'), {
    contracts: REFERENCE_CONTRACTS,
    invoices: REFERENCE_INVOICES,
    seed: REFERENCE_SEED,
  });
  // the default recipe's training documents (default-recipe.ts recipeData)
  const contracts = (await readCuad('train')).map((d) => withSilver(d, [...CUAD_COMPLETE, ...RULE_COMPLETE]));
  const generated = [...invoices(INVOICES, SEED), ...contractBlocks(CONTRACT_BLOCKS, SEED)];
  const trainingTexts = new Set([...contracts, ...generated].map((d) => d.text));
  const overlap = reference.filter((d) => trainingTexts.has(d.text));
  if (overlap.length > 0)
    throw new Error(`${overlap.length} reference documents are training documents (${overlap[0].id})`);
  const rehearsal = rehearsalRecords(contracts, generated, REHEARSAL_WINDOWS, {
    maxTokens: WINDOW_TOKENS,
    keepEmpty: KEEP_EMPTY,
    seed: REFERENCE_SEED,
  });
  await write(dir, REFERENCE_FILE, reference);
  await write(dir, REHEARSAL_FILE, rehearsal);
  await recordDataFiles(dir);
  console.log(`recorded both files' sizes and hashes in ${path.join(dir, 'model.json')}`);
}

main().catch((e) => {
  console.error(`reference:default failed: ${errorMessage(e)}`);
  process.exit(1);
});
