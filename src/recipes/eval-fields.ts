// `npm run eval:fields`: field-level precision / recall / F1 of the default model's field
// chooser, beside the naive picker (first date, every party name, first duration, first
// governing-law place, largest amount), on CUAD's test contracts (normalised values against
// cuad-fields.jsonl; answers that cannot be normalised are counted apart) and on the SROIE
// receipts the chooser was not fitted on (strings compared upper-cased with white space
// collapsed, as SROIE task 3); both also end to end as the held-out documents are scored: the
// contracts from PDF files (scripts/cuad-pdfs.mjs), the receipts from their photos.
// `--split dev` scores CUAD dev instead (for development);
// `--write` puts the tables into README.md and models/default/README.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultModelDir, FieldChooser, knownVendorsOf, loadFieldChooser, packageRoot, surfaceKey } from '../model';
import type { FieldDocument } from './fields-data';
import {
  CUAD_SCORED,
  examplesOf,
  extractAll,
  loadCorpora,
  loadCuadPdfs,
  loadPhotos,
  NAIVE,
  scoreOn,
  scoreTable,
  SROIE_SCORED,
} from './fields-recipe';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * How many SROIE values the text holds at all, as compared: the annotators corrected OCR errors
 * and punctuation, and no extraction reaches those.
 */
function reach(docs: readonly FieldDocument[]): string[] {
  return SROIE_SCORED.map((field) => {
    const found = docs.filter((d) =>
      (d.answers[field] ?? []).some((a) => a.text !== undefined && surfaceKey(d.text).includes(surfaceKey(a.text))),
    );
    return `${field} ${found.length}/${docs.length}`;
  });
}

function replaceSection(file: string, table: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const begin = '<!-- eval:fields begin -->';
  const end = '<!-- eval:fields end -->';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} has no ${begin} … ${end} section`);
  fs.writeFileSync(file, `${text.slice(0, i + begin.length)}\n${table}\n${text.slice(j)}`);
  console.log(`updated ${file}`);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const modelDir = argValue('--model') ?? defaultModelDir();
  const chooser = await loadFieldChooser(modelDir);
  if (!chooser) throw new Error(`${modelDir} has no field chooser: run npm run train:fields`);
  const split = argValue('--split') === 'dev' ? 'dev' : 'test';
  const c = await loadCorpora(modelDir, (m) => console.error(m), false);
  const cuad = c.cuad.filter((d) => d.split === split);
  const sroie = c.sroie.filter((d) => d.split === 'eval');
  // end to end as users get it: the kind detected from the text, the default tagger's entities
  const cuadScores = scoreOn(cuad, extractAll(cuad, c.entities, chooser, undefined, true), 'contract', CUAD_SCORED);
  const cuadNaive = scoreOn(cuad, extractAll(cuad, c.entities, undefined, NAIVE, true), 'contract', CUAD_SCORED);
  const sroieScores = scoreOn(sroie, extractAll(sroie, c.entities, chooser, undefined, true), 'receipt', SROIE_SCORED);
  const sroieNaive = scoreOn(sroie, extractAll(sroie, c.entities, undefined, NAIVE, true), 'receipt', SROIE_SCORED);
  // end to end as the held-out receipts are scored: from the photo, through intake's OCR
  const { photos, entities: photoEntities } = await loadPhotos(sroie, modelDir, (m) => console.error(m));
  const photoLines: string[] = [];
  if (photos.length) {
    const photoScores = scoreOn(
      photos,
      extractAll(photos, photoEntities, chooser, undefined, true),
      'receipt',
      SROIE_SCORED,
    );
    const ids = new Set(photos.map((d) => d.id));
    const same = sroie.filter((d) => ids.has(d.id));
    const fromText = scoreOn(same, extractAll(same, c.entities, chooser, undefined, true), 'receipt', SROIE_SCORED);
    photoLines.push(
      '',
      `The same receipts end to end from their photos (the ${photos.length} of them in sroie-dev-img/): intake's OCR, the tagger and the chooser, as the CLI and the editor read a photo; beside it, F1 on the dataset's text of the same receipts.`,
      '',
      ...scoreTable(photoScores, fromText, 'from text'),
      '',
      `Values found verbatim in the OCR text, the ceiling from the photos: ${reach(photos).join(', ')}.`,
    );
    // known vendors come from a user's corrections (the shipped chooser has none: SROIE's text
    // stays out of the repository): as if the fit part's receipts had been corrected
    const fit = c.sroie.filter((d) => d.split === 'fit');
    const vendors = knownVendorsOf(examplesOf(fit, new Map()));
    const knowing = new FieldChooser({ ...chooser.data, vendors });
    photoLines.push(
      '',
      `The same photos in a workspace whose user has corrected the sellers and addresses of the ${fit.length} fit-part receipts (their ${vendors.length} vendors known, src/model/fields/vendors.ts); beside it, F1 with no vendor known (the table above).`,
      '',
      ...scoreTable(
        scoreOn(photos, extractAll(photos, photoEntities, knowing, undefined, true), 'receipt', SROIE_SCORED),
        photoScores,
        'none known',
      ),
    );
  }
  // end to end as the held-out contracts are scored: from the PDF (scripts/cuad-pdfs.mjs makes them)
  const fromPdfs = await loadCuadPdfs(cuad, modelDir, `cuad-${split}-pdf`, (m) => console.error(m));
  const pdfLines: string[] = [];
  if (fromPdfs) {
    const { pdfs, entities: pdfEntities } = fromPdfs;
    const ids = new Set(pdfs.map((d) => d.id));
    const same = cuad.filter((d) => ids.has(d.id));
    const fromText = scoreOn(same, extractAll(same, c.entities, chooser, undefined, true), 'contract', CUAD_SCORED);
    pdfLines.push(
      '',
      `The same ${pdfs.length} contracts end to end from PDF files (\`node scripts/cuad-pdfs.mjs\`: the text printed by Chromium, as Kleister-NDA's PDFs were made from the filings; its paragraphs wrap anew at the page's width, over pages): intake's PDF reading, the tagger and the chooser; beside it, F1 from the text.`,
      '',
      ...scoreTable(
        scoreOn(pdfs, extractAll(pdfs, pdfEntities, chooser, undefined, true), 'contract', CUAD_SCORED),
        fromText,
        'from text',
      ),
    );
  } else if (process.argv.includes('--write')) {
    // the README's table of the PDFs would go: make them first
    throw new Error(`no PDFs of the CUAD ${split} contracts: run node scripts/cuad-pdfs.mjs first`);
  } else
    console.error(`no PDFs of the CUAD ${split} contracts: node scripts/cuad-pdfs.mjs --split ${split} makes them`);
  const lines = [
    `CUAD ${split} (${cuad.length} contracts; kind detected from the text, entities from the default tagger): normalised values against cuad-fields.jsonl; "all" is the micro average; answers that cannot be normalised are counted apart and not scored.`,
    '',
    ...scoreTable(cuadScores, cuadNaive),
    ...pdfLines,
    '',
    `SROIE receipts, the ${sroie.length} of 307 not used to fit the chooser (hash split): strings upper-cased, white space collapsed.`,
    '',
    ...scoreTable(sroieScores, sroieNaive),
    '',
    `SROIE values found verbatim in the receipt's text (the same comparison), a ceiling for any extraction: ${reach(sroie).join(', ')}.`,
    ...photoLines,
  ];
  const table = lines.join('\n');
  console.log(table);
  if (process.argv.includes('--write')) {
    if (split !== 'test') throw new Error('the README shows the test split: drop --split dev');
    replaceSection(path.join(modelDir, 'README.md'), table);
    replaceSection(path.join(packageRoot(), 'README.md'), table);
  }
  console.error(`eval:fields took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(`eval:fields failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
