// The container recipe without a Docker engine: the Dockerfile's entry point (exec form, so the
// CLI gets signals itself) run as the command line it is, with /app standing for this folder:
// its default command prints the help, `tag --jsonl --workers 2` tags a stream, SIGTERM ends a
// stream at once with whole lines; and every file the image copies exists here or is built by
// esbuild.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from '../fixtures/paths';
import { finish, type Result } from '../fixtures/cli';

const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

/** The JSON array of an exec-form instruction (ENTRYPOINT, CMD) of the final stage. */
function execForm(instruction: string): string[] {
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const m = new RegExp(`^${instruction}\\s+(\\[.*\\])\\s*$`, 'm').exec(finalStage);
  assert.ok(m, `the final stage has no exec-form ${instruction}`);
  return JSON.parse(m[1]) as string[];
}

/** The entry point as this machine runs it: `node` is this Node, /app is the project folder. */
function entryPoint(): string[] {
  const [program, ...rest] = execForm('ENTRYPOINT');
  assert.equal(program, 'node');
  return rest.map((a) => a.replace(/^\/app\//, `${ROOT}/`));
}

function runImage(args: string[], stdin?: string) {
  const child = spawn(process.execPath, [...entryPoint(), ...args], {
    cwd: '/',
    env: { ...process.env, ENTITY_LENS_DEBUG: '' },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (stdin !== undefined) child.stdin?.end(stdin);
  return child;
}

test('the image runs the CLI: its default command prints the help', async () => {
  const r: Result = await finish(runImage(execForm('CMD')));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /usage: entity-lens <command>/);
  assert.match(r.stdout, /\btag\b[\s\S]*\bqueue\b[\s\S]*\bworker\b/);
});

test('the entry point tags a stream with two worker threads, as a pipe stage would', async () => {
  const input = [
    '{"id":"a","text":"This Agreement is dated May 5, 2024."}',
    'oops',
    '{"id":"b","text":"Paid on June 1, 2023."}',
  ]
    .map((l) => `${l}\n`)
    .join('');
  const r = await finish(runImage(['tag', '--jsonl', '--workers', '2'], input), 60_000);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: unknown; entities?: unknown[]; error?: string });
  assert.deepEqual(
    lines.map((l) => l.id),
    ['a', null, 'b'],
  );
  assert.ok(lines[0].entities!.length > 0);
  assert.match(lines[1].error!, /^line 2: invalid JSON/);
});

test('SIGTERM ends a stream at once, every line written whole', async () => {
  // stdin stays open: the stream waits for more records until the signal
  const child = spawn(process.execPath, [...entryPoint(), 'tag', '--jsonl', '--workers', '1'], {
    cwd: '/',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stdin.write('{"id":"one","text":"Dated May 5, 2024."}\n');
  for (let i = 0; i < 600 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  assert.equal(code, 143);
  assert.ok(out.endsWith('\n'));
  assert.equal((JSON.parse(out) as { id: string }).id, 'one');
});

test('every file the image copies is in the project or built by esbuild.mjs', () => {
  const esbuild = fs.readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8');
  const sources = [...dockerfile.matchAll(/^COPY --from=build (.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
  assert.ok(sources.length >= 5, sources.join(' '));
  for (const source of sources) {
    const rel = source.replace(/^\/src\//, '');
    if (rel === 'node_modules') continue; // npm ci in the build stage
    const built = /^out\/(.+)\.js$/.exec(rel);
    if (built) assert.ok(esbuild.includes(`'${built[1]}'`) || esbuild.includes(` ${built[1]}:`), `${rel} is not built`);
    else assert.ok(fs.existsSync(path.join(ROOT, rel)), `${rel} is missing`);
  }
  // the build context leaves local builds out, so the image builds its own
  const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['node_modules', 'out', 'out-test']) assert.ok(ignored.includes(entry), entry);
});
