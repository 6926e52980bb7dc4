// The page view's page: an empty shell that loads its bundle (out/webview/pages.js and pages.css)
// under a strict Content-Security-Policy, as the dashboard's (dashboard/html.ts). Pictures are
// drawn from the bytes the host posts: a PDF page on a canvas by pdf.js (bundled, its worker
// inlined, no eval), an image from a blob: URL; pdf.js loads a PDF's embedded fonts from data.
import { makeNonce } from '../dashboard/html';

export interface PagesPageOptions {
  cspSource: string;
  nonce?: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function pagesCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src blob: data:`,
    `font-src data: blob:`,
  ].join('; ');
}

export function pagesHtml(o: PagesPageOptions): string {
  const nonce = escapeAttr(o.nonce ?? makeNonce());
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(pagesCsp(o.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeAttr(o.title)}</title>
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}" nonce="${nonce}">
</head>
<body>
<div id="bar"><span id="status" role="status">Reading…</span><progress id="progress" max="1" hidden></progress><button id="retry" hidden>Read again</button></div>
<div id="pages" tabindex="0" aria-label="Pages"></div>
<script nonce="${nonce}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
