// Training set: counts, entities per label (gold vs rule-made), the passages (click: open in
// the editor at the passage).
import type { App } from '../app';
import { button, fill, formatTime, h, linkButton, table } from '../dom';

export function renderTrainingSet(root: HTMLElement, app: App): void {
  const t = app.data.trainingSet;
  if (!t) {
    fill(root, h('p', { class: 'muted' }, 'Loading the training set…'));
    return;
  }
  const refresh = button('Refresh', () => app.send({ type: 'refresh', view: 'training' }), { secondary: true });
  if (!t.folder) {
    fill(
      root,
      h('p', { class: 'muted' }, 'Open a folder: the training set lives in its .entity-lens/annotations.jsonl.'),
      refresh,
    );
    return;
  }
  const summary = h(
    'div',
    { class: 'summary', attrs: { 'data-testid': 'training-summary' } },
    stat(t.documents, 'documents'),
    stat(t.passages, 'reviewed passages'),
    stat(t.gold, 'gold entities'),
    stat(t.silver, 'rule-made (silver)'),
    h(
      'div',
      { class: 'stat' },
      h('span', { class: 'stat-value small' }, formatTime(t.lastChange)),
      h('span', { class: 'stat-label' }, 'last change'),
    ),
  );
  const maxCount = Math.max(1, ...t.byLabel.map((l) => l.gold + l.silver));
  const perLabel = table(
    ['Label', 'Gold', 'Silver', ''],
    t.byLabel.map((l) => ({
      cells: [
        labelChip(app, l.label),
        String(l.gold),
        String(l.silver),
        h(
          'div',
          { class: 'bar', attrs: { title: `${l.gold} gold, ${l.silver} silver` } },
          h('span', {
            class: 'bar-gold',
            style: { width: `${(100 * l.gold) / maxCount}%`, 'background-color': app.labelColor(l.label) },
          }),
          h('span', {
            class: 'bar-silver',
            style: { width: `${(100 * l.silver) / maxCount}%`, 'border-color': app.labelColor(l.label) },
          }),
        ),
      ],
    })),
    ['28%', '16%', '16%', 'auto'],
    '',
    300,
  );
  const passages = table(
    ['Document', 'Passage', 'Labels', 'Gold / silver', 'Changed'],
    t.items.map((p) => ({
      props: { dataset: { passage: p.id } },
      cells: [
        p.uri
          ? linkButton(p.file, () => app.send({ type: 'openPassage', id: p.id }), 'Open the passage in the editor')
          : h('span', { class: 'muted', attrs: { title: 'imported, not linked to a file' } }, p.file),
        h('span', { class: 'excerpt' }, p.text),
        h('span', null, ...p.labels.map((l) => labelChip(app, l))),
        `${p.gold} / ${p.silver}`,
        formatTime(p.time),
      ],
    })),
    ['18%', '46%', '16%', '8%', '12%'],
    'passages',
  );
  fill(
    root,
    h('div', { class: 'toolbar' }, h('h2', null, 'Training set'), refresh),
    t.malformed > 0
      ? h(
          'p',
          { class: 'warning' },
          `${t.malformed} malformed line(s) in annotations.jsonl are ignored (see the Entity Lens output).`,
        )
      : null,
    summary,
    h('h3', null, 'Entities per label'),
    t.byLabel.length ? perLabel : h('p', { class: 'muted' }, 'No entities annotated yet.'),
    h('h3', null, t.passages > t.items.length ? `Passages (newest ${t.items.length} of ${t.passages})` : 'Passages'),
    t.items.length
      ? passages
      : h(
          'p',
          { class: 'muted' },
          'No reviewed passages yet: accept or correct entities in a document, or use the Review queue.',
        ),
  );
}

function stat(value: number, label: string): HTMLElement {
  return h(
    'div',
    { class: 'stat' },
    h('span', { class: 'stat-value' }, String(value)),
    h('span', { class: 'stat-label' }, label),
  );
}

export function labelChip(app: App, label: string): HTMLElement {
  return h('span', { class: 'chip', style: { '--label-color': app.labelColor(label) } }, label);
}
