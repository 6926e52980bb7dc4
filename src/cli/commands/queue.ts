// `entity-lens queue add|results|status --redis URL`: the producer's and the reader's side of the
// distributed queue (`entity-lens worker` is the consumer's). `add` enqueues documents — files,
// folders, or records `{"id", "text"}` / `{"id", "path"}` as JSON Lines — one job per document id
// and content hash, so adding again is harmless. `results` writes finished jobs as the lines
// `tag --jsonl` writes (failed ones with their error). `status` counts the jobs by state.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Queue as BullQueue } from 'bullmq';
import {
  DEFAULT_MAX_CHARS,
  InputError,
  RecordError,
  type StreamRecord,
  maxLineBytes,
  parseStreamRecord,
  splitLines,
} from '../../model';
import { UsageError, errorText, printError, printProblems, type CommandSpec, type ParsedArgs } from '../args';
import { Cancelled, DOCUMENT_FLAGS, DocumentReader, documentOptions } from '../documents';
import { QUEUE_FLAGS, bullmq, connectRedis, queueName, redisUrl } from '../queue/connection';
import { type DocumentJob, type JobToAdd, documentsIn, finishedLine, jobFor } from '../queue/jobs';
import { STREAM_COMMAND_NAMES } from '../stream/registry';
import { STREAM_FLAGS } from '../stream/run';

/** Attempts of a job whose worker thread failed (a document's own error fails it at once). */
export const JOB_ATTEMPTS = 3;
/** Jobs added per round trip. */
const BATCH = 200;

export const spec: CommandSpec = {
  name: 'queue',
  summary: 'Enqueue documents for `entity-lens worker`s, read their results, count the jobs.',
  synopsis: 'queue add|results|status --redis URL [FILE|DIR|-]... [options]',
  description:
    'queue add FILE|DIR|-: a FILE ending in .jsonl holds records {"id", "text"} or {"id", "path"}, one per\n' +
    'line ("-" reads them from standard input); another FILE is one document (its id: the path as given); a\n' +
    'DIR adds its text files, PDFs and images, recursively. A path is read here for its content hash and by\n' +
    'the workers to tag it (a relative path is made absolute here), so every worker must see it at that\n' +
    'path; --text enqueues the text instead (PDFs and images are read here). One job per document id and\n' +
    'content: adding the same document again does nothing, a changed one is a new job.\n' +
    'queue results: the finished jobs as JSON Lines, the lines `tag --jsonl` writes (a failed document:\n' +
    '{"id", "model", "error"}); --follow keeps writing them until no job is waiting or in work.\n' +
    'queue status: waiting, active, done, failed and delayed jobs, and the workers connected.',
  positional: { name: 'ACTION', min: 1 },
  flags: {
    ...QUEUE_FLAGS,
    text: {
      kind: 'boolean',
      description: 'add: read each document here and enqueue its text instead of its path',
    },
    command: {
      kind: 'choice',
      choices: STREAM_COMMAND_NAMES,
      description: 'add: what the workers do with the documents (their `worker --command`)',
      default: 'tag',
    },
    follow: { kind: 'boolean', description: 'results: keep writing results until the queue is drained' },
    json: { kind: 'boolean', description: 'status: one JSON object' },
    'max-chars': STREAM_FLAGS['max-chars'],
    ...DOCUMENT_FLAGS,
  },
  examples: [
    'entity-lens queue add --redis redis://queue.internal:6379 /shared/contracts/',
    "jq -c '{id: .id, text: .body}' docs.jsonl | entity-lens queue add --redis $URL -",
    'entity-lens queue results --redis $URL --follow > results.jsonl',
    'entity-lens queue status --redis $URL',
  ],
};

const ACTIONS = ['add', 'results', 'status'] as const;

export async function run(args: ParsedArgs): Promise<number> {
  const [action, ...inputs] = args.positionals;
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`unknown action "${action}": use ${ACTIONS.join(', ')}`);
  }
  if (action === 'add' && inputs.length === 0) throw new UsageError('queue add needs FILE, DIR or - (standard input)');
  if (action !== 'add' && inputs.length > 0) throw new UsageError(`queue ${action} takes no FILE ("${inputs[0]}")`);
  const url = redisUrl(args);
  const name = queueName(args);
  const connection = await connectRedis(url);
  const queue: BullQueue<DocumentJob> = new (bullmq().Queue)(name, { connection });
  try {
    if (action === 'add') return await add(queue, inputs, args);
    if (action === 'results') return await results(queue, args.flag('follow'));
    return await status(queue, args.flag('json'));
  } finally {
    await queue.close();
    await connection.quit().catch(() => connection.disconnect());
  }
}

// ---------------------------------------------------------------------------
// add

/** Records from a JSONL stream; bad lines become problems `LABEL:LINE: reason`. */
async function* jsonlRecords(
  chunks: AsyncIterable<Buffer | string>,
  label: string,
  maxChars: number,
  problems: string[],
): AsyncGenerator<StreamRecord> {
  for await (const line of splitLines(chunks, maxLineBytes(maxChars))) {
    if (line.bytes === undefined) {
      problems.push(`${label}:${line.lineNo}: the line is longer than the limit (--max-chars ${maxChars})`);
      continue;
    }
    const text = line.bytes.toString('utf8');
    if (text.trim() === '') continue;
    try {
      const record = parseStreamRecord(text, maxChars);
      // workers open paths from their own working directory: make them absolute here
      yield record.path === undefined ? record : { id: record.id, path: path.resolve(record.path) };
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      problems.push(`${label}:${line.lineNo}: ${e.message}`);
    }
  }
}

/** The records named on the command line, in order. */
async function* inputRecords(inputs: string[], maxChars: number, problems: string[]): AsyncGenerator<StreamRecord> {
  for (const input of inputs) {
    if (input === '-') {
      yield* jsonlRecords(process.stdin, '-', maxChars, problems);
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(input);
    } catch {
      problems.push(`${input}: no such file or folder.`);
      continue;
    }
    if (stat.isDirectory()) {
      for (const file of await documentsIn(input)) yield { id: file, path: path.resolve(file) };
    } else if (/\.(jsonl|ndjson)$/i.test(input)) {
      const fh = await fs.open(input, 'r');
      try {
        yield* jsonlRecords(fh.createReadStream({ autoClose: false }), input, maxChars, problems);
      } finally {
        await fh.close();
      }
    } else {
      yield { id: input, path: path.resolve(input) };
    }
  }
}

async function add(queue: BullQueue<DocumentJob>, inputs: string[], args: ParsedArgs): Promise<number> {
  const maxChars = args.number('max-chars') ?? DEFAULT_MAX_CHARS;
  const command = args.choice<string>('command') ?? 'tag';
  const problems: string[] = [];
  const reader = args.flag('text') ? new DocumentReader(documentOptions(args)) : undefined;
  let added = 0;
  let present = 0;
  let batch: JobToAdd[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const states = await Promise.all(batch.map((j) => queue.getJobState(j.jobId)));
    const fresh = batch.filter((_, i) => states[i] === 'unknown');
    present += batch.length - fresh.length;
    // a job added meanwhile by another `queue add` is not added twice: the id decides
    await queue.addBulk(
      fresh.map((j) => ({
        name: command,
        data: j.data,
        opts: {
          jobId: j.jobId,
          attempts: JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    added += fresh.length;
    batch = [];
  };
  try {
    for await (let record of inputRecords(inputs, maxChars, problems)) {
      try {
        if (reader && record.path !== undefined) {
          const doc = await reader.read(record.path);
          if (doc.text.length > maxChars) {
            throw new InputError(`${record.path}: the text is longer than the limit (--max-chars ${maxChars}).`);
          }
          record = { id: record.id, text: doc.text };
        }
        batch.push(await jobFor(record));
      } catch (e) {
        if (e instanceof Cancelled) {
          printError('cancelled.');
          await flush();
          return 130;
        }
        if (!(e instanceof InputError)) throw e;
        problems.push(errorText(e));
      }
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  } finally {
    await reader?.close();
  }
  printProblems('queue add', problems);
  process.stdout.write(
    `added ${added} job${added === 1 ? '' : 's'}, ${present} already in queue ${queue.name}` +
      (problems.length ? `, ${problems.length} not added` : '') +
      '\n',
  );
  return problems.length > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------
// results and status

/** Reads again this many of the newest results seen, in case two jobs finished in the same millisecond. */
const OVERLAP = 200;
const PAGE = 500;

/** Writes finished jobs (completed, then failed, each oldest first) not written yet. */
class ResultWriter {
  private readonly offset = { completed: 0, failed: 0 };
  private readonly recent = { completed: new Set<string>(), failed: new Set<string>() };

  constructor(private readonly queue: BullQueue<DocumentJob>) {}

  async writeNew(): Promise<void> {
    for (const state of ['completed', 'failed'] as const) {
      let start = Math.max(0, this.offset[state] - OVERLAP);
      for (;;) {
        const jobs = await this.queue.getJobs([state], start, start + PAGE - 1, true);
        for (const job of jobs) {
          if (!job?.id || this.recent[state].has(job.id)) continue;
          const ok = process.stdout.write(`${JSON.stringify(finishedLine(job))}\n`);
          if (!ok) await new Promise((r) => process.stdout.once('drain', r));
          this.remember(state, job.id);
          this.offset[state]++;
        }
        if (jobs.length < PAGE) break;
        start += PAGE;
      }
    }
  }

  private remember(state: 'completed' | 'failed', id: string): void {
    const set = this.recent[state];
    set.add(id);
    // only the newest few can move: older ids need not be kept
    if (set.size > 4 * OVERLAP) {
      const keep = [...set].slice(-2 * OVERLAP);
      set.clear();
      for (const k of keep) set.add(k);
    }
  }
}

async function pendingJobs(queue: BullQueue<DocumentJob>): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function results(queue: BullQueue<DocumentJob>, follow: boolean): Promise<number> {
  const writer = new ResultWriter(queue);
  for (;;) {
    const pending = follow ? await pendingJobs(queue) : 0;
    await writer.writeNew();
    if (pending === 0) return 0;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function status(queue: BullQueue<DocumentJob>, json: boolean): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'completed', 'failed', 'delayed');
  const workers = await queue.getWorkersCount().catch(() => undefined);
  const summary = {
    queue: queue.name,
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
    active: counts.active ?? 0,
    done: counts.completed ?? 0,
    failed: counts.failed ?? 0,
    delayed: counts.delayed ?? 0,
    ...(workers === undefined ? {} : { workers }),
  };
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    const { queue: q, ...rest } = summary;
    process.stdout.write(
      `queue ${q}: ${Object.entries(rest)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}\n`,
    );
  }
  return 0;
}
