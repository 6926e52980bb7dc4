// splitLines: lines of a byte stream as they arrive, CR LF, chunks cut anywhere (even inside a
// multi-byte character), a last line without a newline, and lines over the limit reported by
// their length without being kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLines, type StreamLine } from '../../../src/model/io/lines';

async function* chunks(parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
}

async function all(parts: (string | Buffer)[], maxBytes = 1000): Promise<StreamLine[]> {
  const out: StreamLine[] = [];
  for await (const l of splitLines(chunks(parts), maxBytes)) out.push(l);
  return out;
}

const texts = (lines: StreamLine[]) => lines.map((l) => (l.bytes ? l.bytes.toString('utf8') : `<${l.tooLong}>`));

test('lines come out whole whatever the chunks, CR LF and LF alike, numbered from 1', async () => {
  const lines = await all(['{"a":', '1}\r\n{"b"', ':2}\n\n', 'x\n']);
  assert.deepEqual(texts(lines), ['{"a":1}', '{"b":2}', '', 'x']);
  assert.deepEqual(
    lines.map((l) => l.lineNo),
    [1, 2, 3, 4],
  );
  assert.ok(lines.every((l) => !l.lastWithoutNewline));
});

test('a chunk boundary inside a multi-byte character still gives the character', async () => {
  const bytes = Buffer.from('é€😀\n', 'utf8');
  const parts = Array.from(bytes, (b) => Buffer.from([b]));
  assert.deepEqual(texts(await all(parts)), ['é€😀']);
});

test('the last line without a newline is given and marked', async () => {
  const lines = await all(['a\nb']);
  assert.deepEqual(texts(lines), ['a', 'b']);
  assert.equal(lines[1].lastWithoutNewline, true);
  assert.deepEqual(texts(await all(['a\n'])), ['a']);
  assert.deepEqual(await all([]), []);
});

test('a line over the limit is reported by its length, and the next line is read as usual', async () => {
  const long = 'x'.repeat(2500);
  const lines = await all(['ok\n', long.slice(0, 700), long.slice(700), '\nafter\n', 'y'.repeat(1200)], 1000);
  assert.deepEqual(texts(lines), ['ok', '<2500>', 'after', '<1200>']);
  assert.equal(lines[3].lastWithoutNewline, true);
  // exactly the limit is still a line
  assert.deepEqual(texts(await all(['z'.repeat(1000) + '\n'], 1000)), ['z'.repeat(1000)]);
});

test('a line is given as soon as its newline arrives, before the stream ends', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  async function* slow(): AsyncGenerator<Buffer> {
    yield Buffer.from('first\nsec');
    await gate;
    yield Buffer.from('ond\n');
  }
  const it = splitLines(slow(), 100);
  const first = await it.next();
  assert.equal(first.value?.bytes?.toString(), 'first');
  release();
  assert.equal((await it.next()).value?.bytes?.toString(), 'second');
  assert.equal((await it.next()).done, true);
});
