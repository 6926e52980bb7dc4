// The pages editor in a real VS Code: a PDF opens as pages beside its extracted-text view, where
// entities, hovers, quick fixes, outline and diagnostics work and the two sides follow each
// other; an image goes through OCR with progress; OCR can be cancelled; a correction made in the
// text view is stored against the PDF (uri and sha256) and comes back when the PDF is reopened.
'use strict';
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { EXTENSION_ID, waitFor, sleep, workspaceFolder, readAnnotations } = require('../suite/helpers');

const ROOT = path.resolve(__dirname, '../../..');
const HOOK = 'entityLens.pages.testHook';

function documents() {
  const file = path.join(ROOT, 'out-test', 'test', 'fixtures', 'documents.js');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:fixtures\` first`);
  return require(file);
}

const CONTRACT = [
  'This Services Agreement is made on May 5, 2024 between Northwind Traders Inc.',
  'and Contoso Pharmaceuticals Ltd. The Client shall pay the Supplier $12,500.00',
  'within thirty (30) days of each invoice. This Agreement is governed by the laws',
  'of the State of New York.',
];
const CONTRACT_PAGE_2 = [
  'The term of this Agreement is two (2) years from January 1, 2025. Either party',
  'may terminate it on sixty (60) days written notice to Northwind Traders Inc.',
];

async function writeFile(name, bytes) {
  const dest = path.join(workspaceFolder(), 'el-pages', name);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, bytes);
  return vscode.Uri.file(dest);
}

const hook = (arg) => vscode.commands.executeCommand(HOOK, arg);

async function session(uri, what) {
  const r = await waitFor(
    async () => {
      const h = await hook({ uri: uri.toString() });
      return h.sessions.length > 0 && h;
    },
    { what: `a pages editor of ${what}`, timeout: 30000 },
  );
  return r;
}

/** The text view of a file once the pages editor opened it. */
async function textView(uri, timeout = 60000) {
  const { sessions } = await session(uri, uri.path);
  const key = sessions[0].textUri;
  const doc = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === key), {
    what: `the text view ${key}`,
    timeout,
  });
  return doc;
}

function editorOf(doc) {
  return vscode.window.visibleTextEditors.find((e) => e.document === doc);
}

describe('pages editor: PDFs and images', function () {
  this.timeout(240000);
  let api;

  before(async () => {
    const c = vscode.workspace.getConfiguration('entityLens');
    const G = vscode.ConfigurationTarget.Global;
    await c.update('diagnostics', 'all', G);
    await c.update('autoTrainAfter', 0, G);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    api = await ext.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('a PDF with a text layer', () => {
    let pdf;
    let doc;

    before(async () => {
      const { pdfWithText } = documents();
      const line = (text, i) => ({ text, x: 72, y: 100 + 16 * i, size: 11 });
      pdf = await writeFile(
        'services-agreement.pdf',
        await pdfWithText([CONTRACT.map(line), CONTRACT_PAGE_2.map(line)]),
      );
      await vscode.commands.executeCommand('vscode.open', pdf);
      doc = await textView(pdf);
      assert.ok(await api.whenIdle(doc.uri, 120000), 'tagging the text view finishes');
    });

    it('opens as pages, with the extracted text beside them, tagged', async () => {
      assert.strictEqual(doc.uri.scheme, 'entity-lens-text');
      assert.strictEqual(doc.languageId, 'plaintext');
      assert.match(doc.getText(), /made on May 5, 2024 between Northwind Traders Inc\./);
      assert.match(doc.getText(), /two \(2\) years/);
      const tab = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === pdf.toString());
      assert.ok(tab, 'a custom editor tab for the PDF');
      assert.strictEqual(tab.input.viewType, 'entityLens.pages');
      assert.ok(editorOf(doc), 'the text view is visible');
      const entities = api.entities(doc.uri);
      console.log(`      entities: ${entities.map((e) => `${e.label}:${e.text}`).join(' | ')}`);
      assert.ok(entities.some((e) => e.label === 'DATE' && e.text === 'May 5, 2024'));
      assert.ok(entities.length >= 3);
    });

    it('draws the pages (visible first) and the entities as boxes', async () => {
      const h = await waitFor(
        async () => {
          const r = await hook({ uri: pdf.toString() });
          const t = r.sessions[0];
          return t.rendered.length >= 1 && t.entities > 0 && t.sent.includes('entities') && r;
        },
        { what: 'a drawn page and entity boxes' },
      );
      const t = h.sessions[0];
      console.log(
        `      sent: ${[...new Set(t.sent)].join(', ')}; rendered pages ${t.rendered.join(', ')}; boxes for ${t.entities} entities`,
      );
      const order = t.sent.filter((m) => m !== 'progress');
      assert.deepStrictEqual(
        order.slice(0, 3),
        ['file', 'layout', 'entities'],
        'the file, then the layout, then the boxes',
      );
      assert.strictEqual(t.rendered[0], 1, 'page 1 is drawn first');
      assert.strictEqual(t.entities, api.entities(doc.uri).length, 'every entity has a box');
      assert.strictEqual(h.extraction.status, 'done');
      assert.match(t.status, /^PDF · 2 pages · read from the text layer/);
    });

    it('hover, quick fixes, outline and diagnostics work in the text view', async () => {
      const at = doc.getText().indexOf('May 5, 2024');
      const pos = doc.positionAt(at + 2);
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos);
      const hoverText = hovers.flatMap((h) => h.contents.map((c) => c.value ?? String(c))).join('\n');
      assert.match(hoverText, /\*\*DATE\*\*/);
      const range = new vscode.Range(pos, pos);
      const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, range);
      assert.ok(
        actions.some((a) => /^Accept DATE/.test(a.title)),
        actions.map((a) => a.title).join(' | '),
      );
      const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
      assert.ok(symbols.some((s) => s.name.includes('DATE') || s.children?.some((c) => c.name.includes('May 5'))));
      const diagnostics = await waitFor(
        () => vscode.languages.getDiagnostics(doc.uri).length > 0 && vscode.languages.getDiagnostics(doc.uri),
        {
          what: 'diagnostics on the text view',
        },
      );
      assert.ok(diagnostics.some((d) => /DATE "May 5, 2024"/.test(d.message)));
      // the light bulb needs a writable editor: the text view is not read-only
      const editor = editorOf(doc);
      assert.ok(editor, 'the text view is shown');
      const ro = await vscode.commands
        .executeCommand('getContextKeyValue', 'activeEditorIsReadonly')
        .catch(() => undefined);
      assert.notStrictEqual(ro, true);
    });

    it('the cursor on an entity highlights its box; a click on a box selects it in the text', async () => {
      const editor = editorOf(doc);
      const at = doc.getText().indexOf('Northwind Traders Inc.');
      const entity = api.entities(doc.uri).find((e) => e.start <= at && at < e.end);
      assert.ok(entity, 'an entity on "Northwind Traders Inc."');
      editor.selection = new vscode.Selection(doc.positionAt(at + 3), doc.positionAt(at + 3));
      const h = await waitFor(
        async () => {
          const r = await hook({ uri: pdf.toString() });
          const l = r.sessions[0].lastHighlight;
          return l && l.start === entity.start && r;
        },
        { what: 'the highlight of the entity under the cursor' },
      );
      assert.strictEqual(h.sessions[0].lastHighlight.end, entity.end);
      assert.ok(h.sessions[0].lastHighlight.boxes >= 1);

      const date = api.entities(doc.uri).find((e) => e.text === 'May 5, 2024');
      const r = await hook({ uri: pdf.toString(), deliver: { type: 'select', start: date.start, end: date.end } });
      assert.strictEqual(r.accepted, true);
      const sel = await waitFor(
        () => {
          const e = editorOf(doc);
          return e && doc.offsetAt(e.selection.start) === date.start && e.selection;
        },
        { what: 'the selection of the clicked entity' },
      );
      assert.strictEqual(doc.offsetAt(sel.end), date.end);

      // a click on the page at the first word of line 1 ("This", x 72 pt, baseline 100 pt)
      const click = await hook({ uri: pdf.toString(), deliver: { type: 'pageClick', page: 1, x: 80, y: 96 } });
      assert.strictEqual(click.accepted, true);
      await waitFor(
        () => {
          const e = editorOf(doc);
          return e && doc.getText(e.selection) === 'This';
        },
        { what: 'the clicked word selected' },
      );
    });

    it('a malformed message from the page view is refused', async () => {
      const r = await hook({ uri: pdf.toString(), deliver: { type: 'select', start: -1, end: 'x' } });
      assert.strictEqual(r.accepted, false);
    });

    it('a correction in the text view is stored against the PDF and its hash, and comes back on reopening', async () => {
      const date = api.entities(doc.uri).find((e) => e.text === 'May 5, 2024');
      await vscode.commands.executeCommand(
        'entityLens.changeLabel',
        {
          uri: doc.uri.toString(),
          start: date.start,
          end: date.end,
          label: date.label,
        },
        'DURATION',
      );
      const records = readAnnotations();
      const last = records[records.length - 1];
      assert.strictEqual(last.uri, pdf.toString(), 'the record names the PDF, not the text view');
      const hash = crypto.createHash('sha256').update(fs.readFileSync(pdf.fsPath)).digest('hex');
      assert.strictEqual(last.sha256, hash);
      const span = last.spans.find((s) => s.label === 'DURATION');
      assert.ok(span);
      assert.strictEqual(last.text.slice(span.start, span.end), 'May 5, 2024');
      assert.strictEqual(doc.getText().slice(last.start, last.start + last.text.length), last.text);

      // the text view closed and opened anew (a language change does both): its reviewed state
      // is read back from the store
      const again = await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await sleep(300);
      assert.ok(await api.whenIdle(again.uri, 120000));
      const restored = await waitFor(() => api.entities(again.uri).find((e) => e.start === date.start && e.reviewed), {
        what: 'the reviewed entity restored',
      });
      assert.strictEqual(restored.label, 'DURATION');
    });

    it('an edit of the text view is undone (its offsets are the page boxes)', async () => {
      const again = vscode.workspace.textDocuments.find(
        (d) => d.uri.scheme === 'entity-lens-text' && d.uri.query === pdf.toString(),
      );
      const before = again.getText();
      const editor = await vscode.window.showTextDocument(again, { preview: false });
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'typed '));
      await waitFor(() => !again.isDirty && again.getText() === before, { what: 'the edit reverted' });
    });
  });

  describe('an image', () => {
    it('goes through OCR with progress, then shows its entities and the mean word confidence', async () => {
      const { textPng } = documents();
      const { png } = textPng(['ACME TRADING LTD', 'DATE: 12/3/2024', 'TOTAL 45.75'], 6);
      const img = await writeFile('receipt.png', png);
      await vscode.commands.executeCommand('vscode.openWith', img, 'entityLens.imagePages');
      const seen = new Set();
      let notified;
      const doc = await waitFor(
        async () => {
          const h = await hook({ uri: img.toString() });
          if (h.extraction?.progress) seen.add(h.extraction.progress.stage);
          notified ??= h.extraction?.notified;
          return vscode.workspace.textDocuments.find(
            (d) => d.uri.scheme === 'entity-lens-text' && d.uri.query === img.toString(),
          );
        },
        { what: 'the OCR text view', timeout: 120000, interval: 50 },
      );
      assert.ok(seen.has('ocr'), `OCR progress was reported (${[...seen].join(', ')})`);
      console.log(`      progress notification: ${notified}; text: ${JSON.stringify(doc.getText())}`);
      assert.match(doc.getText(), /TOTAL/);
      assert.ok(await api.whenIdle(doc.uri, 120000));
      const entities = api.entities(doc.uri);
      console.log(`      entities: ${entities.map((e) => `${e.label}:${e.text}`).join(' | ')}`);
      assert.ok(entities.length > 0, 'entities on the OCR text');
      const h = await waitFor(
        async () => {
          const r = await hook({ uri: img.toString() });
          return r.sessions[0].entities > 0 && r;
        },
        { what: 'entity boxes on the image' },
      );
      assert.ok(h.sessions[0].sent.includes('progress'), 'the page view was told the progress');
      console.log(`      status line: ${h.sessions[0].status}`);
      assert.match(h.sessions[0].status, /mean word confidence \d+ %/);
      assert.ok(h.sessions[0].rendered.includes(1));
    });

    it('a vendor typed as a correction on one receipt is known on the others at once, before any training', async () => {
      const { textPng } = documents();
      // two photos of one shop's receipts (one image twice: the pixel font reads the same each time)
      const typed = 'NO.59 JALAN CEMPAKA 9/5 BANDAR BARU CEMPAKA JAYA 81760 JOHOR BAHRU';
      const lines = ['PERNIAGAAN LIM HENG', 'NO.59 JALAN CEMPAKA 9/5', 'BANDAR BARU CEMPAKA JAYA', '81760 JOHOR BAHRU'];
      const { png } = textPng([...lines, 'DATE: 02/03/2024', 'TOTAL RM 112.45', 'CASH RM 120.00'], 2);
      const first = await writeFile('shop-first.png', png);
      const next = await writeFile('shop-next.png', png);
      const fieldsOf = async (img) => {
        await vscode.commands.executeCommand('vscode.openWith', img, 'entityLens.imagePages');
        const doc = await textView(img, 120000);
        assert.ok(await api.whenIdle(doc.uri, 120000));
        return { doc, fields: await waitFor(() => api.fields(doc.uri), { what: `the fields of ${img.path}` }) };
      };
      const a = await fieldsOf(first);
      const b = await fieldsOf(next);
      console.log(`      read: ${JSON.stringify(a.doc.getText())}`);
      for (const { fields } of [a, b])
        assert.ok(!fields.fields.seller_address?.some((v) => v.known), 'no vendor is known yet');
      await vscode.window.showTextDocument(b.doc, { preview: false });
      await waitFor(() => api.fieldsView().some((r) => r.label === 'seller_address'), {
        what: "the view of B's fields",
      });
      assert.ok(!api.fieldsView().some((r) => /known vendor/.test(r.description || '')));
      await sleep(2000); // B's tagging and fields settled: what changes next is the correction's doing
      const record = await vscode.commands.executeCommand('entityLens.correctField', {
        uri: a.doc.uri.toString(),
        field: 'seller_address',
        value: typed,
      });
      assert.ok(record, 'the correction was saved');
      // the other receipt, open in the editor already, is filed anew in the Document Fields view
      const row = await waitFor(
        () => api.fieldsView().find((r) => r.label === 'seller_address' && /known vendor/.test(r.description || '')),
        { what: "the view to show the other receipt's address as the known vendor's" },
      );
      console.log(`      the view: seller_address ${row.description}`);
      const address = (await api.fields(b.doc.uri)).fields.seller_address[0];
      console.log(`      the other receipt's address: ${JSON.stringify(address)}`);
      assert.strictEqual(address.value, typed, 'filed in the spelling typed on the first receipt');
      assert.ok(address.confidence >= 0.8, 'shown as a sure value, not as the chooser guessed the garbled reading');
      assert.notStrictEqual(address.text, typed, 'its text stays as read');
      const c = await fieldsOf(await writeFile('shop-later.png', png));
      assert.strictEqual(c.fields.fields.seller_address?.[0]?.value, typed, 'and on a receipt opened later');
      assert.ok(!fs.existsSync(path.join(workspaceFolder(), '.entity-lens', 'field-chooser.json')), 'no training ran');
    });

    it('OCR can be cancelled, and read again', async () => {
      const { textPng } = documents();
      const stamp = String(Date.now()).slice(-6);
      const { png } = textPng(['INVOICE ' + stamp, 'DATE: 1/2/2025', 'TOTAL 99.10', 'PAID BY CARD'], 6);
      const img = await writeFile(`cancel-${stamp}.png`, png);
      await vscode.commands.executeCommand('vscode.openWith', img, 'entityLens.imagePages');
      await waitFor(
        async () => {
          const h = await hook({ uri: img.toString() });
          return h.extraction?.status === 'running' && h.extraction.progress?.stage === 'ocr';
        },
        { what: 'OCR under way', timeout: 60000, interval: 20 },
      );
      const r = await hook({ uri: img.toString(), cancel: true });
      assert.strictEqual(r.cancelled, true);
      const h = await waitFor(
        async () => {
          const x = await hook({ uri: img.toString() });
          return x.sessions[0].stopped === 'cancelled' && x;
        },
        { what: 'the page view told of the cancel' },
      );
      assert.strictEqual(h.extraction.status, 'cancelled');
      await sleep(300);
      assert.ok(
        !vscode.workspace.textDocuments.some((d) => d.uri.query === img.toString()),
        'no text view after a cancel',
      );
      await hook({ uri: img.toString(), deliver: { type: 'retry' } });
      const doc = await waitFor(
        () =>
          vscode.workspace.textDocuments.find(
            (d) => d.uri.scheme === 'entity-lens-text' && d.uri.query === img.toString(),
          ),
        { what: 'the text view after reading again', timeout: 120000 },
      );
      assert.match(doc.getText(), /TOTAL/);
    });
  });
});
