// `<command> --jsonl`: a document stream on standard input and output, the shape a Spark
// RDD.pipe stage or a Unix pipe needs with no other glue. Each input line is a record
// `{"id", "text"}` or `{"id", "path"}`; each gets one output line, in input order, written (and
// so flushed) as soon as it and the lines before it are done: `{"id", "model": {name, version,
// hash}, ...the command's keys}` or `{"id", "model", "error"}` for a record that could not be
// processed — a bad line never stops the stream. With --workers N the records are spread over N
// worker threads, each loading the model once; the output is the same as with one.
// Exit code 0 at the end of the input (whatever the records' errors); 2 if the model cannot load.
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_MAX_CHARS,
  type ModelIdentity,
  type RecordOutcome,
  RecordError,
  type StreamLine,
  type StreamRecord,
  ThreadPool,
  PoolStartError,
  formatSize,
  mapOrdered,
  maxLineBytes,
  modelIdentity,
  parseStreamRecord,
  resultLine,
  splitLines,
} from '../../model';
import { CliError, UsageError, errorText, type FlagSpec, type ParsedArgs } from '../args';
import { documentOptions } from '../documents';
import { beforeExit, exitNow, isExiting } from '../exit';
import { openRecordHandler, type HandlerOptions, type RecordHandler, type StreamCommand } from './records';

/** The flags of every command with a --jsonl mode. */
export const STREAM_FLAGS: Record<string, FlagSpec> = {
  jsonl: {
    kind: 'boolean',
    description:
      'read records {"id", "text"} or {"id", "path"} as JSON Lines on standard input and write one result line per record, in input order',
  },
  workers: {
    kind: 'int',
    value: 'N',
    min: 1,
    max: 256,
    description: 'with --jsonl: worker threads, each loading the model once',
    default: 'the number of cores',
  },
  'max-chars': {
    kind: 'int',
    value: 'N',
    min: 1,
    description: 'with --jsonl: refuse records whose text is longer than N characters',
    default: String(DEFAULT_MAX_CHARS),
  },
};

/** The worker thread script: bundled beside the CLI (out/stream-worker.js) or compiled beside this file. */
export function streamWorkerFile(): string {
  return path.join(__dirname, 'stream-worker.js');
}

/** --workers, or the number of cores. */
export function workerCount(args: ParsedArgs): number {
  return args.number('workers') ?? Math.max(1, os.availableParallelism());
}

/** Refuses the stream flags without --jsonl, and FILE arguments with it. */
export function checkStreamArgs(args: ParsedArgs): boolean {
  const jsonl = args.flag('jsonl');
  if (!jsonl) {
    for (const flag of ['workers', 'max-chars']) if (args.has(flag)) throw new UsageError(`--${flag} needs --jsonl`);
    if (args.positionals.length === 0)
      throw new UsageError('missing FILE (or --jsonl to read records from standard input)');
  } else if (args.positionals.length > 0) {
    throw new UsageError(`--jsonl reads records from standard input: give no FILE ("${args.positionals[0]}")`);
  }
  return jsonl;
}

/** The HandlerOptions of a command line: the command, its options and the document flags. */
export function handlerOptions<O>(command: StreamCommand<O>, commandOptions: O, args: ParsedArgs): HandlerOptions<O> {
  return {
    command: command.name,
    commandOptions,
    documents: documentOptions(args),
    maxChars: args.number('max-chars') ?? DEFAULT_MAX_CHARS,
  };
}

/** The name, version and content hash of what makes a command's results, or a CliError (exit code 2). */
export async function identifyModel<O>(command: StreamCommand<O>, options: O): Promise<ModelIdentity> {
  try {
    return await (command.identity ? command.identity(options) : modelIdentity(command.modelDir(options)));
  } catch (e) {
    throw new CliError(errorText(e), 2);
  }
}

/** Where records go: one handler in this thread, or a pool of worker threads. */
export interface RecordRunner {
  run(record: StreamRecord): Promise<RecordOutcome>;
  /** how many records may be in flight to keep every worker busy */
  readonly window: number;
  close(): Promise<void>;
}

/** One handler in this thread (workers = 1), else a pool; a worker that cannot start is a CliError (2). */
export async function openRunner<O>(
  command: StreamCommand<O>,
  options: HandlerOptions<O>,
  workers: number,
): Promise<RecordRunner> {
  if (workers <= 1) {
    const handler: RecordHandler = await openRecordHandler(command, options);
    return { run: (r) => handler.handle(r), window: 1, close: () => handler.close() };
  }
  let pool: ThreadPool<StreamRecord, RecordOutcome>;
  try {
    pool = await ThreadPool.start<StreamRecord, RecordOutcome>(streamWorkerFile(), workers, { options });
  } catch (e) {
    if (e instanceof PoolStartError) throw new CliError(e.message, 2);
    throw e;
  }
  const forget = beforeExit(() => pool.stop());
  return {
    run: (r) => pool.run(r).catch((e: unknown): RecordOutcome => ({ ok: false, error: errorText(e) })),
    // a record queued behind each running one, so no worker waits for the reader
    window: 2 * workers,
    close: async () => {
      forget();
      await pool.close();
    },
  };
}

/** The result line (JSON text) of one input line, or undefined for a blank line. */
export async function processLine(
  line: StreamLine,
  runner: RecordRunner,
  model: ModelIdentity,
  maxChars: number,
): Promise<string | undefined> {
  const fail = (error: string, id: StreamRecord['id'] | null = null, path?: string): string =>
    JSON.stringify(resultLine({ id, path, line: id === null ? line.lineNo : undefined }, model, { ok: false, error }));
  if (line.bytes === undefined) {
    return fail(
      `line ${line.lineNo}: the line is ${formatSize(line.tooLong)}, more than the limit of ${formatSize(maxLineBytes(maxChars))} (--max-chars)`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(line.bytes);
  } catch {
    return fail(`line ${line.lineNo}: not valid UTF-8`);
  }
  if (text.trim() === '') return undefined;
  let record: StreamRecord;
  try {
    record = parseStreamRecord(text, maxChars);
  } catch (e) {
    if (!(e instanceof RecordError)) throw e;
    const torn =
      line.lastWithoutNewline && /^invalid JSON/.test(e.message) ? ' (the input ends in the middle of it)' : '';
    return fail(e.id === undefined ? `line ${line.lineNo}: ${e.message}${torn}` : e.message, e.id ?? null);
  }
  const outcome = await runner.run(record);
  return JSON.stringify(resultLine({ id: record.id, path: record.path }, model, outcome));
}

/** Writes one line to stdout, waiting when the reader is slower than we are; nothing once exiting. */
function writeLine(line: string): Promise<void> | void {
  if (isExiting()) return;
  if (process.stdout.write(`${line}\n`)) return;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

/** Runs `command` over the records on standard input (see the header). */
export async function runJsonlStream<O>(
  command: StreamCommand<O>,
  options: HandlerOptions<O>,
  workers: number,
): Promise<number> {
  // SIGINT/SIGTERM stop the stream at once: every line written so far is whole (a line is one
  // write, synchronous on pipes and files). Handled here so it holds when the CLI is PID 1 in a
  // container too, where the default action of these signals is nothing.
  const stop = (signal: NodeJS.Signals): void => void exitNow(signal === 'SIGINT' ? 130 : 143);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // the model loads first: its errors say best what is wrong with the folder
  const runner = await openRunner(command, options, workers).catch((e: unknown) => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    throw e;
  });
  try {
    const model = await identifyModel(command, options.commandOptions);
    await mapOrdered(
      splitLines(process.stdin, maxLineBytes(options.maxChars)),
      (line) => processLine(line, runner, model, options.maxChars),
      (out) => (out === undefined ? undefined : writeLine(out)),
      { window: runner.window },
    );
  } finally {
    await runner.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return 0;
}
