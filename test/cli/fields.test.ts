// `entity-lens fields`, run as a child process with the default model on the sample invoice,
// receipt and contract: one JSON object per file in the shape, CSV with one row per
// file, a check on numbers that do not add up, and the failure paths.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertNoStack, cli } from '../fixtures/cli';
import { ROOT } from '../fixtures/paths';

const SAMPLES = path.join(ROOT, 'samples', 'workspace');
const INVOICE = path.join(SAMPLES, 'invoices', 'invoice-FOS-2026-0117.txt');
const RECEIPT = path.join(SAMPLES, 'invoices', 'receipt-CS2604-00142.txt');
const CONTRACT = path.join(SAMPLES, 'contracts', 'services-agreement.md');

interface Value {
  value: string;
  text: string;
  confidence: number;
  start: number;
  end: number;
  page?: number;
}
interface Out {
  file: string;
  kind: string;
  fields: Record<string, Value[]>;
  checks: { code: string; severity: string; message: string; fields: string[] }[];
}

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-fields-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('fields', () => {
  test('--json: one object per file, values at their offsets, the kinds told apart', async () => {
    const r = await cli('fields', '--json', INVOICE, RECEIPT, CONTRACT);
    assert.equal(r.code, 0, r.stderr);
    const outs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Out);
    assert.deepEqual(
      outs.map((o) => [o.file, o.kind]),
      [
        [INVOICE, 'invoice'],
        [RECEIPT, 'receipt'],
        [CONTRACT, 'contract'],
      ],
    );
    for (const o of outs) {
      assert.deepEqual(Object.keys(o), ['file', 'kind', 'fields', 'checks']);
      const content = await fs.readFile(o.file, 'utf8');
      for (const [name, values] of Object.entries(o.fields)) {
        for (const v of values) {
          for (const k of Object.keys(v))
            assert.ok(['value', 'text', 'confidence', 'start', 'end', 'page', 'aliases'].includes(k), k);
          assert.equal(v.text, content.slice(v.start, v.end).replace(/\s+/g, ' ').trim(), `${o.file} ${name}`);
          assert.ok(v.confidence >= 0 && v.confidence <= 1);
        }
      }
    }
    const [invoice, receipt, contract] = outs;
    assert.equal(invoice.fields.invoice_number[0]?.value, 'FOS-2026-0117');
    assert.equal(invoice.fields.iban[0]?.value, 'DE72520604150008273146');
    assert.equal(invoice.fields.currency[0]?.value, 'EUR');
    assert.equal(invoice.fields.total[0]?.value, '5798.28');
    assert.equal(receipt.fields.seller[0]?.value, 'KEDAI RUNCIT SRI MELATI');
    assert.ok(Object.keys(contract.fields).includes('governing_law'));
  });

  test('an invoice whose numbers do not add up: a total-sum check with the arithmetic', async () => {
    const text = (await fs.readFile(INVOICE, 'utf8')).replace('EUR 5.798,28', 'EUR 5.798,82');
    const file = path.join(dir, 'misread.txt');
    await fs.writeFile(file, text);
    const r = await cli('fields', '--json', file);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    const check = out.checks.find((c) => c.code === 'total-sum');
    assert.ok(check, r.stdout);
    assert.equal(check.message, 'total 5798.82 ≠ net 4872.50 + tax 925.78 = 5798.28');
    assert.deepEqual(check.fields, ['subtotal', 'tax', 'total']);
  });

  test('--csv: a header, one row per file', async () => {
    const r = await cli('fields', '--csv', '--kind', 'invoice', INVOICE, RECEIPT);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.ok(lines[0].startsWith('file,kind,seller,seller_address,buyer,'));
    assert.ok(lines[0].endsWith(',checks'));
    assert.ok(lines[1].startsWith(`${INVOICE},invoice,`));
    assert.match(lines[1], /,FOS-2026-0117,/);
  });

  test('a table by default; a fields.json changes the fields', async () => {
    const config = path.join(dir, 'fields.json');
    await fs.writeFile(
      config,
      JSON.stringify({
        invoice: { iban: false, delivery_date: { label: 'DATE', pick: 'first', keywords: ['Delivery'] } },
        memo: {},
      }),
    );
    const r = await cli('fields', '--fields', config, INVOICE);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^.*invoice-FOS-2026-0117\.txt: invoice$/m);
    assert.match(r.stdout, /^ {2}delivery_date\s+2026-04-09\s+/m);
    assert.doesNotMatch(r.stdout, /^ {2}iban\b/m);
    assert.match(r.stderr, /warning: .*fields\.json: memo: not a kind of document/);
  });

  test('bad input: the good file still done, exit 1; bad flags and fields files exit 2', async () => {
    const missing = path.join(dir, 'missing.txt');
    let r = await cli('fields', '--json', missing, RECEIPT);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /missing\.txt: no such file/);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assertNoStack(r.stderr);
    r = await cli('fields', '--json', '--csv', RECEIPT);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--json and --csv cannot be used together/);
    r = await cli('fields', '--fields', path.join(dir, 'nope.json'), RECEIPT);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.json: cannot read the fields file/);
    r = await cli('fields', '--kind', 'memo', RECEIPT);
    assert.equal(r.code, 2);
    assertNoStack(r.stderr);
  });
});
