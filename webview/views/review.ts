// Review queue (active learning): one passage at a time, the most uncertain first, with its
// predicted entities. Keys: 1–9, 0, then a–y (z is undo) give the selected entity (or the
// selected text) a label, one key per label (labels past the 35th from a list),
// Enter accepts the passage as reviewed, Backspace removes the selected entity, ←/→ move between
// entities, ↑/↓ between passages, Z undoes the last action. Edits stay in this page (and its
// saved state) until Enter, which sends the passage's final spans to the host: the same
// correction the editor makes.
import type { ReviewPassageDto } from '../../src/shared/messages';
import type { App, ReviewSpan } from '../app';
import { button, fill, formatNumber, h } from '../dom';

const WORD = /[\p{L}\p{N}_]/u;

export function pendingPassages(app: App): ReviewPassageDto[] {
  const done = new Set(app.ui.review.done);
  return (app.data.queue?.passages ?? []).filter((p) => !done.has(p.key));
}

export function currentPassage(app: App): ReviewPassageDto | undefined {
  const pending = pendingPassages(app);
  return pending.find((p) => p.key === app.ui.review.current) ?? pending[0];
}

export function spansOf(app: App, p: ReviewPassageDto): ReviewSpan[] {
  return (
    app.ui.review.edits[p.key] ??
    p.entities.map((e) => ({ start: e.start, end: e.end, label: e.label, confidence: e.confidence }))
  );
}

/** One key per label, in this order: 1–9, 0, then the letters but z (undo). */
export const LABEL_KEYS = [...'1234567890abcdefghijklmnopqrstuvwxy'];

export function labelNames(app: App): string[] {
  const fromHost = (app.data.labels ?? []).map((l) => l.name);
  const inQueue = (app.data.queue?.passages ?? []).flatMap((p) => p.entities.map((e) => e.label));
  return [...new Set([...fromHost, ...inQueue])];
}

/** "1–9, 0, a–k" for as many labels as there are keys for. */
function keyRange(n: number): string {
  const keys = LABEL_KEYS.slice(0, n);
  if (n <= 9) return n <= 1 ? '1' : `1–${n}`;
  const letters = keys.slice(10);
  return `1–9, 0${letters.length ? `, a${letters.length > 1 ? `–${letters[letters.length - 1]}` : ''}` : ''}`;
}

function setSpans(app: App, p: ReviewPassageDto, spans: ReviewSpan[], selected: number): void {
  const r = app.ui.review;
  r.undo.push({ kind: 'edit', key: p.key, before: spansOf(app, p), selected: r.selected });
  if (r.undo.length > 200) r.undo.shift();
  r.edits[p.key] = spans.sort((a, b) => a.start - b.start);
  r.current = p.key;
  r.selected = Math.max(0, Math.min(selected, spans.length - 1));
}

/** Offsets of the text selected inside the passage element, snapped to whole words. */
function selectedText(container: HTMLElement, text: string): { start: number; end: number } | undefined {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return undefined;
  const range = sel.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return undefined;
  const offsetOf = (node: Node, offset: number): number => {
    if (node.nodeType !== Node.TEXT_NODE) {
      // an element boundary: count the text before its offset-th child
      const probe = document.createRange();
      probe.selectNodeContents(container);
      probe.setEnd(node, offset);
      return probe.toString().length;
    }
    let total = 0;
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n === node) return total + offset;
      total += (n as Text).data.length;
    }
    return total;
  };
  let start = offsetOf(range.startContainer, range.startOffset);
  let end = offsetOf(range.endContainer, range.endOffset);
  if (start > end) [start, end] = [end, start];
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  while (start > 0 && WORD.test(text[start - 1]) && WORD.test(text[start])) start--;
  while (end < text.length && WORD.test(text[end]) && WORD.test(text[end - 1])) end++;
  return end > start ? { start, end } : undefined;
}

export function setLabel(app: App, n: number): void {
  const p = currentPassage(app);
  if (!p) return;
  const label = labelNames(app)[n - 1];
  if (!label) {
    app.notify('warning', `No label ${n}: add labels in the Labels view.`);
    return;
  }
  const spans = spansOf(app, p).map((s) => ({ ...s }));
  const container = document.querySelector<HTMLElement>('[data-testid="passage-text"]');
  const picked = container ? selectedText(container, p.text) : undefined;
  if (picked) {
    const kept = spans.filter((s) => s.end <= picked.start || s.start >= picked.end);
    const added = { ...picked, label, confidence: null };
    kept.push(added);
    kept.sort((a, b) => a.start - b.start);
    setSpans(app, p, kept, kept.indexOf(added));
    window.getSelection()?.removeAllRanges();
  } else {
    const i = app.ui.review.selected;
    if (!spans[i] || spans[i].label === label) return;
    spans[i] = { ...spans[i], label, confidence: null };
    setSpans(app, p, spans, i);
  }
  app.save();
  app.render('review');
}

export function removeSelected(app: App): void {
  const p = currentPassage(app);
  if (!p) return;
  const spans = spansOf(app, p);
  const i = app.ui.review.selected;
  if (!spans[i]) return;
  setSpans(
    app,
    p,
    spans.filter((_, k) => k !== i),
    i,
  );
  app.save();
  app.render('review');
}

export function acceptPassage(app: App): void {
  const p = currentPassage(app);
  if (!p) return;
  const r = app.ui.review;
  const spans = spansOf(app, p);
  const pending = pendingPassages(app);
  const next = pending[pending.indexOf(p) + 1];
  app.send({
    type: 'reviewCommit',
    key: p.key,
    uri: p.uri,
    start: p.start,
    end: p.end,
    text: p.text,
    spans: spans.map((s) => ({ start: s.start, end: s.end, label: s.label })),
  });
  r.undo.push({ kind: 'commit', key: p.key, spans });
  r.done.push(p.key);
  r.current = next?.key ?? null;
  r.selected = 0;
  app.save();
  app.render('review');
}

export function undo(app: App): void {
  const r = app.ui.review;
  const a = r.undo.pop();
  if (!a) {
    app.notify('info', 'Nothing to undo.');
    return;
  }
  if (a.kind === 'edit') {
    r.edits[a.key] = a.before;
    r.selected = a.selected;
  } else {
    app.send({ type: 'reviewUndo', key: a.key });
    r.done = r.done.filter((k) => k !== a.key);
    r.edits[a.key] = a.spans;
    r.selected = 0;
  }
  r.current = a.key;
  app.save();
  app.render('review');
}

export function moveEntity(app: App, delta: number): void {
  const p = currentPassage(app);
  if (!p) return;
  const n = spansOf(app, p).length;
  if (n === 0) return;
  app.ui.review.current = p.key;
  app.ui.review.selected = (app.ui.review.selected + delta + n) % n;
  app.save();
  app.render('review');
}

export function movePassage(app: App, delta: number): void {
  const pending = pendingPassages(app);
  const p = currentPassage(app);
  if (!p) return;
  const i = pending.indexOf(p) + delta;
  if (i < 0 || i >= pending.length) return;
  app.ui.review.current = pending[i].key;
  app.ui.review.selected = 0;
  app.save();
  app.render('review');
}

/** A reviewCommit the host could not apply: the passage goes back into the queue. */
export function commitFailed(app: App, key: string): void {
  const r = app.ui.review;
  r.done = r.done.filter((k) => k !== key);
  const i = r.undo.map((a) => a.kind === 'commit' && a.key === key).lastIndexOf(true);
  if (i >= 0) {
    const a = r.undo[i];
    if (a.kind === 'commit') r.edits[key] = a.spans;
    r.undo.splice(i, 1);
  }
  r.current = key;
  app.save();
  app.render('review');
}

/** keys pressed on these belong to them (typing, a button's Enter, the tabs' arrows) */
const INTERACTIVE = new Set([
  'INPUT',
  'TEXTAREA',
  'SELECT',
  'BUTTON',
  'A',
  'VSCODE-TEXTFIELD',
  'VSCODE-TEXTAREA',
  'VSCODE-SINGLE-SELECT',
  'VSCODE-BUTTON',
  'VSCODE-TAB-HEADER',
]);

/** Puts the keyboard on the passage (after a re-render dropped the focused element, or on entering the tab). */
export function focusPassage(): void {
  document.querySelector<HTMLElement>('[data-testid="passage-text"]')?.focus({ preventScroll: true });
}

export function onReviewKey(app: App, e: KeyboardEvent): void {
  if (app.ui.view !== 'review' || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target as HTMLElement | null;
  if (target && (INTERACTIVE.has(target.tagName) || target.isContentEditable)) return;
  const key = LABEL_KEYS.indexOf(e.key.length === 1 ? e.key.toLowerCase() : '');
  if (key >= 0 && key < labelNames(app).length) setLabel(app, key + 1);
  else if (e.key === 'Enter') acceptPassage(app);
  else if (e.key === 'Backspace' || e.key === 'Delete') removeSelected(app);
  else if (e.key === 'ArrowRight') moveEntity(app, 1);
  else if (e.key === 'ArrowLeft') moveEntity(app, -1);
  else if (e.key === 'ArrowDown') movePassage(app, 1);
  else if (e.key === 'ArrowUp') movePassage(app, -1);
  else if (e.key === 'z' || e.key === 'Z') undo(app);
  else return;
  e.preventDefault();
}

export function renderReview(root: HTMLElement, app: App): void {
  const q = app.data.queue;
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('h2', null, 'Review queue'),
    button('Rebuild queue', () => app.send({ type: 'refresh', view: 'review' }), { secondary: true }),
  );
  if (!q) {
    fill(
      root,
      toolbar,
      h('p', { class: 'muted' }, 'Open this tab to rank the workspace passages by the model’s uncertainty.'),
    );
    return;
  }
  if (q.status !== 'ready') {
    fill(
      root,
      toolbar,
      q.status === 'scanning' ? h('vscode-progress-bar', { attrs: { 'aria-label': 'building the queue' } }) : null,
      h('p', { class: 'muted' }, q.message),
    );
    return;
  }
  const pending = pendingPassages(app);
  const p = currentPassage(app);
  const labels = labelNames(app);
  const legend = h(
    'ol',
    { class: 'legend', attrs: { 'aria-label': 'Labels by key' } },
    ...labels.map((l, i) =>
      h(
        'li',
        null,
        h(
          'button',
          {
            class: 'key',
            attrs: { type: 'button', title: `Label ${l}${LABEL_KEYS[i] ? ` (key ${LABEL_KEYS[i]})` : ''}` },
            on: { click: () => setLabel(app, i + 1) },
          },
          LABEL_KEYS[i] ?? '·',
        ),
        h('span', { class: 'chip', style: { '--label-color': app.labelColor(l) } }, l),
      ),
    ),
  );
  const help = h(
    'p',
    { class: 'muted keys' },
    `${keyRange(Math.min(labels.length, LABEL_KEYS.length))} label · Enter accept passage · Backspace remove entity · ←/→ entity · ↑/↓ passage · Z undo`,
  );
  if (!p) {
    fill(
      root,
      toolbar,
      h(
        'p',
        null,
        `All ${q.passages.length} passage(s) reviewed in this session. Rebuild the queue to rank the rest with the current model.`,
      ),
      help,
    );
    return;
  }
  const spans = spansOf(app, p);
  const r = app.ui.review;
  if (r.current !== p.key) {
    r.current = p.key;
    r.selected = 0;
  }
  const selected = Math.min(r.selected, spans.length - 1);
  const text = h('div', {
    class: 'passage-text',
    attrs: { 'data-testid': 'passage-text', tabindex: 0, 'aria-label': 'Passage text' },
  });
  let at = 0;
  spans.forEach((s, i) => {
    if (s.start > at) text.append(document.createTextNode(p.text.slice(at, s.start)));
    const mark = h(
      'mark',
      {
        class: `entity${i === selected ? ' selected' : ''}${s.confidence === null ? ' edited' : ''}`,
        dataset: { index: String(i), label: s.label },
        attrs: {
          title: `${s.label}${s.confidence === null ? ' (your label)' : ` · confidence ${formatNumber(s.confidence, 2)}`}`,
        },
        style: { '--label-color': app.labelColor(s.label) },
        on: {
          click: () => {
            r.selected = i;
            app.save();
            app.render('review');
          },
        },
      },
      p.text.slice(s.start, s.end),
    );
    text.append(mark);
    at = s.end;
  });
  if (at < p.text.length) text.append(document.createTextNode(p.text.slice(at)));
  const sel = spans[selected];
  const position = pending.indexOf(p) + 1;
  fill(
    root,
    toolbar,
    h('p', { class: 'muted' }, q.message),
    legend,
    h(
      'div',
      { class: 'passage-head' },
      h('strong', null, `Passage ${position} of ${pending.length}`),
      h(
        'span',
        { class: 'muted' },
        `${p.file} · lowest confidence ${formatNumber(p.score, 2)} · ${r.done.length} accepted`,
      ),
    ),
    text,
    h(
      'p',
      { class: 'selection', attrs: { 'aria-live': 'polite', 'data-testid': 'review-selection' } },
      sel
        ? `Selected: “${p.text.slice(sel.start, sel.end)}” — ${sel.label}${sel.confidence === null ? '' : ` (${formatNumber(sel.confidence, 2)})`}`
        : `No entity in this passage: select text and press a label's key (${keyRange(Math.min(labels.length, LABEL_KEYS.length))}) to add one, or Enter to accept it as it is.`,
    ),
    h(
      'div',
      { class: 'toolbar' },
      button('Accept passage (Enter)', () => acceptPassage(app)),
      button('Undo (Z)', () => undo(app), { secondary: true, disabled: r.undo.length === 0 }),
    ),
    help,
  );
  const active = document.activeElement;
  if (app.ui.view === 'review' && (!active || active === document.body)) focusPassage();
}
