// `npm run bench:intake`: PDF and OCR intake against Debian's pdftotext and tesseract on the same
// files in the same run (scripts/install-intake-peers.sh installs them; a missing peer is skipped
// with a message). Figures only, no assertions.
// - PDF: the Kleister NDA PDFs, pages/s and peak RSS, ours (pdf.js via unpdf, reading order and
//   boxes) twice around pdftotext (one process per file, as a pipeline would run it).
// - OCR: the SROIE receipt photos, seconds per page and peak RSS, ours (tesseract.js, one worker
//   kept warm; its start-up reported apart) and tesseract 5 (one process per photo, one thread).
// - OCR quality against the dataset's own transcription (the `text` of the same id in
//   sroie-dev.jsonl): a character error rate with line order aside (each transcription line is
//   aligned with its best-matching stretch of any OCR line; edits / transcription characters),
//   and the entity recall of the tagger on the OCR text, the record's spans carried over by text
//   matching, next to its recall on the transcription itself.
// Our measurements run in child processes (`node out/intake-bench.js pdf|ocr ...`) so that each
// peak RSS is that job's own. Results also go to bench/results/intake.json.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type AnnotatedDocument,
  defaultModelDir,
  extractDocument,
  loadModel,
  OcrEngine,
  packageRoot,
  readJsonl,
  type Span,
  Tagger,
} from '../src/model';

const DATA = path.resolve(packageRoot(), '..', 'shared', 'data');
const PDF_DIR = path.join(DATA, 'kleister-nda-test-pdf');
const IMG_DIR = path.join(DATA, 'sroie-dev-img');
const RESULTS = path.join(packageRoot(), 'bench', 'results');
const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;
const files = (dir: string, re: RegExp): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => re.test(f))
        .sort()
        .map((f) => path.join(dir, f))
    : [];

// ---------------------------------------------------------------------------
// Child jobs: ours, one job per process

async function pdfJob(dir: string): Promise<void> {
  let pages = 0;
  let failed = 0;
  const t0 = now();
  for (const f of files(dir, /\.pdf$/i)) {
    try {
      pages += (await extractDocument(f, { ocr: false })).pages.length;
    } catch {
      failed++;
    }
  }
  const seconds = (now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ pages, failed, seconds, rssMb: maxRssMb() }));
}

async function ocrJob(dir: string, limit: number, out: string): Promise<void> {
  const images = files(dir, /\.(jpe?g|png|tiff?)$/i).slice(0, limit);
  const t0 = now();
  const engine = await OcrEngine.create(); // the start-up alone, measured once
  const startSeconds = (now() - t0) / 1000;
  const texts: Record<string, string> = {};
  const seconds: number[] = [];
  for (const f of images) {
    const t = now();
    const doc = await extractDocument(f, { ocr: engine });
    seconds.push((now() - t) / 1000);
    texts[path.basename(f)] = doc.text;
  }
  await engine.terminate();
  fs.writeFileSync(out, JSON.stringify(texts));
  process.stdout.write(JSON.stringify({ pages: images.length, seconds, startSeconds, rssMb: maxRssMb() }));
}

function child(args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [__filename, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`bench child ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// Peers: one process per file under GNU time

interface PeerRun {
  seconds: number;
  rssMb: number;
  outputs: string[];
}

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function peer(
  cmd: string,
  argsOf: (file: string) => string[],
  inputs: string[],
  env = process.env,
): PeerRun | undefined {
  if (!have(cmd) || !fs.existsSync('/usr/bin/time')) {
    console.log(`  (${cmd} or /usr/bin/time is missing: run scripts/install-intake-peers.sh; peer skipped)`);
    return undefined;
  }
  let seconds = 0;
  let rss = 0;
  const outputs: string[] = [];
  for (const f of inputs) {
    const t = now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argsOf(f)], {
      encoding: 'utf8',
      env,
      maxBuffer: 1 << 26,
    });
    seconds += (now() - t) / 1000;
    const kb = Number(/(\d+)\s*$/.exec(r.stderr ?? '')?.[1] ?? 0);
    rss = Math.max(rss, kb / 1024);
    outputs.push(r.stdout ?? '');
  }
  return { seconds, rssMb: rss, outputs };
}

// ---------------------------------------------------------------------------
// Text alignment

/**
 * Semi-global edit distance: the cheapest alignment of all of `needle` with some stretch of
 * `hay` (unit costs); returns the cost and the stretch [start, end) of `hay`.
 */
export function bestStretch(needle: string, hay: string): { cost: number; start: number; end: number } {
  const m = needle.length;
  const n = hay.length;
  let prev = new Int32Array(n + 1);
  let prevStart = Int32Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Int32Array(n + 1);
  let curStart = new Int32Array(n + 1);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    curStart[0] = 0;
    const c = needle.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const sub = prev[j - 1] + (hay.charCodeAt(j - 1) === c ? 0 : 1);
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      if (sub <= del && sub <= ins) {
        cur[j] = sub;
        curStart[j] = prevStart[j - 1];
      } else if (del <= ins) {
        cur[j] = del;
        curStart[j] = prevStart[j];
      } else {
        cur[j] = ins;
        curStart[j] = curStart[j - 1];
      }
    }
    [prev, cur] = [cur, prev];
    [prevStart, curStart] = [curStart, prevStart];
  }
  let best = 0;
  for (let j = 1; j <= n; j++) if (prev[j] < prev[best]) best = j;
  return { cost: prev[best], start: prevStart[best], end: best };
}

const lineKey = (s: string): string => s.toUpperCase().replace(/\s+/g, ' ').trim();

/** Character errors of `ocr` against `gold` with line order aside (see the file header). */
export function lineOrderFreeErrors(gold: string, ocr: string): { errors: number; chars: number } {
  const ocrLines = ocr.split('\n').map(lineKey).filter(Boolean);
  let errors = 0;
  let chars = 0;
  for (const g of gold.split('\n').map(lineKey).filter(Boolean)) {
    chars += g.length;
    errors += ocrLines.length === 0 ? g.length : Math.min(...ocrLines.map((o) => bestStretch(g, o).cost));
  }
  return { errors, chars };
}

/**
 * Where a gold span's text is in the OCR text: exactly (any whitespace for whitespace, any case),
 * else the best-matching stretch if it needs at most one edit in five characters.
 */
export function carrySpan(goldText: string, ocr: string): { start: number; end: number; exact: boolean } | undefined {
  const pattern = goldText
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const m = new RegExp(pattern, 'i').exec(ocr);
  if (m) return { start: m.index, end: m.index + m[0].length, exact: true };
  const needle = goldText.toUpperCase().replace(/\s/g, ' ');
  const { cost, start, end } = bestStretch(needle, ocr.toUpperCase().replace(/\s/g, ' '));
  if (cost > 0.2 * needle.length) return undefined;
  let s = start;
  let e = end;
  while (s < e && /\s/.test(ocr[s])) s++;
  while (e > s && /\s/.test(ocr[e - 1])) e--;
  return e > s ? { start: s, end: e, exact: false } : undefined;
}

function recall(gold: Span[][], pred: Span[][]): number {
  let hit = 0;
  let total = 0;
  gold.forEach((g, i) => {
    for (const s of g) {
      total++;
      if (pred[i].some((p) => p.label === s.label && p.start === s.start && p.end === s.end)) hit++;
    }
  });
  return total > 0 ? hit / total : NaN;
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'pdf') return pdfJob(rest[0]);
  if (mode === 'ocr') return ocrJob(rest[0], Number(rest[1]), rest[2]);
  const limit = Number(process.env.INTAKE_BENCH_PHOTOS ?? 100);
  fs.mkdirSync(RESULTS, { recursive: true });
  const load = fs.existsSync('/proc/loadavg')
    ? fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
    : '?';
  console.log(`intake bench (load average ${load}; 2 cores shared: read the ratios)`);
  const results: Record<string, unknown> = { load };

  // --- PDF
  const pdfs = files(PDF_DIR, /\.pdf$/i);
  if (pdfs.length === 0) console.log(`no PDFs in ${PDF_DIR}: PDF part skipped`);
  else {
    const a = child(['pdf', PDF_DIR]) as { pages: number; failed: number; seconds: number; rssMb: number };
    const poppler = peer('pdftotext', (f) => ['-q', f, '-'], pdfs);
    const b = child(['pdf', PDF_DIR]) as typeof a;
    const ours = a.seconds <= b.seconds ? a : b;
    console.log(
      `PDF, ${pdfs.length} files, ${ours.pages} pages (${ours.failed} failed): ours ${(ours.pages / ours.seconds).toFixed(1)} pages/s ` +
        `(runs ${(a.pages / a.seconds).toFixed(1)} and ${(b.pages / b.seconds).toFixed(1)}), peak RSS ${Math.round(Math.max(a.rssMb, b.rssMb))} MB`,
    );
    if (poppler) {
      console.log(
        `  pdftotext: ${(ours.pages / poppler.seconds).toFixed(1)} pages/s (a process per file), peak RSS ${Math.round(poppler.rssMb)} MB; ` +
          `ours / pdftotext speed ${(poppler.seconds / ours.seconds).toFixed(2)}`,
      );
    }
    results.pdf = { ours: [a, b], pdftotext: poppler && { seconds: poppler.seconds, rssMb: poppler.rssMb } };
  }

  // --- OCR
  const photos = files(IMG_DIR, /\.jpe?g$/i).slice(0, limit);
  const recordsFile = path.join(DATA, 'sroie-dev.jsonl');
  if (photos.length === 0 || !fs.existsSync(recordsFile)) {
    console.log(`no photos in ${IMG_DIR} (or no sroie-dev.jsonl): OCR part skipped`);
  } else {
    const textsFile = path.join(RESULTS, 'intake-ocr.json');
    const ours = child(['ocr', IMG_DIR, String(photos.length), textsFile]) as {
      pages: number;
      seconds: number[];
      startSeconds: number;
      rssMb: number;
    };
    const oursTexts = JSON.parse(fs.readFileSync(textsFile, 'utf8')) as Record<string, string>;
    const total = ours.seconds.reduce((x, y) => x + y, 0);
    const sorted = [...ours.seconds].sort((x, y) => x - y);
    console.log(
      `OCR, ${photos.length} receipt photos: ours ${(total / photos.length).toFixed(2)} s/page (median ${sorted[sorted.length >> 1].toFixed(2)}; ` +
        `worker start ${ours.startSeconds.toFixed(1)} s once), peak RSS ${Math.round(ours.rssMb)} MB`,
    );
    const tess = peer('tesseract', (f) => [f, 'stdout', '-l', 'eng'], photos, {
      ...process.env,
      OMP_THREAD_LIMIT: '1',
    });
    if (tess) {
      console.log(
        `  tesseract 5 (one thread, a process per photo): ${(tess.seconds / photos.length).toFixed(2)} s/page, peak RSS ${Math.round(tess.rssMb)} MB; ` +
          `ours / tesseract speed ${(tess.seconds / total).toFixed(2)}`,
      );
    }

    // --- quality
    const records = new Map((await readJsonl(recordsFile)).docs.map((d) => [d.id, d] as [string, AnnotatedDocument]));
    const model = await loadModel(defaultModelDir());
    const tagger = await Tagger.create(model, { runtime: 'auto' });
    const quality: Record<string, { cer: number; recall: number; carried: string }> = {};
    const goldOnTranscription: Span[][] = [];
    const predOnTranscription: Span[][] = [];
    const systems: [string, (i: number, file: string) => string][] = [
      ['ours', (_i, f) => oursTexts[path.basename(f)] ?? ''],
    ];
    if (tess) systems.push(['tesseract', (i) => tess.outputs[i]]);
    const perSystem = systems.map(() => ({
      errors: 0,
      chars: 0,
      gold: [] as Span[][],
      pred: [] as Span[][],
      exact: 0,
      approx: 0,
      lost: 0,
    }));
    for (const [i, file] of photos.entries()) {
      const record = records.get(`sroie:${path.basename(file).replace(/\.[^.]+$/, '')}`);
      if (!record) continue;
      goldOnTranscription.push(record.spans);
      predOnTranscription.push(await tagger.tag(record.text));
      for (const [k, [, textOf]] of systems.entries()) {
        const ocr = textOf(i, file);
        const acc = perSystem[k];
        const e = lineOrderFreeErrors(record.text, ocr);
        acc.errors += e.errors;
        acc.chars += e.chars;
        const carried: Span[] = [];
        for (const s of record.spans) {
          const at = carrySpan(record.text.slice(s.start, s.end), ocr);
          if (!at) acc.lost++;
          else {
            if (at.exact) acc.exact++;
            else acc.approx++;
            carried.push({ start: at.start, end: at.end, label: s.label });
          }
        }
        // spans that were lost stay in the denominator as misses
        const lost = record.spans.length - carried.length;
        acc.gold.push([...carried, ...Array.from({ length: lost }, () => ({ start: -1, end: -1, label: '-' }))]);
        acc.pred.push(await tagger.tag(ocr));
      }
    }
    await tagger.dispose();
    const onTranscription = recall(goldOnTranscription, predOnTranscription);
    console.log(
      `  entity recall of tag on the transcription: ${onTranscription.toFixed(3)} (${goldOnTranscription.flat().length} spans)`,
    );
    for (const [k, [name]] of systems.entries()) {
      const acc = perSystem[k];
      const cer = acc.errors / acc.chars;
      const r = recall(acc.gold, acc.pred);
      const carried = `${acc.exact} exact, ${acc.approx} approximate, ${acc.lost} not found`;
      quality[name] = { cer, recall: r, carried };
      console.log(
        `  ${name}: character error rate ${cer.toFixed(3)} (line order aside); entity recall on its OCR text ${r.toFixed(3)} (spans carried over: ${carried})`,
      );
    }
    results.ocr = {
      photos: photos.length,
      ours: { secondsPerPage: total / photos.length, startSeconds: ours.startSeconds, rssMb: ours.rssMb },
      tesseract: tess && { secondsPerPage: tess.seconds / photos.length, rssMb: tess.rssMb },
      recallOnTranscription: onTranscription,
      quality,
    };
  }
  fs.writeFileSync(path.join(RESULTS, 'intake.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
