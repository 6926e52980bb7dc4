// Extension-host event-loop delay while "Entity Lens: Train Model" runs: the sample contracts
// and invoices are accepted (annotations), then the training command runs while
// perf_hooks.monitorEventLoopDelay (resolution 1 ms: values are ~1 ms above the true delay)
// samples this extension host; a 2 ms timer chain also notes every stall over 20 ms and when it
// happened. The big documents of the earlier benches stay open (their predictions are replayed
// into training, and a swapped-in model re-tags them). Target p99 ≤ 20 ms.
'use strict';
const path = require('path');
const { monitorEventLoopDelay } = require('perf_hooks');
const vscode = require('vscode');
const H = require('./helpers');

const STALL_MS = 20;

/** Starts sampling; stop() returns the figures. */
function sampleLoop() {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = H.now();
  const stalls = [];
  let last = H.now();
  let timer;
  const tick = () => {
    const t = H.now();
    const gap = t - last - 2;
    if (gap > STALL_MS) stalls.push({ atMs: Math.round(last - t0), ms: Math.round(gap) });
    last = t;
    timer = setTimeout(tick, 2);
  };
  timer = setTimeout(tick, 2);
  return {
    stop() {
      clearTimeout(timer);
      h.disable();
      const v = (x) => x / 1e6;
      return {
        seconds: (H.now() - t0) / 1000,
        samples: h.count,
        p50: v(h.percentile(50)),
        p99: v(h.percentile(99)),
        p999: v(h.percentile(99.9)),
        max: v(h.max),
        mean: v(h.mean),
        stalls,
      };
    },
  };
}

const line = (s) =>
  `p50 ${H.ms(s.p50)} · p99 ${H.ms(s.p99)} · p99.9 ${H.ms(s.p999)} · max ${H.ms(s.max)} ms over ${s.seconds.toFixed(1)} s (${s.samples} samples)`;

describe('event-loop delay while training', function () {
  this.timeout(3600000);
  let api;

  before(async () => {
    ({ api } = await H.setup());
  });

  it('Train Model on the accepted sample documents', async () => {
    const ws = H.workspaceFolder();
    const files = [
      'contracts/services-agreement.md',
      'contracts/nda.txt',
      'contracts/lease.txt',
      'invoices/invoice-FOS-2026-0117.txt',
      'invoices/invoice-TCS-4471.txt',
    ];
    let records = 0;
    for (const f of files) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(ws, f)));
      const editor = await vscode.window.showTextDocument(doc);
      if (!(await api.whenIdle(doc.uri, 120000))) throw new Error(`${f} was not tagged`);
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      const r = await vscode.commands.executeCommand('entityLens.acceptAllInDocument');
      records += Array.isArray(r) ? r.length : 0;
    }
    const open = vscode.workspace.textDocuments
      .filter((d) => d.uri.scheme === 'file')
      .map((d) => path.basename(d.uri.fsPath));
    console.log(
      `      annotations: ${records} records from ${files.length} accepted documents; open: ${open.join(', ')}`,
    );

    const idle = sampleLoop();
    await H.sleep(3000);
    const baseline = idle.stop();
    console.log(`      idle baseline:   ${line(baseline)}`);

    const epochs = vscode.workspace.getConfiguration('entityLens').get('trainingEpochs');
    const during = sampleLoop();
    const run = await vscode.commands.executeCommand('entityLens.trainModel');
    const training = during.stop();
    if (!run) throw new Error('Train Model returned nothing (no annotations? already running?)');
    console.log(
      `      training run ${run.version}: swapped=${run.swapped} (${run.reason}), ${epochs} epochs, ${training.seconds.toFixed(1)} s`,
    );
    console.log(`      during training: ${line(training)}  (target p99 ≤ 20 ms)`);
    console.log(
      `        stalls > ${STALL_MS} ms (at ms after the command started): ${training.stalls.map((s) => `${s.ms} ms @${s.atMs}`).join(', ') || 'none'}`,
    );

    // after a swap every open document is re-tagged with the new model
    const after = sampleLoop();
    for (const d of vscode.workspace.textDocuments) await api.whenIdle(d.uri, 600000);
    await H.sleep(500);
    const retag = after.stop();
    console.log(`      re-tag after the swap: ${line(retag)}`);
    if (retag.stalls.length)
      console.log(`        stalls > ${STALL_MS} ms: ${retag.stalls.map((s) => `${s.ms} ms @${s.atMs}`).join(', ')}`);
    H.results.training = {
      epochs,
      records,
      version: run.version,
      swapped: run.swapped,
      reason: run.reason,
      baseline,
      training,
      retag,
    };
  });

  after(async () => {
    // leave no dirty editors behind (the typed-in 100-page contract)
    for (let i = 0; i < 20 && vscode.window.activeTextEditor; i++) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
