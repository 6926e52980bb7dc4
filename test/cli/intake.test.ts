// `entity-lens tag` and `entity-lens text` on PDFs and images the test makes, run as child
// processes with the embedded default model: every entity's offsets hold against the extracted
// text and its box lies inside its page; nothing is written to the working directory; bad files
// (encrypted, damaged, empty, 40 megapixels, 500 pages) get one line each; Ctrl-C cancels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { encodePng } from '../../src/model/intake/png';
import { ROOT } from '../fixtures/paths';
import { encryptedPdf, manyPagePdf, pdfWithText, textPng } from '../fixtures/documents';

const MAIN = path.join(ROOT, 'out-test', 'src', 'cli', 'main.js');
let dir: string;
let work: string;
let env: NodeJS.ProcessEnv;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function finish(child: ChildProcess, timeoutMs = 120_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; stderr:\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const cli = (...args: string[]): Promise<Result> => finish(start(args));

function oneLineError(r: Result, pattern: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  assert.match(r.stderr, pattern);
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-cli-intake-'));
  work = path.join(dir, 'cwd');
  fs.mkdirSync(work);
  env = { ...process.env, ENTITY_LENS_CACHE_DIR: path.join(dir, 'cache') };
  delete env.ENTITY_LENS_DEBUG;
  const contract = await pdfWithText([
    [
      { text: 'NON-DISCLOSURE AGREEMENT', x: 200, y: 60, size: 12 },
      { text: 'This Agreement is entered into on March 3, 2021 between Acme Corp., a Delaware', x: 72, y: 100 },
      { text: 'corporation ("Acme"), and Beta Holdings LLC, a New York limited liability company', x: 72, y: 114 },
      { text: '("Beta"). This Agreement shall be governed by the laws of the State of New York.', x: 72, y: 128 },
      { text: 'The term of this Agreement is two (2) years.', x: 72, y: 142 },
      { text: '1', x: 295, y: 800 },
    ],
    [
      { text: 'Acme Corp. and Beta Holdings LLC sign on April 1, 2021.', x: 72, y: 72 },
      { text: '2', x: 295, y: 800 },
    ],
  ]);
  fs.writeFileSync(path.join(dir, 'contract.pdf'), contract);
  fs.writeFileSync(path.join(dir, 'receipt.png'), textPng(['ACME TRADING LTD', 'DATE: 12/03/2024', 'TOTAL 45.75']).png);
  fs.writeFileSync(path.join(dir, 'secret.pdf'), encryptedPdf());
  fs.writeFileSync(path.join(dir, 'broken.pdf'), '%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage');
  fs.writeFileSync(path.join(dir, 'empty.jpg'), '');
  fs.writeFileSync(path.join(dir, 'huge.png'), encodePng(new Uint8Array(8000 * 5000).fill(255), 8000, 5000, 1));
  fs.writeFileSync(path.join(dir, 'long.pdf'), await manyPagePdf(500));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('tag --json on a PDF and an image: offsets into the extracted text, a page and a box inside it', async () => {
  const files = ['contract.pdf', 'receipt.png'].map((f) => path.join(dir, f));
  const tagged = await cli('tag', '--json', ...files);
  assert.equal(tagged.code, 0, tagged.stderr);
  const lines = tagged.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => l.file),
    files,
  );
  let checked = 0;
  for (const { file, entities } of lines) {
    const shown = await cli('text', '--json', file);
    assert.equal(shown.code, 0, shown.stderr);
    const { document } = JSON.parse(shown.stdout);
    for (const e of entities) {
      assert.equal(document.text.slice(e.start, e.end), e.text);
      const page = document.pages.find((p: { page: number }) => p.page === e.page);
      assert.ok(page, `${file}: ${e.text} has no page`);
      const [x0, y0, x1, y1] = e.box;
      assert.ok(0 <= x0 && x0 <= x1 && x1 <= page.width && 0 <= y0 && y0 <= y1 && y1 <= page.height, JSON.stringify(e));
      if (file.endsWith('.png')) assert.ok(e.ocrConfidence >= 0 && e.ocrConfidence <= 1);
      checked++;
    }
  }
  const pdfLabels = lines[0].entities.map((e: { label: string }) => e.label);
  assert.ok(pdfLabels.includes('DATE') && pdfLabels.includes('PARTY'), pdfLabels.join(','));
  assert.ok(checked >= 4);
  // the working directory is left as it was; the cache went where ENTITY_LENS_CACHE_DIR says
  assert.deepEqual(fs.readdirSync(work), []);
  assert.equal(fs.readdirSync(path.join(dir, 'cache', 'intake')).length, 2);
});

test('text prints the extracted text, the page numbers after the body', async () => {
  const r = await cli('text', path.join(dir, 'contract.pdf'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^NON-DISCLOSURE AGREEMENT\n\nThis Agreement is entered into on March 3, 2021/);
  assert.match(r.stdout, /April 1, 2021\.\n\n1\n\n2\n$/);
});

test('bad files get one clear line each, and the other files are still tagged', async () => {
  const r = await cli(
    'tag',
    '--json',
    ...['secret.pdf', 'broken.pdf', 'empty.jpg', 'huge.png', 'contract.pdf'].map((f) => path.join(dir, f)),
  );
  oneLineError(r, /secret\.pdf: the PDF is encrypted with a password; save an unprotected copy first\./);
  assert.match(r.stderr, /broken\.pdf: .*PDF/);
  assert.match(r.stderr, /empty\.jpg: the file is empty \(0 bytes\)\./);
  assert.match(
    r.stderr,
    /huge\.png: the image has 40\.0 megapixels \(8000×5000\), more than the limit of 30.*pass --max-megapixels 40 to read it\./,
  );
  assert.equal(r.stdout.trim().split('\n').length, 1);
  assert.match(r.stdout, /contract\.pdf/);
});

test('a 500-page PDF: refused over --max-pages, cancelled by Ctrl-C under a higher limit', async () => {
  const long = path.join(dir, 'long.pdf');
  const refused = await cli('text', long);
  oneLineError(
    refused,
    /long\.pdf: the PDF has 500 pages, more than the limit of 300; pass --max-pages 500 to read it\./,
  );
  const child = start(['text', '--max-pages', '600', long]);
  let stderr = '';
  let interrupted = false;
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    // once: a second Ctrl-C means "quit at once", which is not what this checks
    if (!interrupted && /page \d+\/500/.test(stderr)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  const r = await finish(child, 120_000);
  assert.equal(r.code, 130, stderr);
  assert.match(stderr, /cancelled/);
});
