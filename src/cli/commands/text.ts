// `entity-lens text FILE`: the text Entity Lens reads from a file — a PDF's text layer in reading
// order, OCR of a scan or an image, or a plain text file as it is — so a pipeline sees exactly
// what `tag` tags (its offsets are into this text). --json prints the whole extraction: pages,
// the box of every word, the parts and where they came from.
import { InputError } from '../../model';
import { errorText, printError, printWarning, type CommandSpec, type ParsedArgs } from '../args';
import { Cancelled, DOCUMENT_FLAGS, DocumentReader, documentOptions } from '../documents';

/** Pages whose mean OCR word confidence is below this get a warning. */
const LOW_OCR_CONFIDENCE = 0.7;

export const spec: CommandSpec = {
  name: 'text',
  summary: 'Print the text Entity Lens reads from a file (PDF, image or text).',
  synopsis: 'text FILE [--json] [--max-pages N] [--no-ocr]',
  description:
    'Prints the extracted text exactly as `tag` sees it (entity offsets are into it). A PDF is read from its\n' +
    'text layer (reading order: columns, then running headers, footers and page numbers after the body);\n' +
    'pages without one and images (.png .jpg .jpeg .tif .tiff) are read by OCR, with progress on stderr\n' +
    'and a warning for pages whose mean word confidence is low. --json prints {"file", "document"} with\n' +
    'the pages, the box and OCR confidence of every word (layout.boxes) and the parts of the text.',
  positional: { name: 'FILE', min: 1, max: 1 },
  flags: {
    json: { kind: 'boolean', description: 'print the whole extraction as one JSON object' },
    ...DOCUMENT_FLAGS,
  },
  examples: ['entity-lens text nda.pdf | less', 'entity-lens text --json receipt.jpg > receipt.json'],
};

export async function run(args: ParsedArgs): Promise<number> {
  const file = args.positionals[0];
  const reader = new DocumentReader(documentOptions(args));
  try {
    const doc = await reader.read(file);
    for (const p of doc.extracted?.pages ?? []) {
      if (p.source === 'ocr' && p.confidence !== undefined && p.confidence < LOW_OCR_CONFIDENCE) {
        printWarning(
          `${file}: page ${p.page}: OCR mean word confidence ${p.confidence.toFixed(2)}; expect misread words.`,
        );
      }
    }
    if (doc.extracted && doc.text === '') printWarning(`${file}: no text found.`);
    if (args.flag('json')) {
      process.stdout.write(`${JSON.stringify({ file, document: doc.extracted ?? { text: doc.text } })}\n`);
    } else {
      process.stdout.write(doc.text.endsWith('\n') || doc.text === '' ? doc.text : `${doc.text}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof Cancelled) {
      printError('cancelled.');
      return 130;
    }
    printError(e instanceof InputError ? errorText(e) : `${file}: ${errorText(e)}`);
    return 1;
  } finally {
    await reader.close();
  }
}
