// Standard input as a document (`entity-lens tag -`): its bytes are read to the end, with the
// same size limit as a file; the document reader then decodes them like a file's (text in any
// encoding decodeTextBytes knows, or a PDF or an image).
import { InputError } from '../model';

/** the limit readTextFile applies to a file */
const MAX_BYTES = 50 * 1024 * 1024;

export const STDIN_NAME = 'stdin';

let consumed = false;

/** Reads standard input to its end, once. */
export async function readStdinBytes(input: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  if (consumed) throw new InputError(`${STDIN_NAME}: already read ("-" can be given once).`, STDIN_NAME);
  consumed = true;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > MAX_BYTES) {
      throw new InputError(`${STDIN_NAME}: more than ${MAX_BYTES / 1024 / 1024} MB of input; pass a file instead.`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
