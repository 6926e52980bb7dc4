// Reading the files the CLI is given: plain text as before, PDFs and images (by their first
// bytes, whatever their name) through intake, with progress on stderr, the page and pixel limits
// of the command line, one OCR worker shared by all files, the user's cache, and Ctrl-C: the
// first cancels the file being read (and the files after it), a second quits at once.
import * as path from 'node:path';
import {
  type ExtractedDocument,
  type IntakeProgress,
  LimitError,
  OcrEngine,
  extractDocument,
  decodeTextBytes,
  readFileBytes,
  readTextFile,
  sniffKind,
  userCacheDir,
  MAX_DOCUMENT_BYTES,
  DEFAULT_MAX_MEGAPIXELS,
  DEFAULT_MAX_PAGES,
} from '../model';
import { PROGRAM, printNote, type FlagSpec, type ParsedArgs } from './args';
import { StatusLine } from './progress';
import { readStdinBytes, STDIN_NAME } from './stdin';

/** The flags of every command that reads documents. */
export const DOCUMENT_FLAGS: Record<string, FlagSpec> = {
  'max-pages': {
    kind: 'int',
    value: 'N',
    min: 1,
    description: 'refuse PDFs with more pages than N',
    default: String(DEFAULT_MAX_PAGES),
  },
  'max-megapixels': {
    kind: 'number',
    value: 'X',
    min: 0,
    minExclusive: true,
    description: 'refuse images (and scanned pages) larger than X megapixels',
    default: String(DEFAULT_MAX_MEGAPIXELS),
  },
  'no-ocr': { kind: 'boolean', description: 'never run OCR: images and PDF pages without a text layer give no text' },
  'cache-dir': {
    kind: 'string',
    value: 'DIR',
    description: 'cache of extracted PDFs and scans (by content hash)',
    default: '$ENTITY_LENS_CACHE_DIR, $XDG_CACHE_HOME/entity-lens or ~/.cache/entity-lens',
  },
  'no-cache': { kind: 'boolean', description: 'neither read nor write the cache' },
};

/** How documents are read: the values of DOCUMENT_FLAGS (plain data, so worker threads get it too). */
export interface DocumentOptions {
  maxPages?: number;
  maxMegapixels?: number;
  /** run OCR on images and pages without a text layer (default true) */
  ocr?: boolean;
  /** the extraction cache; undefined: no cache */
  cacheDir?: string;
}

/** The DocumentOptions a command line asks for. */
export function documentOptions(args: ParsedArgs): DocumentOptions {
  return {
    maxPages: args.number('max-pages'),
    maxMegapixels: args.number('max-megapixels'),
    ocr: !args.flag('no-ocr'),
    cacheDir: args.flag('no-cache') ? undefined : (args.string('cache-dir') ?? userCacheDir()),
  };
}

/** A file's text, and for a PDF or an image the extraction it came from. */
export interface LoadedDocument {
  text: string;
  extracted?: ExtractedDocument;
}

/** Thrown when Ctrl-C cancelled reading; commands exit with 130. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

export class DocumentReader {
  private readonly controller = new AbortController();
  private readonly ocr: OcrEngine | undefined;
  private readonly status = new StatusLine(process.stderr);
  private interrupts = 0;
  private readonly onSigint = (): void => {
    this.interrupts++;
    if (this.interrupts === 1) {
      this.status.done();
      process.stderr.write(`${PROGRAM}: cancelling... (press Ctrl-C again to quit at once)\n`);
      this.controller.abort();
    } else {
      this.status.done();
      process.stderr.write(`${PROGRAM}: interrupted.\n`);
      process.exit(130);
    }
  };

  /**
   * `interactive` (the default): progress on stderr and Ctrl-C handling, for a person at a
   * terminal; off for readers in worker threads and streams, which report per record instead.
   */
  constructor(
    private readonly options: DocumentOptions,
    private readonly interactive = true,
  ) {
    this.ocr = options.ocr === false ? undefined : new OcrEngine();
    if (interactive) process.on('SIGINT', this.onSigint);
  }

  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * Reads one file ("-": standard input); InputErrors name the file, a LimitError says which flag
   * lifts the limit. Text in another encoding than UTF-8 is decoded with a note on stderr.
   */
  async read(file: string): Promise<LoadedDocument> {
    if (this.cancelled) throw new Cancelled();
    const onNotice = (notice: string): void => printNote(notice);
    let head: Buffer;
    if (file === '-') {
      if (process.stdin.isTTY) printNote('reading the text from the terminal; end it with Ctrl-D');
      head = await readStdinBytes();
      if (!sniffKind(head)) return { text: decodeTextBytes(head, STDIN_NAME, { onNotice }) };
    } else {
      head = await readFileBytes(file, { maxBytes: MAX_DOCUMENT_BYTES });
      if (!sniffKind(head)) return { text: await readTextFile(file, { onNotice }) };
    }
    const name = file === '-' ? STDIN_NAME : file;
    const options = this.options;
    let lastLine = 0;
    const onProgress = (p: IntakeProgress): void => {
      if (!this.interactive) return;
      const what = p.stage === 'ocr' ? `OCR ${Math.round(100 * p.fraction)}%` : 'reading';
      this.status.update(`${path.basename(name)}: page ${p.page}/${p.pages} ${what}`);
      // off a terminal: a plain line now and then for long documents
      if (!process.stderr.isTTY && p.pages >= 20 && p.fraction === 0 && Date.now() - lastLine > 2000) {
        lastLine = Date.now();
        process.stderr.write(`${file}: page ${p.page}/${p.pages}\n`);
      }
    };
    try {
      const extracted = await extractDocument(head, {
        name,
        signal: this.controller.signal,
        onProgress,
        maxPages: options.maxPages,
        maxMegapixels: options.maxMegapixels,
        ocr: this.ocr ?? false,
        cacheDir: options.cacheDir,
      });
      return { text: extracted.text, extracted };
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw new Cancelled();
      if (e instanceof LimitError) {
        const flag = e.limit === 'pages' ? `--max-pages ${e.value}` : `--max-megapixels ${Math.ceil(e.value)}`;
        throw new LimitError(
          `${e.message.replace(/\.$/, '')}; pass ${flag} to read it.`,
          e.limit,
          e.value,
          e.max,
          e.path,
        );
      }
      throw e;
    } finally {
      this.status.done();
    }
  }

  /** Cancels the file being read and the files after it (as the first Ctrl-C does). */
  cancel(): void {
    this.controller.abort();
  }

  async close(): Promise<void> {
    if (this.interactive) process.off('SIGINT', this.onSigint);
    this.status.done();
    await this.ocr?.terminate();
  }
}
