// `entity-lens tag FILE...`: entities of each file (plain text, PDF or image), as a table or as
// JSON lines; for a PDF or an image each entity also gets its page and box. A file that cannot be
// read is reported on stderr and skipped; the others are still tagged. Ctrl-C cancels (exit 130).
// `tag --jsonl` tags a stream of records instead (stream/run.ts), with `tagStream` per record.
import * as fs from 'node:fs/promises';
import {
  defaultModelDir,
  type Entity,
  entityPlacement,
  type ExtractedDocument,
  InputError,
  loadModel,
  onnxPath,
  type Runtime,
  Tagger,
  type TrainedModel,
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

/** The flags of tagging itself (also those of `entity-lens worker`). */
export const TAG_FLAGS: Record<string, FlagSpec> = {
  model: { kind: 'string', value: 'DIR', description: 'model folder', default: 'the bundled models/default' },
  runtime: {
    kind: 'choice',
    choices: ['auto', 'onnx', 'tfjs'],
    description: 'inference runtime; auto uses onnxruntime and falls back to tfjs',
    default: 'auto',
  },
  'min-confidence': {
    kind: 'number',
    value: 'X',
    min: 0,
    max: 1,
    description: 'hide entities whose confidence is below X (0-1)',
    default: '0',
  },
  'no-rules': { kind: 'boolean', description: 'the network alone: do not let the rule annotators decide any label' },
};

export const spec: CommandSpec = {
  name: 'tag',
  summary: 'Find entities in text files, PDFs and scans, and print them.',
  synopsis:
    'tag FILE... [--model DIR] [--json] [--runtime auto|onnx|tfjs] [--min-confidence X] [--no-rules] [--threads N] [--max-pages N]\n' +
    '       entity-lens tag --jsonl [--workers N] [options] < records.jsonl > results.jsonl',
  description:
    'FILE is plain text, a PDF (.pdf) or an image (.png .jpg .jpeg .tif .tiff; read by OCR), told apart by its\n' +
    'first bytes. Prints one table per file (label, start-end, confidence, found by, text), or with --json one\n' +
    'line per file: {"file": ..., "entities": [{"label", "start", "end", "text", "confidence", "source"}]};\n' +
    'for a PDF or an image each entity also has "page" (1-based) and "box" [x0, y0, x1, y1] (PDF points or\n' +
    'image pixels, origin top left: the union of its lines on the page where it starts), and on OCR pages\n' +
    '"ocrConfidence", the lowest confidence of its words. Offsets are into the extracted text\n' +
    '(`entity-lens text FILE` prints it), in UTF-16 code units, end-exclusive.\n' +
    'source: "model", "rules" (the rule annotators decide the labels the model\'s policy gives them) or\n' +
    '"document" (another occurrence of a party name the model found).\n' +
    'FILE "-" reads standard input. Text files are UTF-8; UTF-16 with a byte-order mark and 8-bit\n' +
    'Windows-1252 (Latin-1) files are decoded too, with a note on stderr.\n' +
    'Exit code 1 if any file could not be read (the others are still tagged), 2 for a bad model folder,\n' +
    '130 when Ctrl-C cancelled.\n' +
    'With --jsonl, tag reads records {"id", "text"} or {"id", "path"} (a text file, PDF or image) from standard\n' +
    'input and writes one line per record, in input order, flushed as it is done: {"id", "model": {"name",\n' +
    '"version", "hash"}, "entities": [...]}, or {"id", "model", "error"} for a record that could not be tagged\n' +
    '(a line that is not JSON has "id": null and its "line" number); blank lines are skipped. Exit code 0 at\n' +
    'the end of the input. --workers N tags on N worker threads (each loads the model once); the output is\n' +
    "the same as with one. For files, --threads N spreads each file's windows over N worker threads (the\n" +
    'entities are the same as with one).',
  positional: { name: 'FILE', min: 0 },
  flags: {
    ...TAG_FLAGS,
    json: { kind: 'boolean', description: 'print one JSON object per file and line' },
    threads: {
      kind: 'int',
      value: 'N',
      min: 1,
      max: 16,
      description: "files: worker threads that run the network and the decoder on each file's windows",
      default: '1',
    },
    ...DOCUMENT_FLAGS,
    ...STREAM_FLAGS,
  },
  examples: [
    'entity-lens tag contract.txt',
    'entity-lens tag --jsonl --workers 4 < records.jsonl > results.jsonl',
    'entity-lens tag --json --min-confidence 0.5 *.txt > entities.jsonl',
    'entity-lens tag --json nda.pdf receipt.jpg',
    'pdftotext contract.pdf - | entity-lens tag -',
  ],
};

/** What a thread of `tag --jsonl` needs to tag records (plain data: worker threads get a copy). */
export interface TagStreamOptions {
  modelDir: string;
  /** the folder was named with --model (changes the message when it is missing) */
  explicitModel: boolean;
  runtime: Runtime;
  rules: boolean;
  minConfidence: number;
}

/** `tag` on a document stream: each record's entities, as `tag --json` prints them. */
export const tagStream: StreamCommand<TagStreamOptions> = {
  name: 'tag',
  flags: TAG_FLAGS,
  optionsFrom: (args) => ({
    modelDir: args.string('model') ?? defaultModelDir(),
    explicitModel: args.has('model'),
    runtime: args.choice<Runtime>('runtime') ?? 'auto',
    rules: !args.flag('no-rules'),
    minConfidence: args.number('min-confidence') ?? 0,
  }),
  modelDir: (o) => o.modelDir,
  async open(o) {
    const tagger = await openTagger(o.modelDir, o.runtime, o.explicitModel, o.rules);
    return {
      async process(doc) {
        const entities = (await tagger.tag(doc.text)).filter((e) => e.confidence >= o.minConfidence);
        return { entities: entities.map((e) => entityJson(e, doc.extracted)) };
      },
      close: () => tagger.dispose(),
    };
  },
};

export async function run(args: ParsedArgs): Promise<number> {
  const modelDir = args.string('model') ?? defaultModelDir();
  const minConfidence = args.number('min-confidence') ?? 0;
  const json = args.flag('json');
  if (checkStreamArgs(args)) {
    if (json) throw new UsageError('--jsonl already writes JSON lines: drop --json');
    if (args.has('threads'))
      throw new UsageError('--threads is for files: with --jsonl, --workers N tags N records at once');
    return runJsonlStream(
      tagStream,
      handlerOptions(tagStream, await tagStream.optionsFrom(args), args),
      workerCount(args),
    );
  }
  const tagger = await openTagger(
    modelDir,
    args.choice<Runtime>('runtime') ?? 'auto',
    args.has('model'),
    !args.flag('no-rules'),
    args.number('threads') ?? 1,
  );
  let failed = 0;
  const reader = new DocumentReader(documentOptions(args));
  try {
    let first = true;
    for (const file of args.positionals) {
      let entities: Entity[];
      let extracted: ExtractedDocument | undefined;
      const name = file === '-' ? STDIN_NAME : file;
      try {
        const doc = await reader.read(file);
        extracted = doc.extracted;
        entities = (await tagger.tag(doc.text)).filter((e) => e.confidence >= minConfidence);
      } catch (e) {
        if (e instanceof Cancelled) {
          printError('cancelled.');
          return 130;
        }
        failed++;
        // InputError messages already start with the file name
        printError(e instanceof InputError ? errorText(e) : `${name}: ${errorText(e)}`);
        continue;
      }
      if (json) {
        process.stdout.write(`${JSON.stringify({ file, entities: entities.map((e) => entityJson(e, extracted)) })}\n`);
      } else {
        process.stdout.write(`${first ? '' : '\n'}${formatTable(name, entities)}\n`);
      }
      first = false;
    }
  } finally {
    await reader.close();
    await tagger.dispose();
  }
  return failed > 0 ? 1 : 0;
}

interface EntityJson {
  label: string;
  start: number;
  end: number;
  text: string;
  confidence: number;
  source: string;
  page?: number;
  box?: [number, number, number, number];
  ocrConfidence?: number;
}

/** The fields of an entity in a fixed order; with an extracted document, its page and box. */
export function entityJson(e: Entity, extracted?: ExtractedDocument): EntityJson {
  const out: EntityJson = {
    label: e.label,
    start: e.start,
    end: e.end,
    text: e.text,
    confidence: e.confidence,
    source: e.source ?? 'model',
  };
  return extracted ? { ...out, ...entityPlacement(extracted, e.start, e.end) } : out;
}

const MAX_TEXT = 60;

/** A file's entities as an aligned table under a header line naming the file. */
export function formatTable(file: string, entities: Entity[]): string {
  const header = `${file}: ${entities.length === 1 ? '1 entity' : `${entities.length} entities`}`;
  if (entities.length === 0) return header;
  const rows = [
    ['label', 'start-end', 'conf', 'by', 'text'],
    ...entities.map((e) => [
      e.label,
      `${e.start}-${e.end}`,
      e.confidence.toFixed(3),
      e.source ?? 'model',
      displayText(e.text),
    ]),
  ];
  // a reduce, not Math.max(...): a long document has more entities than a call has arguments
  const widths = [0, 1, 2, 3].map((c) => rows.reduce((w, r) => Math.max(w, r[c].length), 0));
  const lines = rows.map((r) =>
    `  ${r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]) : cell)).join('  ')}`.trimEnd(),
  );
  return [header, ...lines].join('\n');
}

/** One line of at most 60 characters: line breaks shown as ⏎, other control characters as spaces. */
export function displayText(text: string): string {
  const flat = text.replace(/\r\n|\r|\n|\u2028|\u2029/g, '⏎').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  const chars = Array.from(flat); // code points: never cut a surrogate pair
  return chars.length <= MAX_TEXT ? flat : `${chars.slice(0, MAX_TEXT - 1).join('')}…`;
}

// ---------------------------------------------------------------------------
// Model folders (also used by eval and export)

/** Loads a model folder, turning every failure into a one-line CliError (exit code 2). */
export async function loadModelDir(dir: string, explicit = true): Promise<TrainedModel> {
  const hint = explicit
    ? 'pass the folder `entity-lens train --out` wrote'
    : 'no model is installed there yet: pass --model DIR (a folder `entity-lens train --out` wrote)';
  let isDir: boolean;
  try {
    isDir = (await fs.stat(dir)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`${dir}: no such model folder; ${hint}.`, 2);
    throw new CliError(`${dir}: cannot open the model folder (${errorText(e)}).`, 2);
  }
  if (!isDir)
    throw new CliError(`${dir}: not a folder; a model is a folder with model.json, vocab.json and weights.bin.`, 2);
  try {
    return await loadModel(dir);
  } catch (e) {
    const message = errorText(e);
    if (/no model\.json/.test(message))
      throw new CliError(`${dir}: not an Entity Lens model (no model.json); ${hint}.`, 2);
    throw new CliError(message.includes(dir) ? message : `${dir}: the model could not be read (${message}).`, 2);
  }
}

/** Loads a model folder and starts its runtime (onnxruntime, or tfjs as the fallback). */
export async function openTagger(
  dir: string,
  runtime: Runtime,
  explicit = true,
  rules = true,
  threads = 1,
): Promise<Tagger> {
  const model = await loadModelDir(dir, explicit);
  const onnxFile = onnxPath(dir);
  const hasOnnx = await fs.stat(onnxFile).then(
    (s) => s.isFile(),
    () => false,
  );
  try {
    // without model.onnx the graph is exported in memory from the weights
    return await Tagger.create(
      model,
      { runtime, rules, threads, warn: (m) => printWarning(m.replace(/^Entity Lens:\s*/, '')) },
      hasOnnx ? onnxFile : undefined,
    );
  } catch (e) {
    throw new CliError(`${dir}: onnxruntime could not run the model (${errorText(e)}); try --runtime tfjs.`, 2);
  }
}
