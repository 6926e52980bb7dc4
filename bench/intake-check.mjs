// The acceptance check of PDF and scan intake: `entity-lens tag --json` on every Kleister NDA PDF
// and every SROIE receipt photo must answer for each file, and each entity must hold up against
// the extracted text that `entity-lens text --json` prints for the same file: its offsets valid,
// text.slice(start, end) === its text, and a page and box inside that page.
// Run after `npm run build`: node bench/intake-check.mjs [PDF_DIR] [IMAGE_DIR]. Prints counts and
// every failure; exit code 1 if any.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DATA = path.resolve(ROOT, '..', 'shared', 'data');
const pdfDir = process.argv[2] ?? path.join(DATA, 'kleister-nda-test-pdf');
const imageDir = process.argv[3] ?? path.join(DATA, 'sroie-dev-img');
const CLI = path.join(ROOT, 'bin', 'entity-lens.js');
const list = (dir, re) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => re.test(f))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
const files = [...list(pdfDir, /\.pdf$/i), ...list(imageDir, /\.(png|jpe?g|tiff?)$/i)];
if (files.length === 0) {
  console.log(`no files in ${pdfDir} or ${imageDir}: nothing to check`);
  process.exit(0);
}
// a fresh cache: tag extracts every file, text reads the same extraction back
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-check-'));
const env = { ...process.env, ENTITY_LENS_CACHE_DIR: cache };

function cli(args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const started = Date.now();
const problems = [];
const tagged = new Map();
// in batches: one model load per batch, and a failure names its batch
for (let i = 0; i < files.length; i += 50) {
  const batch = files.slice(i, i + 50);
  const r = cli(['tag', '--json', ...batch]);
  if (r.code !== 0)
    problems.push(
      `tag exited ${r.code} on files ${i + 1}-${i + batch.length}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const o = JSON.parse(line);
    tagged.set(o.file, o.entities);
  }
  process.stderr.write(`tagged ${Math.min(files.length, i + 50)}/${files.length}\r`);
}
const tagSeconds = (Date.now() - started) / 1000;

let entities = 0;
let pdfs = 0;
let images = 0;
let withBox = 0;
for (const file of files) {
  if (/\.pdf$/i.test(file)) pdfs++;
  else images++;
  const ents = tagged.get(file);
  if (!ents) {
    problems.push(`${file}: no answer from tag`);
    continue;
  }
  const r = cli(['text', '--json', file]);
  if (r.code !== 0) {
    problems.push(`${file}: text exited ${r.code}: ${r.stderr.trim()}`);
    continue;
  }
  const { document: doc } = JSON.parse(r.stdout);
  for (const e of ents) {
    entities++;
    const where = `${file}: ${e.label} ${e.start}-${e.end}`;
    if (!(
      Number.isInteger(e.start) &&
      Number.isInteger(e.end) &&
      0 <= e.start &&
      e.start < e.end &&
      e.end <= doc.text.length
    )) {
      problems.push(`${where}: offsets outside the text (length ${doc.text.length})`);
      continue;
    }
    if (doc.text.slice(e.start, e.end) !== e.text)
      problems.push(
        `${where}: text.slice is ${JSON.stringify(doc.text.slice(e.start, e.end))}, entity text ${JSON.stringify(e.text)}`,
      );
    const page = doc.pages.find((p) => p.page === e.page);
    if (!page || !Array.isArray(e.box)) {
      problems.push(`${where}: no page or box`);
      continue;
    }
    withBox++;
    const [x0, y0, x1, y1] = e.box;
    const eps = 0.01;
    if (!(x0 >= -eps && y0 >= -eps && x0 <= x1 && y0 <= y1 && x1 <= page.width + eps && y1 <= page.height + eps)) {
      problems.push(
        `${where}: box ${JSON.stringify(e.box)} is not inside page ${e.page} (${page.width}×${page.height} ${page.unit})`,
      );
    }
  }
}
fs.rmSync(cache, { recursive: true, force: true });
console.log(
  `${files.length} files (${pdfs} PDFs, ${images} images) answered ${tagged.size}; ${entities} entities, ${withBox} with page and box; ` +
    `tag took ${tagSeconds.toFixed(0)} s; ${problems.length} problems`,
);
for (const p of problems.slice(0, 50)) console.log(`  ${p}`);
process.exit(problems.length > 0 ? 1 : 0);
