// Shared pieces of the reliability suite (npm run test:reliability): how hard to push (full by
// default; RELIABILITY=quick for the CI run inside npm test), processes to start, kill and
// measure, and documents to tag. Every case asserts what is on disk afterwards.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT, DATA_DIR } from '../fixtures/paths';
import { syntheticContracts } from '../fixtures/contracts';

/** RELIABILITY=quick: fewer rounds and smaller sizes, for CI; anything else: the full suite. */
export const QUICK = process.env.RELIABILITY === 'quick';
export const pick = <T>(full: T, quick: T): T => (QUICK ? quick : full);

export const DOOR = path.join(ROOT, 'out-test', 'src', 'model', 'index.js');
export const CLI = path.join(ROOT, 'out-test', 'src', 'cli', 'main.js');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** peak resident set size (VmHWM) in MB, read from /proc while the process ran */
  peakMb: number;
  /** wall-clock seconds */
  seconds: number;
  /** user + system CPU seconds of the process (from /proc at its last sample) */
  cpuSeconds: number;
}

/** Starts `node args...` with stdout and stderr collected. */
export function startNode(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete e.ENTITY_LENS_DEBUG;
  return spawn(process.execPath, args, { cwd: ROOT, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
}

const CLOCK_TICKS = 100;

/** Waits for a process, sampling its peak memory and CPU time from /proc every 100 ms. */
export function finish(child: ChildProcess, timeoutMs = 30 * 60_000): Promise<Run> {
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  let peakKb = 0;
  let ticks = 0;
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const sample = async (): Promise<void> => {
    try {
      const status = await fs.readFile(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      const stat = await fs.readFile(`/proc/${child.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks = Math.max(ticks, Number(f[11]) + Number(f[12]));
    } catch {
      // gone already
    }
  };
  const sampler = setInterval(() => void sample(), 100);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms; stderr so far:\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(sampler);
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        peakMb: peakKb / 1024,
        seconds: (Date.now() - started) / 1000,
        cpuSeconds: ticks / CLOCK_TICKS,
      });
    });
  });
}

export const cli = (args: string[], timeoutMs?: number, env?: NodeJS.ProcessEnv) =>
  finish(startNode([CLI, ...args], env), timeoutMs);

/** Kills a child with SIGKILL and waits until it is gone (and reaped). */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded random source for the rounds (reproducible failures). */
export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** The load average now, for the figures a test prints. */
export async function loadAverage(): Promise<string> {
  return (await fs.readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}

/**
 * A contract-like text of about `bytes` bytes: CUAD contracts from ../shared/data one after
 * another (blank lines between), or synthetic contracts where that is absent. Written to `file`.
 */
export async function writeContractText(file: string, bytes: number): Promise<string> {
  const parts: string[] = [];
  let size = 0;
  const source = path.join(DATA_DIR, 'cuad.jsonl');
  let texts: string[];
  try {
    texts = (await fs.readFile(source, 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { text: string }).text);
  } catch {
    texts = syntheticContracts(2000, 3).map((d) => d.text);
  }
  for (let i = 0; size < bytes; i++) {
    const t = texts[i % texts.length];
    parts.push(t);
    size += t.length + 2;
  }
  const text = parts.join('\n\n').slice(0, bytes);
  await fs.writeFile(file, text);
  return file;
}
