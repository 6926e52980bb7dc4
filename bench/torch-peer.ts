// Launches the PyTorch peer (bench/torch_peer.py): the same architecture on the same data,
// timed in the same run as our own stacks. Debian's python3-torch links libblas.so.3, which
// may be the slow reference BLAS; the peer therefore runs with OpenBLAS's directory first on
// LD_LIBRARY_PATH (for the child process only) and reports the BLAS it used and its matmul
// speed, so a slow peer is visible rather than silently flattering.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/model';

/** The peer's JSON line (see bench/torch_peer.py). */
export interface TorchPeerResult {
  torch: string;
  /** the BLAS library the process mapped, e.g. "OpenBLAS 0.3.21 ... (/usr/lib/.../libblas.so.3)" */
  blas: string;
  /** 1024³ float32 matmul, GFLOP/s: tells which BLAS the peer got (README, Performance) */
  matmulGflops: number;
  threads: number;
  /** one figure per repeat */
  trainSentencesPerSec: number[];
  trainMedian: number;
  /** the document tagged as one sequence (B = 1), median of 5 */
  tagDocMs: number;
  /** the document tagged as its sentence chunks in one batch, median of 5 */
  tagDocChunksMs: number;
  /** one sentence, median of 20 */
  tagSentenceMs: number;
  peakRssMb: number;
}

export interface TorchPeerOptions {
  threads: number;
  repeats: number;
  /**
   * Directory put first on the child's LD_LIBRARY_PATH instead of OpenBLAS's (e.g.
   * "/usr/lib/x86_64-linux-gnu/blas" to measure Debian's reference BLAS), or "" for none.
   */
  blasDir?: string;
  /** kill the peer after this long; default 30 minutes */
  timeoutMs?: number;
  /** forward the peer's stderr (BLAS, per-repeat figures) to ours; default true */
  verbose?: boolean;
}

const PYTHON = '/usr/bin/python3';

interface RunOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: Error;
  timedOut: boolean;
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { cwd?: string; timeoutMs?: number; onStderr?: (chunk: string) => void } = {},
): Promise<RunOutput> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let error: Error | undefined;
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs)
        : undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
      opts.onStderr?.(d);
    });
    child.on('error', (e) => (error = e));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, error, timedOut });
    });
  });
}

function tail(s: string, lines = 15): string {
  return s.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The environment for /usr/bin/python3: no pyenv/virtualenv Python paths leaking in. */
function pythonEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.PYTHONHOME;
  delete env.PYTHONPATH;
  delete env.VIRTUAL_ENV;
  return env;
}

async function hasTorch(): Promise<boolean> {
  if (!fs.existsSync(PYTHON)) return false;
  const r = await run(PYTHON, ['-c', 'import torch'], pythonEnv({}), { timeoutMs: 120_000 });
  return r.code === 0;
}

/** OpenBLAS's libblas.so.3 directory (Debian multiarch layout), OpenMP flavour first. */
function findOpenblasDir(): string | undefined {
  const roots = ['/usr/lib', '/usr/lib64'];
  const candidates: string[] = [];
  for (const root of roots) {
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(root);
    } catch {
      continue;
    }
    for (const flavour of ['openblas-openmp', 'openblas-pthread', 'openblas-serial']) {
      candidates.push(path.join(root, flavour));
      for (const e of entries) if (e.endsWith('-linux-gnu')) candidates.push(path.join(root, e, flavour));
    }
  }
  candidates.sort((a, b) => flavourRank(a) - flavourRank(b));
  return candidates.find((d) => fs.existsSync(path.join(d, 'libblas.so.3')));
}

function flavourRank(dir: string): number {
  return ['openblas-openmp', 'openblas-pthread', 'openblas-serial'].indexOf(path.basename(dir));
}

/** Runs scripts/install-torch-peer.sh; returns its OPENBLAS_DIR or an error message. */
async function install(root: string): Promise<{ openblasDir: string } | { error: string }> {
  const script = path.join(root, 'scripts', 'install-torch-peer.sh');
  if (!fs.existsSync(script)) return { error: `${script} not found` };
  process.stderr.write('[torch-peer] installing PyTorch + OpenBLAS with scripts/install-torch-peer.sh\n');
  const r = await run('bash', [script], process.env, { cwd: root, timeoutMs: 30 * 60_000 });
  if (r.code !== 0 || r.error) {
    return {
      error: `install-torch-peer.sh failed (${r.error?.message ?? `exit ${r.code}`}): ${tail(r.stderr + r.stdout)}`,
    };
  }
  const m = /^OPENBLAS_DIR=(.+)$/m.exec(r.stdout);
  if (!m) return { error: `install-torch-peer.sh printed no OPENBLAS_DIR line: ${tail(r.stdout)}` };
  return { openblasDir: m[1].trim() };
}

function isResult(x: unknown): x is TorchPeerResult {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  const nums = ['matmulGflops', 'threads', 'trainMedian', 'tagDocMs', 'tagDocChunksMs', 'tagSentenceMs', 'peakRssMb'];
  return (
    typeof r.torch === 'string' &&
    typeof r.blas === 'string' &&
    nums.every((k) => typeof r[k] === 'number') &&
    Array.isArray(r.trainSentencesPerSec) &&
    r.trainSentencesPerSec.every((v) => typeof v === 'number')
  );
}

/**
 * Runs the PyTorch peer on `workload` (the JSON documented in bench/torch_peer.py) and
 * returns its figures, or `{ unavailable }` with the reason it could not run. Installs
 * python3-torch + libopenblas0-openmp through apt when missing, unless
 * ENTITY_LENS_NO_INSTALL=1.
 */
export async function runTorchPeer(
  workload: object,
  options: TorchPeerOptions,
): Promise<TorchPeerResult | { unavailable: string }> {
  if (process.platform !== 'linux')
    return { unavailable: `the PyTorch peer needs Linux (Debian's python3-torch), not ${process.platform}` };
  let root: string;
  try {
    root = packageRoot();
  } catch (e) {
    return { unavailable: e instanceof Error ? e.message : String(e) };
  }
  const script = path.join(root, 'bench', 'torch_peer.py');
  if (!fs.existsSync(script)) return { unavailable: `${script} not found` };
  const threads = Math.max(1, Math.floor(options.threads));
  const repeats = Math.max(1, Math.floor(options.repeats));

  let torchOk = await hasTorch();
  let openblasDir = findOpenblasDir();
  let installError = '';
  if (!torchOk || (!openblasDir && options.blasDir === undefined)) {
    if (process.env.ENTITY_LENS_NO_INSTALL === '1') {
      if (!torchOk)
        return { unavailable: `${PYTHON} cannot import torch and ENTITY_LENS_NO_INSTALL=1 forbids installing it` };
    } else {
      const r = await install(root);
      if ('error' in r) {
        installError = ` (${r.error})`;
        torchOk = await hasTorch();
        if (!torchOk) return { unavailable: r.error };
      } else {
        openblasDir = r.openblasDir;
        torchOk = await hasTorch();
      }
      if (!torchOk) return { unavailable: `${PYTHON} still cannot import torch after scripts/install-torch-peer.sh` };
    }
  }
  const blasDir = options.blasDir ?? openblasDir;
  if (blasDir === undefined) {
    return {
      unavailable:
        'OpenBLAS (libopenblas0-openmp) not found: PyTorch would run on the reference BLAS and look ~9x slower ' +
        `than it is${installError}`,
    };
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-torch-peer-'));
  try {
    const file = path.join(tmp, 'workload.json');
    fs.writeFileSync(file, JSON.stringify(workload));
    const ld = [blasDir, process.env.LD_LIBRARY_PATH].filter((s): s is string => !!s).join(':');
    const env = pythonEnv({
      OMP_NUM_THREADS: String(threads),
      OPENBLAS_NUM_THREADS: String(threads),
      MKL_NUM_THREADS: String(threads),
      ...(ld ? { LD_LIBRARY_PATH: ld } : {}),
    });
    if (!ld) delete env.LD_LIBRARY_PATH;
    const verbose = options.verbose ?? true;
    const r = await run(
      PYTHON,
      [script, '--workload', file, '--threads', String(threads), '--repeats', String(repeats)],
      env,
      {
        cwd: root,
        timeoutMs: options.timeoutMs ?? 30 * 60_000,
        onStderr: verbose ? (d) => process.stderr.write(d) : undefined,
      },
    );
    if (r.timedOut) return { unavailable: `the PyTorch peer timed out after ${options.timeoutMs ?? 30 * 60_000} ms` };
    if (r.error) return { unavailable: `cannot run ${PYTHON}: ${r.error.message}` };
    if (r.code !== 0) {
      return { unavailable: `the PyTorch peer failed (${r.signal ?? `exit ${r.code}`}): ${tail(r.stderr)}` };
    }
    const line = r.stdout
      .trim()
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{'));
    if (!line) return { unavailable: `the PyTorch peer printed no JSON line: ${tail(r.stdout + r.stderr)}` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      return { unavailable: `the PyTorch peer printed bad JSON (${(e as Error).message}): ${line.slice(0, 300)}` };
    }
    if (!isResult(parsed)) return { unavailable: `unexpected result from the PyTorch peer: ${line.slice(0, 300)}` };
    return parsed;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
