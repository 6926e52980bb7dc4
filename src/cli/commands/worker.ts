// `entity-lens worker --redis URL`: takes documents from the BullMQ queue that `queue add` fills
// and tags them, on as many machines as you start it on. --concurrency N worker threads each load
// the model once; the main thread only talks to Redis, so it always renews the locks of the jobs
// in work. A worker killed mid-job (kill -9, a lost machine) stops renewing its lock: after
// --lock-duration another worker's stalled-job check (every --stalled-interval) puts the job back
// and it runs again. A document that cannot be read fails at once and stays in the failed set
// with its error; other errors (a worker thread that died) are retried up to the job's attempts.
import * as os from 'node:os';
import type { Job, Worker as BullWorker } from 'bullmq';
import {
  type ModelIdentity,
  type RecordOutcome,
  type StreamRecord,
  PoolStartError,
  ThreadPool,
  resultLine,
} from '../../model';
import { CliError, PROGRAM, errorText, printWarning, type CommandSpec, type ParsedArgs } from '../args';
import { DOCUMENT_FLAGS } from '../documents';
import { beforeExit, exitNow } from '../exit';
import { QUEUE_FLAGS, bullmq, connectRedis, displayUrl, queueName, redisUrl } from '../queue/connection';
import type { DocumentJob, JobProgress } from '../queue/jobs';
import { STREAM_COMMAND_NAMES, allStreamCommandFlags, streamCommand } from '../stream/registry';
import { STREAM_FLAGS, handlerOptions, identifyModel, streamWorkerFile } from '../stream/run';

/** Defaults (seconds): a lock is renewed every half of its duration while the job runs. */
export const DEFAULT_LOCK_SECONDS = 30;
export const DEFAULT_STALLED_SECONDS = 15;
/** How many times a job may lose its worker (stall) before it fails. */
export const MAX_STALLED = 2;

export const spec: CommandSpec = {
  name: 'worker',
  summary: 'Tag documents from a Redis queue (run it on any number of machines).',
  synopsis: 'worker --redis URL [--concurrency N] [--until-empty] [--command tag] [--model DIR] [options]',
  description:
    'Takes the jobs `entity-lens queue add` enqueued and tags them; results and failures stay in Redis for\n' +
    '`entity-lens queue results`. --concurrency N runs N worker threads, each loading the model once. A\n' +
    'path in a job is opened here: every worker must see the files at the same path (a shared volume), or\n' +
    'enqueue the text with `queue add --text`. A job whose worker dies is taken up by another worker once\n' +
    'its lock expires (--lock-duration) and a stalled-job check runs (every --stalled-interval); a job that\n' +
    `loses its worker more than ${MAX_STALLED} times fails. SIGTERM or Ctrl-C finishes the jobs in work and stops\n` +
    '(a second one stops at once). Exit code 0 when stopped or, with --until-empty, when the queue is empty.',
  flags: {
    ...QUEUE_FLAGS,
    concurrency: {
      kind: 'int',
      value: 'N',
      min: 1,
      max: 256,
      description: 'documents in work at once, each on its own thread',
      default: 'the number of cores',
    },
    'until-empty': {
      kind: 'boolean',
      description: 'exit once no job is waiting, delayed or in work anywhere (for batch jobs, e.g. Kubernetes Jobs)',
    },
    'lock-duration': {
      kind: 'number',
      value: 'SECONDS',
      min: 1,
      description: 'how long a job stays locked to this worker without a renewal',
      default: String(DEFAULT_LOCK_SECONDS),
    },
    'stalled-interval': {
      kind: 'number',
      value: 'SECONDS',
      min: 0.5,
      description: 'how often this worker looks for jobs whose worker died',
      default: String(DEFAULT_STALLED_SECONDS),
    },
    name: {
      kind: 'string',
      value: 'NAME',
      description: "this worker's name in the jobs it takes",
      default: 'HOST:PID',
    },
    command: {
      kind: 'choice',
      choices: STREAM_COMMAND_NAMES,
      description: 'what to do with each document (the jobs name it: `queue add --command`)',
      default: 'tag',
    },
    ...allStreamCommandFlags(),
    ...DOCUMENT_FLAGS,
    'max-chars': STREAM_FLAGS['max-chars'],
  },
  examples: [
    'entity-lens worker --redis redis://queue.internal:6379 --concurrency 4',
    'entity-lens worker --redis redis://queue.internal:6379 --until-empty',
  ],
};

export async function run(args: ParsedArgs): Promise<number> {
  const url = redisUrl(args);
  const name = queueName(args);
  const command = streamCommand(args.choice<string>('command') ?? 'tag');
  const commandOptions = await command.optionsFrom(args);
  const concurrency = args.number('concurrency') ?? Math.max(1, os.availableParallelism());
  const lockMs = Math.round(1000 * (args.number('lock-duration') ?? DEFAULT_LOCK_SECONDS));
  const stalledMs = Math.round(1000 * (args.number('stalled-interval') ?? DEFAULT_STALLED_SECONDS));
  const workerName = args.string('name') ?? `${os.hostname()}:${process.pid}`;

  // the model first (a bad folder is exit 2 before anything touches the queue), then Redis
  let pool: ThreadPool<StreamRecord, RecordOutcome>;
  try {
    pool = await ThreadPool.start(streamWorkerFile(), concurrency, {
      options: handlerOptions(command, commandOptions, args),
    });
  } catch (e) {
    if (e instanceof PoolStartError) throw new CliError(e.message, 2);
    throw e;
  }
  let model: ModelIdentity;
  try {
    model = await identifyModel(command, commandOptions);
  } catch (e) {
    await pool.close();
    throw e;
  }
  const forget = beforeExit(() => pool.stop());
  const connection = await connectRedis(url).catch(async (e: unknown) => {
    await pool.close();
    throw e;
  });

  const { Worker, Queue, UnrecoverableError } = bullmq();
  const processJob = async (job: Job<DocumentJob>): Promise<Record<string, unknown>> => {
    if (job.name !== command.name) {
      throw new UnrecoverableError(
        `this job asks for "${job.name}" but this worker runs "${command.name}"; use one queue per command (--queue)`,
      );
    }
    await job.updateProgress({ model } satisfies JobProgress);
    const { record } = job.data;
    // a rejection here is the thread dying, not the document: BullMQ retries it
    const outcome = await pool.run(record);
    if (!outcome.ok) throw new UnrecoverableError(outcome.error);
    return resultLine({ id: record.id, path: record.path }, model, outcome);
  };

  const worker: BullWorker<DocumentJob> = new Worker<DocumentJob>(name, processJob, {
    connection,
    concurrency,
    name: workerName,
    lockDuration: lockMs,
    stalledInterval: stalledMs,
    maxStalledCount: MAX_STALLED,
    autorun: false,
  });
  let lastWarning = 0;
  worker.on('error', (e) => {
    // connection trouble repeats every retry: one line a minute is enough
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    printWarning(`queue ${name} at ${displayUrl(url)}: ${errorText(e)}`);
  });
  process.stderr.write(
    `${PROGRAM}: worker ${workerName}: ${concurrency} thread${concurrency === 1 ? '' : 's'}, model ${model.name} ${model.version}, queue ${name} at ${displayUrl(url)}\n`,
  );

  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      if (stopping) {
        process.stderr.write(`${PROGRAM}: worker: stopping at once; the jobs in work go back to the queue.\n`);
        void exitNow(130);
        return;
      }
      stopping = true;
      process.stderr.write(`${PROGRAM}: worker: finishing the jobs in work, then stopping...\n`);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

  const running = worker.run();
  let watcher: NodeJS.Timeout | undefined;
  const empty = args.flag('until-empty')
    ? new Promise<void>((resolve) => {
        const queue = new Queue(name, { connection });
        const check = async (): Promise<void> => {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
          if (Object.values(counts).every((n) => n === 0)) {
            await queue.close();
            resolve();
            return;
          }
          watcher = setTimeout(() => void check().catch(() => (watcher = setTimeout(() => void check(), 1000))), 1000);
        };
        void check();
      })
    : new Promise<void>(() => undefined);

  await Promise.race([stopped, empty, running]);
  if (watcher) clearTimeout(watcher);
  await worker.close();
  forget();
  await pool.close();
  await connection.quit().catch(() => connection.disconnect());
  process.stderr.write(`${PROGRAM}: worker ${workerName} stopped.\n`);
  return 0;
}
