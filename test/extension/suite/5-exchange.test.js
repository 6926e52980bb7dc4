// Export (spaCy-style JSONL, CoNLL BILOU, own JSONL) and import of annotations.
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { setup, openFixture, readAnnotations } = require('./helpers');

describe('export and import', function () {
  this.timeout(60000);
  let tmp;

  before(async () => {
    await setup();
    await openFixture('contract.txt', 'contract-export.txt');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'el-exchange-'));
  });

  it('exports spaCy-style JSONL', async () => {
    const out = await vscode.commands.executeCommand(
      'entityLens.exportAnnotations',
      'spacy',
      path.join(tmp, 'a.jsonl'),
    );
    const lines = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(lines.length > 0);
    const withInvoice = lines.find((l) => l.entities.some((e) => e[2] === 'INVOICE_NO'));
    assert.ok(withInvoice, 'the INVOICE_NO corrections are exported');
    const [s, e] = withInvoice.entities.find((x) => x[2] === 'INVOICE_NO');
    assert.match(withInvoice.text.slice(s, e), /^INV-\d{4}-\d{4}$/);
  });

  it('exports CoNLL with BILOU tags', async () => {
    const out = await vscode.commands.executeCommand(
      'entityLens.exportAnnotations',
      'conll',
      path.join(tmp, 'a.conll'),
    );
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /^-DOCSTART-\tO$/m);
    assert.match(text, /^INV-\d{4}-\d{4}\tU-INVOICE_NO$/m);
    assert.match(text, /^May\tB-DATE$/m);
    assert.match(text, /^2024\tL-DATE$/m);
  });

  it('imports spaCy-style JSONL and CoNLL into the training set, reporting bad lines', async () => {
    const spacy = path.join(tmp, 'in.jsonl');
    fs.writeFileSync(
      spacy,
      [
        JSON.stringify({
          text: 'Pay Globex Ltd. by March 1, 2030.',
          entities: [
            [4, 15, 'PARTY'],
            [19, 32, 'DATE'],
          ],
        }),
        '{"text": "broken", "entities": [[0, 99, "X"]]}',
      ].join('\n') + '\n',
    );
    const r1 = await vscode.commands.executeCommand('entityLens.importAnnotations', spacy);
    assert.strictEqual(r1.imported, 1);
    assert.strictEqual(r1.problems.length, 1);
    const conll = path.join(tmp, 'in.conll');
    fs.writeFileSync(conll, '-DOCSTART-\tO\n\nPay\tO\nInitech\tB-PARTY\nCorp.\tL-PARTY\nnow\tO\n.\tO\n\n');
    const r2 = await vscode.commands.executeCommand('entityLens.importAnnotations', conll);
    assert.strictEqual(r2.imported, 1);
    const all = readAnnotations();
    const fromConll = all.find((r) => r.text === 'Pay Initech Corp. now .');
    assert.ok(fromConll, 'the CoNLL sentence was imported');
    assert.deepStrictEqual(fromConll.spans, [{ start: 4, end: 17, label: 'PARTY' }]);
    assert.ok(all.some((r) => typeof r.text === 'string' && r.text.startsWith('Pay Globex') && r.source === 'import'));
  });
});
