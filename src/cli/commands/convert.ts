// `entity-lens convert`: annotated documents from one exchange format to another (the
// project's JSONL, spaCy-style JSONL, CoNLL with BILOU tags), with the engine's converters,
// the same ones the editor's Export/Import Annotations use. A bad input line is a warning
// `FILE:LINE: reason` and is left out; --strict makes any such line an error.
import * as path from 'node:path';
import {
  type AnnotatedDocument,
  type ImportResult,
  fromConll,
  fromJsonl,
  isProbablyBinary,
  readTextFile,
  toConllBilou,
  toJsonl,
  toSpacyJsonl,
  writeFileAtomic,
} from '../../model';
import { CliError, UsageError, printProblems, printWarning, type CommandSpec, type ParsedArgs } from '../args';

const FORMATS = ['jsonl', 'spacy', 'conll'] as const;
type Format = (typeof FORMATS)[number];

export const spec: CommandSpec = {
  name: 'convert',
  summary: "Convert annotated documents between the project's JSONL, spaCy-style JSONL and CoNLL (BILOU).",
  synopsis: 'convert --to jsonl|spacy|conll [--from jsonl|spacy|conll] [--strict] IN [OUT]',
  description:
    'IN and OUT are files, or - for standard input / output (OUT defaults to standard output).\n' +
    'jsonl: {"id", "text", "spans": [{"start", "end", "label"}], ...} per line (the training data format).\n' +
    'spacy: {"text", "entities": [[start, end, label]], "meta": {"id", "reviewed", "judged", "complete"}} per line.\n' +
    'Reading, jsonl and spacy are the same: either style is accepted (and doccano\'s "label").\n' +
    'conll: token<TAB>tag per line, BILOU tags, a blank line after each sentence, -DOCSTART- before each\n' +
    'document; reading also takes BIO, IO, BIOES and space-separated columns (token first, tag last).\n' +
    'From CoNLL the text is rebuilt with one space between tokens and a line break between sentences;\n' +
    'to CoNLL every token outside a span is O, also where labels were not annotated exhaustively.\n' +
    'Exit code 1 if the input cannot be used (or, with --strict, has a bad line), 2 for a usage error.',
  positional: { name: 'IN', min: 1, max: 2 },
  flags: {
    to: { kind: 'choice', choices: FORMATS, required: true, description: 'output format' },
    from: {
      kind: 'choice',
      choices: FORMATS,
      description: 'input format',
      default: 'JSONL if the first line starts with "{", else CoNLL',
    },
    strict: { kind: 'boolean', description: 'fail (exit 1, nothing written) if any input line has a problem' },
  },
  examples: [
    'entity-lens convert --from conll --to jsonl train.conll train.jsonl',
    'entity-lens convert --to conll annotations.jsonl - | head',
    'cat export.jsonl | entity-lens convert --to jsonl - > data.jsonl',
  ],
};

const STDIO = '-';
const STDIN_LABEL = '<stdin>';
/** the largest input read from a pipe (files: readTextFile's own limit) */
const MAX_STDIN_BYTES = 50 * 1024 * 1024;

export async function run(args: ParsedArgs): Promise<number> {
  const [input, output = STDIO] = args.positionals;
  const to = args.choice<Format>('to') as Format;
  if (input !== STDIO && output !== STDIO && path.resolve(input) === path.resolve(output)) {
    throw new UsageError(`OUT is IN (${input}): write the converted documents to another file`);
  }
  const label = input === STDIO ? STDIN_LABEL : input;
  const text = input === STDIO ? await readStdin() : await readTextFile(input);
  const from = args.choice<Format>('from') ?? guessFormat(text);
  const { docs, problems } = read(text, from, label);
  printProblems(label, problems);
  if (docs.length === 0) {
    throw new CliError(
      problems.length > 0
        ? `${label}: no valid document (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}, see above).`
        : `${label}: no documents in it.`,
    );
  }
  if (problems.length > 0 && args.flag('strict')) {
    throw new CliError(
      `${label}: ${problems.length} ${problems.length === 1 ? 'line has a problem' : 'lines have problems'} (see above); nothing written (--strict).`,
    );
  }
  if (to === 'conll' && from !== 'conll') {
    const partial = docs.filter((d) => d.complete !== 'all').length;
    if (partial > 0) {
      printWarning(
        `${partial} of the ${docs.length} documents are not annotated exhaustively; in CoNLL their unlabelled tokens read as O.`,
      );
    }
  }
  const out = write(docs, to);
  if (output === STDIO) {
    process.stdout.write(out);
    return 0;
  }
  await writeFileAtomic(output, out); // its failures are InputErrors naming the file
  const spans = docs.reduce((n, d) => n + d.spans.length, 0);
  process.stdout.write(
    `${output}: ${docs.length} ${docs.length === 1 ? 'document' : 'documents'}, ${spans} ${spans === 1 ? 'span' : 'spans'} (${to})\n`,
  );
  return 0;
}

/** JSONL when the first non-blank line is a JSON object, else CoNLL. */
export function guessFormat(text: string): Format {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return first
    .replace(/^\ufeff/, '')
    .trimStart()
    .startsWith('{')
    ? 'jsonl'
    : 'conll';
}

function read(text: string, from: Format, label: string): ImportResult {
  return from === 'conll' ? fromConll(text, label) : fromJsonl(text, label);
}

function write(docs: AnnotatedDocument[], to: Format): string {
  if (to === 'conll') return toConllBilou(docs);
  return to === 'spacy' ? toSpacyJsonl(docs) : toJsonl(docs);
}

/** Standard input as UTF-8 text, with the checks readTextFile makes for a file. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_STDIN_BYTES) throw new CliError(`${STDIN_LABEL}: more than ${MAX_STDIN_BYTES / 1024 / 1024} MB.`);
    chunks.push(buf);
  }
  const bytes = Buffer.concat(chunks);
  const binary = isProbablyBinary(bytes.subarray(0, 8192));
  if (binary) throw new CliError(`${STDIN_LABEL}: ${binary}.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${STDIN_LABEL}: not valid UTF-8; convert it to UTF-8 first.`);
  }
  if (text.trim() === '') throw new CliError(`${STDIN_LABEL}: empty.`);
  return text;
}
