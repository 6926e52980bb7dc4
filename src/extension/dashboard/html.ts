// The dashboard page: an empty shell that loads the webview bundle (out/webview/main.js) and
// its styles (media/dashboard.css) under a strict Content-Security-Policy. Nothing but the
// bundle runs: scripts need the per-load nonce, styles come from the extension's own files (webview.cspSource) or carry
// the nonce. vscode-elements styles its shadow roots with constructable stylesheets
// (adoptedStyleSheets), which style-src does not govern, and sets styles through the CSSOM,
// never through style attributes; the nonce also covers Lit's <style> fallback (litNonce).
// No codicons and no images: no font-src or img-src. Pure string building (no vscode import),
// so the webview tests load the very same page.
import { randomBytes } from 'node:crypto';

export interface PageOptions {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function makeNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource} 'nonce-${nonce}'`].join('; ');
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function dashboardHtml(o: PageOptions): string {
  const nonce = escapeAttr(o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Entity Lens</title>
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}" nonce="${nonce}">
</head>
<body>
<div id="app" aria-busy="true"></div>
<script nonce="${nonce}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
