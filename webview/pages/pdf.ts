// pdf.js in the webview: unpdf's build of pdf.js 5 (the one intake reads text layers with),
// bundled into pages.js. Its worker is inlined, so it runs on the page's own thread with no
// worker file, and nothing is fetched: no CDN, no font or CMap URLs, no eval (the CSP has none).
import * as pdfjs from 'unpdf/pdfjs';

/** The few pdf.js shapes the page view uses. */
export interface PdfViewportLike {
  width: number;
  height: number;
}
export interface PdfPageLike {
  getViewport(o: { scale: number }): PdfViewportLike;
  render(o: { canvasContext: CanvasRenderingContext2D; canvas: HTMLCanvasElement; viewport: PdfViewportLike }): {
    promise: Promise<void>;
  };
  cleanup(): void;
}
export interface PdfDocumentLike {
  numPages: number;
  getPage(n: number): Promise<PdfPageLike>;
}

interface PdfJs {
  getDocument(params: object): { promise: Promise<PdfDocumentLike> };
}

export async function loadPdf(bytes: Uint8Array): Promise<PdfDocumentLike> {
  const lib = pdfjs as unknown as PdfJs;
  return lib.getDocument({
    data: new Uint8Array(bytes), // pdf.js takes the buffer over
    isEvalSupported: false,
    useSystemFonts: true,
    stopAtErrors: false,
    verbosity: 0,
  }).promise;
}
