// Lines of a byte stream (standard input, a socket) for JSON Lines readers that must survive any
// input: each line comes out as its raw bytes, without the '\n' (and a '\r' before it), as soon as
// its newline arrives; a line longer than `maxBytes` is not held in memory but counted and
// reported as too long, and the next line is read as usual.

/** One line of the stream: its bytes, or only its length when it was longer than the limit. */
export type StreamLine =
  | { lineNo: number; bytes: Buffer; tooLong?: undefined; lastWithoutNewline: boolean }
  | { lineNo: number; bytes?: undefined; tooLong: number; lastWithoutNewline: boolean };

/**
 * Splits `chunks` into lines (1-based line numbers). Lines of more than `maxBytes` bytes yield
 * `{tooLong: <their length>}`; only `maxBytes` of a line are ever buffered.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<StreamLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** bytes of the current line once it passed the limit (then nothing is kept) */
  let overflow = 0;
  let lineNo = 0;
  const finish = (lastWithoutNewline: boolean): StreamLine => {
    lineNo++;
    let line: StreamLine;
    if (overflow > 0) line = { lineNo, tooLong: overflow, lastWithoutNewline };
    else {
      let bytes = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
      line = { lineNo, bytes, lastWithoutNewline };
    }
    pending = [];
    pendingBytes = 0;
    overflow = 0;
    return line;
  };
  const take = (part: Buffer): void => {
    if (overflow > 0) {
      overflow += part.length;
    } else if (pendingBytes + part.length > maxBytes) {
      overflow = pendingBytes + part.length;
      pending = [];
      pendingBytes = 0;
    } else if (part.length > 0) {
      pending.push(part);
      pendingBytes += part.length;
    }
  };
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    let nl: number;
    while ((nl = buf.indexOf(0x0a, start)) >= 0) {
      // a copy: the stream may reuse its chunk's memory
      take(Buffer.from(buf.subarray(start, nl)));
      yield finish(false);
      start = nl + 1;
    }
    if (start < buf.length) take(Buffer.from(buf.subarray(start)));
  }
  if (pendingBytes > 0 || overflow > 0) yield finish(true);
}
