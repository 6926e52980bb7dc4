// `npm run bench:scale`: `entity-lens tag --jsonl` on the 90 CUAD test contracts with 1 and 2
// worker threads (or --workers 1,2,4), each run a fresh process of the built CLI fed the same
// JSON Lines file (written to a temporary folder, never into the repository). Runs alternate
// 1, 2, 2, 1, ... so both see the same machine load. Prints documents/s and tokens/s per worker
// count (whole run, and without the start-up measured on an empty input), peak RSS, how many cores
// the process kept busy (its CPU time over its wall time: on a loaded machine 2 workers cannot
// go faster than the cores they get), the speed-up over one worker, and whether every run wrote
// byte-identical output. Its peer, measured in the same rounds: a process of 1 and of 2 threads
// that only compute, and how many cores each gets (other jobs on the machine decide that: under
// Linux's autogroup scheduling a busy machine gives a process about the same CPU time whatever its
// thread count). Then, when redis-server is
// installed (scripts/redis.sh), the same documents through the queue: `queue add`, one
// `worker --concurrency N --until-empty`, `queue results`, timed against the pipe with N workers,
// and whether its results equal the pipe's. Figures only, no assertions.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot, readJsonl, tokenize } from '../src/model';

const CLI = path.join(packageRoot(), 'out', 'cli.js');
const DATA = path.resolve(packageRoot(), '..', 'shared', 'data', 'cuad.jsonl');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

interface Run {
  seconds: number;
  output: string;
  /** peak resident set size in MB, from /proc (sampled every 100 ms; 0 where /proc is missing) */
  peakMb: number;
  /** user + system CPU seconds of all its threads, from /proc (the last sample before exit) */
  cpuSeconds: number;
}

/** User + system CPU seconds of a process (all threads) so far, or 0 (clock ticks of 1/100 s). */
function cpuTime(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The process's peak RSS so far (VmHWM), in MB, or 0. */
function peakRss(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** One CLI process: wall time from spawn to exit, what it wrote, its peak RSS. */
function cliRun(args: string[], input: string | undefined, outFile: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: [input === undefined ? 'ignore' : fs.openSync(input, 'r'), fs.openSync(outFile, 'w'), 'pipe'],
    });
    let peakMb = 0;
    let cpuSeconds = 0;
    const sampler = setInterval(() => {
      peakMb = Math.max(peakMb, peakRss(child.pid));
      cpuSeconds = Math.max(cpuSeconds, cpuTime(child.pid));
    }, 100);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) reject(new Error(`entity-lens ${args.join(' ')} exited with ${code}: ${stderr}`));
      else resolve({ seconds, output: fs.readFileSync(outFile, 'utf8'), peakMb, cpuSeconds });
    });
  });
}

const tagRun = (input: string, workers: number, outFile: string): Promise<Run> =>
  cliRun(['tag', '--jsonl', '--workers', String(workers)], input, outFile);

/**
 * The peer of the worker counts, measured in the same run: how many cores a process of N threads
 * that only compute gets right now (CPU seconds over 3 s of wall time). On a machine whose cores
 * other jobs hold, this is what N workers can use at most, whatever the tagger does.
 */
function burnerCores(threads: number): Promise<number> {
  const code = `
    const { Worker } = require('node:worker_threads');
    const spin = 'const end = Date.now() + 3000; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);';
    const t0 = Date.now(), c0 = process.cpuUsage();
    let left = ${threads};
    for (let i = 0; i < ${threads}; i++) new Worker(spin, { eval: true }).on('exit', () => {
      if (--left > 0) return;
      const c = process.cpuUsage(c0);
      console.log((c.user + c.system) / 1e3 / (Date.now() - t0));
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.on('error', reject);
    child.on('close', () => resolve(Number(out.trim())));
  });
}

/** the middle value; the mean of the two middle ones for an even count (with 2 rounds, not the slower) */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  if (!fs.existsSync(DATA)) throw new Error(`${DATA} is missing: the bench needs ../shared/data`);
  const counts = option('workers', '1,2')
    .split(',')
    .map((s) => parseInt(s, 10))
    .filter((n) => n >= 1);
  const rounds = parseInt(option('rounds', '3'), 10);

  const docs = (await readJsonl(DATA)).docs.filter((d) => d.split === 'test');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-bench-scale-'));
  try {
    const input = path.join(tmp, 'cuad-test.jsonl');
    fs.writeFileSync(input, docs.map((d) => JSON.stringify({ id: d.id, text: d.text })).join('\n') + '\n');
    const empty = path.join(tmp, 'empty.jsonl');
    fs.writeFileSync(empty, '');
    const tokens = docs.reduce((n, d) => n + tokenize(d.text).length, 0);
    const chars = docs.reduce((n, d) => n + d.text.length, 0);
    console.log(
      `${docs.length} CUAD test contracts, ${tokens.toLocaleString('en-US')} tokens, ${(chars / 1e6).toFixed(1)} M characters; ` +
        `${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}); load average ${load()}`,
    );

    const times = new Map<number, number[]>(counts.map((n) => [n, []]));
    const startup = new Map<number, number[]>(counts.map((n) => [n, []]));
    const peaks = new Map<number, number[]>(counts.map((n) => [n, []]));
    const cpu = new Map<number, number[]>(counts.map((n) => [n, []]));
    const cpuSeconds = new Map<number, number[]>(counts.map((n) => [n, []]));
    const outputs = new Set<string>();
    const burner = new Map<number, number[]>(counts.map((n) => [n, []]));
    for (let round = 0; round < rounds; round++) {
      for (const n of counts) burner.get(n)!.push(await burnerCores(n));
      console.log(
        `  round ${round + 1}, a pure compute load gets: ` +
          counts.map((n) => `${n} thread${n === 1 ? '' : 's'} ${burner.get(n)!.at(-1)!.toFixed(2)} cores`).join(', '),
      );
      // 1, 2, ... then ..., 2, 1: each count sees early and late load alike
      const order = round % 2 === 0 ? counts : [...counts].reverse();
      for (const n of order) {
        const idle = await tagRun(empty, n, path.join(tmp, 'empty.out'));
        startup.get(n)!.push(idle.seconds);
        const r = await tagRun(input, n, path.join(tmp, `out-${n}.jsonl`));
        times.get(n)!.push(r.seconds);
        peaks.get(n)!.push(r.peakMb);
        cpu.get(n)!.push(r.cpuSeconds / r.seconds);
        cpuSeconds.get(n)!.push(r.cpuSeconds);
        outputs.add(r.output);
        console.log(
          `  round ${round + 1}, ${n} worker${n === 1 ? ' ' : 's'}: ${r.seconds.toFixed(2)} s (start-up ${idle.seconds.toFixed(2)} s), ` +
            `CPU ${r.cpuSeconds.toFixed(1)} s = ${(r.cpuSeconds / r.seconds).toFixed(2)} cores busy, load average ${load()}`,
        );
      }
    }

    const base = median(times.get(counts[0])!);
    const baseWork = base - median(startup.get(counts[0])!);
    console.log('');
    console.log(
      'workers  seconds  docs/s  tokens/s   docs/s w/o start-up  speed-up  ratio w/o start-up  peak RSS  cores busy  tokens per CPU-s',
    );
    for (const n of counts) {
      const t = median(times.get(n)!);
      const work = t - median(startup.get(n)!);
      console.log(
        `${String(n).padStart(7)}  ${t.toFixed(2).padStart(7)}  ${(docs.length / t).toFixed(2).padStart(6)}  ` +
          `${Math.round(tokens / t)
            .toLocaleString('en-US')
            .padStart(8)}   ${(docs.length / work).toFixed(2).padStart(19)}  ${(base / t).toFixed(2).padStart(7)}×  ` +
          `${(baseWork / work).toFixed(2).padStart(17)}×  ${String(Math.round(Math.max(...peaks.get(n)!))).padStart(5)} MB  ${median(cpu.get(n)!).toFixed(2).padStart(10)}  ${Math.round(
            tokens / median(cpuSeconds.get(n)!),
          )
            .toLocaleString('en-US')
            .padStart(16)}`,
      );
    }
    const burnBase = median(burner.get(counts[0])!);
    console.log(
      `the same-run peer, a pure compute load: ` +
        counts
          .map(
            (n) =>
              `${n} thread${n === 1 ? '' : 's'} got ${median(burner.get(n)!).toFixed(2)} cores (${(median(burner.get(n)!) / burnBase).toFixed(2)}×)`,
          )
          .join(', ') +
        ': the most more workers could gain now',
    );
    console.log('');
    console.log(
      outputs.size === 1
        ? `output: all ${rounds * counts.length} runs wrote byte-identical JSON Lines (${docs.length} lines)`
        : `output: the runs DIFFER (${outputs.size} distinct outputs)`,
    );
    console.log(`load average at the end ${load()}`);
    await queueRun(
      tmp,
      input,
      counts[counts.length - 1],
      [...outputs][0],
      median(times.get(counts[counts.length - 1])!),
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The same documents through the queue, if redis-server is installed: a Redis of our own
 * (scripts/redis.sh), `queue add`, one worker with `workers` threads until the queue is empty,
 * `queue results`; timed from add to the last result.
 */
async function queueRun(tmp: string, input: string, workers: number, pipeOutput: string, pipeSeconds: number) {
  const which = spawnSync('bash', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    console.log('\nqueue: skipped (redis-server is not installed; bash scripts/redis.sh install)');
    return;
  }
  const redisDir = path.join(tmp, 'redis');
  const script = path.join(packageRoot(), 'scripts', 'redis.sh');
  const url = spawnSync('bash', [script, 'start', redisDir], { encoding: 'utf8' }).stdout.trim();
  if (!url.startsWith('redis://')) {
    console.log('\nqueue: skipped (redis-server did not start)');
    return;
  }
  try {
    const q = ['--redis', url, '--queue', 'bench'];
    const out = path.join(tmp, 'queue.out');
    const t0 = process.hrtime.bigint();
    const added = await cliRun(['queue', 'add', ...q, input], undefined, out);
    const worked = await cliRun(['worker', ...q, '--concurrency', String(workers), '--until-empty'], undefined, out);
    const read = await cliRun(['queue', 'results', ...q], undefined, out);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const sorted = (text: string) => text.split('\n').filter(Boolean).sort().join('\n');
    console.log('');
    console.log(
      `queue: add ${added.seconds.toFixed(2)} s, worker (${workers} threads) ${worked.seconds.toFixed(2)} s, ` +
        `results ${read.seconds.toFixed(2)} s; ${seconds.toFixed(2)} s in all, ` +
        `${(pipeSeconds / seconds).toFixed(2)}× the speed of tag --jsonl --workers ${workers}; worker peak RSS ${Math.round(worked.peakMb)} MB`,
    );
    console.log(
      sorted(read.output) === sorted(pipeOutput)
        ? 'queue: its results are the lines tag --jsonl wrote (as a set; the queue writes them in finishing order)'
        : 'queue: its results DIFFER from the lines tag --jsonl wrote',
    );
  } finally {
    spawnSync('bash', [script, 'stop', redisDir]);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
