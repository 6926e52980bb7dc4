// A user's field corrections: they replace the chosen values (a picked mention, a typed value, a
// cleared field) and the checks are made on the corrected values; the workspace file keeps the
// latest line per document, reports bad lines and is appended all or nothing; fine-tuning on
// corrections keeps the base chooser's tuned thresholds.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  appendFieldCorrections,
  readFieldCorrections,
  serializeFieldCorrection,
  parseFieldCorrectionLine,
  withCorrection,
} from '../../../src/model/fields/corrections';
import { FieldChooser, loadFieldChooser } from '../../../src/model/fields/chooser';
import { defaultModelDir } from '../../../src/model/io/paths';
import { extractFields, rankCandidates } from '../../../src/model/fields/extract';
import { correctionExample, trainFieldChooser } from '../../../src/model/fields/training';

const INVOICE = `ACME Supplies GmbH
Hafenstrasse 14, 20457 Hamburg

Invoice number: INV-77
Invoice date: 14.04.2026
Due date: 14.05.2026

Subtotal: EUR 100.00
VAT 19%: EUR 19.00
Total: EUR 119.90
`;

const at = (s: string) => ({ start: INVOICE.indexOf(s), end: INVOICE.indexOf(s) + s.length });

let dir: string;
let chooser: FieldChooser | undefined;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-corrections-'));
  chooser = await loadFieldChooser(defaultModelDir());
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('corrections in extraction', () => {
  test('a picked mention, a typed value and a cleared field replace the chosen values; checks see them', () => {
    const before = extractFields(INVOICE, { kind: 'invoice', chooser });
    assert.ok(
      before.checks.some((c) => c.code === 'total-sum'),
      JSON.stringify(before.checks),
    );
    assert.equal(before.fields.total[0]?.text, '119.90');
    const after = extractFields(INVOICE, {
      kind: 'invoice',
      chooser,
      corrections: [
        { field: 'total', value: 'EUR 119.00' },
        { field: 'due_date', range: at('14.05.2026') },
        { field: 'seller_address', none: true },
      ],
    });
    assert.deepEqual(
      after.fields.total.map((v) => [v.value, v.currency, v.corrected, v.confidence]),
      [['119.00', 'EUR', true, 1]],
    );
    // a typed value stays at the mention it replaces
    assert.equal(INVOICE.slice(after.fields.total[0].start, after.fields.total[0].end), '119.90');
    assert.deepEqual(
      after.fields.due_date.map((v) => [v.value, v.text, v.corrected]),
      [['2026-05-14', '14.05.2026', true]],
    );
    assert.deepEqual(after.fields.seller_address, []);
    assert.equal(
      after.checks.find((c) => c.code === 'total-sum'),
      undefined,
      'the corrected total adds up',
    );
    // the fields nobody corrected are the chooser's
    assert.deepEqual(after.fields.invoice_number, before.fields.invoice_number);
  });

  test('a due date before the invoice date does not give way to the invoice date itself; the check reports it', () => {
    const text = `Lindqvist Design AB\nSveavagen 12, 111 57 Stockholm\n\nINVOICE\n\nInvoice No.: LD-2026-031\nInvoice date: 14.04.2026\nDue date: 01.04.2026\n\nNet amount: EUR 1.000,00\nVAT 25%: EUR 250,00\nTotal: EUR 1.250,00\n`;
    const r = extractFields(text, { kind: 'invoice', chooser });
    assert.equal(r.fields.date[0]?.value, '2026-04-14');
    assert.equal(r.fields.due_date[0]?.value, '2026-04-01');
    assert.deepEqual(
      r.checks.map((c) => [c.code, c.message]),
      [['due-date', 'due date 2026-04-01 is before the invoice date 2026-04-14']],
    );
  });

  test('withCorrection replaces one field and keeps the others', () => {
    const cs = withCorrection(
      [
        { field: 'total', value: '1' },
        { field: 'tax', none: true },
      ],
      'total',
      [{ field: 'total', value: '2' }],
    );
    assert.deepEqual(cs, [
      { field: 'tax', none: true },
      { field: 'total', value: '2' },
    ]);
  });
});

describe('the corrections file', () => {
  test('round trip; the latest line of a document wins; bad lines are reported, the others read', async () => {
    const file = path.join(dir, 'field-corrections.jsonl');
    const first = {
      document: 'a.txt',
      text: INVOICE,
      kind: 'invoice' as const,
      corrections: [{ field: 'tax', none: true }],
    };
    const second = { ...first, corrections: [{ field: 'total', range: at('EUR 119.90') }] };
    const other = {
      document: 'b.txt',
      text: 'Total 5.00',
      kind: 'receipt' as const,
      corrections: [{ field: 'total', value: '5.00' }],
    };
    assert.deepEqual(parseFieldCorrectionLine(serializeFieldCorrection(second), 1), second);
    await appendFieldCorrections(file, [first, other]);
    await fs.appendFile(file, '{"not": "a record"}\n');
    await appendFieldCorrections(file, [second]);
    const read = await readFieldCorrections(file);
    assert.deepEqual(read.records, [other, second]);
    assert.equal(read.problems.length, 1);
    assert.match(read.problems[0], /field-corrections\.jsonl:3: "text" must be the document text/);
    // a missing file is empty
    assert.deepEqual(await readFieldCorrections(path.join(dir, 'none.jsonl')), {
      records: [],
      problems: [],
      size: 0,
    });
    assert.equal(read.size, (await fs.stat(file)).size);
    // a torn or still running append (its journal present) is not read, and the size says so:
    // the editor's cache keyed on it reads the file again once the append commits
    const committed = (await fs.stat(file)).size;
    await fs.writeFile(`${file}.pending`, JSON.stringify({ start: committed, token: 't' }));
    await fs.appendFile(file, '{"document": "c.txt", "kind": "inv');
    const during = await readFieldCorrections(file);
    assert.deepEqual(during.records, [other, second]);
    assert.equal(during.size, committed);
    assert.ok((await fs.stat(file)).size > during.size);
  });
});

describe('fine-tuning on corrections', () => {
  test('a picked range raises that candidate (not every one overlapping it); a typed value the text lacks teaches nothing', () => {
    const ranked = rankCandidates(INVOICE, 'seller_address', { kind: 'invoice', chooser });
    const second = ranked[1];
    assert.ok(second, 'two candidates');
    const p = (c: FieldChooser | undefined) =>
      rankCandidates(INVOICE, 'seller_address', { kind: 'invoice', chooser: c }).find(
        (s) => s.candidate.start === second.candidate.start && s.candidate.end === second.candidate.end,
      )!.probability;
    const tuned = trainFieldChooser(
      [
        correctionExample(INVOICE, 'invoice', [
          { field: 'seller_address', range: { start: second.candidate.start, end: second.candidate.end } },
          { field: 'total', value: '5798.28' },
        ]),
      ],
      { base: chooser, minCount: 1 },
    );
    assert.ok(p(tuned) > p(chooser) + 0.1, `${p(chooser)} -> ${p(tuned)}`);
    assert.deepEqual(tuned.weights('invoice', 'total'), chooser?.weights('invoice', 'total'));
  });

  test("keeps the base's tuned thresholds", () => {
    const base = new FieldChooser({
      format: 'entity-lens-field-chooser',
      version: 1,
      fields: { 'invoice.total': { weights: { 'L:total': 1 }, none: 0, threshold: 0.3 } },
    });
    const tuned = trainFieldChooser(
      [correctionExample(INVOICE, 'invoice', [{ field: 'total', range: at('EUR 119.90') }])],
      {
        base,
        iterations: 50,
      },
    );
    assert.equal(tuned.weights('invoice', 'total')?.threshold, 0.3);
  });
});
