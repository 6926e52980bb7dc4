// Issue 16 in the real VS Code with the embedded default model: the Document Fields view on the
// sample invoice, the sample receipt and a CUAD contract (../shared/data; the sample services
// agreement when it is absent) shows their values; a click reveals a value's mention; an invoice
// whose numbers do not add up and one whose due date comes before its date get a check
// diagnostic each (the arithmetic in the message, a quick fix for the misread total); a field
// correction is saved to .entity-lens/field-corrections.jsonl, shown at once, read back by the
// next training run, whose chooser then gives the corrected mention more weight; Copy Fields as
// JSON and Export Fields of Workspace write what the view shows.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { EXTENSION_ID, sleep, waitFor, workspaceFolder } = require('../suite/helpers');

const DIR = 'fields-test';
let api;
let ext;

function put(name, text) {
  const file = path.join(workspaceFolder(), DIR, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

const ROOT = path.resolve(__dirname, '../../..');

/** The test documents' generators (test/fixtures/documents.ts, built by `npm run build:fixtures`). */
function documents() {
  const file = path.join(ROOT, 'out-test', 'test', 'fixtures', 'documents.js');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:fixtures\` first`);
  return require(file);
}

const sample = (p) => fs.readFileSync(path.join(ext.extensionPath, 'samples', 'workspace', ...p.split('/')), 'utf8');

/** Opens a file, waits for tagging and for its fields; returns the document and the fields. */
async function open(uri) {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  assert.ok(await api.whenIdle(doc.uri, 180000), `tagging of ${uri.fsPath} finished`);
  const fields = await waitFor(() => api.fields(doc.uri), { timeout: 30000, what: 'the fields' });
  return { doc, fields };
}

const values = (fields, name) => (fields.fields[name] || []).map((v) => v.value);

/** The Document Fields view's rows once they show `kind`'s document (it redraws a moment after). */
async function viewRows(expect) {
  return waitFor(
    () => {
      const rows = api.fieldsView();
      return rows.some((r) => r.label === expect.label && (r.description || '').startsWith(expect.description))
        ? rows
        : undefined;
    },
    { timeout: 10000, what: `the view to show ${expect.label} ${expect.description}` },
  );
}

function row(rows, label) {
  const r = rows.find((x) => x.label === label);
  assert.ok(r, `a row for ${label}: ${JSON.stringify(rows.map((x) => x.label))}`);
  return r;
}

/** The CUAD test contract the suite opens, and its annotators' answers. */
function cuadContract() {
  const data = path.join(ext.extensionPath, '..', 'shared', 'data');
  const id = 'cuad:EcoScienceSolutionsInc_20171117_8-K_EX-10.1_10956472_EX-10.1_Endorsement Agreement';
  if (!fs.existsSync(path.join(data, 'cuad.jsonl'))) return undefined;
  for (const line of fs.readFileSync(path.join(data, 'cuad.jsonl'), 'utf8').split('\n')) {
    if (!line.includes('EcoScienceSolutionsInc_20171117')) continue;
    const r = JSON.parse(line);
    if (r.id === id) return r;
  }
  return undefined;
}

describe('Document Fields', function () {
  this.timeout(600000);

  before(async () => {
    ext = vscode.extensions.getExtension(EXTENSION_ID);
    api = await ext.activate();
    await vscode.workspace
      .getConfiguration('entityLens')
      .update('autoTrainAfter', 0, vscode.ConfigurationTarget.Global);
  });

  it('the sample invoice: the view lists its fields and values; a click reveals the mention', async () => {
    const uri = put('invoice-FOS-2026-0117.txt', sample('invoices/invoice-FOS-2026-0117.txt'));
    const { doc, fields } = await open(uri);
    assert.strictEqual(fields.kind, 'invoice');
    assert.strictEqual(fields.chooser, 'default');
    const want = {
      seller: 'Falkenried Office Systems GmbH',
      buyer: 'Corvell Bioworks GmbH',
      invoice_number: 'FOS-2026-0117',
      date: '2026-04-14',
      due_date: '2026-05-14',
      subtotal: '4872.50',
      tax: '925.78',
      tax_rate: '0.19',
      total: '5798.28',
      currency: 'EUR',
      iban: 'DE72520604150008273146',
      bic: 'NRDWDEHHXXX',
      tax_id: 'DE298441507',
    };
    for (const [name, value] of Object.entries(want)) assert.deepStrictEqual(values(fields, name), [value], name);
    assert.deepStrictEqual(fields.checks, [], 'the sample invoice adds up');
    const rows = await viewRows({ label: 'total', description: '5798.28' });
    console.log(`      view: ${rows.map((r) => `${r.label} = ${r.description}`).join('; ')}`);
    assert.strictEqual(rows[0].label, 'seller');
    assert.match(row(rows, 'total').description, /^5798\.28 · \d+%$/);
    assert.match(row(rows, 'iban').description, /^DE72520604150008273146 · /);
    // the click on a field runs Reveal Field Value: the editor selects the mention
    const total = fields.fields.total[0];
    await vscode.commands.executeCommand('entityLens.revealFieldValue', {
      uri: doc.uri.toString(),
      start: total.start,
      end: total.end,
    });
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor.document.getText(editor.selection), '5.798,28');
  });

  it('a receipt: seller, address, date and total; no buyer or due date', async () => {
    const uri = put('receipt-CS2604-00142.txt', sample('invoices/receipt-CS2604-00142.txt'));
    const { fields } = await open(uri);
    assert.strictEqual(fields.kind, 'receipt');
    assert.deepStrictEqual(values(fields, 'seller'), ['KEDAI RUNCIT SRI MELATI']);
    assert.match(values(fields, 'seller_address')[0], /^NO\. 18, JALAN MERBAU 3, TAMAN SERI PUTRA, 43000 KAJANG/);
    assert.deepStrictEqual(values(fields, 'date'), ['2026-04-14']);
    assert.deepStrictEqual(values(fields, 'total'), ['7.20']);
    assert.deepStrictEqual(values(fields, 'currency'), ['MYR']);
    assert.deepStrictEqual(values(fields, 'buyer'), []);
    assert.deepStrictEqual(values(fields, 'due_date'), []);
    const rows = await viewRows({ label: 'total', description: '7.20' });
    assert.strictEqual(row(rows, 'buyer').description, '—');
  });

  it('a receipt as a two-page PDF: each value carries its page, and the view shows it', async () => {
    const lines = sample('invoices/receipt-CS2604-00142.txt').trim().split('\n');
    const cut = lines.indexOf('SUBTOTAL');
    const place = (text, i) => ({ text, x: 72, y: 80 + 14 * i, size: 10 });
    const file = path.join(workspaceFolder(), DIR, 'receipt-two-pages.pdf');
    fs.writeFileSync(
      file,
      await documents().pdfWithText([lines.slice(0, cut).map(place), lines.slice(cut).map(place)]),
    );
    const pdf = vscode.Uri.file(file);
    // the PDF's extracted-text view, where its entities and fields are
    const textUri = vscode.Uri.from({ scheme: 'entity-lens-text', path: `${pdf.path}.txt`, query: pdf.toString() });
    const { fields } = await open(textUri);
    assert.strictEqual(fields.kind, 'receipt');
    const seller = fields.fields.seller[0];
    const total = fields.fields.total[0];
    console.log(`      seller ${seller.value} p. ${seller.page}; total ${total.value} p. ${total.page}`);
    assert.deepStrictEqual([seller.value, seller.page], ['KEDAI RUNCIT SRI MELATI', 1]);
    assert.deepStrictEqual([total.value, total.page], ['7.20', 2]);
    const rows = await viewRows({ label: 'total', description: '7.20' });
    assert.match(row(rows, 'total').description, /^7\.20 · \d+% · p\. 2$/);
    assert.match(row(rows, 'seller').description, /^KEDAI RUNCIT SRI MELATI · \d+% · p\. 1$/);
    assert.strictEqual(row(rows, 'buyer').description, '—');
  });

  it('a CUAD contract: parties, dates and governing law; the parties listed under their field', async () => {
    const cuad = cuadContract();
    console.log(`      contract: ${cuad ? cuad.id : 'samples services-agreement.md'}`);
    const uri = put('contract.txt', cuad ? cuad.text : sample('contracts/services-agreement.md'));
    const { fields } = await open(uri);
    assert.strictEqual(fields.kind, 'contract');
    console.log(
      `      ${Object.entries(fields.fields)
        .map(([k, v]) => `${k}: ${v.map((x) => x.value).join(' | ') || '—'}`)
        .join('; ')}`,
    );
    if (cuad) {
      // the annotators' answers: parties Eco Science Solutions, Inc and Stephen Marley, 11/14/17, Michigan
      assert.deepStrictEqual(values(fields, 'agreement_date'), ['2017-11-14']);
      assert.deepStrictEqual(values(fields, 'effective_date'), ['2017-11-14']);
      assert.deepStrictEqual(values(fields, 'governing_law'), ['Michigan']);
      assert.ok(values(fields, 'parties').some((p) => /^ECO SCIENCES? SOLUTIONS/i.test(p)));
    } else {
      assert.deepStrictEqual(values(fields, 'governing_law'), ['New York']);
      assert.strictEqual(values(fields, 'parties').length, 2);
    }
    const rows = await viewRows({ label: 'governing_law', description: cuad ? 'Michigan' : 'New York' });
    // "for one (1) year commencing on the Effective Date" ("twelve (12) months" in the sample): no
    // date says when it ends, the effective date and the term do, and the view says it is computed
    const expiration = cuad ? '2018-11-14' : '2027-01-15';
    assert.deepStrictEqual(values(fields, 'expiration_date'), [expiration]);
    assert.deepStrictEqual(fields.fields.expiration_date[0].derivedFrom, ['effective_date', 'term']);
    assert.match(row(rows, 'expiration_date').description, new RegExp(`^${expiration} · computed · \\d+%$`));
    const parties = row(rows, 'parties');
    assert.strictEqual(
      parties.children.length || 1,
      values(fields, 'parties').length,
      'one row per party under parties (or the party on its own row)',
    );
  });

  it('value checks: a misread total and a due date before the invoice date are Problems, with a quick fix', async () => {
    const misread = put(
      'invoice-misread.txt',
      sample('invoices/invoice-FOS-2026-0117.txt').replace('EUR 5.798,28', 'EUR 5.798,82'),
    );
    const { doc } = await open(misread);
    const diag = await waitFor(
      () =>
        vscode.languages
          .getDiagnostics(doc.uri)
          .find((d) => d.source === 'Entity Lens fields' && d.code === 'total-sum'),
      { timeout: 10000, what: 'the total-sum diagnostic' },
    );
    assert.strictEqual(diag.message, 'total 5798.82 ≠ net 4872.50 + tax 925.78 = 5798.28');
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(doc.getText(diag.range), '4.872,50', 'on the first value involved (the net amount)');
    assert.deepStrictEqual(
      diag.relatedInformation.map((r) => doc.getText(r.location.range)),
      ['4.872,50', '925,78', '5.798,82'],
    );
    const actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = (actions || []).find((a) => a.title === 'Set total to 5798.28');
    assert.ok(fix, `quick fix offered: ${(actions || []).map((a) => a.title).join(', ')}`);
    const rows = await viewRows({ label: '1 check fails', description: '' });
    assert.strictEqual(row(rows, '1 check fails').children[0].label, diag.message);

    const late = put(
      'invoice-due-before.txt',
      'Lindqvist Design AB\nSveavagen 12, 111 57 Stockholm, Sweden\n\nINVOICE\n\nBill to: Nordic Paper Oy\n\nInvoice No.: LD-2026-031\nInvoice date: 14.04.2026\nDue date: 01.04.2026\n\nNet amount: EUR 1.000,00\nVAT 25%: EUR 250,00\nTotal: EUR 1.250,00\n',
    );
    const second = await open(late);
    const due = await waitFor(
      () =>
        vscode.languages
          .getDiagnostics(second.doc.uri)
          .find((d) => d.source === 'Entity Lens fields' && d.code === 'due-date'),
      { timeout: 10000, what: 'the due-date diagnostic' },
    );
    assert.strictEqual(due.message, 'due date 2026-04-01 is before the invoice date 2026-04-14');
    console.log(`      Problems: ${diag.message} | ${due.message}`);

    // the quick fix is a field correction: the check is gone and the total shows as corrected
    const { doc: again } = await open(misread);
    await vscode.commands.executeCommand(fix.command.command, ...fix.command.arguments);
    await waitFor(
      () =>
        !vscode.languages
          .getDiagnostics(again.uri)
          .some((d) => d.source === 'Entity Lens fields' && d.code === 'total-sum'),
      { timeout: 10000, what: 'the total-sum diagnostic to go' },
    );
    const fixed = await api.fields(again.uri);
    assert.deepStrictEqual(
      fixed.fields.total.map((v) => [v.value, v.corrected]),
      [['5798.28', true]],
    );
  });

  it('a field correction is saved, shown at once, and read back by the next training run', async () => {
    const uri = put('invoice-TCS-4471.txt', sample('invoices/invoice-TCS-4471.txt'));
    const { doc, fields } = await open(uri);
    // the buyer's address without the attention line above it ("Mr. Tobias Kemmler")
    const printed = 'Industriestrasse 8\n73430 Aalen, Germany';
    const full = printed.replace('\n', ' ');
    const start = doc.getText().indexOf(printed);
    const range = { start, end: start + printed.length };
    const before = (await api.fieldCandidates(doc.uri, 'buyer_address')).find(
      (c) => c.start === range.start && c.end === range.end,
    );
    assert.ok(before, 'the address without the attention line is among the candidates');
    console.log(
      `      buyer_address chosen: ${values(fields, 'buyer_address')[0]}; the address alone had p = ${before.probability.toFixed(3)}`,
    );
    const record = await vscode.commands.executeCommand('entityLens.correctField', {
      uri: doc.uri.toString(),
      field: 'buyer_address',
      range,
    });
    assert.ok(record, 'the command returns the record it saved');
    // saved: the last line of the workspace's corrections file names the document and the range
    const file = path.join(workspaceFolder(), '.entity-lens', 'field-corrections.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1]);
    assert.strictEqual(last.document, `${DIR}/invoice-TCS-4471.txt`);
    assert.strictEqual(last.kind, 'invoice');
    assert.deepStrictEqual(last.corrections, [{ field: 'buyer_address', range }]);
    assert.strictEqual(last.text, doc.getText());
    // shown at once
    const shown = await api.fields(doc.uri);
    assert.deepStrictEqual(
      shown.fields.buyer_address.map((v) => [v.value, v.corrected]),
      [[full, true]],
    );
    await viewRows({ label: 'buyer_address', description: `${full} · corrected` });

    // the next training run reads it back: the workspace's chooser is trained on the corrections
    await vscode.commands.executeCommand('entityLens.trainModel');
    const chooserFile = path.join(workspaceFolder(), '.entity-lens', 'field-chooser.json');
    assert.ok(fs.existsSync(chooserFile), 'the training run wrote .entity-lens/field-chooser.json');
    const trained = JSON.parse(fs.readFileSync(chooserFile, 'utf8')).trained;
    console.log(`      trained: ${JSON.stringify(trained)}`);
    assert.strictEqual(trained.documents, 2, 'the quick fix of the misread invoice and this correction');
    assert.strictEqual(trained.corrections, 2);
    const after = await api.fields(doc.uri);
    assert.strictEqual(after.chooser, 'workspace', 'the view uses the workspace chooser now');
    const now = (await api.fieldCandidates(doc.uri, 'buyer_address')).find(
      (c) => c.start === range.start && c.end === range.end,
    );
    console.log(
      `      the address alone: p = ${before.probability.toFixed(3)} before, ${now.probability.toFixed(3)} after`,
    );
    assert.ok(now.probability > before.probability + 0.1, 'the chooser learned from the correction');
    // a copy of the invoice with no correction of its own: the chooser alone now picks the address alone
    const copy = put('invoice-TCS-copy.txt', sample('invoices/invoice-TCS-4471.txt'));
    const { fields: copied } = await open(copy);
    console.log(`      on an uncorrected copy the chooser picks: ${values(copied, 'buyer_address')[0]}`);
    assert.deepStrictEqual(
      copied.fields.buyer_address.map((v) => [v.value, !!v.corrected]),
      [[full, false]],
    );
  });

  it("Reset to Default Model removes the workspace's chooser: the fields use the shipped one again", async () => {
    const chooserFile = path.join(workspaceFolder(), '.entity-lens', 'field-chooser.json');
    assert.ok(fs.existsSync(chooserFile), 'the training run of the test before wrote it');
    const full = 'Industriestrasse 8 73430 Aalen, Germany';
    const { doc } = await open(put('invoice-TCS-copy.txt', sample('invoices/invoice-TCS-4471.txt')));
    assert.deepStrictEqual(values(await api.fields(doc.uri), 'buyer_address'), [full], 'the workspace chooser');
    await vscode.commands.executeCommand('entityLens.resetModel');
    assert.ok(!fs.existsSync(chooserFile), 'the workspace chooser is removed');
    assert.ok(
      fs.existsSync(path.join(workspaceFolder(), '.entity-lens', 'field-corrections.jsonl')),
      'the corrections it was trained from stay',
    );
    const after = await waitFor(
      async () => {
        const f = await api.fields(doc.uri);
        return f && f.chooser === 'default' ? f : undefined;
      },
      { timeout: 30000, what: 'the fields to use the default chooser' },
    );
    console.log(`      after Reset Model the chooser picks: ${values(after, 'buyer_address')[0]}`);
    assert.notDeepStrictEqual(values(after, 'buyer_address'), [full], "the shipped chooser's pick, as before training");
  });

  it('Copy Fields as JSON and Export Fields of Workspace write what the view shows', async () => {
    const uri = put('invoice-FOS-2026-0117.txt', sample('invoices/invoice-FOS-2026-0117.txt'));
    const { doc } = await open(uri);
    const text = await vscode.commands.executeCommand('entityLens.copyFieldsAsJson', { uri: doc.uri.toString() });
    const copied = JSON.parse(await vscode.env.clipboard.readText());
    assert.deepStrictEqual(copied, JSON.parse(text));
    assert.strictEqual(copied.file, `${DIR}/invoice-FOS-2026-0117.txt`);
    assert.strictEqual(copied.fields.total[0].value, '5798.28');
    const out = path.join(workspaceFolder(), DIR, 'export.csv');
    const result = await vscode.commands.executeCommand('entityLens.exportFields', { format: 'csv', out });
    console.log(`      export: ${JSON.stringify(result)}`);
    assert.ok(result && !result.cancelled && result.documents >= 6, JSON.stringify(result));
    const csv = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.ok(csv[0].startsWith('file,kind,'));
    const line = csv.find((l) => l.startsWith(`${DIR}/invoice-FOS-2026-0117.txt,invoice,`));
    assert.ok(line && line.includes(',5798.28,'), line);
  });

  it('after entityLens.autoTrainAfter field corrections the field chooser retrains in the background', async () => {
    const chooserFile = path.join(workspaceFolder(), '.entity-lens', 'field-chooser.json');
    assert.ok(!fs.existsSync(chooserFile), 'Reset Model removed the workspace chooser');
    const config = vscode.workspace.getConfiguration('entityLens');
    await config.update('autoTrainAfter', 2, vscode.ConfigurationTarget.Workspace);
    try {
      const { doc } = await open(put('invoice-TCS-auto.txt', sample('invoices/invoice-TCS-4471.txt')));
      const correct = (value) =>
        vscode.commands.executeCommand('entityLens.correctField', {
          uri: doc.uri.toString(),
          field: 'buyer_address',
          value,
        });
      assert.ok(await correct('Industriestrasse 8, 73430 Aalen'));
      await sleep(1500);
      assert.ok(!fs.existsSync(chooserFile), 'one correction of two: no run yet');
      assert.ok(await correct('Industriestrasse 8, 73430 Aalen, Germany'));
      await waitFor(() => fs.existsSync(chooserFile), {
        timeout: 120000,
        what: 'the background run to write the chooser',
      });
      const trained = JSON.parse(fs.readFileSync(chooserFile, 'utf8')).trained;
      console.log(`      trained in the background: ${JSON.stringify(trained)}`);
      assert.ok(trained.corrections >= 2, JSON.stringify(trained));
      await waitFor(async () => (await api.fields(doc.uri)).chooser === 'workspace', {
        what: 'the fields to use the workspace chooser',
      });
    } finally {
      await config.update('autoTrainAfter', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
