#!/usr/bin/env node
// npm start: builds the extension, installs the VS Code tools when they are missing
// (scripts/setup-vscode.sh, with a progress line every 10 s), copies the sample workspace to
// .vscode-test/workspace (so your annotations never touch samples/), and runs Entity Lens in a
// real VS Code (code-server) on 127.0.0.1 until Ctrl-C. It prints a short URL,
// http://127.0.0.1:PORT/, that opens the sample workspace with Entity Lens installed (a link to
// this folder in the VS Code state's extensions: `npm run build` + Developer: Reload Window
// picks up changes), its README first.
//   npm start [-- --fresh] [-- --port 8080] [-- --workspace DIR] [-- --open contracts/nda.txt]
//   --fresh       copy the sample workspace anew (drops your edits and annotations there)
//   --no-build    skip `npm run build`
//   --open FILE   open FILE at once (the extension is then loaded in development mode through a
//                 long URL, as the tests do)
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  ROOT,
  SAMPLE_WORKSPACE,
  VSCODE_TEST_DIR,
  copyWorkspace,
  ensureTools,
  serveUntilInterrupted,
  toolsPresent,
} from './vscode.mjs';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const flag = (name) => args.includes(name);
if (flag('-h') || flag('--help')) {
  console.log('usage: npm start [-- --fresh] [--port N] [--open FILE] [--workspace DIR] [--no-build] [-v]');
  process.exit(0);
}
if (flag('-v')) process.env.VERBOSE = '1';

if (!flag('--no-build')) {
  console.log('> npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm run build failed (exit ${r.status})`);
    process.exit(r.status || 1);
  }
}
// ENTITY_LENS_EXTENSION_PATH: load another build of the extension (harness checks)
const extensionPath = process.env.ENTITY_LENS_EXTENSION_PATH
  ? path.resolve(process.env.ENTITY_LENS_EXTENSION_PATH)
  : ROOT;
if (extensionPath === ROOT && !existsSync(path.join(ROOT, 'out', 'extension.js'))) {
  console.error('out/extension.js was not built (is src/extension/extension.ts there?)');
  process.exit(1);
}

if (!toolsPresent()) {
  console.log(
    '\nFirst start: installing what runs VS Code here (Chromium from apt; Node 24, code-server, playwright-core and mocha from npm into .vscode-test/tools). This takes a few minutes; progress below.\n',
  );
}
ensureTools(); // runs scripts/setup-vscode.sh when code-server, Node 24, Chromium or playwright are missing

let workspace;
if (opt('--workspace')) {
  workspace = path.resolve(opt('--workspace'));
} else {
  workspace = path.join(VSCODE_TEST_DIR, 'workspace');
  if (flag('--fresh')) rmSync(workspace, { recursive: true, force: true });
  const existed = existsSync(workspace);
  copyWorkspace(SAMPLE_WORKSPACE, workspace, { overwrite: false }); // adds missing sample files only
  console.log(
    `${existed ? 'using' : 'copied samples/workspace to'} ${path.relative(ROOT, workspace)}${existed ? ' (npm start -- --fresh to reset it)' : ''}`,
  );
}
const open = opt('--open');
const openFile = open && existsSync(path.resolve(workspace, open)) ? path.resolve(workspace, open) : undefined;
if (open && !openFile) console.log(`--open: ${open} is not in ${workspace}`);

await serveUntilInterrupted({
  extensionPath,
  workspace,
  stateDir: path.join(VSCODE_TEST_DIR, 'start'), // kept between starts: settings, open editors, extension storage
  freshState: false,
  port: opt('--port') ?? process.env.PORT,
  openFile,
  // installed in the state's extensions: http://127.0.0.1:PORT/ opens the workspace with it
  installed: !openFile,
  // the workspace's README (what to try) when no editor is restored
  settings: { 'workbench.startupEditor': 'readme' },
});
