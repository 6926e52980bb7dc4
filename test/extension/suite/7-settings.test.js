// Hostile settings (issue 12, defect 7): entityLens.include and entityLens.exclude can be set by a
// workspace, also an untrusted one. Globs that make a backtracking matcher take minutes on a
// 48-character file name (the issue measured 155-166 s with the extension's old glob-to-regex
// matcher) must be decided at once: the extension host runs everything else too, so a slow match
// freezes every extension. The test's own timeout is the bound: matching runs on the extension
// host's thread, which this test shares.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { setup, workspaceFolder, waitFor } = require('./helpers');

/** `**` then `*a` repeated: a backtracking matcher tries every way to split the a's. */
const HOSTILE_GLOB = `**/${'*a'.repeat(7)}*b`;

describe('hostile settings', function () {
  let api;

  before(async function () {
    this.timeout(120000);
    ({ api } = await setup());
  });

  after(async () => {
    const c = vscode.workspace.getConfiguration('entityLens');
    await c.update('include', undefined, vscode.ConfigurationTarget.Global);
    await c.update('exclude', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('include and exclude globs that backtrack are matched at once against a long file name', async function () {
    this.timeout(20000);
    const c = vscode.workspace.getConfiguration('entityLens');
    await c.update('include', [HOSTILE_GLOB], vscode.ConfigurationTarget.Global);
    await c.update(
      'exclude',
      ['**/.entity-lens/**', '**/node_modules/**', HOSTILE_GLOB],
      vscode.ConfigurationTarget.Global,
    );
    const file = path.join(workspaceFolder(), 'el-test', `${'a'.repeat(48)}.txt`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'This Agreement is made on May 5, 2024 between Acme Corp. and Northwind Traders Inc.\n');
    const started = Date.now();
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    const decision = await waitFor(() => api.tagDecision(doc.uri), { timeout: 15000, what: 'the decision' });
    console.log(`      decided in ${Date.now() - started} ms: ${JSON.stringify(decision)}`);
    // neither glob matches (no "b"): not excluded, tagged because tagDocuments is "all"
    assert.strictEqual(decision.source, 'setting');
    assert.strictEqual(decision.tag, true);
  });

  it('the globs still mean what they mean in files.exclude', async function () {
    this.timeout(60000);
    const c = vscode.workspace.getConfiguration('entityLens');
    await c.update('tagDocuments', 'includedOnly', vscode.ConfigurationTarget.Global);
    try {
      await c.update('include', ['el-test/inc/**/*.{txt,md}'], vscode.ConfigurationTarget.Global);
      await c.update(
        'exclude',
        ['**/.entity-lens/**', '**/node_modules/**', '**/skip-?.txt'],
        vscode.ConfigurationTarget.Global,
      );
      const cases = [
        ['el-test/inc/a/deep/one.txt', 'include'],
        ['el-test/inc/two.md', 'include'],
        ['el-test/inc/skip-1.txt', undefined], // excluded
        ['el-test/other/three.txt', 'setting'], // not included: includedOnly leaves it alone
      ];
      for (const [rel, source] of cases) {
        const file = path.join(workspaceFolder(), rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, 'This Agreement is made on May 5, 2024 between Acme Corp. and Northwind Traders Inc.\n');
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        await vscode.window.showTextDocument(doc);
        const decision = source
          ? await waitFor(() => api.tagDecision(doc.uri), { timeout: 15000, what: `the decision for ${rel}` })
          : api.tagDecision(doc.uri);
        assert.strictEqual(decision && decision.source, source, `${rel}: ${JSON.stringify(decision)}`);
        if (source === 'include') assert.strictEqual(decision.tag, true, rel);
        if (source === 'setting') assert.strictEqual(decision.tag, false, rel);
      }
    } finally {
      await c.update('tagDocuments', 'all', vscode.ConfigurationTarget.Global);
    }
  });
});
