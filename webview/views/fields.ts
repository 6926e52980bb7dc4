// Fields of the active document: field, value, confidence (as the Document Fields side-bar view
// shows them); a click on a value reveals its mention; "Correct…" runs Correct Field…; the
// value checks that fail are listed under the table.
import type { FieldCheckDto, FieldDto, FieldValueDto } from '../../src/shared/messages';
import type { App } from '../app';
import { button, fill, h, linkButton, table } from '../dom';

/** the panel width (px) below which the table turns into cards */
const COMPACT_BELOW = 360;

const EMPTY = 'Open a contract, invoice or receipt to see its fields.';

/** The confidence as the side bar says it ("97%", "corrected", "computed · 54%"), with the page where there are pages. */
export function confidenceText(v: FieldValueDto): string {
  const confidence = v.corrected ? 'corrected' : `${v.derived ? 'computed · ' : ''}${Math.round(100 * v.confidence)}%`;
  return v.page !== null ? `${confidence} · p. ${v.page}` : confidence;
}

export function renderFields(root: HTMLElement, app: App): void {
  const d = app.data.fields;
  if (!d) {
    fill(root, h('p', { class: 'muted' }, 'Loading…'));
    return;
  }
  if (!d.uri || d.kind === null) {
    fill(
      root,
      h('h2', null, 'Fields'),
      h(
        'p',
        { class: 'muted', attrs: { 'data-testid': 'fields-empty' } },
        d.uri ? `${d.file} has no fields: it is not tagged (yet). ${EMPTY}` : EMPTY,
      ),
    );
    return;
  }
  const uri = d.uri;
  const failing = new Set(d.checks.flatMap((c) => c.fields));
  const rows = d.fields.map((f) => ({
    props: { dataset: { field: f.name } },
    cells: row(app, uri, f, failing.has(f.name)),
  }));
  const found = d.fields.filter((f) => f.values.length > 0).length;
  fill(
    root,
    h('div', { class: 'toolbar' }, h('h2', null, 'Fields'), h('span', { class: 'muted' }, d.file)),
    h(
      'p',
      { class: 'muted' },
      `${d.kind.charAt(0).toUpperCase()}${d.kind.slice(1)}${d.kindSet ? ' (kind set by you)' : ''}: ${found} of ${d.fields.length} fields found.`,
    ),
    // four short columns still fit the panel beside an editor: cards only when far narrower
    table(['Field', 'Value', 'Confidence', 'Actions'], rows, ['22%', '30%', '23%', 'auto'], 'fields', COMPACT_BELOW),
    checks(d.checks),
  );
}

function row(app: App, uri: string, f: FieldDto, failing: boolean): Array<Node | string> {
  const values = f.values.length
    ? f.values.map((v) =>
        h(
          'div',
          null,
          // a typed correction has no mention to show
          v.end > v.start
            ? linkButton(
                v.value,
                () => app.send({ type: 'revealFieldValue', uri, start: v.start, end: v.end }),
                `Show it in the editor (as printed: ${v.text})`,
              )
            : h('span', { attrs: { title: 'typed by you' } }, v.value),
        ),
      )
    : [h('span', { class: 'muted' }, '—')];
  const confidences = f.values.map((v) => h('div', null, confidenceText(v)));
  return [
    h(
      'span',
      { class: failing ? 'low' : '', attrs: { title: failing ? 'a check of this field fails' : undefined } },
      ...breakable(f.name),
    ),
    h('div', null, ...values),
    h('div', null, ...confidences),
    button('Correct…', () => app.send({ type: 'correctField', uri, field: f.name }), {
      secondary: true,
      title: `Pick another mention for ${f.name}, or type its value`,
    }),
  ];
}

/** A field name that may break after its underscores ("invoice_ / number"), not inside a word. */
function breakable(name: string): Array<Node | string> {
  return name.split('_').flatMap((part, i) => (i === 0 ? [part] : ['_', h('wbr'), part]));
}

function checks(list: FieldCheckDto[]): HTMLElement {
  if (!list.length)
    return h('p', { class: 'muted', attrs: { 'data-testid': 'field-checks' } }, 'No value check fails.');
  return h(
    'section',
    { attrs: { 'data-testid': 'field-checks' } },
    h('h3', null, list.length === 1 ? '1 check fails' : `${list.length} checks fail`),
    h(
      'ul',
      { class: 'checks' },
      ...list.map((c) =>
        h(
          'li',
          // not class "warning": that colours the whole line (.warning in dashboard.css)
          { class: 'check', dataset: { code: c.code, severity: c.severity } },
          h('strong', null, c.severity === 'error' ? 'Error' : 'Warning'),
          ` ${c.message}`,
        ),
      ),
    ),
  );
}
