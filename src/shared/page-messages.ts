// The pages editor's messages: what the host (src/extension/pages) and the page view
// (webview/pages) exchange, typed once and checked on arrival with the engine's validators
// (src/model/core/validate.ts) and messages.ts's check. Boxes are in the page's own unit (PDF
// points or image pixels, origin top left); the view scales them to the picture. Pure TypeScript: no vscode, no DOM, no Node.
import { arrayOf, bool, nat, nullable, num, object, oneOf, str, type Validator } from '../model/core/validate';
import { check, type Checked } from './messages';

export const DOCUMENT_KINDS = ['pdf', 'png', 'jpeg', 'tiff'] as const;
export type DocumentKindDto = (typeof DOCUMENT_KINDS)[number];

export interface BoxDto {
  /** 1-based */
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageDto {
  page: number;
  width: number;
  height: number;
  unit: 'pt' | 'px';
  source: 'text' | 'ocr' | 'empty';
  /** OCR: mean word confidence 0-1 */
  confidence: number | null;
  words: number;
}

/** How an entity is drawn: 'low' dashed (the model is unsure), 'reviewed' solid and thick. */
export type BoxStyle = 'normal' | 'low' | 'reviewed';

export interface PageEntityDto {
  start: number;
  end: number;
  label: string;
  text: string;
  confidence: number;
  style: BoxStyle;
  /** a CSS colour: a theme variable (var(--vscode-entityLens-…)) or #rrggbb */
  color: string;
  boxes: BoxDto[];
}

export interface LayoutDto {
  pages: PageDto[];
  /** the status line: where the text came from, and for OCR the mean word confidence */
  status: string;
  level: 'info' | 'warning';
  /** OCR words read with low confidence (drawn dashed) */
  lowConfidence: BoxDto[];
}

export type PagesHostMessage =
  /** the file's bytes in base64: a posted Uint8Array does not reach a code-server webview as bytes */
  | { type: 'file'; kind: DocumentKindDto; name: string; base64: string }
  | { type: 'progress'; message: string; fraction: number; ocr: boolean }
  | { type: 'layout'; data: LayoutDto }
  | { type: 'entities'; entities: PageEntityDto[] }
  | { type: 'highlight'; start: number; end: number; boxes: BoxDto[] }
  | { type: 'stopped'; status: 'cancelled' | 'failed'; message: string };

export type PagesWebviewMessage =
  | { type: 'ready' }
  | { type: 'select'; start: number; end: number }
  | { type: 'pageClick'; page: number; x: number; y: number }
  | { type: 'retry' }
  | { type: 'rendered'; page: number }
  | { type: 'log'; level: 'info' | 'warning' | 'error'; message: string };

const box = object<BoxDto>({ page: nat, x0: num, y0: num, x1: num, y1: num });
const page = object<PageDto>({
  page: nat,
  width: num,
  height: num,
  unit: oneOf(['pt', 'px'] as const),
  source: oneOf(['text', 'ocr', 'empty'] as const),
  confidence: nullable(num),
  words: nat,
});
const entity = object<PageEntityDto>({
  start: nat,
  end: nat,
  label: str,
  text: str,
  confidence: num,
  style: oneOf(['normal', 'low', 'reviewed'] as const),
  color: str,
  boxes: arrayOf(box, 1000),
});
const layout = object<LayoutDto>({
  pages: arrayOf(page, 10_000),
  status: str,
  level: oneOf(['info', 'warning'] as const),
  lowConfidence: arrayOf(box),
});

type Shapes<U extends { type: string }> = { [M in U as M['type']]: Validator<M> };

const hostShapes: Shapes<PagesHostMessage> = {
  file: object({ type: oneOf(['file'] as const), kind: oneOf(DOCUMENT_KINDS), name: str, base64: str }),
  progress: object({ type: oneOf(['progress'] as const), message: str, fraction: num, ocr: bool }),
  layout: object({ type: oneOf(['layout'] as const), data: layout }),
  entities: object({ type: oneOf(['entities'] as const), entities: arrayOf(entity) }),
  highlight: object({ type: oneOf(['highlight'] as const), start: nat, end: nat, boxes: arrayOf(box, 1000) }),
  stopped: object({
    type: oneOf(['stopped'] as const),
    status: oneOf(['cancelled', 'failed'] as const),
    message: str,
  }),
};

const webviewShapes: Shapes<PagesWebviewMessage> = {
  ready: object({ type: oneOf(['ready'] as const) }),
  select: object({ type: oneOf(['select'] as const), start: nat, end: nat }),
  pageClick: object({ type: oneOf(['pageClick'] as const), page: nat, x: num, y: num }),
  retry: object({ type: oneOf(['retry'] as const) }),
  rendered: object({ type: oneOf(['rendered'] as const), page: nat }),
  log: object({ type: oneOf(['log'] as const), level: oneOf(['info', 'warning', 'error'] as const), message: str }),
};

/** What the page view does with a message from the host. */
export function checkPagesHostMessage(raw: unknown): Checked<PagesHostMessage> {
  return check<PagesHostMessage>(raw, hostShapes, 'host');
}

/** What the host does with a message from the page view. */
export function checkPagesWebviewMessage(raw: unknown): Checked<PagesWebviewMessage> {
  return check<PagesWebviewMessage>(raw, webviewShapes, 'page view');
}
