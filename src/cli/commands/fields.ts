// `entity-lens fields FILE...`: the values a user files for each document — a contract's
// parties, dates, term and governing law; an invoice's or receipt's seller, numbers, dates and
// amounts — with the checks of those values against each other. A table per file, or one JSON
// object per line (--json), or CSV with one row per file (--csv). Files are read as `tag` reads
// them (the CLI's DocumentReader: text, PDFs and images), tagged with the model, and the fields
// chosen by the model's field chooser (the default model's when the folder has none), or by the
// one --chooser names: a workspace's, retrained from the corrections made in the editor.
// `fields --jsonl` runs on a document stream instead (stream/run.ts), with `fieldsStream` per
// record: one line of fields per record, on --workers N threads and in the queue's workers.
import * as fs from 'node:fs';
import {
  correctedVendors,
  defaultModelDir,
  DOCUMENT_KINDS,
  type DocumentFields,
  type DocumentKind,
  type ExtractedDocument,
  extractFields,
  type FieldChooser,
  type FieldCorrectionRecord,
  fieldsCsvColumns,
  fieldsCsvRow,
  fieldsJson,
  fieldsModelIdentity,
  type FieldsConfig,
  InputError,
  loadFieldChooser,
  loadFieldChooserFile,
  readFieldCorrections,
  parseFieldsConfig,
  type Runtime,
} from '../../model';
import {
  CliError,
  UsageError,
  errorText,
  printError,
  printWarning,
  type CommandSpec,
  type FlagSpec,
  type ParsedArgs,
} from '../args';
import { Cancelled, DOCUMENT_FLAGS, DocumentReader, documentOptions } from '../documents';
import { STDIN_NAME } from '../stdin';
import type { StreamCommand } from '../stream/records';
import { STREAM_FLAGS, checkStreamArgs, handlerOptions, runJsonlStream, workerCount } from '../stream/run';
import { displayText, openTagger } from './tag';

/** The flags of choosing fields (also those of `entity-lens worker --command fields`). */
export const FIELDS_FLAGS: Record<string, FlagSpec> = {
  kind: {
    kind: 'choice',
    choices: ['auto', ...DOCUMENT_KINDS],
    description: 'the kind of every document; auto detects it per document',
    default: 'auto',
  },
  fields: {
    kind: 'string',
    value: 'FILE',
    description: "a workspace's fields.json: fields changed, added or removed per kind",
  },
  model: { kind: 'string', value: 'DIR', description: 'model folder', default: 'the bundled models/default' },
  chooser: {
    kind: 'string',
    value: 'FILE',
    description:
      "the field chooser to choose values with: a workspace's .entity-lens/field-chooser.json, as Train Model " +
      'retrains it from the corrections made in the editor (with the vendors typed there)',
    default: "the model folder's field-chooser.json, else the default model's",
  },
  corrections: {
    kind: 'string',
    value: 'FILE',
    description:
      "a workspace's .entity-lens/field-corrections.jsonl: a document whose text is a corrected one's gets the " +
      "person's values, and the sellers and addresses typed there are known vendors (as the editor's export does)",
  },
  runtime: {
    kind: 'choice',
    choices: ['auto', 'onnx', 'tfjs'],
    description: 'inference runtime; auto uses onnxruntime and falls back to tfjs',
    default: 'auto',
  },
};

export const spec: CommandSpec = {
  name: 'fields',
  summary: 'Print the document fields of files (parties, dates, amounts...) and check their values.',
  synopsis:
    'fields FILE... [--json | --csv] [--kind auto|contract|invoice|receipt] [--fields FILE] [--model DIR]\n' +
    '       [--chooser FILE] [--corrections FILE]\n' +
    '       entity-lens fields --jsonl [--workers N] [options] < records.jsonl > fields.jsonl',
  description:
    'Contracts: parties, agreement_date, effective_date, expiration_date, term, renewal_term, notice_period,\n' +
    'governing_law. Invoices and receipts: seller, seller_address, buyer, buyer_address, invoice_number, date,\n' +
    'due_date, subtotal, tax, tax_rate, total, currency, iban, bic, tax_id. Values are normalised (ISO dates,\n' +
    'ISO 8601 durations, decimal amounts, place names); checks report sums, dates and bank details that do not\n' +
    'hold; an expiration date no mention states is computed from the effective date and the term\n' +
    '("derivedFrom"). --json prints one line per file:\n' +
    '{"file", "kind", "fields": {"<name>": [{"value", "text", "confidence", "start", "end", "page"?,\n' +
    ' "derivedFrom"?, "known"?, "corrected"?}]},\n' +
    ' "checks": [{"code", "severity", "message", "fields", "suggestion"?}]}\n' +
    '--csv prints a header and one row per file. Offsets are UTF-16 code units, end-exclusive.\n' +
    'FILE is plain text, a PDF or an image (read by OCR), as for `entity-lens tag`; "-" reads standard input.\n' +
    'Exit code 1 if any file could not be read (the others are still done), 2 for a bad model, chooser,\n' +
    'corrections or fields file,\n' +
    '130 when Ctrl-C cancelled.\n' +
    'With --jsonl, fields reads records {"id", "text"} or {"id", "path"} from standard input and writes one line\n' +
    'per record, in input order: {"id", "model": {"name", "version", "hash"}, "kind", "fields", "checks"} (the\n' +
    'hash covers the field chooser too), or\n' +
    '{"id", "model", "error"} for a record that could not be read. --workers N runs on N worker threads (each\n' +
    'loads the model once); the output is the same as with one.',
  positional: { name: 'FILE', min: 0 },
  flags: {
    json: { kind: 'boolean', description: 'print one JSON object per file and line' },
    csv: { kind: 'boolean', description: 'print CSV: a header, then one row per file' },
    ...FIELDS_FLAGS,
    ...DOCUMENT_FLAGS,
    ...STREAM_FLAGS,
  },
  examples: [
    'entity-lens fields contract.txt',
    'entity-lens fields --json nda.pdf receipt.jpg',
    'entity-lens fields --json invoices/*.txt > fields.jsonl',
    'entity-lens fields --csv --kind receipt receipts/*.txt > receipts.csv',
    'entity-lens fields --csv --chooser ~/ap/.entity-lens/field-chooser.json receipts/*.jpg > receipts.csv',
    'entity-lens fields --jsonl --workers 4 < records.jsonl > fields.jsonl',
  ],
};

/** A fields.json read and checked; its problems are warnings, an unreadable file an error. */
function readConfig(file: string): FieldsConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot read the fields file (${errorText(e)}).`, 2);
  }
  const { config, problems } = parseFieldsConfig(text);
  for (const p of problems) printWarning(`${file}: ${p}`);
  return config;
}

/** The chooser named with --chooser, else the model folder's, else the default model's. */
async function chooserFor(o: FieldsStreamOptions): Promise<FieldChooser | undefined> {
  try {
    if (o.chooserFile) return await loadFieldChooserFile(o.chooserFile);
    return (await loadFieldChooser(o.modelDir)) ?? (await loadFieldChooser(defaultModelDir()));
  } catch (e) {
    throw new CliError(e instanceof InputError ? errorText(e) : `${o.modelDir}: ${errorText(e)}`, 2);
  }
}

/** What a thread of `fields --jsonl` needs (plain data: worker threads get a copy). */
export interface FieldsStreamOptions {
  modelDir: string;
  /** the folder was named with --model (changes the message when it is missing) */
  explicitModel: boolean;
  runtime: Runtime;
  /** every document's kind; undefined: detected per document */
  kind?: DocumentKind;
  config: FieldsConfig;
  /** --chooser: a chooser file instead of the model folder's */
  chooserFile?: string;
  /** --corrections: the file, and its records (read once, in the main thread) */
  correctionsFile?: string;
  corrections: FieldCorrectionRecord[];
}

/** The options the fields flags ask for; reads (and warns about) the fields.json once. */
async function fieldsOptions(args: ParsedArgs): Promise<FieldsStreamOptions> {
  const kind = args.choice<'auto' | DocumentKind>('kind') ?? 'auto';
  const configFile = args.string('fields');
  const correctionsFile = args.string('corrections');
  return {
    modelDir: args.string('model') ?? defaultModelDir(),
    explicitModel: args.has('model'),
    runtime: args.choice<Runtime>('runtime') ?? 'auto',
    kind: kind === 'auto' ? undefined : kind,
    config: configFile ? readConfig(configFile) : {},
    chooserFile: args.string('chooser'),
    correctionsFile,
    corrections: correctionsFile ? await readCorrections(correctionsFile) : [],
  };
}

/**
 * A field corrections file's committed records (an editor appending to it meanwhile is not
 * half read); its unreadable lines are warnings, a missing or unreadable file an error.
 */
async function readCorrections(file: string): Promise<FieldCorrectionRecord[]> {
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a file');
    const { records, problems } = await readFieldCorrections(file);
    for (const p of problems) printWarning(p);
    return records;
  } catch (e) {
    throw new CliError(`${file}: cannot read the field corrections (${errorText(e)}).`, 2);
  }
}

/** A document's fields: tagged with the model, chosen by its chooser (the default model's when it has none). */
async function openFieldsExtractor(
  o: FieldsStreamOptions,
): Promise<{ extract(text: string, extracted?: ExtractedDocument): Promise<DocumentFields>; close(): Promise<void> }> {
  const chooser = await chooserFor(o);
  const tagger = await openTagger(o.modelDir, o.runtime, o.explicitModel);
  // as the editor's export: a corrected document's own corrections, every typed vendor known
  const correctionsOf = new Map(o.corrections.map((r) => [r.text, r.corrections]));
  const vendors = correctedVendors(o.corrections);
  return {
    async extract(text, extracted) {
      const entities = await tagger.tag(text, { kind: o.kind });
      return extractFields(text, {
        kind: o.kind,
        entities,
        layout: extracted?.layout,
        config: o.config,
        chooser,
        corrections: correctionsOf.get(text),
        vendors,
      });
    },
    close: () => tagger.dispose(),
  };
}

/** `fields` on a document stream: each record's kind, fields and checks, as `fields --json` prints them. */
export const fieldsStream: StreamCommand<FieldsStreamOptions> = {
  name: 'fields',
  flags: FIELDS_FLAGS,
  optionsFrom: fieldsOptions,
  modelDir: (o) => o.modelDir,
  identity: (o) => fieldsModelIdentity(o.modelDir, o.chooserFile, o.correctionsFile),
  async open(o) {
    const extractor = await openFieldsExtractor(o);
    return {
      async process(doc) {
        const { kind, fields, checks } = fieldsJson('', await extractor.extract(doc.text, doc.extracted));
        return { kind, fields, checks };
      },
      close: () => extractor.close(),
    };
  },
};

export async function run(args: ParsedArgs): Promise<number> {
  const json = args.flag('json');
  const csv = args.flag('csv');
  if (checkStreamArgs(args)) {
    if (json || csv) throw new UsageError(`--jsonl already writes JSON lines: drop --${json ? 'json' : 'csv'}`);
    return runJsonlStream(
      fieldsStream,
      handlerOptions(fieldsStream, await fieldsStream.optionsFrom(args), args),
      workerCount(args),
    );
  }
  if (json && csv) throw new CliError('--json and --csv cannot be used together.', 2);
  const options = await fieldsOptions(args);
  const extractor = await openFieldsExtractor(options);
  const columns = fieldsCsvColumns(options.kind ? [options.kind] : DOCUMENT_KINDS, options.config);
  if (csv) process.stdout.write(`${columns.join(',')}\n`);
  let failed = 0;
  const reader = new DocumentReader(documentOptions(args));
  try {
    let first = true;
    for (const file of args.positionals) {
      let result: DocumentFields;
      const name = file === '-' ? STDIN_NAME : file;
      try {
        const { text, extracted } = await reader.read(file);
        result = await extractor.extract(text, extracted);
      } catch (e) {
        if (e instanceof Cancelled) {
          printError('cancelled.');
          return 130;
        }
        failed++;
        printError(e instanceof InputError ? errorText(e) : `${name}: ${errorText(e)}`);
        continue;
      }
      if (json) process.stdout.write(`${JSON.stringify(fieldsJson(file, result))}\n`);
      else if (csv) process.stdout.write(`${fieldsCsvRow(columns, file, result)}\n`);
      else process.stdout.write(`${first ? '' : '\n'}${formatFields(name, result)}\n`);
      first = false;
    }
  } finally {
    await reader.close();
    await extractor.close();
  }
  return failed > 0 ? 1 : 0;
}

/** A file's fields as an aligned table, then its checks. */
export function formatFields(file: string, result: DocumentFields): string {
  const rows: string[][] = [['field', 'value', 'conf', 'text']];
  for (const [name, values] of Object.entries(result.fields)) {
    if (values.length === 0) rows.push([name, '-', '', '']);
    for (const v of values) rows.push([name, displayText(v.value), v.confidence.toFixed(2), displayText(v.text)]);
  }
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) =>
    `  ${r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell)).join('  ')}`.trimEnd(),
  );
  const checks = result.checks.map(
    (c) => `  ${c.severity}: ${c.message}${c.suggestion ? ` (${c.suggestion.field} → ${c.suggestion.value}?)` : ''}`,
  );
  return [`${file}: ${result.kind}`, ...lines, ...(checks.length ? ['checks:', ...checks] : [])].join('\n');
}
