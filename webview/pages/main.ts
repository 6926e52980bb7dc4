// The pages editor's webview: the pages of a PDF (drawn by pdf.js on canvases, the visible ones
// first, as they scroll into view) or an image, with the entities of the extracted-text view as
// boxes in their label colours, OCR words read with low confidence dashed, and a status line.
// A click on a box (or a word) asks the host to select it in the text view; the host's
// `highlight` scrolls to a box and marks it. Every host message is checked
// (checkPagesHostMessage); text reaches the page as text nodes only.
import '../nonce';
import './styles.css';
import {
  checkPagesHostMessage,
  type BoxDto,
  type DocumentKindDto,
  type LayoutDto,
  type PageEntityDto,
  type PagesHostMessage,
  type PagesWebviewMessage,
} from '../../src/shared/page-messages';
import { loadPdf, type PdfDocumentLike } from './pdf';

const vscode = acquireVsCodeApi();
const post = (m: PagesWebviewMessage): void => vscode.postMessage(m);

interface PageView {
  n: number;
  el: HTMLDivElement;
  surface: HTMLDivElement;
  overlay: HTMLDivElement;
  /** page size in its unit (points or pixels) */
  width: number;
  height: number;
  state: 'blank' | 'rendering' | 'done';
  renderedWidth: number;
}

const pagesEl = document.getElementById('pages') as HTMLDivElement;
const statusEl = document.getElementById('status') as HTMLSpanElement;
const progressEl = document.getElementById('progress') as HTMLProgressElement;
const retryEl = document.getElementById('retry') as HTMLButtonElement;

let kind: DocumentKindDto | undefined;
let pdf: PdfDocumentLike | undefined;
let imageUrl: string | undefined;
let layout: LayoutDto | undefined;
let entities: PageEntityDto[] = [];
let highlight: { start: number; end: number; boxes: BoxDto[] } | undefined;
const pages: PageView[] = [];
const renderQueue: PageView[] = [];
let rendering = false;

const observer = new IntersectionObserver(
  (entries) => {
    for (const e of entries) {
      const view = pages.find((p) => p.el === e.target);
      if (view && e.isIntersecting && view.state === 'blank') enqueue(view);
    }
  },
  { root: pagesEl, rootMargin: '300px 0px' },
);

function setStatus(text: string, level: 'info' | 'warning' | 'error' = 'info'): void {
  statusEl.textContent = text;
  statusEl.className = level;
}

function log(level: 'info' | 'warning' | 'error', message: string): void {
  post({ type: 'log', level, message });
}

// ------------------------------------------------------------------ pages

function addPage(n: number, width: number, height: number): PageView {
  const el = document.createElement('div');
  el.className = 'page';
  el.dataset.page = String(n);
  const surface = document.createElement('div');
  surface.className = 'surface';
  const overlay = document.createElement('div');
  overlay.className = 'overlay';
  el.append(surface, overlay);
  pagesEl.append(el);
  const view: PageView = { n, el, surface, overlay, width, height, state: 'blank', renderedWidth: 0 };
  setSize(view, width, height);
  el.addEventListener('click', (ev) => onPageClick(view, ev));
  pages.push(view);
  observer.observe(el);
  return view;
}

function setSize(view: PageView, width: number, height: number): void {
  view.width = width;
  view.height = height;
  view.el.style.aspectRatio = `${width} / ${height}`;
}

function enqueue(view: PageView): void {
  if (renderQueue.includes(view)) return;
  renderQueue.push(view);
  void pump();
}

/** Renders queued pages one at a time, those on screen first. */
async function pump(): Promise<void> {
  if (rendering) return;
  rendering = true;
  try {
    while (renderQueue.length > 0) {
      renderQueue.sort((a, b) => distanceToView(a) - distanceToView(b));
      const view = renderQueue.shift() as PageView;
      if (view.state !== 'blank') continue;
      view.state = 'rendering';
      try {
        await renderPage(view);
        view.state = 'done';
        post({ type: 'rendered', page: view.n });
      } catch (e) {
        view.state = 'done';
        log('warning', `page ${view.n} could not be drawn: ${(e as Error)?.message ?? String(e)}`);
      }
    }
  } finally {
    rendering = false;
  }
}

function distanceToView(view: PageView): number {
  const r = view.el.getBoundingClientRect();
  const h = pagesEl.clientHeight;
  if (r.bottom >= 0 && r.top <= h) return 0;
  return r.top > h ? r.top - h : -r.bottom;
}

async function renderPage(view: PageView): Promise<void> {
  const cssWidth = view.el.clientWidth || 800;
  view.renderedWidth = cssWidth;
  if (kind === 'pdf' && pdf) {
    const page = await pdf.getPage(view.n);
    const base = page.getViewport({ scale: 1 });
    if (!layout) setSize(view, base.width, base.height);
    const scale = (cssWidth / base.width) * Math.min(window.devicePixelRatio || 1, 2);
    const viewport = page.getViewport({ scale });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    await page.render({ canvasContext: context, canvas, viewport }).promise;
    page.cleanup();
    view.surface.replaceChildren(canvas);
    return;
  }
  if (imageUrl) {
    const img = document.createElement('img');
    img.alt = `page ${view.n}`;
    img.src = imageUrl;
    await img.decode().catch(() => undefined);
    if (!layout && img.naturalWidth > 0) setSize(view, img.naturalWidth, img.naturalHeight);
    view.surface.replaceChildren(img);
    return;
  }
  const note = document.createElement('div');
  note.className = 'note';
  note.textContent =
    kind === 'tiff' ? 'TIFF pages are not drawn here; the boxes show where the text was read.' : 'Nothing to draw.';
  view.surface.replaceChildren(note);
}

// ------------------------------------------------------------------ boxes

function place(el: HTMLElement, view: PageView, b: BoxDto, pad = 1): void {
  const w = view.width || 1;
  const h = view.height || 1;
  el.style.left = `${((b.x0 - pad) / w) * 100}%`;
  el.style.top = `${((b.y0 - pad) / h) * 100}%`;
  el.style.width = `${((b.x1 - b.x0 + 2 * pad) / w) * 100}%`;
  el.style.height = `${((b.y1 - b.y0 + 2 * pad) / h) * 100}%`;
}

function drawBoxes(): void {
  for (const view of pages) view.overlay.replaceChildren();
  const byPage = new Map<number, PageView>(pages.map((p) => [p.n, p]));
  for (const b of layout?.lowConfidence ?? []) {
    const view = byPage.get(b.page);
    if (!view) continue;
    const el = document.createElement('div');
    el.className = 'low-word';
    el.title = 'OCR read this word with low confidence';
    place(el, view, b, 0);
    view.overlay.append(el);
  }
  for (const e of entities) {
    e.boxes.forEach((b, i) => {
      const view = byPage.get(b.page);
      if (!view) return;
      const el = document.createElement('div');
      el.className = `box ${e.style}`;
      if (highlight && highlight.start === e.start && highlight.end === e.end) el.classList.add('selected');
      el.style.setProperty('--color', e.color);
      el.dataset.start = String(e.start);
      el.dataset.end = String(e.end);
      el.title = `${e.label} · ${e.style === 'reviewed' ? 'reviewed' : `confidence ${e.confidence.toFixed(2)}`} · “${e.text}”`;
      place(el, view, b);
      if (i === 0) {
        const tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = e.label;
        el.append(tag);
      }
      el.addEventListener('click', (ev) => {
        ev.stopPropagation();
        post({ type: 'select', start: e.start, end: e.end });
      });
      view.overlay.append(el);
    });
  }
  drawHighlight(false);
}

function drawHighlight(scroll: boolean): void {
  for (const old of document.querySelectorAll('.highlight')) old.remove();
  for (const el of document.querySelectorAll<HTMLElement>('.box.selected')) el.classList.remove('selected');
  if (!highlight) return;
  const { start, end } = highlight;
  for (const el of document.querySelectorAll<HTMLElement>('.box')) {
    if (el.dataset.start === String(start) && el.dataset.end === String(end)) el.classList.add('selected');
  }
  let first: HTMLElement | undefined;
  for (const b of highlight.boxes) {
    const view = pages.find((p) => p.n === b.page);
    if (!view) continue;
    const el = document.createElement('div');
    el.className = 'highlight';
    place(el, view, b, 3);
    view.overlay.append(el);
    first ??= el;
  }
  if (scroll && first && !inView(first)) first.scrollIntoView({ block: 'center', behavior: 'smooth' });
}

function inView(el: HTMLElement): boolean {
  const r = el.getBoundingClientRect();
  const c = pagesEl.getBoundingClientRect();
  return r.top >= c.top && r.bottom <= c.bottom;
}

function onPageClick(view: PageView, ev: MouseEvent): void {
  if (!layout) return;
  const r = view.el.getBoundingClientRect();
  const x = ((ev.clientX - r.left) / r.width) * view.width;
  const y = ((ev.clientY - r.top) / r.height) * view.height;
  post({ type: 'pageClick', page: view.n, x, y });
}

// ------------------------------------------------------------------ messages

async function onFile(m: Extract<PagesHostMessage, { type: 'file' }>): Promise<void> {
  kind = m.kind;
  const data = fromBase64(m.base64);
  pagesEl.replaceChildren();
  pages.length = 0;
  if (m.kind === 'pdf') {
    try {
      pdf = await loadPdf(data);
    } catch (e) {
      setStatus(`The PDF cannot be drawn: ${(e as Error)?.message ?? String(e)}`, 'error');
      return;
    }
    const first = (await pdf.getPage(1)).getViewport({ scale: 1 });
    for (let n = 1; n <= pdf.numPages; n++) addPage(n, first.width, first.height);
  } else {
    if (m.kind !== 'tiff') imageUrl = URL.createObjectURL(new Blob([data as BlobPart], { type: `image/${m.kind}` }));
    addPage(1, 1000, 1400);
  }
  if (layout) applyLayout(layout);
}

function fromBase64(s: string): Uint8Array {
  const binary = atob(s);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function applyLayout(l: LayoutDto): void {
  layout = l;
  for (const p of l.pages) {
    const view = pages.find((v) => v.n === p.page);
    if (view) setSize(view, p.width, p.height);
  }
  setStatus(l.status, l.level);
  progressEl.hidden = true;
  retryEl.hidden = true;
  drawBoxes();
}

function onMessage(raw: unknown): void {
  const checked = checkPagesHostMessage(raw);
  if (!checked.ok) {
    log('warning', checked.error);
    return;
  }
  const m = checked.message;
  switch (m.type) {
    case 'file':
      void onFile(m);
      return;
    case 'progress':
      setStatus(m.ocr ? `Recognising text (OCR): ${m.message}` : `Reading: ${m.message}`);
      progressEl.hidden = false;
      progressEl.value = m.fraction;
      retryEl.hidden = true;
      return;
    case 'layout':
      applyLayout(m.data);
      return;
    case 'entities':
      entities = m.entities;
      drawBoxes();
      return;
    case 'highlight':
      highlight = { start: m.start, end: m.end, boxes: m.boxes };
      drawHighlight(true);
      return;
    case 'stopped':
      setStatus(m.message, m.status === 'cancelled' ? 'warning' : 'error');
      progressEl.hidden = true;
      retryEl.hidden = false;
      return;
  }
}

retryEl.addEventListener('click', () => {
  retryEl.hidden = true;
  setStatus('Reading…');
  post({ type: 'retry' });
});

// a much wider or narrower view draws its pages again, sharp at the new size
let resizeTimer: number | undefined;
new ResizeObserver(() => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => {
    for (const view of pages) {
      const w = view.el.clientWidth;
      if (view.state === 'done' && kind === 'pdf' && Math.abs(w - view.renderedWidth) > 0.25 * view.renderedWidth) {
        view.state = 'blank';
        observer.unobserve(view.el);
        observer.observe(view.el);
      }
    }
  }, 300);
}).observe(pagesEl);

window.addEventListener('message', (ev) => onMessage(ev.data));
post({ type: 'ready' });
