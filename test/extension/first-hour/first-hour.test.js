// A new user's first hour with the embedded default model and no settings changed: a CUAD
// contract and a SROIE receipt (../shared/data; the samples when it is absent) are tagged, this
// repository's own README is not until asked; Problems and the Outline hold one entry per
// distinct name and stay the same set as the decorations after a correction, a model swap and a
// rollback, without any edit; the legend names every label with its colour; and the extension
// host log has no configuration warnings.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { EXTENSION_ID, sleep, waitFor, workspaceFolder } = require('../suite/helpers');
const { trainTinyModel } = require('../suite/fixtures/tiny-model');

const DIR = 'first-hour';
let api;
let ext;

/** Writes a file into the (copied) workspace. */
function put(name, text) {
  const file = path.join(workspaceFolder(), DIR, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

async function show(uri) {
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  return { doc, editor };
}

/** The first record of a JSONL file in ../shared/data that passes `pick`, or undefined. */
function sharedRecord(file, pick) {
  const p = path.join(ext.extensionPath, '..', 'shared', 'data', file);
  if (!fs.existsSync(p)) return undefined;
  for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    if (pick(r)) return r;
  }
  return undefined;
}

const collapse = (s) => s.replace(/\s+/g, ' ').trim();
const nameKey = (e) => `${e.label}\u0000${collapse(e.text).toLowerCase()}`;

/** The distinct names among entities, by label: label -> Map(label + name as the Outline shows it -> count). */
function namesOf(entities) {
  const first = new Map();
  const out = new Map();
  for (const e of entities) {
    if (!first.has(nameKey(e))) first.set(nameKey(e), e);
    const name = collapse(first.get(nameKey(e)).text);
    const shown = name.length > 80 ? `${name.slice(0, 77)}...` : name;
    const key = `${e.label}\u0000${shown.toLowerCase()}`;
    if (!out.has(e.label)) out.set(e.label, new Map());
    const m = out.get(e.label);
    m.set(key, (m.get(key) || 0) + 1);
  }
  return out;
}

/** How many occurrences an entity's name has. */
function countOf(entities, e) {
  return entities.filter((x) => nameKey(x) === nameKey(e)).length;
}

/** What the Outline shows as the same structure, plus checks on ranges. */
async function outlineOf(doc) {
  const symbols = (await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri)) || [];
  const out = new Map();
  // Entity Lens's label groups (Markdown's own heading symbols are there too)
  for (const group of symbols.filter((s) => s.kind === vscode.SymbolKind.Enum)) {
    const m = new Map();
    for (const c of group.children) {
      const count = /^×(\d+)/.exec(c.detail);
      m.set(`${group.name}\u0000${collapse(c.name).toLowerCase()}`, count ? Number(count[1]) : 1);
      assert.ok(c.range.isEqual(c.selectionRange), `${c.name}: its range is its first occurrence`);
    }
    // a group never spans from its first to its last entity: its range is one entity's
    assert.ok(group.range.isEqual(group.children[0].range) || group.children.some((c) => c.range.isEqual(group.range)));
    out.set(group.name, m);
  }
  return out;
}

function mapsEqual(a, b) {
  const plain = (m) =>
    JSON.stringify([...m.entries()].sort().map(([k, v]) => [k, v instanceof Map ? [...v.entries()].sort() : v]));
  return plain(a) === plain(b);
}

/** Problems for the document, parsed: key -> {count, related}. */
function problemsOf(doc) {
  const out = new Map();
  for (const d of vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'Entity Lens')) {
    const m = /^(\S+) "(.*)" \((\d\.\d\d)\)(?: reviewed| low confidence)?(?:, (\d+) occurrences)?$/.exec(d.message);
    assert.ok(m, `diagnostic message: ${d.message}`);
    const key = `${m[1]}\u0000${collapse(m[2]).toLowerCase()}`;
    assert.ok(!out.has(key), `one diagnostic per name, twice: ${d.message}`);
    out.set(key, { count: m[4] ? Number(m[4]) : 1, related: (d.relatedInformation || []).length });
  }
  return out;
}

/** Problems expected from the shown entities (lowConfidence mode, or all): one per name, as the message shows it. */
function expectedProblems(entities, all = false) {
  const first = new Map();
  const out = new Map();
  for (const e of entities) {
    if (!all && (e.reviewed || e.confidence >= 0.6)) continue;
    if (!first.has(nameKey(e))) first.set(nameKey(e), e);
    const f = first.get(nameKey(e));
    const shown = f.text.length > 60 ? `${f.text.slice(0, 57)}...` : f.text;
    const key = `${e.label}\u0000${collapse(shown).toLowerCase()}`;
    const was = out.get(key) || { count: 0 };
    out.set(key, { count: was.count + 1 });
  }
  return out;
}

/** The Outline and Problems show exactly the shown entities (waits up to `timeout` for them to follow). */
async function viewsMatch(doc, what, timeout = 3000, all = false) {
  const t0 = Date.now();
  let outline;
  let expected;
  await waitFor(
    async () => {
      expected = namesOf(api.entities(doc.uri));
      outline = await outlineOf(doc);
      return mapsEqual(outline, expected);
    },
    { timeout, what: `the Outline to show the entities after ${what}` },
  ).catch(() => assert.deepStrictEqual(outline, expected, `Outline after ${what}`));
  await waitFor(
    () => {
      const want = expectedProblems(api.entities(doc.uri), all);
      const got = problemsOf(doc);
      return (
        want.size === got.size &&
        [...want].every(
          ([k, v]) =>
            got.get(k)?.count === v.count && got.get(k).related === (v.count > 1 ? Math.min(v.count, 100) : 0),
        )
      );
    },
    { timeout, what: `Problems to show the entities after ${what}` },
  );
  return Date.now() - t0;
}

describe("a new user's first hour", function () {
  this.timeout(300000);
  let contract;
  let receipt;
  let readme;

  before(async () => {
    ext = vscode.extensions.getExtension(EXTENSION_ID);
    api = await ext.activate();
    // no automatic training in the middle of the checks; every other setting as shipped
    await vscode.workspace
      .getConfiguration('entityLens')
      .update('autoTrainAfter', 0, vscode.ConfigurationTarget.Global);
    const cuad = sharedRecord(
      'cuad.jsonl',
      (r) => r.split === 'test' && r.text.length > 20000 && r.text.length < 80000,
    );
    const sroie = sharedRecord('sroie-dev.jsonl', (r) => r.text.length > 400);
    const sample = (p) =>
      fs.readFileSync(path.join(ext.extensionPath, 'samples', 'workspace', ...p.split('/')), 'utf8');
    console.log(
      `      contract: ${cuad ? cuad.id : 'samples lease.txt'}; receipt: ${sroie ? sroie.id : 'samples receipt'}`,
    );
    contract = put('cuad-contract.txt', cuad ? cuad.text : sample('contracts/lease.txt'));
    receipt = put('receipt.txt', sroie ? sroie.text : sample('invoices/receipt-CS2604-00142.txt'));
    readme = put('README.md', fs.readFileSync(path.join(ext.extensionPath, 'README.md'), 'utf8'));
  });

  it('tags the contract and the receipt, and not this repository README', async () => {
    for (const uri of [contract, receipt]) {
      const { doc } = await show(uri);
      assert.ok(await api.whenIdle(doc.uri, 120000), 'tagging finished');
      const decision = api.tagDecision(doc.uri);
      console.log(`      ${path.basename(uri.fsPath)}: tagged because ${decision && decision.reason}`);
      assert.ok(decision && decision.tag, `${uri.fsPath} is tagged`);
      assert.ok(api.entities(doc.uri).length > 0, 'and has entities');
    }
    const { doc } = await show(readme);
    await sleep(1500);
    const decision = api.tagDecision(doc.uri);
    console.log(`      README.md: not tagged because ${decision && decision.reason}`);
    assert.ok(decision && !decision.tag && decision.source === 'text', 'the README is not tagged');
    assert.deepStrictEqual(api.entities(doc.uri), []);
    assert.deepStrictEqual(problemsOf(doc).size, 0);
    const labels = new Set((await api.model(doc.uri)).labels);
    const symbols = (await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri)) || [];
    assert.ok(!symbols.some((s) => labels.has(s.name)), 'no entity groups among the README symbols');
  });

  it('tags the README on request (Tag This Document) and stops again, clearing what it showed', async () => {
    const { doc } = await show(readme);
    await vscode.commands.executeCommand('entityLens.tagThisDocument');
    assert.ok(await api.whenIdle(doc.uri, 60000));
    assert.ok(api.tagDecision(doc.uri).tag, 'tagged on request');
    assert.strictEqual(api.tagDecision(doc.uri).source, 'person');
    await viewsMatch(doc, 'Tag This Document');
    await vscode.commands.executeCommand('entityLens.stopTaggingThisDocument');
    assert.ok(!api.tagDecision(doc.uri).tag);
    assert.deepStrictEqual(api.entities(doc.uri), []);
    await waitFor(() => problemsOf(doc).size === 0, { what: 'Problems to clear' });
    const labels = new Set((await api.model(doc.uri)).labels);
    await waitFor(
      async () => {
        const symbols = (await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri)) || [];
        return !symbols.some((s) => labels.has(s.name));
      },
      { what: 'the Outline to drop the entity groups' },
    );
  });

  it('one Problems entry and one Outline entry per distinct name, with its count and occurrences', async () => {
    const { doc } = await show(contract);
    assert.ok(await api.whenIdle(doc.uri, 120000));
    const entities = api.entities(doc.uri);
    const ms = await viewsMatch(doc, 'opening');
    const names = [...namesOf(entities).values()].reduce((n, m) => n + m.size, 0);
    const problems = problemsOf(doc);
    const repeated = [...problems.values()].filter((p) => p.count > 1);
    console.log(
      `      ${entities.length} entities, ${names} distinct names; ${problems.size} Problems entries (${repeated.length} with several occurrences); views matched after ${ms} ms`,
    );
    assert.ok(names < entities.length, 'the contract names some entity more than once');
    for (const p of repeated)
      assert.strictEqual(p.related, Math.min(p.count, 100), 'occurrences as related information');
    // every entity in Problems (entityLens.diagnostics "all"): the repeated names are one entry each
    const c = vscode.workspace.getConfiguration('entityLens');
    await c.update('diagnostics', 'all', vscode.ConfigurationTarget.Global);
    try {
      await viewsMatch(doc, 'diagnostics "all"', 3000, true);
      const all = problemsOf(doc);
      const several = [...all.values()].filter((p) => p.count > 1);
      console.log(
        `      with "all": ${all.size} Problems entries for ${entities.length} entities, ${several.length} with several occurrences`,
      );
      assert.strictEqual(all.size, names);
      assert.ok(several.length > 0, 'some name has several occurrences');
      for (const p of several)
        assert.strictEqual(p.related, Math.min(p.count, 100), 'occurrences as related information');
    } finally {
      await c.update('diagnostics', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Outline and Problems follow a correction, with no edit', async () => {
    const { doc } = await show(contract);
    const before = api.symbolRefreshes();
    const entities = api.entities(doc.uri);
    // a repeated name: remove one occurrence, its count goes down by one
    const e = entities.find((x) => !x.reviewed && countOf(entities, x) > 1) || entities[0];
    const was = countOf(entities, e);
    await vscode.commands.executeCommand('entityLens.removeEntity', {
      uri: doc.uri.toString(),
      start: e.start,
      end: e.end,
      label: e.label,
    });
    const ms = await viewsMatch(doc, `removing ${e.label} "${e.text}"`);
    const now = countOf(api.entities(doc.uri), e);
    console.log(`      removed one of ${was} "${e.text}" (${e.label}): ${now} left; views matched after ${ms} ms`);
    assert.strictEqual(now, was - 1);
    assert.ok(api.symbolRefreshes() > before, 'the Outline was asked to refresh');
    assert.strictEqual(doc.isDirty, false, 'no edit was made');
  });

  it('Outline and Problems follow a model swap and a rollback', async () => {
    // a "trained version" (the integration tests' tiny model) that Roll Back Model swaps in, then out
    const ws = workspaceFolder();
    const version = path.join(ws, '.entity-lens', 'models', 'ws.1');
    await trainTinyModel(version);
    fs.writeFileSync(
      path.join(ws, '.entity-lens', 'models', 'current.json'),
      JSON.stringify({ active: null, history: [null, 'ws.1'] }),
    );
    const { doc } = await show(contract);
    const base = (await api.model(doc.uri)).version;
    const baseEntities = api.entities(doc.uri).length;
    assert.strictEqual(await vscode.commands.executeCommand('entityLens.rollBackModel'), 'ws.1');
    await waitFor(async () => (await api.model(doc.uri)).name === 'tiny-test', { what: 'the swapped model' });
    assert.ok(await api.whenIdle(doc.uri, 120000));
    const swapped = api.entities(doc.uri).length;
    await viewsMatch(doc, 'the model swap');
    assert.strictEqual(await vscode.commands.executeCommand('entityLens.rollBackModel'), null);
    await waitFor(async () => (await api.model(doc.uri)).version === base, { what: 'the base model back' });
    assert.ok(await api.whenIdle(doc.uri, 120000));
    const ms = await viewsMatch(doc, 'the rollback');
    console.log(
      `      entities: base ${baseEntities}, swapped ${swapped}, rolled back ${api.entities(doc.uri).length}; views matched ${ms} ms after tagging`,
    );
    assert.strictEqual(doc.isDirty, false);
  });

  it('the legend names each label of the document with its colour', async () => {
    const { doc } = await show(receipt);
    assert.ok(await api.whenIdle(doc.uri, 60000));
    await waitFor(() => api.legend().length > 0, { what: 'the legend' });
    const rows = api.legend();
    const labels = [...new Set(api.entities(doc.uri).map((e) => e.label))].sort();
    const shown = rows.filter((r) => r.color).map((r) => r.label);
    console.log(`      legend: ${rows.map((r) => `${r.label} (${r.color}) ${r.description}`).join(' · ')}`);
    assert.deepStrictEqual(shown, labels);
    assert.ok(
      rows.some((r) => /dashed border/.test(r.label)),
      'says what a dashed border means',
    );
  });

  it('the Model Report describes the training record in words, not field names', async () => {
    await show(contract);
    const report = await vscode.commands.executeCommand('entityLens.showModelReport', { preview: false });
    assert.match(report, /## Training record/);
    assert.match(report, /\| Dev F1 at the chosen epoch \| (0\.\d{4}|not measured) \|/);
    assert.match(report, /\| Loss \| partial-annotation CRF/);
    assert.doesNotMatch(report, /\| (devF1|partial|trainSequences|history) \||\bnull\b|\| true \|/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('leaves no configuration warnings in the extension host log', async () => {
    await sleep(1500); // the log is written asynchronously
    const dir = path.dirname(api.logUri.fsPath);
    const logs = fs.readdirSync(dir).filter((f) => /exthost\.log$/.test(f));
    assert.ok(logs.length > 0, `the extension host log in ${dir}: ${fs.readdirSync(dir).join(', ')}`);
    const text = logs.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const warnings = text.split('\n').filter((l) => /Accessing a window scoped configuration/.test(l));
    console.log(
      `      ${logs.join(', ')}: ${text.split('\n').length} lines, ${warnings.length} configuration warnings`,
    );
    assert.deepStrictEqual(warnings.slice(0, 3), []);
  });
});
