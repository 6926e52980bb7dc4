// Keystroke → updated decorations on a 100-page contract (~50k words): 50 characters typed one
// at a time (VS Code's `type` command, the editor's own typing path, issued from this host)
// inside a sentence in the middle of the document, each followed by waiting for the re-tag.
// Per keystroke:
//   tagging work = the extension's tagging steps after the edit (documentTagger.step: read the
//                  paragraph, cut sentence windows, run the model, splice); target ≤ 5 ms and
//                  one sentence window
//   edit → decorations updated = from the edit reaching the extension (its immediate re-render
//                  with entities shifted and the touched one dropped) to setDecorations with the
//                  re-tagged sentence: what the extension adds to a keystroke
//   `type` → decorations updated = the same from before the `type` command, including the round
//                  trip through the workbench (renderer) and back
// All on the extension host's clock (performance.now()); entityLens.debounceMs is set to
// ENTITY_LENS_BENCH_DEBOUNCE (default 0 here): in normal use the debounce (300 ms) comes on top.
'use strict';
const vscode = require('vscode');
const H = require('./helpers');

const TYPED = ' together with its Affiliates, on or before May 1, 2026'.slice(0, 50);

/**
 * A position inside an ordinary clause near the middle: a one-line paragraph whose first
 * sentence (80-400 characters, with "shall") is mostly lower case; after its 6th word.
 */
function middleSentence(text) {
  const mid = Math.floor(text.length / 2);
  const re = /(^|\n\n)([^\n]{100,3000})(?=\n\n)/g;
  re.lastIndex = mid;
  let m;
  while ((m = re.exec(text))) {
    const para = m[2];
    const paraStart = m.index + m[1].length;
    const end = para.search(/[.;](\s|$)/);
    if (end < 80 || end > 400) continue;
    const sentence = para.slice(0, end + 1);
    const letters = sentence.replace(/[^A-Za-z]/g, '');
    if (!/\bshall\b/.test(sentence) || sentence.replace(/[^a-z]/g, '').length < letters.length * 0.7) continue;
    const words = [...sentence.matchAll(/\S+/g)];
    if (words.length < 12) continue;
    const lead = words[0].index; // CUAD paragraphs may start with blanks
    const at = words[5].index + words[5][0].length; // right after the 6th word
    return {
      offset: paraStart + at,
      sentence: sentence.slice(lead),
      sentenceStart: paraStart + lead,
      sentenceEnd: paraStart + end + 1,
    };
  }
  throw new Error('no sentence found after the middle of the document');
}

describe('keystroke → decorations, 100-page contract', function () {
  this.timeout(1800000);
  let api;

  before(async () => {
    ({ api } = await H.setup());
  });

  it(`types ${TYPED.length} characters one at a time mid-document`, async () => {
    const c = H.buildContract(100, 30);
    H.results.docs.keystroke100 = { words: c.words, chars: c.chars, pages: c.pages, sources: c.sources };
    console.log(`      document: ${c.words} words (${c.pages.toFixed(1)} pages), ${c.chars} chars; ${c.sources}`);
    const uri = H.writeDoc('contract-100p.txt', c.text);
    const key = uri.toString();
    const doc = await vscode.workspace.openTextDocument(uri);
    const t0 = H.now();
    const editor = await vscode.window.showTextDocument(doc);
    if (!(await api.whenIdle(uri, 1200000))) throw new Error('the 100-page document was not tagged in 20 min');
    const full = H.now() - t0;
    await H.describeModel(api, uri);
    console.log(`      whole document tagged in ${(full / 1000).toFixed(1)} s, ${api.entities(uri).length} entities`);

    const where = middleSentence(doc.getText());
    const pos = doc.positionAt(where.offset);
    console.log(
      `      typing at line ${pos.line + 1} (offset ${where.offset} of ${c.chars}): "${where.sentence.slice(0, 140)}${where.sentence.length > 140 ? '…' : ''}"`,
    );
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    await H.sleep(500);
    await H.clearTimings();

    const rows = [];
    for (const ch of TYPED) {
      const changed = new Promise((resolve) => {
        const sub = vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.document.uri.toString() === key && e.contentChanges.length) {
            sub.dispose();
            resolve(H.now());
          }
        });
      });
      const k0 = H.now();
      await vscode.commands.executeCommand('type', { text: ch });
      const tEdit = await changed;
      if (!(await api.whenIdle(uri, 60000))) throw new Error('re-tagging did not finish in 60 s');
      const t = await H.timings(key);
      const steps = t.steps.filter((s) => s.start >= k0);
      const renders = t.renders.filter((r) => r.start >= k0);
      const lastStepEnd = steps.length ? Math.max(...steps.map((s) => s.end)) : NaN;
      const retagRender = renders.find((r) => r.start >= lastStepEnd);
      const arrived = renders.length ? renders[0].start : NaN; // applyEdit's immediate render: the edit reached the extension
      rows.push({
        work: steps.reduce((n, s) => n + s.ms, 0),
        steps: steps.length,
        windows: steps.reduce((n, s) => n + s.windows, 0),
        tokens: steps.reduce((n, s) => n + s.tokens, 0),
        blockChars: steps.length ? Math.max(...steps.map((s) => s.blockChars)) : 0,
        toEdit: tEdit - k0,
        toShift: renders.length ? renders[0].end - k0 : NaN,
        toDecorations: retagRender ? retagRender.end - k0 : NaN,
        editToDecorations: retagRender ? retagRender.end - arrived : NaN,
        editToStep: steps.length ? steps[0].start - arrived : NaN,
        renderMs: retagRender ? retagRender.ms : NaN,
        diagnosticsMs: renders.reduce((n, r) => n + (r.diagnosticsMs || 0), 0),
        rendersPerKey: renders.length,
        modelLookupMs: steps.reduce((n, x) => n + (x.modelLookupMs || 0), 0),
        entities: retagRender ? retagRender.entities : NaN,
      });
      if (!retagRender || !renders.length) {
        console.log(
          `      note: keystroke ${rows.length} "${ch}": ${steps.length} step(s), ${renders.length} render(s) after it` +
            ` [${renders.map((r) => `${(r.start - k0).toFixed(1)}+${r.ms.toFixed(1)}${r.running ? ' running' : ''}`).join(', ')}]` +
            ` steps [${steps.map((x) => `${(x.start - k0).toFixed(1)}..${(x.end - k0).toFixed(1)}`).join(', ')}]`,
        );
      }
      await H.sleep(30);
    }

    const col = (k) => rows.map((r) => r[k]).filter(Number.isFinite);
    const out = {
      typed: TYPED,
      line: pos.line + 1,
      wholeDocumentTaggedMs: full,
      work: H.summary(col('work')),
      toDecorations: H.summary(col('toDecorations')),
      editToDecorations: H.summary(col('editToDecorations')),
      editToStep: H.summary(col('editToStep')),
      toShift: H.summary(col('toShift')),
      toEdit: H.summary(col('toEdit')),
      render: H.summary(col('renderMs')),
      diagnostics: H.summary(col('diagnosticsMs')),
      rendersPerKey: H.summary(col('rendersPerKey')),
      modelLookup: H.summary(col('modelLookupMs')),
      windows: H.summary(col('windows')),
      tokens: H.summary(col('tokens')),
      blockChars: H.summary(col('blockChars')),
      stepsPerKey: H.summary(col('steps')),
      debounceMs: vscode.workspace.getConfiguration('entityLens').get('debounceMs'),
    };
    // what the model makes of the edited sentence now
    const text = doc.getText();
    const s0 = where.sentenceStart;
    const s1 = where.sentenceEnd + TYPED.length;
    out.sentence = text.slice(s0, s1);
    out.sentenceEntities = api
      .entities(uri)
      .filter((e) => e.start >= s0 && e.end <= s1)
      .map((e) => `${e.label}:${e.text}`);
    H.results.keystroke = out;
    console.log(`      tagging work per keystroke:     ${H.fmt(out.work)}  (target ≤ 5 ms)`);
    console.log(
      `        sentence windows per keystroke: p50 ${out.windows.p50} · max ${out.windows.max}; tokens p50 ${out.tokens.p50} · max ${out.tokens.max}; paragraph read p50 ${out.blockChars.p50} chars`,
    );
    console.log(
      `      edit in ext host → decorations updated: ${H.fmt(out.editToDecorations)}  (debounceMs ${out.debounceMs})`,
    );
    console.log(`        of which edit → tagging step starts:  ${H.fmt(out.editToStep)}`);
    console.log(`          incl. the model lookup (modelFor) before the step: ${H.fmt(out.modelLookup)}`);
    console.log(
      `        one decoration render (setDecorations for all labels): ${H.fmt(out.render)}; renders per keystroke p50 ${out.rendersPerKey.p50}`,
    );
    console.log(`        Problems-panel updates (renderDiagnostics) per keystroke: ${H.fmt(out.diagnostics)}`);
    console.log(`      \`type\` command → decorations updated: ${H.fmt(out.toDecorations)}`);
    console.log(`        \`type\` command → edit in ext host (workbench round trip): ${H.fmt(out.toEdit)}`);
    console.log(`        \`type\` command → shifted decorations: ${H.fmt(out.toShift)}`);
    console.log(`      edited sentence: "${out.sentence}"`);
    console.log(`      its entities now: ${out.sentenceEntities.join(' · ') || '(none)'}`);
    if (out.windows.max > 1) H.results.notes.push(`a keystroke re-tagged up to ${out.windows.max} sentence windows`);
  });
});
