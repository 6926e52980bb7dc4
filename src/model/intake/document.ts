// The one type intake hands to the rest of the pipeline: the text of a PDF or a scan, its pages,
// which box of which page every range of the text was read from, and where each part came from
// (the PDF's text layer or OCR, with the recogniser's confidence). Everything after intake
// (tokenizer, tagger, rules, training) works on `text` unchanged; `layout` is the TextLayout of
// core/types.ts that the tagger's layout features and the editor read.
import type { Range, TextLayout } from '../core/types';

/** What a file is, by its first bytes (never by its name). */
export type FileKind = 'pdf' | 'png' | 'jpeg' | 'tiff';

/** One page: its size in its unit, how its text was read, and (OCR) the mean word confidence. */
export interface ExtractedPage {
  /** 1-based */
  page: number;
  width: number;
  height: number;
  /** PDF points (y down from the top of the page) or image pixels */
  unit: 'pt' | 'px';
  /** 'text': the PDF's text layer; 'ocr': recognised from the page image; 'empty': nothing to read */
  source: 'text' | 'ocr' | 'empty';
  /** OCR: mean confidence (0-1) of the page's words */
  confidence?: number;
  words: number;
}

/**
 * A range of the text read from one page. `role` 'furniture' marks running headers, footers and
 * page numbers: they are kept apart from the body (after it, one paragraph each), so a sentence
 * that runs over a page break reads on.
 */
export interface ExtractedPart extends Range {
  page: number;
  role: 'body' | 'furniture';
  source: 'text' | 'ocr';
  /** OCR: mean word confidence (0-1) of the part */
  confidence?: number;
}

export interface ExtractedDocument {
  kind: FileKind;
  /** SHA-256 of the file's bytes (hex): the key of the cache and of annotations on the file */
  sha256: string;
  text: string;
  pages: ExtractedPage[];
  /** page sizes and the box of every word, sorted by start */
  layout: TextLayout;
  /** the text's ranges by page, role and source, sorted by start */
  parts: ExtractedPart[];
}

/** Progress of one extraction: `page` of `pages` is being read, `fraction` of it is done. */
export interface IntakeProgress {
  stage: 'pdf' | 'ocr';
  page: number;
  pages: number;
  fraction: number;
}
