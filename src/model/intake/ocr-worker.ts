// The OCR worker thread: tesseract.js's own worker script with an adapter of ours, so that it
// loads exactly one core (the SIMD LSTM build, the one the .vsix ships), reads the language data
// from the installed @tesseract.js-data/eng folder, and can neither fetch from the network nor
// write a cache file anywhere (tesseract.js's defaults do both: a CDN and the working directory).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parentPort } from 'node:worker_threads';

interface WorkerScript {
  dispatchHandlers(packet: unknown, send: (message: unknown) => void): void;
  setAdapter(adapter: Record<string, unknown>): void;
}
interface Progress {
  progress(p: { status: string; progress: number }): void;
}
type CoreFactory = (options: Record<string, unknown>) => Promise<unknown>;

// tesseract.js has no types for its worker script; the core is an Emscripten factory
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require('tesseract.js/src/worker-script') as WorkerScript;

const CORE = 'tesseract-core-simd-lstm';
let core: CoreFactory | undefined;

async function getCore(_lstmOnly: unknown, _corePath: unknown, res: Progress): Promise<CoreFactory> {
  if (!core) {
    res.progress({ status: 'loading tesseract core', progress: 0 });
    const dir = path.dirname(require.resolve('tesseract.js-core/package.json'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const factory = require(path.join(dir, `${CORE}.js`)) as CoreFactory;
    // print/printErr: tesseract's and libpng's chatter ("Estimating resolution as 300") stays off
    // the user's stderr; failures still reach the caller as rejected jobs
    core = (options) =>
      factory({ ...options, locateFile: (file: string) => path.join(dir, file), print: quiet, printErr: quiet });
    res.progress({ status: 'loading tesseract core', progress: 1 });
  }
  return core;
}

function quiet(): void {}

function refuse(what: string): () => Promise<never> {
  return async () => {
    throw new Error(`Entity Lens OCR: ${what} is disabled`);
  };
}

script.setAdapter({
  getCore,
  gunzip: gunzipSync,
  fetch: refuse('network access'),
  readCache: (file: string) => fs.promises.readFile(file),
  writeCache: refuse('writing a cache file'),
  deleteCache: async () => undefined,
  checkCache: async () => false,
});

parentPort?.on('message', (packet: unknown) => {
  script.dispatchHandlers(packet, (message) => parentPort?.postMessage(message));
});
