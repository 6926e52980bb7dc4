// Training: a handful of corrections of a NEW label, Train Model, and the new version tags
// that label; roll back and reset; the model report.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { setup, openFixture, workspaceFolder } = require('./helpers');

describe('training on corrections', function () {
  this.timeout(300000);
  let api;

  before(async () => {
    ({ api } = await setup());
  });

  it('learns a new label from a handful of corrections', async () => {
    const { doc, editor } = await openFixture('invoices.txt');
    assert.ok(await api.whenIdle(doc.uri, 60000));
    const text = doc.getText();
    const codes = [...text.matchAll(/INV-\d{4}-\d{4}/g)];
    assert.strictEqual(codes.length, 10);
    editor.selections = codes.map(
      (m) => new vscode.Selection(doc.positionAt(m.index), doc.positionAt(m.index + m[0].length)),
    );
    await vscode.commands.executeCommand('entityLens.tagSelectionAs', 'INVOICE_NO');
    assert.strictEqual(api.entities(doc.uri).filter((e) => e.label === 'INVOICE_NO').length, 10);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('entityLens.acceptAllInDocument');

    const run = await vscode.commands.executeCommand('entityLens.trainModel');
    assert.ok(run, 'training ran');
    console.log(`      training: ${run.version} swapped=${run.swapped} (${run.reason})`);
    assert.strictEqual(run.swapped, true, run.reason);
    const model = await api.model(doc.uri);
    assert.match(model.version, /^0\.0\.1\+ws\.\d+$/);
    assert.ok(model.labels.includes('INVOICE_NO'), `labels: ${model.labels}`);
    const current = JSON.parse(
      fs.readFileSync(path.join(workspaceFolder(), '.entity-lens', 'models', 'current.json'), 'utf8'),
    );
    assert.match(current.active, /^ws\.\d+$/);
    assert.ok(fs.existsSync(path.join(workspaceFolder(), '.entity-lens', 'models', current.active, 'model.onnx')));

    const fresh = await vscode.workspace.openTextDocument({
      language: 'plaintext',
      content:
        'Please quote invoice number INV-2031-7781 on your payment to Litware Inc.\n\nTrey Research Corp. disputes invoice INV-2030-0555 dated May 2, 2030.\n',
    });
    await vscode.window.showTextDocument(fresh);
    assert.ok(await api.whenIdle(fresh.uri, 60000));
    const found = api.entities(fresh.uri).map((e) => `${e.label}:${e.text}`);
    console.log(`      new text: ${found.join(' · ')}`);
    assert.ok(
      found.includes('INVOICE_NO:INV-2031-7781') || found.includes('INVOICE_NO:INV-2030-0555'),
      `INVOICE_NO tagged in ${found.join(', ')}`,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows a model report with per-label scores and data counts', async () => {
    const report = await vscode.commands.executeCommand('entityLens.showModelReport', { preview: false });
    assert.match(report, /Model:\*\* tiny-test 0\.0\.1\+ws\.\d+/);
    assert.match(report, /Annotations: \d+ passages/);
    assert.match(report, /Last training run/);
    assert.match(report, /\| label \| precision \| recall \| F1 \| support \|/);
  });

  it('cancels a training run and leaves the model as it was', async () => {
    const c = vscode.workspace.getConfiguration('entityLens');
    await c.update('trainingEpochs', 200, vscode.ConfigurationTarget.Global);
    try {
      const before = await api.model();
      const running = vscode.commands.executeCommand('entityLens.trainModel');
      await new Promise((r) => setTimeout(r, 700));
      assert.strictEqual(await vscode.commands.executeCommand('entityLens.cancelTraining'), true);
      const run = await running;
      assert.ok(run && run.cancelled, 'the run reports cancelled');
      assert.strictEqual(run.swapped, false);
      const after = await api.model();
      assert.strictEqual(after.version, before.version);
      const dirs = fs
        .readdirSync(path.join(workspaceFolder(), '.entity-lens', 'models'))
        .filter((d) => d.startsWith('ws.'));
      assert.ok(!dirs.includes(run.version.replace(/^.*\+/, '')), 'the cancelled version left nothing behind');
    } finally {
      await c.update('trainingEpochs', 30, vscode.ConfigurationTarget.Global);
    }
  });

  it('rolls back to the base model and resets', async () => {
    const rolled = await vscode.commands.executeCommand('entityLens.rollBackModel');
    assert.strictEqual(rolled, null);
    const { doc } = await openFixture('contract.txt', 'contract-after-rollback.txt');
    assert.ok(await api.whenIdle(doc.uri, 60000));
    const model = await api.model(doc.uri);
    assert.strictEqual(model.version, '0.0.1');
    const reset = await vscode.commands.executeCommand('entityLens.resetModel');
    assert.strictEqual(reset, null);
  });
});
