// Pretrained word vectors in the standard text format (GloVe / word2vec .txt / fastText .vec):
// one word per line followed by its numbers, separated by spaces; an optional first line
// "<count> <dim>" is skipped. Words are normalised as the vocabulary does (lower case, digits
// to 0); the first vector of a normalised word wins.
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { normalizeWord } from './vocabulary';
import { InputError } from '../io/files';

export async function loadWordVectors(
  file: string,
  options: { dim?: number; maxWords?: number } = {},
): Promise<Map<string, Float32Array>> {
  const vectors = new Map<string, Float32Array>();
  let dim = options.dim ?? 0;
  let lineNo = 0;
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      lineNo++;
      const parts = line.trimEnd().split(' ');
      if (lineNo === 1 && parts.length === 2 && /^\d+$/.test(parts[0]) && /^\d+$/.test(parts[1])) {
        dim ||= Number(parts[1]);
        continue;
      }
      if (parts.length < 2) continue;
      if (!dim) dim = parts.length - 1;
      if (parts.length - 1 !== dim) {
        throw new InputError(
          `${file}:${lineNo}: expected ${dim} numbers after the word, found ${parts.length - 1}`,
          file,
          lineNo,
        );
      }
      const key = normalizeWord(parts[0]);
      if (vectors.has(key)) continue;
      const v = new Float32Array(dim);
      for (let i = 0; i < dim; i++) {
        const x = Number(parts[i + 1]);
        if (!Number.isFinite(x))
          throw new InputError(`${file}:${lineNo}: "${parts[i + 1]}" is not a number`, file, lineNo);
        v[i] = x;
      }
      vectors.set(key, v);
      if (options.maxWords && vectors.size >= options.maxWords) break;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${file}: no such file`, file);
    throw e;
  } finally {
    lines.close();
    input.destroy();
  }
  if (vectors.size === 0) throw new InputError(`${file}: no word vectors found`, file);
  return vectors;
}
