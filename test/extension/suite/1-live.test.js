// Live entities: a sample contract gets decorations' data, diagnostics, symbols and hovers.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { setup, openFixture, waitFor, find, entityTexts } = require('./helpers');

describe('live entities', function () {
  this.timeout(120000);
  let api;
  let doc;

  before(async () => {
    ({ api } = await setup());
    ({ doc } = await openFixture('contract.txt'));
    assert.ok(await api.whenIdle(doc.uri, 60000), 'tagging finished');
  });

  it('tags the contract with the model from entityLens.modelPath', async () => {
    const model = await api.model(doc.uri);
    assert.ok(model, 'a model is loaded');
    assert.strictEqual(model.name, 'tiny-test');
    const found = entityTexts(api, doc);
    console.log(`      entities: ${found.join(' · ')}`);
    for (const e of ['DATE:May 5, 2024', 'PARTY:Acme Corp.', 'AMOUNT:$12,000.00', 'DATE:June 30, 2024']) {
      assert.ok(found.includes(e), `${e} expected among ${found.join(', ')}`);
    }
  });

  it('publishes diagnostics like DATE "May 5, 2024" (0.93)', async () => {
    const diags = await waitFor(
      () => {
        const d = vscode.languages.getDiagnostics(doc.uri);
        return d.length > 0 && d;
      },
      { what: 'diagnostics' },
    );
    const messages = diags.map((d) => d.message);
    const date = diags.find((d) => /^DATE "May 5, 2024" \(\d\.\d\d\)/.test(d.message));
    assert.ok(date, `a DATE diagnostic among ${messages.join(' | ')}`);
    assert.strictEqual(date.source, 'Entity Lens');
    assert.ok(date.range.isEqual(find(doc, 'May 5, 2024').range), 'the diagnostic covers the date');
  });

  it('lists entities by label as document symbols (Outline, Go to Symbol)', async () => {
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
    const groups = Object.fromEntries(symbols.map((s) => [s.name, s.children.map((c) => c.name)]));
    console.log(`      symbols: ${JSON.stringify(groups)}`);
    assert.ok(groups.DATE && groups.DATE.includes('May 5, 2024'), 'DATE group holds May 5, 2024');
    assert.ok(groups.PARTY && groups.PARTY.includes('Acme Corp.'), 'PARTY group holds Acme Corp.');
    assert.ok(groups.AMOUNT && groups.AMOUNT.includes('$12,000.00'), 'AMOUNT group holds $12,000.00');
  });

  it('hovers with label, confidence, normalised value and model', async () => {
    const at = find(doc, 'May 5, 2024');
    const hovers = await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      doc.uri,
      doc.positionAt(at.start + 2),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*DATE\*\*/);
    assert.match(text, /confidence 0\.\d\d|confidence 1\.00/);
    assert.match(text, /2024-05-05/);
    assert.match(text, /tiny\\?-test 0\\?\.0\\?\.1/);
    const amount = find(doc, '$12,000.00');
    const h2 = await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      doc.uri,
      doc.positionAt(amount.start + 3),
    );
    const t2 = h2.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(t2, /12,000 USD/);
  });
});
