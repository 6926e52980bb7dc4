// An untrusted workspace (Restricted Mode; issue 12, defect 12): the dashboard's recolour is
// refused and writes no setting (it wrote entityLens.labelColors into the workspace's settings),
// and so is every other write: labels, descriptions, corrections. Tagging still works with the
// embedded default model. Run with `node scripts/vscode.mjs test test/extension/untrusted
// --untrusted`: trust on, the folder never trusted, no start-up prompt.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXTENSION_ID = 'entity-lens.entity-lens';
const hook = (arg) => vscode.commands.executeCommand('entityLens.dashboard.testHook', arg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, what, timeout = 60000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('an untrusted workspace', function () {
  this.timeout(120000);
  let api;
  let folder;
  let doc;
  /** everything a write could touch: the workspace settings and the .entity-lens folder */
  const snapshot = () => {
    const read = (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null);
    return {
      settingsFile: read(path.join(folder, '.vscode', 'settings.json')),
      dataDir: fs.existsSync(path.join(folder, '.entity-lens'))
        ? fs.readdirSync(path.join(folder, '.entity-lens'), { recursive: true }).sort()
        : null,
      labelColors: JSON.stringify(vscode.workspace.getConfiguration('entityLens').inspect('labelColors')),
    };
  };

  before(async () => {
    assert.strictEqual(
      vscode.workspace.isTrusted,
      false,
      'the harness was to open the workspace untrusted (node scripts/vscode.mjs test ... --untrusted)',
    );
    folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded in Restricted Mode (untrustedWorkspaces: limited)`);
    api = await ext.activate();
    doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'contracts', 'nda.txt')));
    await vscode.window.showTextDocument(doc);
    assert.ok(await api.whenIdle(doc.uri, 90000), 'tagged');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('tags with the embedded default model', async () => {
    assert.ok(api.entities(doc.uri).length > 0);
    const model = await api.model(doc.uri);
    assert.ok(model && model.labels.includes('DATE'), JSON.stringify(model));
  });

  it("the dashboard's recolour is refused and writes no setting", async () => {
    await vscode.commands.executeCommand('entityLens.openDashboard');
    await waitFor(async () => {
      const h = await hook();
      return h.open && h.received.includes('ready') && h.sent.includes('labels');
    }, 'the dashboard to open');
    const before = snapshot();
    const r = await hook({ deliver: { type: 'recolorLabel', name: 'DATE', color: '#ff8800' } });
    assert.strictEqual(r.accepted, true);
    assert.strictEqual(r.lastSent.type, 'notice', JSON.stringify(r.lastSent));
    assert.strictEqual(r.lastSent.level, 'error');
    assert.match(r.lastSent.text, /untrusted workspace/);
    await sleep(500); // a settings write would reach the file and the configuration by now
    assert.deepStrictEqual(snapshot(), before, 'no setting written');
    assert.strictEqual(vscode.workspace.getConfiguration('entityLens').get('labelColors').DATE, undefined);
    // and a colour reset (the rename path writes through the same function) is refused as well
    const reset = await hook({ deliver: { type: 'recolorLabel', name: 'DATE', color: '' } });
    assert.strictEqual(reset.lastSent.level, 'error');
    assert.deepStrictEqual(snapshot(), before);
  });

  it('every other write is refused too: labels, descriptions, renames, corrections', async () => {
    const before = snapshot();
    for (const deliver of [
      { type: 'addLabel', name: 'NEW_LABEL', description: '' },
      { type: 'describeLabel', name: 'DATE', description: 'a date' },
      { type: 'renameLabel', from: 'DATE', to: 'WHEN' },
    ]) {
      const r = await hook({ deliver });
      assert.strictEqual(r.lastSent.type, 'notice', `${deliver.type}: ${JSON.stringify(r.lastSent)}`);
      assert.strictEqual(r.lastSent.level, 'error', deliver.type);
    }
    const e = api.entities(doc.uri)[0];
    await vscode.commands.executeCommand('entityLens.acceptEntity', {
      uri: doc.uri.toString(),
      start: e.start,
      end: e.end,
      label: e.label,
    });
    const shown = api.entities(doc.uri).find((x) => x.start === e.start);
    assert.ok(shown && shown.reviewed, 'the correction is shown');
    await sleep(500);
    assert.deepStrictEqual(snapshot(), before, 'nothing written to the workspace');
  });
});
