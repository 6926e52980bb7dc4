// `entity-lens fields FILE...`: the values a user files for each document — a contract's
// parties, dates, term and governing law; an invoice's or receipt's seller, numbers, dates and
// amounts — with the checks of those values against each other. A table per file, or one JSON
// object per line (--json), or CSV with one row per file (--csv). Files are read as `tag` reads
// them (the CLI's DocumentReader: text, PDFs and images), tagged with the model, and the fields
// chosen by the model's field chooser (the default model's when the folder has none).
import * as fs from 'node:fs/promises';
import {
  defaultModelDir,
  DOCUMENT_KINDS,
  type DocumentFields,
  type DocumentKind,
  extractFields,
  type FieldChooser,
  fieldsCsvColumns,
  fieldsCsvRow,
  fieldsJson,
  type FieldsConfig,
  InputError,
  loadFieldChooser,
  parseFieldsConfig,
  type Runtime,
} from '../../model';
import { CliError, errorText, printError, printWarning, type CommandSpec, type ParsedArgs } from '../args';
import { Cancelled, DOCUMENT_FLAGS, DocumentReader, documentOptions } from '../documents';
import { STDIN_NAME } from '../stdin';
import { displayText, openTagger } from './tag';

export const spec: CommandSpec = {
  name: 'fields',
  summary: 'Print the document fields of files (parties, dates, amounts...) and check their values.',
  synopsis: 'fields FILE... [--json | --csv] [--kind auto|contract|invoice|receipt] [--fields FILE] [--model DIR]',
  description:
    'Contracts: parties, agreement_date, effective_date, expiration_date, term, renewal_term, notice_period,\n' +
    'governing_law. Invoices and receipts: seller, seller_address, buyer, buyer_address, invoice_number, date,\n' +
    'due_date, subtotal, tax, tax_rate, total, currency, iban, bic, tax_id. Values are normalised (ISO dates,\n' +
    'ISO 8601 durations, decimal amounts, place names); checks report sums, dates and bank details that do not\n' +
    'hold. --json prints one line per file:\n' +
    '{"file", "kind", "fields": {"<name>": [{"value", "text", "confidence", "start", "end", "page"?}]},\n' +
    ' "checks": [{"code", "severity", "message", "fields", "suggestion"?}]}\n' +
    '--csv prints a header and one row per file. Offsets are UTF-16 code units, end-exclusive.\n' +
    'FILE is plain text, a PDF or an image (read by OCR), as for `entity-lens tag`; "-" reads standard input.\n' +
    'Exit code 1 if any file could not be read (the others are still done), 2 for a bad model or fields file,\n' +
    '130 when Ctrl-C cancelled.',
  positional: { name: 'FILE', min: 1 },
  flags: {
    json: { kind: 'boolean', description: 'print one JSON object per file and line' },
    csv: { kind: 'boolean', description: 'print CSV: a header, then one row per file' },
    kind: {
      kind: 'choice',
      choices: ['auto', ...DOCUMENT_KINDS],
      description: 'the kind of every file; auto detects it per file',
      default: 'auto',
    },
    fields: {
      kind: 'string',
      value: 'FILE',
      description: "a workspace's fields.json: fields changed, added or removed per kind",
    },
    model: { kind: 'string', value: 'DIR', description: 'model folder', default: 'the bundled models/default' },
    runtime: {
      kind: 'choice',
      choices: ['auto', 'onnx', 'tfjs'],
      description: 'inference runtime; auto uses onnxruntime and falls back to tfjs',
      default: 'auto',
    },
    ...DOCUMENT_FLAGS,
  },
  examples: [
    'entity-lens fields contract.txt',
    'entity-lens fields --json nda.pdf receipt.jpg',
    'entity-lens fields --json invoices/*.txt > fields.jsonl',
    'entity-lens fields --csv --kind receipt receipts/*.txt > receipts.csv',
  ],
};

/** A fields.json read and checked; its problems are warnings, an unreadable file an error. */
async function readConfig(file: string): Promise<FieldsConfig> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot read the fields file (${errorText(e)}).`, 2);
  }
  const { config, problems } = parseFieldsConfig(text);
  for (const p of problems) printWarning(`${file}: ${p}`);
  return config;
}

/** The chooser of a model folder, or the default model's when the folder has none. */
async function chooserFor(modelDir: string): Promise<FieldChooser | undefined> {
  try {
    return (await loadFieldChooser(modelDir)) ?? (await loadFieldChooser(defaultModelDir()));
  } catch (e) {
    throw new CliError(e instanceof InputError ? errorText(e) : `${modelDir}: ${errorText(e)}`, 2);
  }
}

export async function run(args: ParsedArgs): Promise<number> {
  if (args.flag('json') && args.flag('csv')) throw new CliError('--json and --csv cannot be used together.', 2);
  const modelDir = args.string('model') ?? defaultModelDir();
  const kindFlag = args.choice<'auto' | DocumentKind>('kind') ?? 'auto';
  const kind = kindFlag === 'auto' ? undefined : kindFlag;
  const configFile = args.string('fields');
  const config = configFile ? await readConfig(configFile) : {};
  const chooser = await chooserFor(modelDir);
  const tagger = await openTagger(modelDir, args.choice<Runtime>('runtime') ?? 'auto', args.has('model'));
  const columns = fieldsCsvColumns(kind ? [kind] : DOCUMENT_KINDS, config);
  if (args.flag('csv')) process.stdout.write(`${columns.join(',')}\n`);
  let failed = 0;
  const reader = new DocumentReader(documentOptions(args));
  try {
    let first = true;
    for (const file of args.positionals) {
      let result: DocumentFields;
      const name = file === '-' ? STDIN_NAME : file;
      try {
        const { text, extracted } = await reader.read(file);
        const entities = await tagger.tag(text);
        result = extractFields(text, { kind, entities, layout: extracted?.layout, config, chooser });
      } catch (e) {
        if (e instanceof Cancelled) {
          printError('cancelled.');
          return 130;
        }
        failed++;
        printError(e instanceof InputError ? errorText(e) : `${name}: ${errorText(e)}`);
        continue;
      }
      if (args.flag('json')) process.stdout.write(`${JSON.stringify(fieldsJson(file, result))}\n`);
      else if (args.flag('csv')) process.stdout.write(`${fieldsCsvRow(columns, file, result)}\n`);
      else process.stdout.write(`${first ? '' : '\n'}${formatFields(name, result)}\n`);
      first = false;
    }
  } finally {
    await reader.close();
    await tagger.dispose();
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
