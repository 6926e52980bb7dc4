// The one-line summary of the editor bench (shared by index.js in the extension host and run.mjs).
'use strict';

const ms = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-');

function summaryLine(r) {
  const m = r.model || {};
  const model = m.kind === 'default' ? `default model ${m.name || ''} ${m.version || ''}`.trim() : 'TINY test model';
  const parts = [];
  if (r.open && r.open.cold) {
    parts.push(
      `open→first decorations (20 p) ${ms(r.open.cold.firstDecorationsMs)} ms cold` +
        (r.open.warm ? ` / ${ms(r.open.warm.firstDecorationsMs)} ms warm` : ''),
    );
  } else parts.push('open→first decorations: n/a');
  if (r.keystroke) {
    parts.push(
      `keystroke tagging work p95 ${ms(r.keystroke.work.p95)} ms (≤5) [p50 ${ms(r.keystroke.work.p50)}, max ${ms(r.keystroke.work.max)}], edit→decorations p95 ${ms(r.keystroke.editToDecorations.p95)} ms (100 p, debounce ${r.keystroke.debounceMs}; via \`type\` ${ms(r.keystroke.toDecorations.p95)})`,
    );
  } else parts.push('keystroke: n/a');
  if (r.training)
    parts.push(
      `ext-host event-loop delay p99 while training ${ms(r.training.training.p99)} ms (≤20) [max ${ms(r.training.training.max)}]`,
    );
  else parts.push('training event-loop: n/a');
  return `EDITOR BENCH [${model}]: ${parts.join(' | ')}`;
}

module.exports = { summaryLine, ms };
