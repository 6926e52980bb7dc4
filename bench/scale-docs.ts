// `npm run bench:scale-docs`: `entity-lens tag --json` on one large contract-like document of
// 1, 5, 25 and 50 MB (or --sizes 1,10), each a fresh process of the built CLI run under
// /usr/bin/time -v: wall time, CPU time (user + system), peak RSS (maximum resident set size) and
// the number of entities. The documents are the CUAD contracts of ../shared/data/cuad.jsonl one
// after another with a blank line between them, cut to the size (the reliability suite's
// 50 MB case builds the same text), written to a temporary folder, never into the repository.
// Its peer, measured in the same run: the 1 MB document tagged again right before each larger
// size, so each size's wall time and CPU time are also given per MB relative to that 1 MB run
// (1.00 = linear growth). On a loaded machine the wall time depends on what other jobs leave
// this process; the CPU time much less. The load average is printed before and after each run. Figures only, no assertions (the goal, 50 MB in at most 60 s and 1 GB,
// is checked by a person reading them; test/reliability/scale.test.ts asserts the memory bound).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot, readJsonl } from '../src/model';

const CLI = path.join(packageRoot(), 'out', 'cli.js');
const DATA = path.resolve(packageRoot(), '..', 'shared', 'data', 'cuad.jsonl');
const TIME = '/usr/bin/time';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

interface Run {
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
  entities: number;
}

/** Reads one "Label: value" line of GNU time's -v report. */
function field(report: string, label: string): string {
  const line = report.split('\n').find((l) => l.trim().startsWith(`${label}:`));
  if (!line) throw new Error(`no "${label}" in the report of ${TIME} -v:\n${report}`);
  return line.slice(line.indexOf(label) + label.length + 1).trim();
}

/** "1:02.34" or "1:02:03" (GNU time's elapsed wall clock) in seconds. */
function clockSeconds(s: string): number {
  return s.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

/** `entity-lens tag --json FILE` under /usr/bin/time -v; the JSON goes to `outFile`. */
function tagRun(file: string, outFile: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-v', process.execPath, CLI, 'tag', '--json', file], {
      stdio: ['ignore', fs.openSync(outFile, 'w'), 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`entity-lens tag --json ${file} exited with ${code}: ${stderr}`));
      const out = JSON.parse(fs.readFileSync(outFile, 'utf8')) as { entities: unknown[] };
      resolve({
        seconds: clockSeconds(field(stderr, 'Elapsed (wall clock) time (h:mm:ss or m:ss)')),
        cpuSeconds: Number(field(stderr, 'User time (seconds)')) + Number(field(stderr, 'System time (seconds)')),
        peakMb: Number(field(stderr, 'Maximum resident set size (kbytes)')) / 1024,
        entities: out.entities.length,
      });
    });
  });
}

/** The contract text of `chars` characters: CUAD contracts one after another, blank lines between. */
function contractText(texts: readonly string[], chars: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const t = texts[i % texts.length];
    parts.push(t);
    size += t.length + 2;
  }
  return parts.join('\n\n').slice(0, chars);
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  if (!fs.existsSync(DATA)) throw new Error(`${DATA} is missing: the bench needs ../shared/data`);
  if (!fs.existsSync(TIME)) throw new Error(`${TIME} is missing: apt-get install time`);
  const sizes = option('sizes', '1,5,25,50')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const texts = (await readJsonl(DATA)).docs.map((d) => d.text);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-bench-scale-docs-'));
  try {
    const out = path.join(tmp, 'out.json');
    const one = path.join(tmp, 'contract-1mb.txt');
    fs.writeFileSync(one, contractText(texts, 1_000_000));
    console.log(
      `entity-lens tag --json on CUAD contracts concatenated to ${sizes.join(', ')} MB (10^6 characters); ` +
        `${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}); node ${process.version}`,
    );
    console.log(
      '| size | wall s | CPU s | peak RSS MB | entities | 1 MB peer: wall s, CPU s | per MB / peer: wall, CPU | load before → after |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const mb of sizes) {
      const file = mb === 1 ? one : path.join(tmp, `contract-${mb}mb.txt`);
      if (mb !== 1) fs.writeFileSync(file, contractText(texts, mb * 1_000_000));
      const before = load();
      const peer = await tagRun(one, out);
      const run = mb === 1 ? peer : await tagRun(file, out);
      const after = load();
      const wallRatio = run.seconds / mb / peer.seconds;
      const cpuRatio = run.cpuSeconds / mb / peer.cpuSeconds;
      console.log(
        `| ${mb} MB | ${run.seconds.toFixed(1)} | ${run.cpuSeconds.toFixed(1)} | ${run.peakMb.toFixed(0)} | ` +
          `${run.entities.toLocaleString('en-US')} | ${peer.seconds.toFixed(1)}, ${peer.cpuSeconds.toFixed(1)} | ` +
          `${wallRatio.toFixed(2)}, ${cpuRatio.toFixed(2)} | ${before} → ${after} |`,
      );
      if (mb !== 1) fs.rmSync(file);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
