// The dashboard webview in a real VS Code: it loads under its CSP, asks for its data, the host
// answers, and a ping comes back with what the page shows; decisions made through the panel's
// message handler land in annotations.jsonl like editor corrections, and undo takes them back;
// the Fields tab shows the sample invoice's total, and a click on it selects the mention.
// entityLens.dashboard.testHook (registered outside production mode) reports the messages
// exchanged and can deliver a message as if the webview had posted it.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const {
  EXTENSION_ID,
  setup,
  openFixture,
  find,
  readAnnotations,
  waitFor,
  workspaceFolder,
} = require('../suite/helpers');

const hook = (arg) => vscode.commands.executeCommand('entityLens.dashboard.testHook', arg);

describe('dashboard webview', function () {
  this.timeout(180000);
  let api;
  let doc;

  before(async () => {
    ({ api } = await setup());
    ({ doc } = await openFixture('contract.txt', 'contract-dashboard.txt'));
    assert.ok(await api.whenIdle(doc.uri, 60000));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens, loads under its CSP and round-trips messages with the host', async () => {
    await vscode.commands.executeCommand('entityLens.openDashboard');
    // the page's script ran (the CSP let the bundle in) and asked for its data ...
    const seen = await waitFor(
      async () => {
        const h = await hook();
        // "ready" and "viewChanged" are posted one after the other: a busy host may be asked between them
        const both = h.received.includes('ready') && h.received.includes('viewChanged');
        return h.open && both && h.sent.includes('labels') ? h : undefined;
      },
      { timeout: 60000, what: 'the webview to say ready and which view it shows, and the host to answer' },
    );
    assert.ok(
      ['trainingSet', 'models', 'labels', 'entities', 'progress'].every((t) => seen.sent.includes(t)),
      `sent: ${seen.sent}`,
    );
    // ... and what it shows came from the host: the tiny model's labels
    const { pong } = await hook({ ping: true });
    assert.ok(pong, 'the webview answered the ping');
    assert.strictEqual(pong.view, 'training');
    for (const l of ['PARTY', 'DATE', 'AMOUNT'])
      assert.ok(pong.labels.includes(l), `labels in the page: ${pong.labels}`);
    // a request from the webview gets an answer with colours the decorations use
    const answered = await hook({ deliver: { type: 'requestLabels' } });
    assert.strictEqual(answered.accepted, true);
    const party = answered.lastByType.labels.data.find((l) => l.name === 'PARTY');
    assert.strictEqual(party.color, 'var(--vscode-entityLens-partyBorder)');
    assert.strictEqual(party.inModel, true);
  });

  it('ignores a malformed message', async () => {
    const before = readAnnotations().length;
    const r = await hook({
      deliver: {
        type: 'reviewCommit',
        key: 'k',
        uri: doc.uri.toString(),
        start: 0,
        end: 4,
        text: 'SUPP',
        spans: 'PARTY',
      },
    });
    assert.strictEqual(r.accepted, false);
    assert.strictEqual((await hook({ deliver: { type: 'no-such-thing' } })).accepted, false);
    assert.strictEqual(readAnnotations().length, before, 'nothing was written');
  });

  it('a review decision lands in the training set like an editor correction, and undo takes it back', async () => {
    const p = find(doc, 'Northwind Traders Inc. shall pay $12,000.00 to Acme Corp. no later than June 30, 2024.');
    const text = doc.getText().slice(p.start, p.end);
    const rel = (s) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
    const spans = [
      { ...rel('Northwind Traders Inc.'), label: 'PARTY' },
      { ...rel('$12,000.00'), label: 'AMOUNT' },
      { ...rel('June 30, 2024'), label: 'DATE' },
    ];
    const key = `${doc.uri.toString()}#${p.start}-${p.end}`;
    const r = await hook({
      deliver: { type: 'reviewCommit', key, uri: doc.uri.toString(), start: p.start, end: p.end, text, spans },
    });
    assert.strictEqual(r.accepted, true);
    assert.deepStrictEqual(r.lastSent, { type: 'reviewResult', key, ok: true, message: 'saved 1 record(s)' });
    const records = readAnnotations();
    const last = records[records.length - 1];
    assert.strictEqual(last.source, 'editor');
    assert.strictEqual(last.uri, doc.uri.toString());
    assert.strictEqual(last.text, text);
    assert.deepStrictEqual(
      last.spans.map((s) => `${s.label}:${last.text.slice(s.start, s.end)}`),
      ['PARTY:Northwind Traders Inc.', 'AMOUNT:$12,000.00', 'DATE:June 30, 2024'],
    );
    assert.strictEqual(last.complete, 'all', 'the whole passage was reviewed');
    // the editor shows them as reviewed; "Acme Corp." was left out, so it is no entity there now
    const shown = api.entities(doc.uri).filter((e) => e.start >= p.start && e.end <= p.end);
    assert.deepStrictEqual(
      shown.map((e) => `${e.label}:${e.text}:${e.reviewed}`),
      ['PARTY:Northwind Traders Inc.:true', 'AMOUNT:$12,000.00:true', 'DATE:June 30, 2024:true'],
    );

    const u = await hook({ deliver: { type: 'reviewUndo', key } });
    assert.strictEqual(u.accepted, true);
    const after = readAnnotations();
    const tomb = after[after.length - 1];
    assert.strictEqual(tomb.id, last.id);
    assert.strictEqual(tomb.text, '', 'a tombstone: the passage had no record before');
    const again = api.entities(doc.uri).filter((e) => e.start >= p.start && e.end <= p.end);
    assert.ok(
      again.every((e) => !e.reviewed),
      `predictions are back: ${JSON.stringify(again)}`,
    );
  });

  it('renames a label: the training set is rewritten under its lock, the editor follows', async () => {
    const p = find(doc, 'The total fee of EUR 4,500 is due on 1 July 2024.');
    const text = doc.getText().slice(p.start, p.end);
    const key = `${doc.uri.toString()}#${p.start}-${p.end}`;
    const spans = [
      { start: text.indexOf('EUR 4,500'), end: text.indexOf('EUR 4,500') + 9, label: 'AMOUNT' },
      { start: text.indexOf('1 July 2024'), end: text.indexOf('1 July 2024') + 11, label: 'DATE' },
    ];
    const c = await hook({
      deliver: { type: 'reviewCommit', key, uri: doc.uri.toString(), start: p.start, end: p.end, text, spans },
    });
    assert.strictEqual(c.lastSent.ok, true, JSON.stringify(c.lastSent));
    const r = await hook({ deliver: { type: 'renameLabel', from: 'AMOUNT', to: 'money' } });
    assert.strictEqual(r.accepted, true);
    const records = readAnnotations();
    assert.ok(
      records.every((x) => !(x.spans || []).some((s) => s.label === 'AMOUNT')),
      'no AMOUNT span is left, superseded lines included',
    );
    const last = records[records.length - 1];
    assert.deepStrictEqual(
      last.spans.map((s) => `${s.label}:${last.text.slice(s.start, s.end)}`),
      ['MONEY:EUR 4,500', 'DATE:1 July 2024'],
    );
    assert.ok(
      !fs.existsSync(path.join(workspaceFolder(), '.entity-lens', 'annotations.jsonl.lock')),
      'the lock was released',
    );
    const labels = JSON.parse(
      fs.readFileSync(path.join(workspaceFolder(), '.entity-lens', 'labels.json'), 'utf8'),
    ).labels;
    assert.ok(labels.includes('MONEY'), `labels.json: ${labels}`);
    const shown = api.entities(doc.uri).find((e) => e.text === 'EUR 4,500');
    assert.deepStrictEqual([shown.label, shown.reviewed], ['MONEY', true]);
    const answer = await hook({ deliver: { type: 'requestLabels' } });
    const money = answer.lastByType.labels.data.find((l) => l.name === 'MONEY');
    assert.ok(money && money.gold >= 1, JSON.stringify(money));
  });

  it('follows a training run live and cancels it from the panel', async () => {
    const started = await hook({ deliver: { type: 'train' } });
    assert.strictEqual(started.accepted, true);
    const live = await waitFor(
      async () => {
        const p = (await hook()).lastByType.progress;
        return p && p.data.running && /^epoch \d+\/\d+, loss /.test(p.data.message) ? p : undefined;
      },
      { timeout: 60000, what: 'progress of a running epoch' },
    );
    console.log(`      live: ${live.data.message} (${Math.round(live.data.percent)}%)`);
    await hook({ deliver: { type: 'cancelTraining' } });
    await waitFor(
      async () => {
        const p = (await hook()).lastByType.progress;
        return p && !p.data.running;
      },
      { timeout: 60000, what: 'the run to end' },
    );
    const models = (await hook()).lastByType.models.data;
    assert.ok(
      models.versions.some((v) => v.id === 'base' && v.source === 'setting' && v.active),
      JSON.stringify(models.versions.map((v) => [v.id, v.active])),
    );
  });

  it('describes and recolours a label', async () => {
    await hook({ deliver: { type: 'describeLabel', name: 'PARTY', description: 'A party to the contract' } });
    const file = path.join(workspaceFolder(), '.entity-lens', 'label-descriptions.json');
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(file, 'utf8')), {
      descriptions: { PARTY: 'A party to the contract' },
    });
    await hook({ deliver: { type: 'recolorLabel', name: 'DATE', color: '#ff8800' } });
    const colors = vscode.workspace.getConfiguration('entityLens').get('labelColors');
    assert.strictEqual(colors.DATE, '#ff8800');
    const r = await hook({ deliver: { type: 'requestLabels' } });
    const date = r.lastByType.labels.data.find((l) => l.name === 'DATE');
    assert.deepStrictEqual([date.color, date.customColor, date.description], ['#ff8800', true, '']);
    await hook({ deliver: { type: 'recolorLabel', name: 'DATE', color: '' } });
  });

  it("the Fields tab shows the sample invoice's total; a click on it selects the mention", async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const file = path.join(workspaceFolder(), 'el-test', 'invoice-FOS-2026-0117.txt');
    fs.copyFileSync(
      path.join(ext.extensionPath, 'samples', 'workspace', 'invoices', 'invoice-FOS-2026-0117.txt'),
      file,
    );
    const invoice = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(invoice, vscode.ViewColumn.One);
    assert.ok(await api.whenIdle(invoice.uri, 60000), 'the invoice was tagged');
    await hook({ deliver: { type: 'viewChanged', view: 'fields' } });
    const uri = invoice.uri.toString();
    const sent = await waitFor(
      async () => {
        const f = (await hook()).lastByType.fields;
        return f && f.data.uri === uri && f.data.kind !== null ? f.data : undefined;
      },
      { timeout: 30000, what: "the invoice's fields sent to the dashboard" },
    );
    assert.strictEqual(sent.kind, 'invoice');
    const total = sent.fields.find((f) => f.name === 'total');
    assert.deepStrictEqual(
      total.values.map((v) => v.value),
      ['5798.28'],
    );
    // the page shows it: the Fields tab's text (the tab is not the one shown, so its cells run together)
    const { pong } = await hook({ ping: true, read: 'fields' });
    assert.ok(pong, 'the webview answered the ping');
    assert.match(pong.text, /total\s*5798\.28\s*\d+%/, pong.text);
    // a click on the value: Reveal Field Value selects the mention in the invoice's editor
    const { start, end } = total.values[0];
    const r = await hook({ deliver: { type: 'revealFieldValue', uri, start, end } });
    assert.strictEqual(r.accepted, true);
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor.document.uri.toString(), uri);
    assert.strictEqual(editor.document.getText(editor.selection), '5.798,28');
  });
});
