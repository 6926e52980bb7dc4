// Corrections become training data: code actions on entities, accept all, tag selection,
// uncertain-entity navigation, and the append-only annotation store. A correction judges only
// the labels it concerns (`judged`, checked on the records the commands hand to the store);
// 8-exact-corrections.test.js has Accept All, Mark Labels Complete and Undo in detail.
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const { setup, openFixture, find, readAnnotations, storeRecords, annotationsFile } = require('./helpers');

describe('corrections and the annotation store', function () {
  this.timeout(120000);
  let api;
  let doc;
  let editor;

  before(async () => {
    ({ api } = await setup());
    ({ doc, editor } = await openFixture('contract.txt', 'contract-review.txt'));
    assert.ok(await api.whenIdle(doc.uri, 60000));
  });

  it('offers code actions on an entity and a relabel lands in annotations.jsonl', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('entityLens.addLabel', 'COUNTERPARTY'), 'COUNTERPARTY');
    const party = find(doc, 'Northwind Traders Inc.');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, party.range);
    const titles = actions.map((a) => a.title);
    console.log(`      actions: ${titles.join(' | ')}`);
    assert.ok(titles.some((t) => /^Accept PARTY "Northwind Traders Inc\."/.test(t)));
    assert.ok(titles.some((t) => /^Remove entity/.test(t)));
    const relabel = actions.find((a) => a.title === 'Change label to COUNTERPARTY');
    assert.ok(relabel, 'a relabel action for the label added to labels.json');
    const [written] = await vscode.commands.executeCommand(relabel.command.command, ...relabel.command.arguments);

    const records = readAnnotations();
    const last = records[records.length - 1];
    assert.strictEqual(last.source, 'editor');
    assert.strictEqual(last.uri, doc.uri.toString());
    const span = last.spans.find((s) => s.label === 'COUNTERPARTY');
    assert.ok(span, `COUNTERPARTY span in ${JSON.stringify(last)}`);
    assert.strictEqual(last.text.slice(span.start, span.end), 'Northwind Traders Inc.');
    assert.deepStrictEqual(
      written.judged.map((j) => `${j.label}:${last.text.slice(j.start, j.end)}`).sort(),
      ['COUNTERPARTY:Northwind Traders Inc.', 'PARTY:Northwind Traders Inc.'],
      'its range is judged for the new and the old label, and no other',
    );
    assert.deepStrictEqual(last.reviewed, [], 'not reviewed for every label');
    assert.strictEqual(
      doc.getText().slice(last.start, last.start + last.text.length),
      last.text,
      'the snapshot matches the document',
    );
    // shown at once as reviewed, with the new label
    const shown = api.entities(doc.uri).find((e) => e.start === party.start);
    assert.strictEqual(shown.label, 'COUNTERPARTY');
    assert.strictEqual(shown.reviewed, true);
  });

  it('a second correction in the same passage replaces its record (latest wins)', async () => {
    const date = find(doc, 'May 5, 2024');
    await vscode.commands.executeCommand('entityLens.acceptEntity', {
      uri: doc.uri.toString(),
      start: date.start,
      end: date.end,
      label: 'DATE',
    });
    const records = readAnnotations();
    const ids = records.map((r) => r.id);
    const last = records[records.length - 1];
    assert.strictEqual(ids.filter((id) => id === last.id).length, 2, 'same passage, same id');
    const labels = last.spans.map((s) => `${s.label}:${last.text.slice(s.start, s.end)}`);
    assert.deepStrictEqual(labels.sort(), ['COUNTERPARTY:Northwind Traders Inc.', 'DATE:May 5, 2024']);
  });

  it('keeps the correction when the sentence is re-tagged after an edit elsewhere', async () => {
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'DRAFT\n\n'));
    assert.ok(await api.whenIdle(doc.uri, 30000));
    const party = find(doc, 'Northwind Traders Inc.');
    const shown = api.entities(doc.uri).find((e) => e.start === party.start);
    assert.strictEqual(shown && shown.label, 'COUNTERPARTY');
  });

  it('Tag Selection As… makes exactly the selected characters an entity, without white space at its ends', async () => {
    const fee = find(doc, 'total fee');
    editor.selection = new vscode.Selection(doc.positionAt(fee.start + 2), doc.positionAt(fee.end - 1));
    await vscode.commands.executeCommand('entityLens.tagSelectionAs', 'COUNTERPARTY');
    let last = readAnnotations().pop();
    let span = last.spans.find((s) => s.label === 'COUNTERPARTY' && s.start + last.start === fee.start + 2);
    assert.ok(span, 'the selection is tagged as it was made');
    assert.strictEqual(last.text.slice(span.start, span.end), 'tal fe', 'not widened to whole words');
    // white space around the selection is not part of the entity
    editor.selection = new vscode.Selection(doc.positionAt(fee.start - 1), doc.positionAt(fee.end + 1));
    await vscode.commands.executeCommand('entityLens.tagSelectionAs', 'COUNTERPARTY');
    last = readAnnotations().pop();
    span = last.spans.find((s) => s.label === 'COUNTERPARTY' && s.start + last.start === fee.start);
    assert.strictEqual(span && last.text.slice(span.start, span.end), 'total fee');
  });

  it('Remove Entity judges the text for that label, with no entity', async () => {
    const amount = find(doc, 'EUR 4,500');
    const e = api.entities(doc.uri).find((x) => x.start === amount.start);
    assert.ok(e, 'EUR 4,500 was tagged');
    const [written] = await vscode.commands.executeCommand('entityLens.removeEntity', {
      uri: doc.uri.toString(),
      start: e.start,
      end: e.end,
      label: e.label,
    });
    const last = readAnnotations().pop();
    assert.ok(!last.spans.some((s) => last.text.slice(s.start, s.end) === 'EUR 4,500'));
    const rel = last.text.indexOf('EUR 4,500');
    assert.ok(
      written.judged.some((j) => j.label === e.label && j.start <= rel && j.end >= rel + 9),
      'a negative example for its label',
    );
    assert.ok(
      !written.judged.some((j) => j.label !== e.label && j.start < rel + 9 && j.end > rel),
      'for no other label',
    );
    assert.ok(!(last.reviewed || []).some((r) => r.start < rel + 9 && r.end > rel), 'not reviewed for every label');
    assert.ok(!api.entities(doc.uri).some((x) => x.start === amount.start));
  });

  it('Next / Previous Uncertain Entity move the selection', async () => {
    await vscode.workspace
      .getConfiguration('entityLens')
      .update('lowConfidenceThreshold', 1, vscode.ConfigurationTarget.Global);
    try {
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      const first = await vscode.commands.executeCommand('entityLens.nextUncertainEntity');
      assert.ok(first, 'an uncertain entity');
      assert.strictEqual(doc.offsetAt(editor.selection.start), first.start);
      const second = await vscode.commands.executeCommand('entityLens.nextUncertainEntity');
      assert.ok(second.start > first.start);
      const back = await vscode.commands.executeCommand('entityLens.previousUncertainEntity');
      assert.strictEqual(back.start, first.start);
    } finally {
      await vscode.workspace
        .getConfiguration('entityLens')
        .update('lowConfidenceThreshold', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Accept All Entities in Document saves the shown entities, each judged for its own range and label', async () => {
    const before = readAnnotations().length;
    const shown = api.entities(doc.uri).length;
    const written = await vscode.commands.executeCommand('entityLens.acceptAllInDocument');
    const added = readAnnotations().slice(before);
    assert.ok(added.length >= 3, `one record per paragraph with entities (${added.length})`);
    assert.ok(added.every((r) => r.complete === undefined && r.spans.length > 0));
    assert.strictEqual(
      added.reduce((n, r) => n + r.spans.length, 0),
      shown,
    );
    for (const r of written) {
      // each span judged for its own label; judged text only on spans (the relabelled party is
      // judged for both its labels since the relabel) or on the removed amount
      const judged = r.judged.map((j) => `${j.label}:${j.start}:${j.end}`);
      assert.ok(
        r.spans.every((s) => judged.includes(`${s.label}:${s.start}:${s.end}`)),
        r.text,
      );
      assert.ok(
        r.judged.every(
          (j) =>
            r.spans.some((s) => s.start <= j.start && j.end <= s.end) || r.text.slice(j.start, j.end) === 'EUR 4,500',
        ),
        r.text,
      );
    }
    assert.ok(api.entities(doc.uri).every((e) => e.reviewed));
  });

  it('keeps malformed lines and reports them', async () => {
    fs.appendFileSync(annotationsFile(), '{"id": "broken", "text": 42}\nnot json at all\n');
    const date = find(doc, 'June 30, 2024');
    await vscode.commands.executeCommand(
      'entityLens.changeLabel',
      { uri: doc.uri.toString(), start: date.start, end: date.end, label: 'DATE' },
      'DATE',
    );
    const lines = fs.readFileSync(annotationsFile(), 'utf8');
    assert.match(lines, /not json at all/);
    const report = await vscode.commands.executeCommand('entityLens.showModelReport', { preview: false });
    assert.match(report, /2 malformed/);
  });

  it('compacts superseded records under the lock, keeping malformed lines', async () => {
    const dup = JSON.stringify({ id: 'dup', text: 'Seen before.', spans: [], source: 'editor' });
    fs.appendFileSync(annotationsFile(), (dup + '\n').repeat(300));
    const before = fs.readFileSync(annotationsFile(), 'utf8').trim().split('\n').length;
    const date = find(doc, '1 July 2024');
    await vscode.commands.executeCommand('entityLens.acceptEntity', {
      uri: doc.uri.toString(),
      start: date.start,
      end: date.end,
      label: 'DATE',
    });
    let lines = [];
    for (let i = 0; i < 50; i++) {
      lines = fs.readFileSync(annotationsFile(), 'utf8').trim().split('\n');
      if (lines.length < before) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(lines.length < 50, `compacted from ${before} to ${lines.length} lines`);
    assert.ok(lines.includes('not json at all'), 'malformed lines stay');
    assert.strictEqual(
      lines.filter((l) => l.includes('"id":"dup"')).length,
      1,
      'one record left for the duplicated id',
    );
    const ids = lines.filter((l) => l.startsWith('{"id":"editor:')).map((l) => JSON.parse(l).id);
    assert.strictEqual(new Set(ids).size, ids.length, 'one line per passage');
  });

  it('restores reviewed entities when the document is opened again', async () => {
    // changing the language closes the document and opens it anew (state and all)
    const again = await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(await api.whenIdle(again.uri, 30000));
    const party = find(again, 'Northwind Traders Inc.');
    const shown = api.entities(again.uri).find((e) => e.start === party.start);
    assert.ok(
      shown && shown.label === 'COUNTERPARTY' && shown.reviewed,
      'the relabel was restored from annotations.jsonl',
    );
    const accepted = storeRecords()
      .filter((r) => r.uri === again.uri.toString() && r.text)
      .flatMap((r) => r.spans.map((s) => s.start + r.start));
    const now = api.entities(again.uri);
    assert.ok(
      accepted.every((start) => now.some((e) => e.start === start && e.reviewed)),
      'every accepted entity is restored as reviewed',
    );
  });
});
