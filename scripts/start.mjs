#!/usr/bin/env node
// npm start: builds the extension, installs the VS Code tools when they are missing
// (scripts/setup-vscode.sh), copies the sample workspace to .vscode-test/workspace (so your
// annotations never touch samples/), and runs Entity Lens in a real VS Code (code-server)
// on 127.0.0.1 until Ctrl-C. Open the printed URL in a browser on this machine.
//   npm start [-- --fresh] [-- --port 8080] [-- --open contracts/nda.txt] [-- --workspace DIR]
//   --fresh       copy the sample workspace anew (drops your edits and annotations there)
//   --no-build    skip `npm run build`
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
const open = opt('--open') ?? (opt('--workspace') ? undefined : 'contracts/lease.txt');
const openFile = open && existsSync(path.resolve(workspace, open)) ? path.resolve(workspace, open) : undefined;

await serveUntilInterrupted({
  extensionPath,
  workspace,
  stateDir: path.join(VSCODE_TEST_DIR, 'start'), // kept between starts: settings, open editors, extension storage
  freshState: false,
  port: opt('--port') ?? process.env.PORT,
  openFile,
});
