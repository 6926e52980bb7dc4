// The records of a document stream (`tag --jsonl`, the queue): one JSON object per line,
// `{"id", "text"}` or `{"id", "path"}`, checked here so that a bad line becomes an error for that
// record, never a crash of the stream. The id is echoed in the result as given (a string or a
// number); other keys are ignored. Texts longer than the limit are refused before any work.
import { firstLine } from '../core/errors';
import { describeValue, must, nonEmptyStr, str, validated, type Validator } from '../core/validate';

export type RecordId = string | number;

/** One document to process: its text, or a path a worker reads (text file, PDF or image). */
export type StreamRecord =
  { id: RecordId; text: string; path?: undefined } | { id: RecordId; path: string; text?: undefined };

/** A line that could not be used; `id` is set when the line had a usable one. */
export class RecordError extends Error {
  constructor(
    message: string,
    readonly id?: RecordId,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

/** Texts longer than this many UTF-16 code units are refused (the editor's maxDocumentSize). */
export const DEFAULT_MAX_CHARS = 20_000_000;

/**
 * Lines longer than this are refused without being held in memory: room for a text of
 * `maxChars` characters written as JSON (some characters take several bytes) and its keys.
 */
export function maxLineBytes(maxChars: number): number {
  return 4 * maxChars + (1 << 20);
}

const MB = 1024 * 1024;

/** A byte count as people read it: "512 bytes", "3.2 MB". */
export function formatSize(bytes: number): string {
  return bytes < MB ? `${bytes} bytes` : `${(bytes / MB).toFixed(1)} MB`;
}

/** A too-long text, in one sentence (the same for text given inline and read from a file). */
export function textTooLong(length: number, maxChars: number): string {
  return `the text has ${length.toLocaleString('en-US')} characters, more than the limit of ${maxChars.toLocaleString('en-US')} (--max-chars)`;
}

const recordId = must(
  'a non-empty string or a number',
  (v): v is RecordId => (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v)),
);

/**
 * Parses one line of the stream. Throws a RecordError with one sentence (no line number: the
 * caller adds where the line came from) for invalid JSON, a missing or bad id, neither or both
 * of text and path, and a text longer than `maxChars`.
 */
export function parseStreamRecord(line: string, maxChars = DEFAULT_MAX_CHARS): StreamRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new RecordError(`invalid JSON (${firstLine(e)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordError(`expected a JSON object {"id", "text"} or {"id", "path"}, found ${describeValue(value)}`);
  }
  const obj = value as Record<string, unknown>;
  if (obj.id === undefined) throw new RecordError('missing "id"');
  const id = validated(obj.id, recordId, '"id"', (problem) => new RecordError(problem));
  const need = <T>(v: unknown, validator: Validator<T>, at: string): T =>
    validated(v, validator, at, (problem) => new RecordError(problem, id));
  const { text, path } = obj;
  if (text !== undefined && text !== null && path !== undefined && path !== null) {
    throw new RecordError('give "text" or "path", not both', id);
  }
  if (path !== undefined && path !== null) {
    const file = need(path, nonEmptyStr, '"path"');
    if (file.includes('\0')) throw new RecordError('"path" contains a NUL character', id);
    // "-" is standard input to the CLI's reader: here that is the stream itself
    if (file === '-') throw new RecordError('"path" must name a file; "-" (standard input) is the stream itself', id);
    return { id, path: file };
  }
  if (text === undefined || text === null) throw new RecordError('missing "text" (or "path")', id);
  const checked = need(text, str, '"text"');
  if (checked.length > maxChars) throw new RecordError(textTooLong(checked.length, maxChars), id);
  return { id, text: checked };
}
