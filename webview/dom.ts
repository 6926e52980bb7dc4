// Building DOM without HTML strings: text always goes in as text nodes, attributes through
// setAttribute, styles through the CSSOM (the page's CSP forbids inline style attributes).
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** attributes (strings), set with setAttribute; true = present, false/undefined = absent */
  attrs?: Record<string, string | number | boolean | undefined>;
  /** properties set on the element itself (value, checked, …) */
  props?: Record<string, unknown>;
  /** CSS custom properties and styles, set with style.setProperty */
  style?: Record<string, string>;
  on?: Partial<Record<string, (e: Event) => void>>;
  dataset?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props | null, ...children: Child[]): HTMLElement;
export function h(tag: string, props?: Props | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function apply(el: HTMLElement, props?: Props | null): void {
  if (!props) return;
  if (props.class) el.className = props.class;
  for (const [k, v] of Object.entries(props.attrs ?? {})) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const [k, v] of Object.entries(props.props ?? {})) (el as unknown as Record<string, unknown>)[k] = v;
  for (const [k, v] of Object.entries(props.style ?? {})) el.style.setProperty(k, v);
  for (const [k, v] of Object.entries(props.dataset ?? {})) el.dataset[k] = v;
  for (const [k, fn] of Object.entries(props.on ?? {})) if (fn) el.addEventListener(k, fn);
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's content. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Colours the host sends: "#rgb[a]"/"#rrggbb[aa]" or a VS Code theme variable; anything else is dropped. */
export function safeColor(color: string, fallback = 'var(--vscode-foreground)'): string {
  return /^#[0-9a-fA-F]{3,8}$/.test(color) || /^var\(--vscode-[A-Za-z0-9_-]+\)$/.test(color) ? color : fallback;
}

export function formatNumber(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** below this many pixels per column a table turns into stacked cards (each cell under its column's name) */
const MIN_COLUMN_PX = 110;

/**
 * A vscode-table with a header row and body rows (cells are nodes or text). In a panel too
 * narrow for its columns (the dashboard beside an editor is about 460 px wide) the table is
 * shown "responsive": one card per row, every cell with its column's name, nothing cut off.
 */
export function table(
  columns: string[],
  rows: Array<{ cells: Child[]; props?: Props }>,
  widths?: string[],
  className = '',
  /** the width (px) below which it turns into cards; default MIN_COLUMN_PX per column */
  compactBelow?: number,
): HTMLElement {
  const header = h(
    'vscode-table-header',
    { attrs: { slot: 'header' } },
    ...columns.map((c) => h('vscode-table-header-cell', null, c)),
  );
  const body = h(
    'vscode-table-body',
    { attrs: { slot: 'body' } },
    ...rows.map((r) => h('vscode-table-row', r.props ?? null, ...r.cells.map((c) => h('vscode-table-cell', null, c)))),
  );
  const t = h(
    'vscode-table',
    { class: className, attrs: { zebra: true, 'bordered-rows': true, resizable: true, responsive: true } },
    header,
    body,
  );
  (t as unknown as { breakpoint: number }).breakpoint = compactBelow ?? columns.length * MIN_COLUMN_PX;
  if (widths) (t as unknown as { columns: string[] }).columns = widths;
  return t;
}

export function button(
  label: string,
  onClick: () => void,
  props: { secondary?: boolean; disabled?: boolean; title?: string; class?: string } = {},
): HTMLElement {
  return h(
    'vscode-button',
    {
      class: props.class,
      attrs: { secondary: !!props.secondary, disabled: !!props.disabled, title: props.title },
      on: {
        click: () => {
          if (!props.disabled) onClick();
        },
      },
    },
    label,
  );
}

/** A plain-looking button that acts as a link (keyboard accessible). */
export function linkButton(content: Child, onClick: () => void, title?: string): HTMLElement {
  return h('button', { class: 'link', attrs: { type: 'button', title }, on: { click: onClick } }, content);
}
