// `entity-lens fields`, run as a child process with the default model on the sample invoice,
// receipt and contract: one JSON object per file in the shape, CSV with one row per
// file, a check on numbers that do not add up, and the failure paths; a PDF and a receipt photo
// read as `tag` reads them (an NDA and an SROIE photo when ../shared/data is there).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertNoStack, cli, finish, start } from '../fixtures/cli';
import { pdfWithText, textPng } from '../fixtures/documents';
import { CHOOSER_FILE, fieldsModelIdentity } from '../../src/model/fields/chooser';
import { defaultModelDir } from '../../src/model/io/paths';
import { DATA_DIR, ROOT } from '../fixtures/paths';

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
  derivedFrom?: string[];
  known?: boolean;
  corrected?: boolean;
}
interface Out {
  file: string;
  kind: string;
  fields: Record<string, Value[]>;
  checks: { code: string; severity: string; message: string; fields: string[] }[];
}

let dir: string;
let env: NodeJS.ProcessEnv;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-fields-'));
  env = { ENTITY_LENS_CACHE_DIR: path.join(dir, 'cache') };
});

/** An invented shop's address, and a receipt photo of it whose address OCR misreads ("MO.52 ... 2-5 ... 81768"). */
const SHOP_ADDRESS = 'NO.59 JALAN CEMPAKA 9/5 BANDAR BARU CEMPAKA JAYA 81760 JOHOR BAHRU';
async function shopPhoto(name: string): Promise<string> {
  const lines = ['PERNIAGAAN LIM HENG', 'NO.59 JALAN CEMPAKA 9/5', 'BANDAR BARU CEMPAKA JAYA', '81760 JOHOR BAHRU'];
  const file = path.join(dir, name);
  await fs.writeFile(file, textPng([...lines, 'DATE: 02/03/2024', 'TOTAL RM 112.45', 'CASH RM 120.00'], 2).png);
  return file;
}

/** `fields --jsonl` on one record, with `flags`: its line. */
async function streamOne(
  record: object,
  ...flags: string[]
): Promise<{ model: { hash: string }; fields: Out['fields'] }> {
  const r = await finish(
    start(['fields', '--jsonl', ...flags], { env, stdin: `${JSON.stringify(record)}\n` }),
    300_000,
  );
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { model: { hash: string }; fields: Out['fields'] };
}

/** `fields --json FILE...` (and `text FILE` for each file): the objects and the texts the offsets are into. */
async function fieldsOf(...files: string[]): Promise<{ out: Out; text: string }[]> {
  const r = await finish(start(['fields', '--json', ...files], { env }), 300_000);
  assert.equal(r.code, 0, r.stderr);
  const outs = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Out);
  const texts: string[] = [];
  for (const f of files) {
    const t = await finish(start(['text', f], { env }), 300_000);
    assert.equal(t.code, 0, t.stderr);
    texts.push(t.stdout.replace(/\n$/, ''));
  }
  return outs.map((out, i) => ({ out, text: texts[i] }));
}

/** Every value's text is its span of the document's text; every value has a page. */
function assertPlaced(out: Out, text: string): void {
  for (const [name, values] of Object.entries(out.fields)) {
    for (const v of values) {
      assert.equal(v.text, text.slice(v.start, v.end).replace(/\s+/g, ' ').trim(), `${out.file} ${name}`);
      assert.ok(v.page !== undefined && v.page >= 1, `${out.file} ${name}: page ${v.page}`);
    }
  }
}

const NDA_DIR = path.join(DATA_DIR, 'kleister-nda-test-pdf');
const PHOTO_DIR = path.join(DATA_DIR, 'sroie-dev-img');
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
            assert.ok(['value', 'text', 'confidence', 'start', 'end', 'page', 'aliases', 'derivedFrom'].includes(k), k);
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
    // "commences on the Effective Date and continues for twelve (12) months": no date says when it ends
    const expiration = contract.fields.expiration_date[0];
    assert.equal(expiration?.value, '2027-01-15');
    assert.deepEqual(expiration?.derivedFrom, ['effective_date', 'term']);
    assert.equal(expiration?.text, 'twelve (12) months');
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

  test('a PDF: read as tag reads it, values with their page', async () => {
    const invoice = await fs.readFile(INVOICE, 'utf8');
    const lines = invoice.split('\n').slice(0, 40);
    const pdf = path.join(dir, 'invoice.pdf');
    await fs.writeFile(
      pdf,
      await pdfWithText(
        [lines.slice(0, 20), lines.slice(20)].map((page) => page.map((t, i) => ({ text: t, x: 50, y: 60 + 14 * i }))),
      ),
    );
    const [{ out, text }] = await fieldsOf(pdf);
    assert.equal(out.kind, 'invoice');
    assert.equal(out.fields.invoice_number[0]?.value, 'FOS-2026-0117');
    assert.equal(out.fields.iban[0]?.value, 'DE72520604150008273146');
    assertPlaced(out, text);
    assert.ok(
      Object.values(out.fields).some((vs) => vs.some((v) => v.page === 2)),
      'a value on page 2',
    );
  });

  test(
    'an NDA PDF and a receipt photo from ../shared/data: a contract and a receipt, values on their page',
    { skip: !existsSync(NDA_DIR) || !existsSync(PHOTO_DIR) },
    async () => {
      const nda = path.join(NDA_DIR, readdirSync(NDA_DIR).sort()[0]);
      const photo = path.join(PHOTO_DIR, '000.jpg');
      const [a, b] = await fieldsOf(nda, photo);
      assert.equal(a.out.kind, 'contract');
      assert.ok(a.out.fields.parties.length >= 2, JSON.stringify(a.out.fields.parties));
      assert.ok(a.out.fields.governing_law.length === 1, 'a governing law');
      assertPlaced(a.out, a.text);
      assert.equal(b.out.kind, 'receipt');
      assert.equal(b.out.fields.date[0]?.value, '2018-12-25');
      assert.ok(b.out.fields.seller.length === 1 && b.out.fields.total.length === 1);
      assertPlaced(b.out, b.text);
    },
  );

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
    r = await cli('fields', '--chooser', path.join(dir, 'nope-chooser.json'), RECEIPT);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope-chooser\.json: cannot read the field chooser \(no such file\)/);
    const broken = path.join(dir, 'broken-chooser.json');
    await fs.writeFile(broken, '{"format": "entity-lens-field-chooser", "version": 1, "fields": ');
    r = await cli('fields', '--chooser', broken, RECEIPT);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken-chooser\.json: not valid JSON/);
    await fs.writeFile(broken, JSON.stringify({ format: 'something else' }));
    r = await cli('fields', '--chooser', broken, RECEIPT);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken-chooser\.json: not a field chooser/);
    assertNoStack(r.stderr);
  });

  test("--chooser: a workspace's chooser, with the vendors typed in the editor, chooses; the stream's hash covers it", async () => {
    // a receipt photo whose address OCR misreads: the workspace knows the vendor's spelling
    const typed = SHOP_ADDRESS;
    const photo = await shopPhoto('shop.png');
    const shipped = JSON.parse(await fs.readFile(path.join(ROOT, 'models', 'default', CHOOSER_FILE), 'utf8')) as object;
    const chooser = path.join(dir, 'workspace', '.entity-lens', 'field-chooser.json');
    await fs.mkdir(path.dirname(chooser), { recursive: true });
    await fs.writeFile(
      chooser,
      JSON.stringify({ ...shipped, vendors: [{ seller: 'PERNIAGAAN LIM HENG', address: typed }] }),
    );
    const [plain] = await fieldsOf(photo);
    assert.ok(!plain.out.fields.seller_address.some((v) => v.known), 'the default chooser knows no vendor');
    const r = await finish(start(['fields', '--json', '--chooser', chooser, photo], { env }), 300_000);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    const address = out.fields.seller_address[0];
    assert.equal(address?.value, typed, JSON.stringify(out.fields.seller_address));
    assert.equal(address.known, true);
    assert.notEqual(address.text, typed, 'the text as read');
    const line = await streamOne({ id: 'a', path: photo }, '--chooser', chooser);
    assert.equal(line.model.hash, (await fieldsModelIdentity(defaultModelDir(), chooser)).hash);
    assert.notEqual(line.model.hash, (await fieldsModelIdentity(defaultModelDir())).hash);
    assert.deepEqual(line.fields, out.fields);
  });

  test("--corrections: a corrected document gets the person's values, every vendor typed there is known", async () => {
    const receipt = await fs.readFile(RECEIPT, 'utf8');
    const typed = SHOP_ADDRESS;
    const file = path.join(dir, 'field-corrections.jsonl');
    const records = [
      {
        document: 'receipts/receipt.txt',
        kind: 'receipt',
        corrections: [{ field: 'total', value: '12.34' }],
        text: receipt,
      },
      { document: 'earlier.jpg', kind: 'receipt', corrections: [{ field: 'seller_address', value: typed }], text: 'x' },
    ];
    await fs.writeFile(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n{"broken\n`);
    const photo = await shopPhoto('shop-2.png');
    const r = await finish(start(['fields', '--json', '--corrections', file, RECEIPT, photo], { env }), 300_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /field-corrections\.jsonl:3: not valid JSON/, 'a bad line is a warning');
    const [a, b] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Out);
    assert.deepEqual(
      a.fields.total.map((v) => [v.value, v.corrected, v.confidence]),
      [['12.34', true, 1]],
    );
    assert.equal(b.fields.seller_address[0]?.value, typed, JSON.stringify(b.fields.seller_address));
    assert.equal(b.fields.seller_address[0].known, true);
    assert.equal(b.fields.total[0]?.corrected, undefined, 'another text: not corrected');
    const line = await streamOne({ id: 'a', text: receipt }, '--corrections', file);
    assert.equal(line.model.hash, (await fieldsModelIdentity(defaultModelDir(), undefined, file)).hash);
    assert.notEqual(line.model.hash, (await fieldsModelIdentity(defaultModelDir())).hash);
    const missing = await cli('fields', '--corrections', path.join(dir, 'nope.jsonl'), RECEIPT);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.jsonl: cannot read the field corrections/);
    assertNoStack(missing.stderr);

    // the editor appending meanwhile (its journal there, the line half written): the committed
    // records are read, and the half line is neither read nor a warning
    const busy = path.join(dir, 'busy-corrections.jsonl');
    await fs.writeFile(busy, `${JSON.stringify(records[0])}\n`);
    await fs.writeFile(`${busy}.pending`, JSON.stringify({ start: (await fs.stat(busy)).size, token: 't' }));
    await fs.appendFile(busy, '{"document": "later.txt", "kind": "rec');
    const during = await cli('fields', '--json', '--corrections', busy, RECEIPT);
    assert.equal(during.code, 0, during.stderr);
    assert.doesNotMatch(during.stderr, /busy-corrections/, 'no warning about the line being written');
    assert.equal((JSON.parse(during.stdout) as Out).fields.total[0]?.value, '12.34');
  });
});
