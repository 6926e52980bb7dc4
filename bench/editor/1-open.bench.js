// Open → first decorations on a 20-page contract (~10k words): the time from
// openTextDocument until the extension first sets decorations with entities on it (the visible
// part is tagged first; renders while no editor shows the document yet don't count), and until
// the whole document is tagged. Cold = the first document of
// the session (includes loading the model), warm = a second 20-page contract afterwards.
'use strict';
const vscode = require('vscode');
const H = require('./helpers');

async function measureOpen(api, uri) {
  const key = uri.toString();
  await H.clearTimings();
  const t0 = H.now();
  const doc = await vscode.workspace.openTextDocument(uri);
  const tDoc = H.now();
  await vscode.window.showTextDocument(doc);
  const tShown = H.now();
  const first = await H.waitFor(
    async () => (await H.timings(key)).renders.find((r) => r.entities > 0 && r.editors > 0),
    {
      timeout: 180000,
      interval: 5,
      what: 'the first decorations',
    },
  );
  if (!(await api.whenIdle(uri, 900000))) throw new Error('the document was not fully tagged in 15 min');
  const t = await H.timings(key);
  const hidden = t.renders.filter((r) => r.editors === 0 && r.start < first.start).length;
  const last = t.renders.filter((r) => !r.visible).pop() || t.renders[t.renders.length - 1];
  const stepMs = t.steps.map((s) => s.ms);
  return {
    openDocumentMs: tDoc - t0,
    shownMs: tShown - t0,
    firstDecorationsMs: first.end - t0,
    firstEntities: first.entities,
    firstOnShow: !!first.visible, // tagging had produced entities before the editor was shown
    firstStepMs: t.steps.length ? t.steps[0].ms : NaN,
    firstTaggedMs: t.steps.length ? t.steps[0].end - t0 : NaN,
    modelLoadMs: t.steps.length ? t.steps[0].modelLookupMs : NaN,
    allTaggedMs: last.end - t0,
    entities: api.entities(uri).length,
    steps: t.steps.length,
    stepTotalMs: stepMs.reduce((a, b) => a + b, 0),
    longestStepMs: stepMs.length ? Math.max(...stepMs) : NaN,
    renders: t.renders.length,
    rendersBeforeShown: hidden,
    longestRenderMs: Math.max(...t.renders.map((r) => r.ms)),
  };
}

function print(label, r) {
  console.log(
    `      ${label}: first decorations after ${H.ms(r.firstDecorationsMs)} ms (${r.firstEntities} entities` +
      `${r.firstOnShow ? ', set when the editor became visible' : ''}; openTextDocument ${H.ms(r.openDocumentMs)} ms, ` +
      `showTextDocument resolved ${H.ms(r.shownMs)} ms; model lookup/load ${H.ms(r.modelLoadMs)} ms, first chunk tagged at ` +
      `${H.ms(r.firstTaggedMs)} ms (step ${H.ms(r.firstStepMs)} ms)); ` +
      `whole document tagged after ${H.ms(r.allTaggedMs)} ms: ${r.entities} entities, ${r.steps} steps ` +
      `(${H.ms(r.stepTotalMs)} ms of tagging, longest step ${H.ms(r.longestStepMs)} ms), ${r.renders} renders (longest ${H.ms(r.longestRenderMs)} ms)`,
  );
}

describe('open → first decorations, 20-page contract', function () {
  this.timeout(1200000);
  let api;
  const out = {};

  before(async () => {
    ({ api } = await H.setup());
    H.results.open = out;
  });

  it('cold: first document of the session (model loaded on demand)', async () => {
    const c = H.buildContract(20, 0);
    H.results.docs.open20 = { words: c.words, chars: c.chars, pages: c.pages, sources: c.sources };
    console.log(`      document: ${c.words} words (${c.pages.toFixed(1)} pages), ${c.chars} chars; ${c.sources}`);
    const uri = H.writeDoc('contract-20p.txt', c.text);
    out.cold = await measureOpen(api, uri);
    print('cold', out.cold);
    await H.describeModel(api, uri);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('warm: another 20-page contract, model already loaded', async () => {
    const c = H.buildContract(20, 9);
    const uri = H.writeDoc('contract-20p-b.txt', c.text);
    out.warm = await measureOpen(api, uri);
    print('warm', out.warm);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
