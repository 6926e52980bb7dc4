// readTextFile, isProbablyBinary, writeFileAtomic: documents decoded or refused with one clear
// sentence (missing, empty, huge, binary, an image, a directory, a named pipe), and whole-file
// writes that leave the old content or the new one.
import { test, describe, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
// the module object itself (not an import-star copy), so tests can stub one function
// eslint-disable-next-line @typescript-eslint/no-require-imports
import fsModule = require('node:fs/promises');
import { isProbablyBinary, readTextFile, writeFileAtomic } from '../../../src/model';
import { TempFiles, rejectsInput } from '../../fixtures/temp-files';

const temp = new TempFiles();
before(() => temp.create('files'));
after(() => temp.remove());
const file = (name: string, content?: string | Uint8Array) => temp.file(name, content);

describe('readTextFile', () => {
  test('missing file', async () => {
    const p = path.join(temp.root, 'nowhere.txt');
    const err = await rejectsInput(readTextFile(p), 'nowhere.txt', /no such file/);
    assert.equal(err.path, p);
  });

  test('a directory', async () => {
    const p = await file('folder.txt');
    await fs.mkdir(p);
    await rejectsInput(readTextFile(p), 'folder.txt', /is a directory/);
  });

  test('a named pipe (FIFO) is refused at once instead of waiting for a writer', async () => {
    const p = await file('pipe.txt');
    assert.equal(spawnSync('mkfifo', [p]).status, 0);
    await rejectsInput(readTextFile(p), 'pipe.txt', /named pipe \(FIFO\), not a regular file/);
  });

  test('a device is refused', async () => {
    await rejectsInput(readTextFile('/dev/zero'), '/dev/zero', /is a device, not a regular file/);
  });

  test('empty file', async () => {
    const p = await file('empty.txt', '');
    await rejectsInput(readTextFile(p), 'empty.txt', /is empty \(0 bytes\)/);
  });

  test('whitespace-only file', async () => {
    const p = await file('blank.txt', ' \r\n\t\n  ');
    await rejectsInput(readTextFile(p), 'blank.txt', /is empty \(it contains only whitespace\)/);
  });

  test('too large: names the size and the limit', async () => {
    const p = await file('big.txt', 'x'.repeat(20));
    await rejectsInput(readTextFile(p, { maxBytes: 10 }), 'big.txt', /20 bytes, larger than the limit of 10 bytes/);
    assert.equal(await readTextFile(p, { maxBytes: 20 }), 'x'.repeat(20));
  });

  test('binary file with NUL bytes reports the offset', async () => {
    const bytes = Buffer.from('hello world!\0\x01\x02 rest', 'latin1');
    const p = await file('contract.bin', bytes);
    await rejectsInput(
      readTextFile(p),
      'contract.bin',
      /looks like a binary file \(NUL bytes at offset 12\); Entity Lens reads plain text\./,
    );
  });

  test('PDF is named', async () => {
    const p = await file('contract.pdf', '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n');
    await rejectsInput(readTextFile(p), 'contract.pdf', /looks like a PDF; export it to text first/);
  });

  test('DOCX, PNG and plain ZIP are named', async () => {
    const zipHeader = [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00];
    const docx = Buffer.concat([Buffer.from(zipHeader), Buffer.from('....[Content_Types].xml....word/document.xml')]);
    await rejectsInput(readTextFile(await file('a.docx', docx)), 'a.docx', /Word document \(\.docx\)/);
    const zip = Buffer.concat([Buffer.from(zipHeader), Buffer.from('....notes.txt')]);
    await rejectsInput(readTextFile(await file('a.zip', zip)), 'a.zip', /ZIP archive/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await rejectsInput(readTextFile(await file('scan.png', png)), 'scan.png', /PNG image/);
  });

  test('a high share of control characters is binary', async () => {
    const bytes = Buffer.alloc(200, 0x41);
    for (let i = 0; i < 200; i += 4) bytes[i] = 0x03;
    await rejectsInput(readTextFile(await file('ctl.dat', bytes)), 'ctl.dat', /binary file \(25% control characters\)/);
  });

  test('invalid UTF-8 reports the byte offset of the first bad sequence', async () => {
    const prefix = Buffer.from('Société — Käufer 😀 ', 'utf8');
    const bytes = Buffer.concat([prefix, Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from(' tail')]);
    await rejectsInput(
      readTextFile(await file('latin1.txt', bytes)),
      'latin1.txt',
      new RegExp(`not valid UTF-8 \\(byte 0xE9 at byte offset ${prefix.length}\\)`),
    );
    // overlong encoding of "/" and a sequence cut off at the end of the file
    const overlong = Buffer.concat([Buffer.from('ab'), Buffer.from([0xc0, 0xaf])]);
    await rejectsInput(readTextFile(await file('overlong.txt', overlong)), 'overlong.txt', /byte offset 2\)/);
    const cut = Buffer.concat([Buffer.from('abc'), Buffer.from([0xe2, 0x82])]);
    await rejectsInput(readTextFile(await file('cut.txt', cut)), 'cut.txt', /byte offset 3\)/);
  });

  test('UTF-16 LE and BE with BOM are decoded; offsets match the text', async () => {
    const text = 'Agreement dated 1 May 2024\r\nBetween ACME 😀 GmbH';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    assert.equal(await readTextFile(await file('le.txt', le)), text);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    assert.equal(await readTextFile(await file('be.txt', be)), text);
  });

  test('UTF-8 BOM is stripped and CRLF kept', async () => {
    const text = 'Line one\r\nLine two — ✓\r\n';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const read = await readTextFile(await file('bom.txt', bytes));
    assert.equal(read, text);
    assert.equal(read.indexOf('Line two'), 10);
  });

  test('permission denied', { skip: process.getuid?.() === 0 ? 'root can read anything' : false }, async () => {
    const p = await file('secret.txt', 'text');
    await fs.chmod(p, 0o000);
    await rejectsInput(readTextFile(p), 'secret.txt', /permission denied/);
  });
});

describe('isProbablyBinary', () => {
  test('plain text is not binary', () => {
    assert.equal(isProbablyBinary(Buffer.from('Invoice no. 12\r\n\tTotal: 5 €\f')), null);
    assert.equal(isProbablyBinary(new Uint8Array(0)), null);
  });

  test('UTF-16 without a BOM gets its own advice', () => {
    assert.match(
      isProbablyBinary(Buffer.from('Hello contract text', 'utf16le')) ?? '',
      /UTF-16 text without a byte-order mark/,
    );
  });
});

async function tempFilesNear(p: string): Promise<string[]> {
  return (await fs.readdir(path.dirname(p))).filter((n) => n.endsWith('.tmp'));
}

describe('writeFileAtomic', () => {
  test('creates and replaces a file, keeping its permissions', async () => {
    const p = await file('model.json');
    await writeFileAtomic(p, 'first');
    assert.equal(await fs.readFile(p, 'utf8'), 'first');
    await fs.chmod(p, 0o640);
    await writeFileAtomic(p, new Uint8Array([0x68, 0x69]));
    assert.equal(await fs.readFile(p, 'utf8'), 'hi');
    assert.equal((await fs.stat(p)).mode & 0o777, 0o640);
    assert.deepEqual(await tempFilesNear(p), []);
  });

  test('a directory at the target path: clear error, no temp file, directory intact', async () => {
    const p = await file('weights.bin');
    await fs.mkdir(p);
    await fs.writeFile(path.join(p, 'keep.txt'), 'kept');
    await rejectsInput(writeFileAtomic(p, 'data'), 'weights.bin', /a directory has that name/);
    assert.equal(await fs.readFile(path.join(p, 'keep.txt'), 'utf8'), 'kept');
    assert.deepEqual(await tempFilesNear(p), []);
  });

  test('a failing rename leaves the old content and no temp file', async () => {
    const p = await file('annotations.jsonl', 'old content\n');
    const rename = mock.method(fsModule, 'rename', async () => {
      throw Object.assign(new Error('simulated I/O error'), { code: 'EIO' });
    });
    try {
      await assert.rejects(writeFileAtomic(p, 'new content\n'), /simulated I\/O error/);
      assert.equal(rename.mock.callCount(), 1);
    } finally {
      rename.mock.restore();
    }
    assert.equal(await fs.readFile(p, 'utf8'), 'old content\n');
    assert.deepEqual(await tempFilesNear(p), []);
  });

  test('a missing folder is a clear error', async () => {
    await rejectsInput(
      writeFileAtomic(path.join(temp.root, 'no-such-dir', 'out.json'), '{}'),
      'out.json',
      /folder does not exist/,
    );
  });
});
