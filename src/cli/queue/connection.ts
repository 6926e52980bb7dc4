// The Redis side of `entity-lens queue` and `entity-lens worker`: the flags every queue command
// shares, a connection that fails fast with one line when Redis cannot be reached (and, once up,
// reconnects by itself), and BullMQ, loaded only by these commands so `tag` never pays for it.
import type * as BullMQ from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { CliError, UsageError, errorText, type FlagSpec, type ParsedArgs } from '../args';

/** The queue every command uses unless --queue names another. */
export const DEFAULT_QUEUE = 'entity-lens';

export const QUEUE_FLAGS: Record<string, FlagSpec> = {
  redis: {
    kind: 'string',
    value: 'URL',
    description: 'the Redis server, redis://[user:password@]host:port[/db] (rediss:// for TLS)',
    default: '$ENTITY_LENS_REDIS_URL',
  },
  queue: {
    kind: 'string',
    value: 'NAME',
    description: 'the queue (one per command and model)',
    default: DEFAULT_QUEUE,
  },
};

/** --redis, else $ENTITY_LENS_REDIS_URL; a UsageError when neither is a redis:// URL. */
export function redisUrl(args: ParsedArgs): string {
  const url = args.string('redis') ?? process.env.ENTITY_LENS_REDIS_URL;
  if (url === undefined || url === '') {
    throw new UsageError('--redis URL is required (or set ENTITY_LENS_REDIS_URL), e.g. --redis redis://127.0.0.1:6379');
  }
  if (!/^rediss?:\/\/[^/\s]/.test(url))
    throw new UsageError(`--redis must be a redis:// or rediss:// URL, not "${url}"`);
  return url;
}

export function queueName(args: ParsedArgs): string {
  const name = args.string('queue') ?? DEFAULT_QUEUE;
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new UsageError(`--queue must be letters, digits, ".", "_" or "-", not "${name}"`);
  return name;
}

/** A package of the queue, required on first use; a CliError when it is not installed. */
function load<T>(name: 'bullmq' | 'ioredis'): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (e) {
    throw new CliError(
      `the queue needs the ${name} package, which is not installed here (${errorText(e)}); ` +
        'install Entity Lens with npm, or use its container image.',
      2,
    );
  }
}

/** BullMQ, required on first use. */
export function bullmq(): typeof BullMQ {
  return load<typeof BullMQ>('bullmq');
}

/** URL without its password, for messages. */
export function displayUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Connects to Redis: rejects with a one-line CliError when the server cannot be reached at
 * first; afterwards the client reconnects by itself (a worker outlives a Redis restart).
 */
export async function connectRedis(url: string): Promise<Redis> {
  const IORedis = load<typeof import('ioredis')>('ioredis');
  let ready = false;
  let lastError: string | undefined;
  const options: RedisOptions = {
    lazyConnect: true,
    // BullMQ's workers need it; commands wait for a reconnect instead of failing
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
    retryStrategy: (times) => (ready ? Math.min(200 * times, 5000) : times > 3 ? null : 200 * times),
  };
  const client = new IORedis.Redis(url, options);
  client.on('error', (e: Error) => {
    lastError = errorText(e);
  });
  client.on('ready', () => {
    ready = true;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    throw new CliError(`cannot reach Redis at ${displayUrl(url)} (${lastError ?? errorText(e)}).`, 1);
  }
  return client;
}
