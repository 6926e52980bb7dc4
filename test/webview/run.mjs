#!/usr/bin/env node
// Runs the dashboard webview's bundle (out/webview/main.js, media/dashboard.css) in headless Chromium,
// on the very page the extension serves (src/extension/dashboard/html.ts: same CSP, nonce and
// tags) with a stand-in for VS Code's webview API (stub.js) and theme variables (themes.mjs).
//   node test/webview/run.mjs [--no-build] [--grep TEXT]
// Builds first with `node esbuild.mjs`. Screenshots go to .vscode-test/screenshots/.
// Exit 0 when every test passed; the last line is "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { THEMES } from './themes.mjs';
import { TESTS } from './tests.mjs';
import { TOOLS } from '../../scripts/vscode.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const SCREENSHOTS = path.join(ROOT, '.vscode-test', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;

// ---------------------------------------------------------------- build
if (!args.includes('--no-build')) {
  // esbuild does not check types: the webview's own strict tsconfig does (it includes src/shared)
  const steps = [
    [
      'type check of webview/ (tsc -p webview)',
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'webview', '--noEmit'],
    ],
    ['node esbuild.mjs', ['esbuild.mjs']],
  ];
  for (const [what, argv] of steps) {
    const r = spawnSync(process.execPath, argv, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`webview tests: ${what} failed`);
      console.log('0 passed, 1 failed');
      process.exit(1);
    }
  }
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'entity-lens-webview-test-'));
// the page builder and the message validators, compiled for Node from the extension's sources
const esbuild = createRequire(path.join(ROOT, 'package.json'))('esbuild');
await esbuild.build({
  entryPoints: {
    html: path.join(ROOT, 'src/extension/dashboard/html.ts'),
    messages: path.join(ROOT, 'src/shared/messages.ts'),
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outdir: tmp,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
const { dashboardHtml, makeNonce } = await import(pathToFileURL(path.join(tmp, 'html.mjs')).href);
const messages = await import(pathToFileURL(path.join(tmp, 'messages.mjs')).href);

// ---------------------------------------------------------------- server
const stub = readFileSync(path.join(HERE, 'stub.js'), 'utf8').replace('__THEMES__', () => JSON.stringify(THEMES));
const FILES = {
  '/webview/main.js': ['out/webview/main.js', 'text/javascript'],
  '/media/dashboard.css': ['media/dashboard.css', 'text/css'],
};
let origin = '';
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/') {
    const nonce = makeNonce();
    const page = dashboardHtml({
      cspSource: origin,
      nonce,
      scriptUri: `${origin}/webview/main.js`,
      styleUri: `${origin}/media/dashboard.css`,
    })
      // the stand-in for VS Code's API loads first, with the same nonce
      .replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce=`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  } else if (url.pathname === '/stub.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(stub);
  } else if (FILES[url.pathname]) {
    const [file, type] = FILES[url.pathname];
    res.writeHead(200, { 'content-type': type }).end(readFileSync(path.join(ROOT, file)));
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
origin = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------- browser
const { chromium } = createRequire(path.join(TOOLS, 'driver', 'package.json'))('playwright-core');
const profile = mkdtempSync(path.join(os.tmpdir(), 'entity-lens-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1100, height: 760 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
mkdirSync(SCREENSHOTS, { recursive: true });

/**
 * Polls a predicate in the page. (page.waitForFunction compiles its predicate with eval, which
 * the page's CSP forbids: that is the CSP working.)
 */
async function until(page, fn, arg, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > end) {
      const seen = await page.evaluate(() =>
        JSON.stringify({
          stub: !!window.__test,
          posted: window.__test?.posted.map((m) => m.type),
          violations: window.__test?.violations,
          app: document.getElementById('app')?.childElementCount,
          html: document.documentElement.outerHTML.slice(0, 1200),
        }),
      );
      throw new Error(
        `timed out waiting for ${String(fn).slice(0, 120)}; page: ${seen}; errors: ${page.__errors?.join(' | ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A fresh dashboard page. Records dialogs and page errors; `initialState` plays a saved state. */
async function openPage({ theme = 'light', initialState } = {}) {
  const page = await context.newPage();
  const dialogs = [];
  const errors = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('console', (m) => {
    if (process.env.VERBOSE) console.log(`      [browser:${m.type()}] ${m.text()}`);
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.__errors = errors;
  if (initialState !== undefined)
    await page.addInitScript((s) => {
      window.__initialState = s;
    }, initialState);
  await page.goto(`${origin}/?theme=${theme}`);
  await until(page, () => window.__test && window.__test.posted.some((m) => m.type === 'ready'));
  const t = {
    page,
    dialogs,
    errors,
    /** messages the page posted to the host */
    posted: () => page.evaluate(() => window.__test.posted),
    /** host → webview; resolves after the page had a chance to handle it */
    host: async (...ms) => {
      for (const m of ms) await page.evaluate((msg) => window.__test.hostPost(msg), m);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 30)));
    },
    tab: async (view) => {
      await page.click(`vscode-tab-header[data-view="${view}"]`);
      await until(page, (v) => window.__test.posted.some((m) => m.type === 'viewChanged' && m.view === v), view);
    },
    shot: (name, fullPage = false) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage }),
  };
  return t;
}

// ---------------------------------------------------------------- run
const ctx = { openPage, messages, screenshots: SCREENSHOTS };
let passed = 0;
let failed = 0;
for (const test of TESTS) {
  if (grep && !test.name.includes(grep)) continue;
  const started = Date.now();
  try {
    await test.fn(ctx);
    passed++;
    console.log(`  ✔ ${test.name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(
      `  ✘ ${test.name}\n      ${String(e?.stack || e)
        .split('\n')
        .slice(0, 6)
        .join('\n      ')}`,
    );
  } finally {
    for (const p of context.pages()) await p.close().catch(() => {});
  }
}
await context.close();
server.close();
rmSync(profile, { recursive: true, force: true });
rmSync(tmp, { recursive: true, force: true });
console.log(`screenshots: ${path.relative(ROOT, SCREENSHOTS)}/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
