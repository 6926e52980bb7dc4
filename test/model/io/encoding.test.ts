// Encodings of documents: UTF-8 first, UTF-16 by its byte-order mark, Windows-1252 for 8-bit
// Western text, and refusals (with the reason) for bytes that are none of these.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeBytes, decodeWindows1252, looksLike8BitText } from '../../../src/model/io/encoding';
import { decodeTextBytes, InputError, readTextFile } from '../../../src/model/io/files';

const ok = (bytes: Uint8Array): { text: string; encoding: string; notice?: string } => {
  const r = decodeBytes(bytes);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r;
};

describe('decodeBytes', () => {
  test('UTF-8 needs no notice; its BOM is dropped', () => {
    const r = ok(Buffer.from('\ufeffVertrag für Müller — 12 €', 'utf8'));
    assert.deepEqual([r.text, r.encoding, r.notice], ['Vertrag für Müller — 12 €', 'utf-8', undefined]);
  });

  test('Windows-1252: one character per byte, 0x80-0x9F as Windows has them, with a notice', () => {
    // "Müller" ü=0xFC, "€" 0x80, “quotes” 0x93/0x94, "—" 0x97
    const bytes = Buffer.from([
      ...Buffer.from('M'),
      0xfc,
      ...Buffer.from('ller GmbH, 12 '),
      0x80,
      ...Buffer.from(' '),
      0x93,
      ...Buffer.from('net'),
      0x94,
      ...Buffer.from(' '),
      0x97,
      ...Buffer.from(' Caf'),
      0xe9,
    ]);
    const r = ok(bytes);
    assert.equal(r.text, 'Müller GmbH, 12 € “net” — Café');
    assert.equal(r.text.length, bytes.length);
    assert.equal(r.encoding, 'windows-1252');
    assert.match(r.notice ?? '', /^not UTF-8 \(byte 0xFC at byte offset 1\); read as Windows-1252 \(Latin-1\)/);
  });

  test('UTF-16 by its byte-order mark, either order, with a notice', () => {
    const text = 'Agreement 😀 dated 1 May 2024';
    const le = ok(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    assert.deepEqual([le.text, le.encoding], [text, 'utf-16le']);
    assert.match(le.notice ?? '', /^read as UTF-16LE/);
    const be = ok(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    assert.deepEqual([be.text, be.encoding], [text, 'utf-16be']);
  });

  test('refuses UTF-8 with damaged bytes, double-byte encodings and bytes 1252 leaves undefined', () => {
    const damaged = Buffer.concat([Buffer.from('Société ', 'utf8'), Buffer.from([0xe9, 0x74])]);
    const r1 = decodeBytes(damaged);
    assert.ok(
      !r1.ok && /byte offset 10\) and it mixes UTF-8 characters with other bytes/.test(r1.reason),
      JSON.stringify(r1),
    );
    // 東京都 in Shift-JIS: high bytes come in pairs
    const sjis = Buffer.from([0x93, 0x8c, 0x8b, 0x9e, 0x93, 0x73, 0x0a]);
    const r2 = decodeBytes(sjis);
    assert.ok(!r2.ok && /multi-byte encoding/.test(r2.reason), JSON.stringify(r2));
    assert.match(looksLike8BitText(Buffer.from([0x41, 0x81, 0x42])) ?? '', /0x81 is not a Windows-1252 character/);
    const odd = decodeBytes(Buffer.from([0xff, 0xfe, 0x41]));
    assert.ok(!odd.ok && /odd number of bytes/.test(odd.reason));
  });

  test('decodeWindows1252 maps every byte to one UTF-16 code unit', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = decodeWindows1252(all);
    assert.equal(text.length, 256);
    assert.equal(text[0x41], 'A');
    assert.equal(text[0x80], '€');
    assert.equal(text[0x9f], 'Ÿ');
    assert.equal(text[0xa0], '\u00a0');
    assert.equal(text[0xff], 'ÿ');
  });
});

describe('readTextFile and decodeTextBytes tell about the encoding', () => {
  test('onNotice hears "<name>: ..." once for a non-UTF-8 file, never for UTF-8', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-encoding-'));
    try {
      const latin1 = path.join(dir, 'latin1.txt');
      await fs.writeFile(latin1, Buffer.from('Caf\xe9 Acme Corp', 'latin1'));
      const notices: string[] = [];
      assert.equal(await readTextFile(latin1, { onNotice: (n) => notices.push(n) }), 'Café Acme Corp');
      assert.equal(notices.length, 1);
      assert.ok(notices[0].startsWith(`${latin1}: not UTF-8`), notices[0]);
      const utf8 = path.join(dir, 'utf8.txt');
      await fs.writeFile(utf8, 'Café Acme Corp');
      await readTextFile(utf8, { onNotice: (n) => notices.push(n) });
      assert.equal(notices.length, 1);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('decodeTextBytes names its input in errors', () => {
    assert.throws(
      () => decodeTextBytes(Buffer.from([0x41, 0x00, 0x01, 0x00, 0x02]), 'stdin'),
      (e: unknown) => e instanceof InputError && /^stdin: looks like/.test(e.message),
    );
    assert.throws(() => decodeTextBytes(Buffer.alloc(0), 'stdin'), /^InputError: stdin: the file is empty/);
  });
});
