// `entity-lens tag FILE...`: entities of each text file, as a table or as JSON lines.
// A file that cannot be read is reported on stderr and skipped; the others are still tagged.
import * as fs from 'node:fs/promises';
import {
  defaultModelDir,
  type Entity,
  InputError,
  loadModel,
  onnxPath,
  readTextFile,
  type Runtime,
  Tagger,
  type TrainedModel,
} from '../../model';
import { CliError, errorText, printError, printWarning, type CommandSpec, type ParsedArgs } from '../args';

export const spec: CommandSpec = {
  name: 'tag',
  summary: 'Find entities in text files and print them.',
  synopsis: 'tag FILE... [--model DIR] [--json] [--runtime auto|onnx|tfjs] [--min-confidence X] [--no-rules]',
  description:
    'Prints one table per file (label, start-end, confidence, found by, text), or with --json one line per file:\n' +
    '{"file": ..., "entities": [{"label", "start", "end", "text", "confidence", "source"}]}.\n' +
    'source: "model", "rules" (the rule annotators decide the labels the model\'s policy gives them) or\n' +
    '"document" (another occurrence of a party name the model found).\n' +
    'Offsets are UTF-16 code units (JavaScript string indices), end-exclusive.\n' +
    'Exit code 1 if any file could not be read (the others are still tagged), 2 for a bad model folder.',
  positional: { name: 'FILE', min: 1 },
  flags: {
    model: { kind: 'string', value: 'DIR', description: 'model folder', default: 'the bundled models/default' },
    json: { kind: 'boolean', description: 'print one JSON object per file and line' },
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
  },
  examples: ['entity-lens tag contract.txt', 'entity-lens tag --json --min-confidence 0.5 *.txt > entities.jsonl'],
};

export async function run(args: ParsedArgs): Promise<number> {
  const modelDir = args.string('model') ?? defaultModelDir();
  const minConfidence = args.number('min-confidence') ?? 0;
  const json = args.flag('json');
  const tagger = await openTagger(
    modelDir,
    args.choice<Runtime>('runtime') ?? 'auto',
    args.has('model'),
    !args.flag('no-rules'),
  );
  let failed = 0;
  try {
    let first = true;
    for (const file of args.positionals) {
      let entities: Entity[];
      try {
        const text = await readTextFile(file);
        entities = (await tagger.tag(text)).filter((e) => e.confidence >= minConfidence);
      } catch (e) {
        failed++;
        // InputError messages already start with the file name
        printError(e instanceof InputError ? errorText(e) : `${file}: ${errorText(e)}`);
        continue;
      }
      if (json) {
        process.stdout.write(`${JSON.stringify({ file, entities: entities.map(entityJson) })}\n`);
      } else {
        process.stdout.write(`${first ? '' : '\n'}${formatTable(file, entities)}\n`);
      }
      first = false;
    }
  } finally {
    await tagger.dispose();
  }
  return failed > 0 ? 1 : 0;
}

/** The fields of an entity in a fixed order. */
function entityJson(e: Entity): {
  label: string;
  start: number;
  end: number;
  text: string;
  confidence: number;
  source: string;
} {
  return {
    label: e.label,
    start: e.start,
    end: e.end,
    text: e.text,
    confidence: e.confidence,
    source: e.source ?? 'model',
  };
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
export async function openTagger(dir: string, runtime: Runtime, explicit = true, rules = true): Promise<Tagger> {
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
      { runtime, rules, warn: (m) => printWarning(m.replace(/^Entity Lens:\s*/, '')) },
      hasOnnx ? onnxFile : undefined,
    );
  } catch (e) {
    throw new CliError(`${dir}: onnxruntime could not run the model (${errorText(e)}); try --runtime tfjs.`, 2);
  }
}
