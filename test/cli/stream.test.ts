// `entity-lens tag --jsonl` as a pipe stage, run as a child process with the embedded default
// model: one line per record in input order with the model's identity; the same entities as
// `tag --json`; bad records (not JSON, a missing file, a binary file, a 50 MB text) give an error
// line and the stream goes on; --workers 2 writes exactly what --workers 1 writes; each answer
// is written before the next record arrives; a closed stdout ends the stream quietly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { modelIdentity } from '../../src/model/nn/model-identity';
import { defaultModelDir } from '../../src/model/io/paths';
import { syntheticContracts } from '../fixtures/contracts';
import { pdfWithText } from '../fixtures/documents';
import { DATA_DIR } from '../fixtures/paths';
import { assertNoStack, finish, start, type Result } from '../fixtures/cli';

let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-stream-'));
  env = { ENTITY_LENS_CACHE_DIR: path.join(dir, 'cache') };
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function tagJsonl(input: string | Buffer, ...flags: string[]): Promise<Result> {
  return finish(start(['tag', '--jsonl', ...flags], { stdin: input, env }), 120_000);
}

const jsonl = (records: unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

interface Line {
  id: string | number | null;
  path?: string;
  line?: number;
  model: { name: string; version: string; hash: string };
  entities?: { label: string; start: number; end: number; text: string; page?: number; box?: number[] }[];
  error?: string;
}

function parseLines(stdout: string): Line[] {
  assert.ok(stdout === '' || stdout.endsWith('\n'), 'the output ends with a newline');
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
}

const contract =
  'This Services Agreement is made on March 3, 2021 between Northwind Traders Ltd. and Contoso Inc. ' +
  'Northwind Traders Ltd. shall pay Contoso Inc. within thirty (30) days. This Agreement is governed by the laws of the State of New York.';

test('records with text, a text file and a PDF: one line each, in order, with the model and its hash', async () => {
  const txt = path.join(dir, 'contract.txt');
  await fs.writeFile(txt, contract);
  const pdf = path.join(dir, 'contract.pdf');
  await fs.writeFile(pdf, await pdfWithText([[{ text: contract.slice(0, 96), x: 50, y: 80 }]]));
  const r = await tagJsonl(
    jsonl([
      { id: 'text', text: contract },
      { id: 2, path: txt },
      { id: 'pdf', path: pdf },
    ]),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = parseLines(r.stdout);
  assert.deepEqual(
    lines.map((l) => l.id),
    ['text', 2, 'pdf'],
  );
  const identity = await modelIdentity(defaultModelDir());
  for (const l of lines) assert.deepEqual(l.model, identity);
  assert.deepEqual(Object.keys(lines[0]), ['id', 'model', 'entities']);
  assert.deepEqual(Object.keys(lines[1]), ['id', 'path', 'model', 'entities']);
  assert.ok(lines[0].entities!.some((e) => e.label === 'DATE' && e.text === 'March 3, 2021'));
  for (const e of lines[0].entities!) assert.equal(contract.slice(e.start, e.end), e.text);
  // a path is read as `tag` reads it: the same entities as `tag --json FILE`
  const single = await finish(start(['tag', '--json', txt], { env }), 60_000);
  assert.equal(single.code, 0, single.stderr);
  assert.deepEqual(lines[1].entities, JSON.parse(single.stdout).entities);
  assert.deepEqual(lines[0].entities, lines[1].entities);
  // a PDF's entities carry their page and box
  assert.ok(lines[2].entities!.length > 0, JSON.stringify(lines[2]));
  for (const e of lines[2].entities!) {
    assert.equal(e.page, 1);
    assert.equal(e.box?.length, 4);
  }
});

test('bad input: an error line for that record, and the stream goes on', async () => {
  const binary = path.join(dir, 'weights.bin');
  await fs.writeFile(binary, Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10, 0x00, 0x00]));
  const bigFile = path.join(dir, 'big.txt');
  const big = 'The Parties agree. '.repeat(Math.ceil(50_000_000 / 19)).slice(0, 50_000_000);
  await fs.writeFile(bigFile, big);
  const good = (id: string) => JSON.stringify({ id, text: contract });
  const input = [
    good('g1'),
    'this is not JSON',
    good('g2'),
    JSON.stringify({ id: 'missing', path: path.join(dir, 'no-such-file.txt') }),
    good('g3'),
    JSON.stringify({ id: 'binary', path: binary }),
    good('g4'),
    JSON.stringify({ id: 'huge-text', text: big }),
    good('g5'),
    JSON.stringify({ id: 'huge-file', path: bigFile }),
    '',
    JSON.stringify({ text: 'no id' }),
    '[1, 2, 3]',
    good('g6'),
    '{"id": "torn", "text": "cut off in the mid',
  ].join('\n');
  const r = await tagJsonl(input);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = parseLines(r.stdout);
  assert.deepEqual(
    lines.map((l) => l.id),
    ['g1', null, 'g2', 'missing', 'g3', 'binary', 'g4', 'huge-text', 'g5', 'huge-file', null, null, 'g6', null],
  );
  for (const l of lines) {
    if (typeof l.id === 'string' && l.id.startsWith('g')) {
      assert.ok(l.entities && l.entities.length > 0 && l.error === undefined, JSON.stringify(l));
    } else {
      assert.equal(l.entities, undefined);
      assert.equal(typeof l.error, 'string');
      assert.doesNotMatch(l.error!, /\n/);
    }
  }
  const error = (id: string | null, n = 0) => lines.filter((l) => l.id === id)[n].error!;
  assert.match(error(null, 0), /^line 2: invalid JSON/);
  assert.equal(lines[1].line, 2);
  assert.match(error('missing'), /no-such-file\.txt: no such file/);
  assert.match(error('binary'), /weights\.bin: looks like a binary file/);
  assert.match(error('huge-text'), /50,000,000 characters, more than the limit of 20,000,000 \(--max-chars\)/);
  assert.match(error('huge-file'), /big\.txt: .*50,000,000 characters, more than the limit of 20,000,000/);
  assert.match(error(null, 1), /^line 12: missing "id"/);
  assert.match(error(null, 2), /^line 13: expected a JSON object/);
  assert.match(error(null, 3), /^line 15: invalid JSON .*the input ends in the middle of it/);
});

test('a line longer than the limit is refused without being read into memory, and the next is tagged', async () => {
  // --max-chars 1000: lines up to 4 × 1000 bytes + 1 MB are read, this one (2.5 MB) is not
  const long = JSON.stringify({ id: 'long', text: 'x'.repeat(2_500_000) });
  const r = await tagJsonl(`${long}\n${JSON.stringify({ id: 'next', text: contract })}\n`, '--max-chars', '1000');
  assert.equal(r.code, 0, r.stderr);
  const lines = parseLines(r.stdout);
  assert.equal(lines.length, 2);
  assert.match(lines[0].error!, /^line 1: the line is 2\.4 MB, more than the limit of 1\.0 MB \(--max-chars\)$/);
  assert.ok(lines[1].entities!.length > 0);
});

test('--workers 2 writes exactly what --workers 1 writes', async () => {
  const docs = syntheticContracts(40, 17);
  const txt = path.join(dir, 'one.txt');
  await fs.writeFile(txt, contract);
  const records: unknown[] = docs.map((d, i) => ({ id: `c${i}`, text: d.text }));
  records.splice(7, 0, { id: 'file', path: txt });
  records.splice(20, 0, { id: 'gone', path: path.join(dir, 'gone.txt') });
  const input = jsonl(records) + 'not json\n' + jsonl([{ id: 'last', text: contract }]);
  const one = await tagJsonl(input, '--workers', '1');
  const two = await tagJsonl(input, '--workers', '2');
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.equal(parseLines(one.stdout).length, 44);
  assert.ok(two.stdout === one.stdout, 'the outputs differ');
});

test(
  'real contracts: --workers 2 writes what --workers 1 writes on 12 CUAD test contracts (bench:scale: all 90)',
  { skip: !existsSync(path.join(DATA_DIR, 'cuad.jsonl')) },
  async () => {
    const records: unknown[] = [];
    for (const line of (await fs.readFile(path.join(DATA_DIR, 'cuad.jsonl'), 'utf8')).split('\n')) {
      if (records.length === 12) break;
      if (line.trim() === '') continue;
      const doc = JSON.parse(line) as { id: string; text: string; split?: string };
      if (doc.split === 'test') records.push({ id: doc.id, text: doc.text });
    }
    const input = jsonl(records);
    const one = await tagJsonl(input, '--workers', '1');
    const two = await tagJsonl(input, '--workers', '2');
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    const lines = parseLines(one.stdout);
    assert.equal(lines.length, 12);
    assert.ok(lines.every((l) => (l.entities?.length ?? 0) > 0));
    assert.ok(two.stdout === one.stdout, 'the outputs differ');
  },
);

/** Writes records one at a time and reads each answer before writing the next. */
async function conversation(workers: string): Promise<void> {
  const child = start(['tag', '--jsonl', '--workers', workers], { stdin: 'pipe', env });
  let buffered = '';
  const pending: ((line: string) => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    buffered += s;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      pending.shift()?.(line);
    }
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const ask = (record: unknown) =>
    new Promise<Line>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within 60 s; stderr: ${stderr}`)), 60_000);
      pending.push((line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Line);
      });
      child.stdin!.write(`${JSON.stringify(record)}\n`);
    });
  try {
    for (let i = 0; i < 3; i++) {
      const answer = await ask({ id: `q${i}`, text: contract });
      assert.equal(answer.id, `q${i}`);
      assert.ok(answer.entities!.length > 0);
    }
    assert.match((await ask({ id: 'bad', path: path.join(dir, 'absent.txt') })).error!, /no such file/);
  } finally {
    child.stdin!.end();
  }
  assert.equal(await exited, 0, stderr);
}

test('each answer is written as soon as it is done, before the next record arrives (one worker and two)', async () => {
  await conversation('1');
  await conversation('2');
});

// long records keep the worker threads inside onnxruntime most of the time: tearing a thread
// down there aborts the process ("terminate called after throwing an instance of
// 'Napi::Error'"), so these also check that early exits let the threads stop between batches
const longRecords = (n: number) => jsonl(Array.from({ length: n }, (_, i) => ({ id: i, text: contract.repeat(60) })));

test('a reader that closes the pipe early ends the stream quietly', async () => {
  const input = longRecords(200);
  for (const workers of ['1', '2', '2', '2']) {
    const child = start(['tag', '--jsonl', '--workers', workers], { stdin: input, env });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const first = await new Promise<string>((resolve) =>
      child.stdout!.once('data', (b: Buffer) => resolve(b.toString())),
    );
    assert.match(first, /^\{"id":0,/);
    child.stdout!.destroy(); // like `| head -1`
    const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
      child.on('close', (c, sig) => r([c, sig])),
    );
    assert.deepEqual([code, signal], [0, null], `workers ${workers}: ${stderr}`);
    assert.equal(stderr, '');
  }
});

test('SIGTERM and Ctrl-C stop a busy stream at once with whole lines (exit 143, 130)', async () => {
  for (const [signal, expected] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    const child = start(['tag', '--jsonl', '--workers', '2'], { stdin: longRecords(200), env });
    let out = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    for (let i = 0; i < 600 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill(signal);
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    assert.equal(code, expected, stderr);
    assert.equal(stderr, '');
    assert.ok(out.endsWith('\n'), 'a torn last line');
    const ids = parseLines(out).map((l) => l.id);
    assert.deepEqual(
      ids,
      ids.map((_, i) => i),
    );
    assert.ok(ids.length < 200, `${signal}: it did not stop`);
  }
});

test('usage: FILE with --jsonl, stream flags without it, and a bad model folder are one-line errors', async () => {
  const cases: [string[], RegExp, number][] = [
    [['tag', '--jsonl', 'a.txt'], /--jsonl reads records from standard input: give no FILE/, 2],
    [['tag', '--workers', '2', 'a.txt'], /--workers needs --jsonl/, 2],
    [['tag', '--jsonl', '--json'], /drop --json/, 2],
    [['tag', '--jsonl', '--workers', '0'], /--workers must be at least 1/, 2],
    [['tag'], /missing FILE/, 2],
    [['tag', '--jsonl', '--model', path.join(dir, 'no-model')], /no-model/, 2],
    [['tag', '--jsonl', '--workers', '2', '--model', path.join(dir, 'no-model')], /no-model/, 2],
  ];
  for (const [args, message, code] of cases) {
    const r = await finish(start(args, { stdin: '', env }), 60_000);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
    assertNoStack(r.stderr);
  }
});
