// Training: a model trained on one passage is kept out (too little to judge it by); corrections
// of a NEW label in ten documents are promoted and tag it in another document; the model report;
// cancel; roll back and reset.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { setup, openFixture, workspaceFolder, annotationsFile, readAnnotations, find } = require('./helpers');

describe('training on corrections', function () {
  this.timeout(300000);
  let api;

  before(async () => {
    ({ api } = await setup());
  });

  it('does not promote a model trained on one passage, and says why', async () => {
    // only this passage in the store: the earlier files' corrections are moved aside meanwhile
    const file = annotationsFile();
    const aside = `${file}.aside`;
    if (fs.existsSync(file)) fs.renameSync(file, aside);
    try {
      const { doc, editor } = await openFixture('invoices.txt', 'one-passage.txt');
      assert.ok(await api.whenIdle(doc.uri, 60000));
      const at = find(doc, 'INV-2024-0042');
      editor.selection = new vscode.Selection(at.range.start, at.range.end);
      await vscode.commands.executeCommand('entityLens.tagSelectionAs', 'INVOICE_NO');
      assert.strictEqual(readAnnotations().length, 1, 'one passage saved');
      const before = await api.model(doc.uri);
      const run = await vscode.commands.executeCommand('entityLens.trainModel');
      assert.ok(run, 'training ran');
      console.log(`      one passage: swapped=${run.swapped} (${run.reason})`);
      assert.strictEqual(run.swapped, false, run.reason);
      assert.match(run.reason, /held-out/i, 'the reason names the missing check');
      assert.strictEqual((await api.model(doc.uri)).version, before.version, 'the model in use is unchanged');
      const left = fs
        .readdirSync(path.join(workspaceFolder(), '.entity-lens', 'models'))
        .filter((d) => d === run.version.replace(/^.*\+/, ''));
      assert.deepStrictEqual(left, [], 'the rejected version left nothing behind');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      fs.rmSync(file, { force: true });
      if (fs.existsSync(aside)) fs.renameSync(aside, file);
    }
  });

  it('promotes a model that learned a new label from corrections in several documents', async () => {
    // ten short payment notes, six invoice numbers each: whole documents are held out, so the
    // check has enough INVOICE_NO entities to decide on
    const companies = [
      'Acme Corp.',
      'Northwind Traders Inc.',
      'Blue Harbor LLC',
      'Litware Inc.',
      'Trey Research Corp.',
    ];
    // a contract before training: the new model was trained on notes, so contracts keep the model
    // they had (this short one reads like an invoice to the detector: the person says what it is)
    const contract = await openFixture('contract.txt');
    await vscode.commands.executeCommand('entityLens.setDocumentKind', {
      uri: contract.doc.uri.toString(),
      kind: 'contract',
    });
    assert.ok(await api.whenIdle(contract.doc.uri, 60000));
    const contractBefore = api.entities(contract.doc.uri).map((e) => `${e.label}:${e.start}-${e.end}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    for (let d = 0; d < 10; d++) {
      const lines = [];
      for (let i = 0; i < 6; i++) {
        const code = `INV-${2020 + ((d + i) % 8)}-${String(1000 + d * 97 + i * 13).padStart(4, '0')}`;
        const who = companies[(d + i) % companies.length];
        lines.push(
          i % 2 === 0
            ? `Please quote invoice number ${code} on your payment to ${who}`
            : `${who} disputes invoice ${code} dated May ${i + 1}, 2024.`,
        );
      }
      const dest = path.join(workspaceFolder(), 'el-test', 'notes', `note-${d}.txt`);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, `PAYMENT NOTE ${d + 1}\n\n${lines.join('\n\n')}\n`);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(dest));
      const editor = await vscode.window.showTextDocument(doc);
      assert.ok(await api.whenIdle(doc.uri, 60000));
      const codes = [...doc.getText().matchAll(/INV-\d{4}-\d{4}/g)];
      editor.selections = codes.map(
        (m) => new vscode.Selection(doc.positionAt(m.index), doc.positionAt(m.index + m[0].length)),
      );
      await vscode.commands.executeCommand('entityLens.tagSelectionAs', 'INVOICE_NO');
      // the user declares the note reviewed for the new label: no other invoice numbers here
      editor.selection = new vscode.Selection(0, 0, doc.lineCount, 0);
      await vscode.commands.executeCommand('entityLens.markLabelsComplete', ['INVOICE_NO']);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }

    const run = await vscode.commands.executeCommand('entityLens.trainModel');
    assert.ok(run, 'training ran');
    console.log(`      training: ${run.version} swapped=${run.swapped} (${run.reason})`);
    assert.strictEqual(run.swapped, true, run.reason);
    assert.match(run.reason, /held-out F1 [\d.]+ against [\d.]+ on \d+ held-out entities in \d+ documents?/);
    const { doc } = await openFixture('invoices.txt');
    assert.ok(await api.whenIdle(doc.uri, 60000));
    const model = await api.model(doc.uri);
    assert.match(model.version, /^0\.0\.1\+ws\.\d+$/);
    assert.ok(model.labels.includes('INVOICE_NO'), `labels: ${model.labels}`);
    const current = JSON.parse(
      fs.readFileSync(path.join(workspaceFolder(), '.entity-lens', 'models', 'current.json'), 'utf8'),
    );
    assert.match(current.active, /^ws\.\d+$/);
    const dir = path.join(workspaceFolder(), '.entity-lens', 'models', current.active);
    assert.ok(fs.existsSync(path.join(dir, 'model.onnx')));
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    assert.ok(report.verdict && report.verdict.promote === true && report.verdict.heldOut, 'the verdict is kept');

    // another document: the new label is tagged there
    const found = api.entities(doc.uri).filter((e) => e.label === 'INVOICE_NO');
    console.log(`      invoices.txt: ${found.length} INVOICE_NO of 10`);
    assert.ok(found.length >= 5, `INVOICE_NO tagged in ${found.map((e) => e.text).join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // it decides what was corrected, on the kinds corrected: the contract is tagged as before
    const scope = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).scope;
    assert.ok(scope.labels.includes('INVOICE_NO') && !scope.kinds.includes('contract'), JSON.stringify(scope));
    assert.match(run.reason, /the model it was trained from tags the rest/);
    const again = await openFixture('contract.txt');
    await vscode.commands.executeCommand('entityLens.retagDocument');
    assert.ok(await api.whenIdle(again.doc.uri, 60000));
    const contractAfter = api.entities(again.doc.uri).map((e) => `${e.label}:${e.start}-${e.end}`);
    assert.ok(contractBefore.length > 0);
    assert.deepStrictEqual(contractAfter, contractBefore);
    await vscode.commands.executeCommand('entityLens.setDocumentKind', { uri: again.doc.uri.toString(), kind: 'auto' });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
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
