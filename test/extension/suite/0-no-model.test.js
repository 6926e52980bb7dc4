// Before any model exists (the embedded default may still be empty): the editor keeps
// working, corrections are saved, and Train Model builds a first model from scratch.
// Skipped when models/default already holds a model.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { EXTENSION_ID, openFixture, readAnnotations } = require('./helpers');

describe('without any model', function () {
  this.timeout(300000);
  let api;

  before(function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    if (fs.existsSync(path.join(ext.extensionPath, 'models', 'default', 'model.json'))) this.skip();
  });

  it('opens a document without errors and shows no entities', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await vscode.workspace
      .getConfiguration('entityLens')
      .update('autoTrainAfter', 0, vscode.ConfigurationTarget.Global);
    api = await ext.activate();
    const { doc } = await openFixture('contract.txt', 'scratch.txt');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepStrictEqual(api.entities(doc.uri), []);
    assert.strictEqual(await api.model(doc.uri), undefined);
    const report = await vscode.commands.executeCommand('entityLens.showModelReport', { preview: false });
    assert.match(report, /No model loaded/);
  });

  it('saves hand-made annotations and trains a first model from them', async () => {
    const { doc, editor } = await openFixture('contract.txt', 'scratch.txt');
    const text = doc.getText();
    const select = (values) =>
      values
        .map((v) => {
          const out = [];
          for (let at = text.indexOf(v); at >= 0; at = text.indexOf(v, at + 1)) {
            out.push(new vscode.Selection(doc.positionAt(at), doc.positionAt(at + v.length)));
          }
          return out;
        })
        .flat();
    for (const [label, values] of [
      ['DATE', ['May 5, 2024', 'June 30, 2024', '1 July 2024']],
      ['PARTY', ['Acme Corp.', 'Northwind Traders Inc.']],
      ['AMOUNT', ['$12,000.00', 'EUR 4,500']],
    ]) {
      editor.selections = select(values);
      await vscode.commands.executeCommand('entityLens.tagSelectionAs', label);
    }
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('entityLens.acceptAllInDocument');
    const records = readAnnotations().filter((r) => r.uri === doc.uri.toString());
    assert.ok(records.length >= 4);
    const run = await vscode.commands.executeCommand('entityLens.trainModel');
    assert.ok(run && run.swapped, `trained and swapped in (${run && run.reason})`);
    const model = await api.model(doc.uri);
    assert.ok(model, 'a model now');
    assert.deepStrictEqual([...model.labels].sort(), ['AMOUNT', 'DATE', 'PARTY']);
  });

  after(async () => {
    // back to the (empty) base model so the other suites use entityLens.modelPath
    if (api) assert.strictEqual(await vscode.commands.executeCommand('entityLens.resetModel'), null);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
