// Hostile files through the engine's and the CLI's entry points: random and malicious JSONL
// (every record returned is valid, every bad line a numbered problem, never a crash), labels
// built to break Markdown, terminals and objects, and files that are not files.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { defaultModelDir, InputError, isValidLabel, readJsonl } from '../../src/model';
import { cli, pick, random } from './helpers';

let dir = '';
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-reliability-hostile-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const HOSTILE_LABELS = [
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
  '[x](javascript:alert(1))',
  '\u001b]8;;http://evil\u0007link\u001b]8;;\u0007',
  'PARTY\u0000',
  'PA\u202eYTR',
  'x'.repeat(10_000),
  '',
  ' ',
];

function hostileLine(rand: () => number): string {
  const text = 'This Agreement is made on March 3, 2021 between Acme Corp and Beta LLC.';
  const label = HOSTILE_LABELS[Math.floor(rand() * HOSTILE_LABELS.length)];
  switch (Math.floor(rand() * 12)) {
    case 0:
      return JSON.stringify({ text, spans: [{ start: 0, end: 4, label }] });
    case 1:
      return JSON.stringify({ text, spans: [{ start: -5, end: 1e12, label: 'PARTY' }] });
    case 2:
      return '['.repeat(100_000);
    case 3:
      return JSON.stringify({ text, spans: [], complete: [label] });
    case 4:
      return Buffer.from(Array.from({ length: 200 }, () => Math.floor(rand() * 256)))
        .toString('latin1')
        .replace(/[\r\n]/g, ' ');
    case 5:
      return JSON.stringify({
        text: 'x'.repeat(pick(5_000_000, 500_000)),
        spans: [{ start: 0, end: 1, label: 'DATE' }],
      });
    case 6:
      return JSON.stringify({ ['__proto__']: { polluted: true }, text, spans: [] }).replace(
        '"__proto__"',
        '"__proto__"',
      );
    case 7:
      return JSON.stringify({
        text,
        spans: [
          { start: 48, end: 57, label: 'PARTY' },
          { start: 50, end: 60, label: 'PARTY' },
        ],
      });
    case 8:
      return `{"text": "${'\\ud800'}", "spans": []}`;
    case 9:
      return JSON.stringify({ text, spans: [{ start: 48, end: 57, label: 'PARTY' }] }).slice(0, 30);
    case 10:
      return '\ufeff' + JSON.stringify({ text, spans: [] });
    default:
      return JSON.stringify({ id: label || 'x', text, spans: [{ start: 48, end: 57, label: 'PARTY' }] });
  }
}

describe('hostile JSONL', () => {
  test('random hostile lines: valid records come back valid, every other line is a numbered problem', async () => {
    const rand = random(23);
    for (let round = 0; round < pick(20, 5); round++) {
      const lines = Array.from({ length: 60 }, () => hostileLine(rand));
      const file = path.join(dir, `hostile-${round}.jsonl`);
      await fs.writeFile(file, lines.join('\n') + '\n');
      let result;
      try {
        result = await readJsonl(file);
      } catch (e) {
        // a file whose first bytes look binary is refused as a whole
        assert.ok(e instanceof InputError, String(e));
        continue;
      }
      for (const d of result.docs) {
        assert.equal(typeof d.text, 'string');
        for (const s of d.spans) {
          assert.ok(isValidLabel(s.label), `label ${JSON.stringify(s.label)} got through`);
          assert.ok(s.start >= 0 && s.start < s.end && s.end <= d.text.length);
        }
        if (Array.isArray(d.complete)) for (const l of d.complete) assert.ok(isValidLabel(l));
      }
      for (const p of result.problems) assert.ok(p.line >= 1 && p.line <= lines.length);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype polluted');
    }
  });

  test('the CLI on hostile labels: one line per problem, no stack, no raw control characters', async () => {
    const file = path.join(dir, 'labels.jsonl');
    const text = 'This Agreement is made on March 3, 2021 between Acme Corp and Beta LLC.';
    await fs.writeFile(
      file,
      HOSTILE_LABELS.map((label) => JSON.stringify({ text, spans: [{ start: 48, end: 57, label }] })).join('\n') + '\n',
    );
    const r = await cli(['train', '--data', file, '--dev', file, '--out', path.join(dir, 'never')], 60_000);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.doesNotMatch(
      r.stderr,
      /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/,
      'a raw control character on the terminal',
    );
    assert.match(r.stderr, /no valid record/);
    const flags = await cli(
      ['train', '--data', file, '--dev', file, '--out', path.join(dir, 'never'), '--labels', '__proto__'],
      60_000,
    );
    assert.equal(flags.code, 2);
    assert.match(flags.stderr, /--labels: "__proto__" is not a valid label/);
  });
});

describe('files that are not files', () => {
  test('a model folder whose files are named pipes: refused at once, exit 2', async () => {
    const model = path.join(dir, 'pipes');
    await fs.mkdir(model);
    for (const f of ['model.json', 'vocab.json', 'weights.bin', 'model.onnx'])
      spawnSync('mkfifo', [path.join(model, f)]);
    const doc = path.join(dir, 'doc.txt');
    await fs.writeFile(doc, 'Acme Corp pays.');
    const r = await cli(['tag', '--model', model, doc], 30_000);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /model\.json: this is a named pipe/);
  });

  test('tag, train and eval on a FIFO and on /dev/zero return at once with one line', async () => {
    const fifo = path.join(dir, 'fifo.txt');
    spawnSync('mkfifo', [fifo]);
    for (const input of [fifo, '/dev/zero']) {
      const runs = await Promise.all([
        cli(['tag', input], 30_000),
        cli(['train', '--data', input, '--dev', input, '--out', path.join(dir, 'never')], 30_000),
        cli(['eval', '--model', defaultModelDir(), '--data', input], 30_000),
      ]);
      for (const r of runs) {
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /not a regular file/);
      }
    }
  });
});
