// Entities in the active document: filter by label and confidence; click reveals the entity;
// accept / relabel / remove run the editor's commands.
import type { EntityDto } from '../../src/shared/messages';
import type { App } from '../app';
import { button, fill, formatNumber, h, linkButton, table } from '../dom';
import { labelChip } from './training-set';

/** rows drawn at most (filter to see others) */
const MAX_ROWS = 1000;

export function filterEntities(
  list: EntityDto[],
  label: string,
  maxConfidence: number,
  status: 'all' | 'unreviewed' | 'reviewed',
): EntityDto[] {
  return list.filter(
    (e) =>
      (!label || e.label === label) &&
      (e.reviewed ? status !== 'unreviewed' : status !== 'reviewed' && e.confidence <= maxConfidence + 1e-9),
  );
}

function select(
  options: Array<[string, string]>,
  value: string,
  label: string,
  onChange: (v: string) => void,
): HTMLElement {
  const el = h(
    'vscode-single-select',
    { attrs: { 'aria-label': label } },
    ...options.map(([v, text]) =>
      h('vscode-option', { props: { value: v }, attrs: { value: v, selected: v === value } }, text),
    ),
  );
  el.addEventListener('change', () => onChange((el as unknown as { value: string }).value));
  return el;
}

export function renderEntities(root: HTMLElement, app: App): void {
  const d = app.data.entities;
  if (!d) {
    fill(root, h('p', { class: 'muted' }, 'Loading…'));
    return;
  }
  if (!d.uri) {
    fill(
      root,
      h('h2', null, 'Entities'),
      h('p', { class: 'muted' }, 'Open a contract or invoice in an editor: its entities are listed here.'),
    );
    return;
  }
  const ui = app.ui;
  const labels = [...new Set([...(app.data.labels ?? []).map((l) => l.name), ...d.entities.map((e) => e.label)])];
  const shown = filterEntities(d.entities, ui.entityLabel, ui.entityMaxConfidence, ui.entityStatus);
  const labelFilter = select(
    [['', 'All labels'], ...labels.map((l): [string, string] => [l, l])],
    ui.entityLabel,
    'Filter by label',
    (v) => {
      ui.entityLabel = v;
      app.save();
      app.render('entities');
    },
  );
  const confidence = h('input', {
    class: 'range',
    attrs: { type: 'range', min: 0, max: 1, step: 0.05, 'aria-label': 'Highest confidence shown' },
    props: { value: String(ui.entityMaxConfidence) },
  });
  const confidenceText = h('span', { class: 'muted' }, `confidence ≤ ${ui.entityMaxConfidence.toFixed(2)}`);
  confidence.addEventListener(
    'input',
    () => (confidenceText.textContent = `confidence ≤ ${Number(confidence.value).toFixed(2)}`),
  );
  confidence.addEventListener('change', () => {
    ui.entityMaxConfidence = Number(confidence.value);
    app.save();
    app.render('entities');
  });
  const status = select(
    [
      ['all', 'Reviewed and predicted'],
      ['unreviewed', 'Predicted only'],
      ['reviewed', 'Reviewed only'],
    ],
    ui.entityStatus,
    'Filter by status',
    (v) => {
      ui.entityStatus = v === 'unreviewed' || v === 'reviewed' ? v : 'all';
      app.save();
      app.render('entities');
    },
  );
  const uncertain = button(
    `Uncertain only (< ${d.threshold.toFixed(2)})`,
    () => {
      ui.entityMaxConfidence = Math.max(0, d.threshold - 0.001);
      ui.entityStatus = 'unreviewed';
      app.save();
      app.render('entities');
    },
    { secondary: true },
  );
  const rows = shown.slice(0, MAX_ROWS).map((e) => ({
    props: { dataset: { start: String(e.start) } },
    cells: row(app, d.uri as string, e, labels, d.threshold),
  }));
  fill(
    root,
    h('div', { class: 'toolbar' }, h('h2', null, 'Entities'), h('span', { class: 'muted' }, d.file)),
    h('div', { class: 'toolbar filters' }, labelFilter, status, confidence, confidenceText, uncertain),
    h(
      'p',
      { class: 'muted' },
      `${shown.length} of ${d.entities.length} entities${d.truncated ? ' (the document has more; only the first ones are listed)' : ''}${shown.length > MAX_ROWS ? `, first ${MAX_ROWS} shown` : ''}.`,
    ),
    rows.length
      ? table(['Text', 'Label', 'Confidence', 'Actions'], rows, ['32%', '18%', '12%', 'auto'], 'entities')
      : h('p', { class: 'muted' }, 'Nothing matches the filters.'),
  );
}

function row(app: App, uri: string, e: EntityDto, labels: string[], threshold: number): Array<Node | string> {
  const ref = { uri, start: e.start, end: e.end, label: e.label };
  const relabel = select(
    [['', 'Relabel…'], ...labels.filter((l) => l !== e.label).map((l): [string, string] => [l, l])],
    '',
    `New label for ${e.text}`,
    (v) => {
      if (v) app.send({ type: 'entityAction', action: 'relabel', ...ref, newLabel: v });
    },
  );
  const low = !e.reviewed && e.confidence < threshold;
  return [
    linkButton(
      e.text,
      () => app.send({ type: 'revealEntity', uri, start: e.start, end: e.end }),
      'Show it in the editor',
    ),
    labelChip(app, e.label),
    h('span', { class: low ? 'low' : '' }, e.reviewed ? 'reviewed' : formatNumber(e.confidence, 2)),
    h(
      'span',
      { class: 'actions' },
      e.reviewed
        ? null
        : button('Accept', () => app.send({ type: 'entityAction', action: 'accept', ...ref, newLabel: '' }), {
            secondary: true,
          }),
      button('Remove', () => app.send({ type: 'entityAction', action: 'remove', ...ref, newLabel: '' }), {
        secondary: true,
      }),
      relabel,
    ),
  ];
}
