// `entity-lens fields --jsonl` as a pipe stage, run as a child process with the default model:
// one line of fields per record in input order with the model's identity (its field chooser's too), the same fields as
// `fields --json FILE`, a PDF's values with their page; bad records give an error line and the
// stream goes on; --workers 2 writes exactly what --workers 1 writes; the usage errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fieldsModelIdentity } from '../../src/model/fields/chooser';
import { defaultModelDir } from '../../src/model/io/paths';
import { pdfWithText } from '../fixtures/documents';
import { ROOT } from '../fixtures/paths';
import { assertNoStack, finish, start, type Result } from '../fixtures/cli';

const SAMPLES = path.join(ROOT, 'samples', 'workspace');
const INVOICE = path.join(SAMPLES, 'invoices', 'invoice-FOS-2026-0117.txt');
const RECEIPT = path.join(SAMPLES, 'invoices', 'receipt-CS2604-00142.txt');
const CONTRACT = path.join(SAMPLES, 'contracts', 'services-agreement.md');

let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-fields-stream-'));
  env = { ENTITY_LENS_CACHE_DIR: path.join(dir, 'cache') };
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function fieldsJsonl(input: string, ...flags: string[]): Promise<Result> {
  return finish(start(['fields', '--jsonl', ...flags], { stdin: input, env }), 180_000);
}

const jsonl = (records: unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

interface Line {
  id: string | number | null;
  path?: string;
  model: { name: string; version: string; hash: string };
  kind?: string;
  fields?: Record<string, { value: string; text: string; start: number; end: number; page?: number }[]>;
  checks?: { code: string; message: string }[];
  error?: string;
}

const parseLines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

test('records with text, files and a PDF: one line of fields each, in order, as fields --json gives them', async () => {
  const invoice = await fs.readFile(INVOICE, 'utf8');
  const pdf = path.join(dir, 'invoice.pdf');
  await fs.writeFile(
    pdf,
    await pdfWithText([
      invoice
        .split('\n')
        .slice(0, 30)
        .map((t, i) => ({ text: t, x: 50, y: 60 + 14 * i })),
    ]),
  );
  const r = await fieldsJsonl(
    jsonl([
      { id: 'text', text: invoice },
      { id: 2, path: RECEIPT },
      { id: 'contract', path: CONTRACT },
      { id: 'pdf', path: pdf },
    ]),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = parseLines(r.stdout);
  assert.deepEqual(
    lines.map((l) => [l.id, l.kind]),
    [
      ['text', 'invoice'],
      [2, 'receipt'],
      ['contract', 'contract'],
      ['pdf', 'invoice'],
    ],
  );
  const identity = await fieldsModelIdentity(defaultModelDir());
  for (const l of lines) assert.deepEqual(l.model, identity);
  assert.deepEqual(Object.keys(lines[0]), ['id', 'model', 'kind', 'fields', 'checks']);
  assert.deepEqual(Object.keys(lines[1]), ['id', 'path', 'model', 'kind', 'fields', 'checks']);
  assert.equal(lines[0].fields!.total[0].value, '5798.28');
  // a path is read as `fields` reads it: the same fields and checks as `fields --json FILE`
  const single = await finish(start(['fields', '--json', INVOICE, RECEIPT, CONTRACT], { env }), 120_000);
  assert.equal(single.code, 0, single.stderr);
  const files = single.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { fields: unknown; checks: unknown });
  assert.deepEqual(lines[0].fields, files[0].fields);
  assert.deepEqual(lines[1].fields, files[1].fields);
  assert.deepEqual(lines[2].fields, files[2].fields);
  assert.deepEqual(lines[2].checks, files[2].checks);
  // the PDF's values carry their page
  assert.equal(lines[3].fields!.invoice_number[0]?.value, 'FOS-2026-0117');
  for (const values of Object.values(lines[3].fields!)) for (const v of values) assert.equal(v.page, 1);
});

test('--kind and --fields apply to every record; bad records get an error line and the stream goes on', async () => {
  const config = path.join(dir, 'fields.json');
  await fs.writeFile(config, JSON.stringify({ receipt: { iban: false, bic: false } }));
  const receipt = await fs.readFile(RECEIPT, 'utf8');
  const r = await fieldsJsonl(
    [
      JSON.stringify({ id: 'a', text: receipt }),
      'not JSON',
      JSON.stringify({ id: 'missing', path: path.join(dir, 'no-such-file.txt') }),
      JSON.stringify({ id: 'b', path: INVOICE }),
    ].join('\n'),
    '--kind',
    'receipt',
    '--fields',
    config,
  );
  assert.equal(r.code, 0, r.stderr);
  const lines = parseLines(r.stdout);
  assert.deepEqual(
    lines.map((l) => l.id),
    ['a', null, 'missing', 'b'],
  );
  assert.equal(lines[0].kind, 'receipt');
  assert.equal(lines[3].kind, 'receipt', 'the invoice read as a receipt (--kind)');
  for (const l of [lines[0], lines[3]]) {
    assert.equal(l.fields!.iban, undefined, 'iban removed by fields.json');
    assert.ok(l.fields!.total.length === 1);
  }
  assert.match(lines[1].error!, /^line 2: invalid JSON/);
  assert.match(lines[2].error!, /no-such-file\.txt: no such file/);
  assert.equal(lines[2].fields, undefined);
});

test('--workers 2 writes exactly what --workers 1 writes', async () => {
  const records = [];
  for (let i = 0; i < 4; i++)
    for (const p of [INVOICE, RECEIPT, CONTRACT]) records.push({ id: `${i}-${path.basename(p)}`, path: p });
  const one = await fieldsJsonl(jsonl(records), '--workers', '1');
  const two = await fieldsJsonl(jsonl(records), '--workers', '2');
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.equal(parseLines(one.stdout).length, 12);
  assert.equal(two.stdout, one.stdout);
});

test('usage: FILE with --jsonl, --json or --csv with it, stream flags without it are one-line errors', async () => {
  for (const [args, message] of [
    [['fields', '--jsonl', INVOICE], /--jsonl reads records from standard input: give no FILE/],
    [['fields', '--jsonl', '--json'], /--jsonl already writes JSON lines: drop --json/],
    [['fields', '--jsonl', '--csv'], /--jsonl already writes JSON lines: drop --csv/],
    [['fields', '--workers', '2', INVOICE], /--workers needs --jsonl/],
    [['fields'], /missing FILE \(or --jsonl/],
  ] as const) {
    const r = await finish(start([...args], { stdin: '', env }), 60_000);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assertNoStack(r.stderr);
  }
});

test('the queue runs it too: worker and queue add take --command fields, worker the fields flags', async () => {
  for (const command of ['worker', 'queue']) {
    const r = await finish(start([command, '--help'], { env }), 60_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /--command tag\|fields/);
  }
  const worker = await finish(start(['worker', '--help'], { env }), 60_000);
  assert.match(worker.stdout, /--kind auto\|contract\|invoice\|receipt/);
  assert.match(worker.stdout, /--fields FILE/);
});
