// Labels: add, rename (the host rewrites the training set), recolour (entityLens.labelColors,
// which the editor decorations read), describe.
import type { LabelDto } from '../../src/shared/messages';
import type { App } from '../app';
import { button, fill, h, table } from '../dom';

const LABEL = /^[A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)*$/;

/** #rrggbb for an <input type=color>: the label's colour as the page computes it. */
function pickerValue(color: string): string {
  if (/^#[0-9a-fA-F]{6}$/.test(color)) return color.toLowerCase();
  const probe = h('span', { style: { color } });
  document.body.append(probe);
  const rgb = getComputedStyle(probe).color;
  probe.remove();
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(rgb);
  return m ? '#' + [m[1], m[2], m[3]].map((n) => Number(n).toString(16).padStart(2, '0')).join('') : '#888888';
}

function textfield(value: string, placeholder: string, label: string): HTMLElement & { value: string } {
  return h('vscode-textfield', {
    props: { value },
    attrs: { placeholder, 'aria-label': label },
  }) as unknown as HTMLElement & { value: string };
}

export function renderLabels(root: HTMLElement, app: App): void {
  const labels = app.data.labels;
  if (!labels) {
    fill(root, h('p', { class: 'muted' }, 'Loading the labels…'));
    return;
  }
  const name = textfield('', 'NEW_LABEL', 'New label name');
  const description = textfield('', 'What it marks (optional)', 'New label description');
  const add = (): void => {
    const n = name.value.trim().toUpperCase();
    if (!LABEL.test(n)) {
      app.notify(
        'warning',
        'Use upper-case letters, digits, "_" or "-", starting with a letter (e.g. INVOICE_NUMBER).',
      );
      return;
    }
    app.send({ type: 'addLabel', name: n, description: description.value });
    name.value = '';
    description.value = '';
  };
  const form = h('div', { class: 'toolbar add-label' }, name, description, button('Add label', add));
  const renameBar = h('div', { class: 'toolbar rename', attrs: { 'data-testid': 'rename' } });
  const rows = labels.map((l) => ({ props: { dataset: { label: l.name } }, cells: row(app, l, renameBar) }));
  fill(
    root,
    h(
      'div',
      { class: 'toolbar' },
      h('h2', null, 'Labels'),
      button('Refresh', () => app.send({ type: 'requestLabels' }), { secondary: true }),
    ),
    form,
    renameBar,
    table(
      ['Colour', 'Label', 'Description', 'Gold / silver', 'Model', ''],
      rows,
      ['9%', '20%', '36%', '11%', '8%', 'auto'],
      'labels',
    ),
    h(
      'p',
      { class: 'muted' },
      'Colours are saved in the entityLens.labelColors setting and used by the editor at once; renaming rewrites the training set (the model learns the new name at its next training).',
    ),
  );
}

function row(app: App, l: LabelDto, renameBar: HTMLElement): Array<Node | string> {
  const color = h('input', {
    class: 'color',
    attrs: {
      type: 'color',
      'aria-label': `Colour of ${l.name}`,
      title: l.customColor ? 'custom colour' : 'theme colour',
    },
  });
  color.value = pickerValue(l.color);
  color.addEventListener('change', () => app.send({ type: 'recolorLabel', name: l.name, color: color.value }));
  const reset = l.customColor
    ? h(
        'button',
        {
          class: 'link small',
          attrs: { type: 'button', title: 'Back to the theme colour' },
          on: { click: () => app.send({ type: 'recolorLabel', name: l.name, color: '' }) },
        },
        'reset',
      )
    : null;
  const description = textfield(l.description, 'Describe the label', `Description of ${l.name}`);
  description.addEventListener('change', () => {
    if (description.value !== l.description)
      app.send({ type: 'describeLabel', name: l.name, description: description.value });
  });
  const rename = button(
    'Rename…',
    () => {
      const field = textfield(l.name, 'NEW_NAME', `New name for ${l.name}`);
      const ok = (): void => {
        const to = field.value.trim().toUpperCase();
        if (!LABEL.test(to)) {
          app.notify('warning', 'Use upper-case letters, digits, "_" or "-", starting with a letter.');
          return;
        }
        if (to !== l.name) app.send({ type: 'renameLabel', from: l.name, to });
        fill(renameBar);
      };
      field.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter') ok();
      });
      fill(
        renameBar,
        h(
          'span',
          null,
          'Rename ',
          h('span', { class: 'chip', style: { '--label-color': app.labelColor(l.name) } }, l.name),
          ' to',
        ),
        field,
        button('Rename', ok),
        button('Cancel', () => fill(renameBar), { secondary: true }),
        h('span', { class: 'muted' }, `rewrites the ${l.gold + l.silver} span(s) in the training set`),
      );
      field.focus();
    },
    { secondary: true },
  );
  return [
    h('span', null, color, reset),
    h('span', { class: 'chip', style: { '--label-color': app.labelColor(l.name) } }, l.name),
    description,
    `${l.gold} / ${l.silver}`,
    l.inModel ? 'yes' : 'not yet',
    rename,
  ];
}
