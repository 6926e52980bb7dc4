// "Nothing leaves your machine: no network at run time, no telemetry" — checked, not said.
// Every process and thread of a CLI run (tag and eval on onnxruntime, train in its worker) runs
// under strace: no socket other than a local (AF_UNIX) one is created or connected, nothing is
// written outside the run's own folder (onnxruntime's telemetry database lives in
// ~/.cache/Microsoft/DeveloperTools/.onnxruntime/), and HOME stays empty.
// scripts/setup-test-tools.sh installs strace (npm run test:unit runs it).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { ROOT } from '../fixtures/paths';

const MAIN = path.join(ROOT, 'out-test', 'src', 'cli', 'main.js');
const HAS_STRACE = spawnSync('strace', ['-V']).status === 0;
const SKIP = HAS_STRACE ? false : 'strace is not installed: run scripts/setup-test-tools.sh';

/** The system calls that reach a network or change files. */
const TRACED =
  'trace=%network,openat,open,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,link,linkat,symlink,symlinkat,truncate';

export interface TraceResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** strace's lines, one system call each */
  calls: string[];
}

/** Runs `node args...` under `strace -f` with HOME (and the caches) in `home`. */
export async function traced(args: string[], home: string, log: string): Promise<TraceResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, '.cache') };
  delete env.ORT_DISABLE_TELEMETRY; // the engine must set it itself
  delete env.ENTITY_LENS_DEBUG;
  const child = spawn('strace', ['-f', '-qq', '-e', TRACED, '-o', log, process.execPath, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const calls = (await fs.readFile(log, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  return { code, stdout, stderr, calls };
}

/** Sockets that can leave the machine: any socket() or connect() that is not AF_UNIX. */
export function networkCalls(calls: string[]): string[] {
  return calls.filter((l) => /\b(socket|connect|socketpair)\(/.test(l) && !/AF_UNIX|AF_LOCAL/.test(l));
}

const WRITE_OPEN = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/;
const CHANGES = /\b(mkdir|mkdirat|rename|renameat2?|unlink|unlinkat|link|linkat|symlink|symlinkat|truncate|creat)\(/;

/** Paths written, created, renamed or removed outside `allowed` folders (and /dev/null). */
export function writesOutside(calls: string[], allowed: string[]): string[] {
  const out: string[] = [];
  for (const line of calls) {
    if (/ = -1 /.test(line)) continue; // failed calls change nothing
    const isOpen = /\b(openat|open)\(/.test(line);
    if (!(isOpen ? WRITE_OPEN.test(line) : CHANGES.test(line))) continue;
    for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      const p = path.resolve(ROOT, m[1]);
      if (p === '/dev/null' || allowed.some((a) => p === a || p.startsWith(`${a}${path.sep}`))) continue;
      out.push(line);
      break;
    }
  }
  return out;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isDirectory()) out.push(path.join(e.parentPath, e.name));
  }
  return out;
}

describe('no network, no telemetry: every process of a CLI run, traced', { skip: SKIP }, () => {
  let work = '';
  let home = '';
  let runs = 0;
  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-offline-'));
    home = path.join(work, 'home');
    await fs.mkdir(home);
    const sentence = (i: number) =>
      `This Agreement is made on March ${(i % 28) + 1}, 2021 between Acme Corp and Beta LLC.`;
    const docs = Array.from({ length: 30 }, (_, i) => {
      const text = sentence(i);
      const date = `March ${(i % 28) + 1}, 2021`;
      const start = text.indexOf(date);
      return JSON.stringify({ text, spans: [{ start, end: start + date.length, label: 'DATE' }] });
    });
    await fs.writeFile(path.join(work, 'data.jsonl'), docs.join('\n') + '\n');
    await fs.writeFile(path.join(work, 'contract.txt'), `${sentence(3)}\nBeta LLC shall pay Acme Corp $5,000.\n`);
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  async function check(args: string[]): Promise<TraceResult> {
    const r = await traced([MAIN, ...args], home, path.join(work, `trace-${runs++}.txt`));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.calls.length > 0, 'strace saw the run');
    assert.deepEqual(networkCalls(r.calls), [], 'a socket that can leave the machine');
    assert.deepEqual(writesOutside(r.calls, [work]), [], 'a write outside the run folder');
    assert.deepEqual(await filesUnder(home), [], 'files in HOME (onnxruntime telemetry?)');
    return r;
  }

  test('tag with onnxruntime', async () => {
    const r = await check(['tag', '--runtime', 'onnx', '--json', path.join(work, 'contract.txt')]);
    assert.match(r.stdout, /"label":"DATE"/);
  });

  test('train (in a worker thread), then eval and export with the trained model', async () => {
    const out = path.join(work, 'model');
    const data = path.join(work, 'data.jsonl');
    await check(['train', '--data', data, '--dev', data, '--out', out, '--epochs', '1', '--hidden', '8']);
    await check(['eval', '--model', out, '--data', data, '--runtime', 'onnx']);
    await check(['export', '--model', out]);
  });
});
