// Corrections say exactly what the person meant: Accept All stores the shown entities (each
// judged for its own range and label, no page numbers), Mark Labels Complete Here… stores judged
// ranges for the labels picked, Tag Selection As… tags the characters selected, and Undo Last
// Correction (also Ctrl+Z right after one) takes the record back out of annotations.jsonl.
// `judged` is checked on the records the commands hand to the store (their return value).
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { setup, openFixture, find, readAnnotations, storeRecords, waitFor } = require('./helpers');

const key = (s) => `${s.label}:${s.start}:${s.end}`;
const sorted = (list) => list.map(key).sort();

describe('exact corrections and undo', function () {
  this.timeout(120000);
  let api;

  before(async () => {
    ({ api } = await setup());
  });

  async function open(as) {
    const { doc, editor } = await openFixture('paged-contract.txt', as);
    assert.ok(await api.whenIdle(doc.uri, 60000));
    return { doc, editor };
  }

  it('Accept All Entities in Document stores only the shown entities, each judged for its own range and label, and no page numbers', async () => {
    const { doc, editor } = await open('accept-all.txt');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    // entities the model shows on a page number are not accepted: those lines are never stored
    const pages = ['1', '2', '- 3 -'].map((n) => find(doc, `\n${n}\n`));
    const onPage = (e) => pages.some((p) => e.start >= p.start && e.end <= p.end);
    const all = api.entities(doc.uri).map((e) => ({ start: e.start, end: e.end, label: e.label, text: e.text }));
    const shown = all.filter((e) => !onPage(e));
    assert.ok(shown.length >= 3, `the model tags the fixture (${shown.map((e) => e.text)})`);
    const before = readAnnotations().length;
    const records = await vscode.commands.executeCommand('entityLens.acceptAllInDocument');
    const added = readAnnotations().slice(before);
    assert.deepStrictEqual(
      added.map((r) => r.id),
      records.map((r) => r.id),
    );
    for (const r of added) {
      assert.match(r.text, /\p{L}/u, `no passage without a letter: ${JSON.stringify(r.text)}`);
      assert.ok(r.spans.length > 0, `no passage without an entity: ${JSON.stringify(r.text)}`);
      assert.strictEqual(r.complete, undefined, 'nothing is declared complete');
      assert.deepStrictEqual(r.reviewed || [], [], 'nothing is reviewed for every label');
    }
    assert.ok(!added.some((r) => ['1', '2', '- 3 -'].includes(r.text.trim())), 'page numbers are not stored');
    // the stored spans are exactly the entities that were shown
    const stored = added.flatMap((r) =>
      r.spans.map((s) => ({ start: s.start + r.start, end: s.end + r.start, label: s.label })),
    );
    assert.deepStrictEqual(sorted(stored), sorted(shown));
    // judged: each span's own range, for its own label, and nothing else
    for (const r of records) assert.deepStrictEqual(sorted(r.judged || []), sorted(r.spans), r.text);
    assert.ok(api.entities(doc.uri).every((e) => e.reviewed || onPage(e)));
    assert.ok(
      api.entities(doc.uri).every((e) => !onPage(e) || !e.reviewed),
      'what the model shows on a page number stays a prediction',
    );
  });

  it('Mark Labels Complete Here… judges the paragraph at the cursor for the labels picked only', async () => {
    const { doc, editor } = await open('mark-complete.txt');
    const para = find(doc, 'Northwind Traders Inc. shall pay $12,000.00 to Acme Corp. no later than June 30, 2024.');
    editor.selection = new vscode.Selection(doc.positionAt(para.start + 5), doc.positionAt(para.start + 5));
    const parties = api
      .entities(doc.uri)
      .filter((e) => e.label === 'PARTY' && e.start >= para.start && e.end <= para.end);
    assert.ok(parties.length > 0, 'the model tags a party in the paragraph');
    const records = await vscode.commands.executeCommand('entityLens.markLabelsComplete', ['PARTY']);
    assert.strictEqual(records.length, 1);
    const r = records[0];
    assert.strictEqual(r.text.slice(0, 22), 'Northwind Traders Inc.');
    const rel = para.start - r.start;
    assert.deepStrictEqual(r.judged, [{ start: rel, end: rel + para.end - para.start, label: 'PARTY' }]);
    assert.deepStrictEqual(
      sorted(r.spans),
      sorted(parties.map((e) => ({ start: e.start - r.start, end: e.end - r.start, label: e.label }))),
      'the parties shown there are confirmed; no other label is',
    );
    const last = readAnnotations().pop();
    assert.strictEqual(last.id, r.id, 'the record is in annotations.jsonl');
    assert.deepStrictEqual(sorted(last.spans), sorted(r.spans));
    assert.strictEqual(last.complete, undefined);
  });

  it('Tag Selection As… on "Bravatek" inside "Bravatek-identified" stores exactly "Bravatek"', async () => {
    const { doc, editor } = await open('tag-exact.txt');
    const word = find(doc, 'Bravatek');
    editor.selection = new vscode.Selection(doc.positionAt(word.start), doc.positionAt(word.end));
    const records = await vscode.commands.executeCommand('entityLens.tagSelectionAs', 'PARTY');
    const last = readAnnotations().pop();
    assert.strictEqual(last.id, records[0].id);
    const texts = last.spans.map((s) => `${s.label}:${last.text.slice(s.start, s.end)}`);
    assert.ok(texts.includes('PARTY:Bravatek'), texts.join(', '));
    assert.ok(!texts.some((t) => t.includes('Bravatek-')), texts.join(', '));
    const rel = word.start - last.start;
    assert.deepStrictEqual(records[0].judged, [{ start: rel, end: rel + 8, label: 'PARTY' }]);
    const shown = api.entities(doc.uri).find((e) => e.start === word.start);
    assert.deepStrictEqual([shown.text, shown.label, shown.reviewed], ['Bravatek', 'PARTY', true]);
  });

  it('Undo Last Correction takes corrections back out of annotations.jsonl, newest first, and what was shown', async () => {
    const { doc, editor } = await open('undo.txt');
    const shownBefore = api.entities(doc.uri).map((e) => `${e.label}:${e.text}:${e.reviewed}`);
    const word = find(doc, 'Bravatek');
    editor.selection = new vscode.Selection(doc.positionAt(word.start), doc.positionAt(word.end));
    const [tagged] = await vscode.commands.executeCommand('entityLens.tagSelectionAs', 'PARTY');
    // a second correction in the same passage: its record replaces the first
    const acme = api.entities(doc.uri).find((e) => e.text === 'Acme Corp.' && e.start > word.start);
    assert.ok(acme, 'Acme Corp. is tagged after Bravatek');
    const [accepted] = await vscode.commands.executeCommand('entityLens.acceptEntity', {
      uri: doc.uri.toString(),
      start: acme.start,
      end: acme.end,
      label: acme.label,
    });
    assert.strictEqual(accepted.id, tagged.id, 'same passage, same record id');
    const live = () => storeRecords().find((r) => r.id === tagged.id);
    assert.strictEqual(live().spans.length, 2);

    assert.ok(await vscode.commands.executeCommand('entityLens.undoLastCorrection'));
    const back = live();
    assert.ok(back, 'the passage is back to its first correction');
    assert.deepStrictEqual(
      back.spans.map((s) => `${s.label}:${back.text.slice(s.start, s.end)}`),
      ['PARTY:Bravatek'],
    );
    assert.ok(
      !api.entities(doc.uri).some((e) => e.start === acme.start && e.reviewed),
      'Acme Corp. is a prediction again',
    );

    assert.ok(await vscode.commands.executeCommand('entityLens.undoLastCorrection'));
    assert.strictEqual(live(), undefined, 'annotations.jsonl no longer holds the correction');
    const lines = readAnnotations().filter((r) => r.id === tagged.id);
    assert.strictEqual(lines[lines.length - 1].text, '', 'a tombstone: the passage had no record before');
    assert.deepStrictEqual(
      api.entities(doc.uri).map((e) => `${e.label}:${e.text}:${e.reviewed}`),
      shownBefore,
      'the entities shown are those from before the corrections',
    );
    assert.strictEqual(
      await vscode.commands.executeCommand('entityLens.undoLastCorrection'),
      undefined,
      'nothing left to undo',
    );
  });

  it("Ctrl+Z right after a correction undoes it; otherwise it is the document's own undo", async () => {
    const { doc, editor } = await open('ctrl-z.txt');
    const original = doc.getText();
    // a text edit first: if Ctrl+Z reached the document's undo, this would go
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'DRAFT\n'));
    const drafted = doc.getText();
    const word = find(doc, 'Bravatek');
    editor.selection = new vscode.Selection(doc.positionAt(word.start), doc.positionAt(word.end));
    const [record] = await vscode.commands.executeCommand('entityLens.tagSelectionAs', 'PARTY');
    const live = () => storeRecords().find((r) => r.id === record.id);
    const tagged = () => api.entities(doc.uri).some((e) => e.start === word.start && e.reviewed);
    assert.ok(live() && tagged());
    // the keybinding needs the editor focused (editorTextFocus) and its context key set
    const press = async () => {
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      console.log('[harness:press] Control+Z');
    };
    await press();
    // the record leaves the store first, then the entity goes back to what was shown before
    await waitFor(() => live() === undefined && !tagged(), { what: 'Ctrl+Z to take the correction back' });
    assert.strictEqual(doc.getText(), drafted, 'the text is untouched');

    // no correction left: Ctrl+Z undoes the edit
    await press();
    await waitFor(() => doc.getText() === original, { what: 'Ctrl+Z to undo the edit' });

    // a correction, then an edit: Ctrl+Z undoes the edit and the correction stays
    const again = find(doc, 'Bravatek');
    editor.selection = new vscode.Selection(doc.positionAt(again.start), doc.positionAt(again.end));
    await vscode.commands.executeCommand('entityLens.tagSelectionAs', 'PARTY');
    await editor.edit((b) => b.insert(doc.positionAt(doc.getText().length), 'Signed.\n'));
    await press();
    await waitFor(() => doc.getText() === original, { what: 'Ctrl+Z to undo the second edit' });
    assert.ok(
      api.entities(doc.uri).some((e) => e.start === again.start && e.reviewed),
      'the correction stays',
    );
    assert.ok(storeRecords().some((r) => r.uri === doc.uri.toString()));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
