// Shared data types of the engine. Offsets are UTF-16 code units (JavaScript string
// indices), end-exclusive, exactly as VS Code's document.offsetAt counts them.

/** A token: `text === source.slice(start, end)`. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/** A labelled character range. */
export interface Span {
  start: number;
  end: number;
  label: string;
}

/** A predicted entity. `confidence` is the CRF marginal probability of the span. */
export interface Entity extends Span {
  text: string;
  confidence: number;
  /**
   * Unset when the model found the span; 'rules' when a rule-based annotator did (rules/policy.ts);
   * 'document' when it is another occurrence of a name found elsewhere (propagate.ts).
   */
  source?: 'rules' | 'document';
}

/** A sentence (or OCR line group): character range plus the token range it covers. */
export interface Sentence {
  start: number;
  end: number;
  /** index of its first token in the document's token array */
  tokenStart: number;
  /** index one past its last token */
  tokenEnd: number;
}

export type TagScheme = 'BILOU' | 'BIO' | 'IO';

export interface Range {
  start: number;
  end: number;
}

/** A character range that speaks for one label (AnnotatedDocument.judged). */
export type LabelRange = Span;

/** Where a piece of a document's text sits on its page: 1-based page, box in the page's unit. */
export interface PageBox {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The layout of a document that has pages (a PDF, a scan): each page's size, and the boxes of
 * its text, each a range of the extracted text (sorted by start, not overlapping) with the box
 * it was read from — a line, a word or a run of glyphs. `unit` is PDF points (y down from the
 * top of the page) or image pixels. OCR boxes carry the recogniser's confidence (0–1).
 */
export interface TextLayout {
  pages: { width: number; height: number; unit: 'pt' | 'px' }[];
  boxes: (Range & PageBox & { source: 'text' | 'ocr'; confidence?: number })[];
}

/**
 * One annotated document, the `../shared/data` JSONL format plus optional fields:
 * - `complete`: labels annotated exhaustively in this document ("all" = every label,
 *   i.e. unlabelled text is known to be outside). Absent = no label is complete.
 * - `reviewed`: ranges a person checked; inside them every label is complete.
 * - `judged`: ranges a person checked for one label; inside them that label is complete.
 * - `silver`: spans made by rule-based annotators, kept apart from gold `spans`.
 * From weakest to strongest: `spans` (confirmed entities), `judged`, `reviewed`, `complete`.
 */
export interface AnnotatedDocument {
  id: string;
  text: string;
  spans: Span[];
  source?: string;
  split?: string;
  complete?: string[] | 'all';
  reviewed?: Range[];
  /**
   * per-label judged ranges: inside [start, end) the record's spans of `label` are exactly that
   * label's entities (a person declared it); outside them and `reviewed`, unknown
   */
  judged?: LabelRange[];
  silver?: Span[];
  /** the page layout of a document read from a PDF or a scan (its line and page features) */
  layout?: TextLayout;
  /**
   * the kind of the document the text comes from (contract, invoice, receipt), when known: a
   * passage alone may not tell, and a model tuned on one kind routes by it (inference/scope.ts)
   */
  kind?: string;
}

/**
 * Model input for B sequences padded to L tokens (row-major):
 * words/shapes [B*L], chars [B*L*maxChars], lengths [B]. Padding ids are 0. Models with line
 * and page features (text/line-features.ts) also read `features` [B*L*featureDim], 0 at padding.
 */
export interface EncodedBatch {
  batch: number;
  length: number;
  maxChars: number;
  words: Int32Array;
  shapes: Int32Array;
  chars: Int32Array;
  lengths: Int32Array;
  featureDim?: number;
  features?: Float32Array;
}
