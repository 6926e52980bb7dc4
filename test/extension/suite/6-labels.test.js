// Labels from files and from commands follow one grammar (core/labels.ts: 1-32 of A-Z, 0-9, _,
// starting with a letter) at every entry, and are shown escaped at every exit (issue 12, defect 10).
// Hostile labels in annotations.jsonl and labels.json never reach a hover, Problems, the outline,
// a quick fix title or the dashboard; a hostile label given to a command or by the dashboard is
// refused and nothing is written.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { setup, find, annotationsFile, workspaceFolder, waitFor } = require('./helpers');

const HOSTILE = [
  '**EVIL**<img src=x onerror=alert(1)>',
  '__proto__',
  'BAD-ONE',
  'party',
  'PARTY\u001b[31m',
  'A'.repeat(40),
];
const GRAMMAR = /^[A-Z][A-Z0-9_]{0,31}$/;
const hook = (arg) => vscode.commands.executeCommand('entityLens.dashboard.testHook', arg);

/** No hostile label appears in `text` ("party" aside: hovers say "same name as a party"). */
function assertClean(text, where) {
  for (const h of HOSTILE.filter((x) => x !== 'party')) {
    assert.ok(!text.includes(h), `${where} shows ${JSON.stringify(h)}: ${text}`);
  }
  assert.ok(!/<img|\*\*EVIL|__proto__|BAD-ONE/.test(text), `${where}: ${text}`);
}

describe('labels: one grammar at every entry, escaped at every exit', function () {
  this.timeout(120000);
  let api;
  let doc;
  let labelsFile;

  before(async () => {
    ({ api } = await setup());
    const dir = path.join(workspaceFolder(), 'el-test');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'contract-labels.txt');
    const text = fs.readFileSync(path.join(__dirname, 'fixtures', 'contract.txt'), 'utf8');
    fs.writeFileSync(file, text);
    const uri = vscode.Uri.file(file).toString();
    // hostile records for this document: each is refused by the store's reader (a malformed line, kept)
    const passage = 'Northwind Traders Inc. shall pay $12,000.00 to Acme Corp. no later than June 30, 2024.';
    const start = text.indexOf(passage);
    assert.ok(start >= 0);
    const lines = HOSTILE.map((label, i) =>
      JSON.stringify({
        id: `hostile-${i}`,
        text: passage,
        spans: [{ start: 0, end: 22, label }],
        reviewed: [{ start: 0, end: passage.length }],
        complete: [label],
        source: 'editor',
        uri,
        time: '2026-01-01T00:00:00.000Z',
        start,
      }),
    );
    fs.mkdirSync(path.dirname(annotationsFile()), { recursive: true });
    fs.appendFileSync(annotationsFile(), lines.join('\n') + '\n');
    labelsFile = path.join(workspaceFolder(), '.entity-lens', 'labels.json');
    const listed = fs.existsSync(labelsFile) ? JSON.parse(fs.readFileSync(labelsFile, 'utf8')).labels : [];
    fs.writeFileSync(labelsFile, JSON.stringify({ labels: [...listed, 'GOOD_ONE', ...HOSTILE] }, null, 2));
    doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    assert.ok(await api.whenIdle(doc.uri, 60000));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('hostile labels in annotations.jsonl and labels.json reach no entity, hover, diagnostic, symbol or quick fix', async () => {
    const entities = api.entities(doc.uri);
    assert.ok(entities.length > 0);
    for (const e of entities) assert.match(e.label, GRAMMAR);
    // the hostile records' passage is not restored as reviewed: the model's predictions show there
    const passage = find(doc, 'Northwind Traders Inc. shall pay');
    const inPassage = entities.filter((e) => e.start >= passage.start && e.start < passage.start + 90);
    assert.ok(inPassage.length > 0, 'the model found something in the passage');
    assert.ok(
      inPassage.every((e) => !e.reviewed),
      `predictions, not a hostile record: ${JSON.stringify(inPassage)}`,
    );
    const party = {
      start: inPassage[0].start,
      range: new vscode.Range(doc.positionAt(inPassage[0].start), doc.positionAt(inPassage[0].end)),
    };

    const hovers = await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      doc.uri,
      doc.positionAt(party.start + 1),
    );
    const markdown = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(markdown, /^\*\*[A-Z][A-Z0-9\\_]*\*\* · /m, markdown);
    assertClean(markdown, 'the hover');

    const diagnostics = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Entity Lens');
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) assertClean(d.message, 'a diagnostic');

    const symbols = await waitFor(
      async () => {
        const s = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
        return s && s.length ? s : undefined;
      },
      { what: 'document symbols' },
    );
    for (const s of symbols) {
      assert.match(s.name, GRAMMAR);
      for (const c of s.children) assertClean(c.name, 'an outline entry');
    }

    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, party.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Change label to GOOD_ONE'), titles.join(' | '));
    for (const t of titles) assertClean(t, 'a quick fix title');
    for (const a of actions) {
      const label = a.command && a.command.command === 'entityLens.changeLabel' ? a.command.arguments[1] : undefined;
      if (label !== undefined) assert.match(label, GRAMMAR);
    }
  });

  it('a label that breaks the grammar, given to a command, is refused and nothing is saved', async () => {
    const before = fs.readFileSync(annotationsFile());
    const party = find(doc, 'Acme Corp.');
    const ref = { uri: doc.uri.toString(), start: party.start, end: party.end, label: 'PARTY' };
    const labelBefore = api.entities(doc.uri).find((e) => e.start === party.start).label;
    for (const bad of HOSTILE) {
      assert.strictEqual(await vscode.commands.executeCommand('entityLens.changeLabel', ref, bad), undefined, bad);
    }
    const editor = vscode.window.activeTextEditor;
    editor.selection = new vscode.Selection(party.range.start, party.range.end);
    for (const bad of HOSTILE) {
      assert.strictEqual(await vscode.commands.executeCommand('entityLens.tagSelectionAs', bad), undefined, bad);
    }
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('entityLens.addLabel', 'bad-one')),
      /"BAD-ONE" is not a valid label/,
    );
    assert.deepStrictEqual(fs.readFileSync(annotationsFile()), before, 'annotations.jsonl unchanged');
    assert.strictEqual(api.entities(doc.uri).find((e) => e.start === party.start).label, labelBefore);
  });

  it('the dashboard shows only valid labels and refuses hostile ones in its messages', async () => {
    await vscode.commands.executeCommand('entityLens.openDashboard');
    await waitFor(
      async () => {
        const h = await hook();
        return h.open && h.received.includes('ready') && h.sent.includes('labels') ? h : undefined;
      },
      { timeout: 60000, what: 'the dashboard to open' },
    );
    const labels = (await hook({ deliver: { type: 'requestLabels' } })).lastByType.labels.data.map((l) => l.name);
    assert.ok(labels.includes('GOOD_ONE'), labels.join(', '));
    for (const l of labels) assert.match(l, GRAMMAR);
    const entities = (await hook({ deliver: { type: 'refresh', view: 'entities' } })).lastByType.entities.data;
    for (const e of entities.entities) assert.match(e.label, GRAMMAR);

    const colorsBefore = JSON.stringify(vscode.workspace.getConfiguration('entityLens').inspect('labelColors'));
    const descriptions = path.join(workspaceFolder(), '.entity-lens', 'label-descriptions.json');
    const descriptionsBefore = fs.existsSync(descriptions) ? fs.readFileSync(descriptions, 'utf8') : null;
    const annotationsBefore = fs.readFileSync(annotationsFile());
    const party = find(doc, 'Acme Corp.');
    for (const bad of HOSTILE) {
      const deliveries = [
        { type: 'recolorLabel', name: bad, color: '#ff0000' },
        { type: 'describeLabel', name: bad, description: 'hostile' },
        { type: 'renameLabel', from: bad, to: 'FINE' },
        { type: 'renameLabel', from: 'DATE', to: bad },
        {
          type: 'entityAction',
          action: 'relabel',
          uri: doc.uri.toString(),
          start: party.start,
          end: party.end,
          label: 'PARTY',
          newLabel: bad,
        },
      ];
      for (const deliver of deliveries) {
        const r = await hook({ deliver });
        assert.strictEqual(r.accepted, true);
        assert.strictEqual(
          r.lastSent.type,
          'notice',
          `${deliver.type} ${JSON.stringify(bad)}: ${JSON.stringify(r.lastSent)}`,
        );
        assert.strictEqual(r.lastSent.level, 'error');
      }
    }
    assert.strictEqual(
      JSON.stringify(vscode.workspace.getConfiguration('entityLens').inspect('labelColors')),
      colorsBefore,
      'no colour setting written',
    );
    assert.strictEqual(fs.existsSync(descriptions) ? fs.readFileSync(descriptions, 'utf8') : null, descriptionsBefore);
    assert.deepStrictEqual(fs.readFileSync(annotationsFile()), annotationsBefore, 'annotations.jsonl unchanged');
  });
});
