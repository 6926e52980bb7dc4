// `entity-lens convert`, run as a child process: every direction between the project's JSONL,
// spaCy-style JSONL and CoNLL, files and standard input/output, round trips, and the failure
// paths (bad lines, --strict, unreadable input, usage mistakes) with their exit codes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertNoStack, cli, escapeRegExp, finish, start, type Result } from '../fixtures/cli';
import { syntheticContracts } from '../fixtures/contracts';
import type { AnnotatedDocument } from '../../src/model/core/types';
import { tokenize } from '../../src/model/text/tokenizer';

let dir: string;
let jsonlFile: string;
const docs = syntheticContracts(12, 5);

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-convert-'));
  jsonlFile = path.join(dir, 'docs.jsonl');
  await fs.writeFile(jsonlFile, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function withInput(stdin: string | Buffer, ...args: string[]): Promise<Result> {
  return finish(start(args, { stdin }));
}

const parseLines = (text: string): AnnotatedDocument[] =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as AnnotatedDocument);

/** label:tokens of each span (CoNLL keeps whole tokens, a span cutting one takes all of it, and no spaces). */
function spanTokens(d: AnnotatedDocument): string[] {
  const tokens = tokenize(d.text);
  return d.spans.map(
    (s) =>
      `${s.label}:${tokens
        .filter((t) => t.start < s.end && t.end > s.start)
        .map((t) => t.text)
        .join(' ')}`,
  );
}

describe('convert', () => {
  test('jsonl -> spacy -> jsonl: the same documents, byte for byte', async () => {
    const spacy = path.join(dir, 'docs.spacy.jsonl');
    const back = path.join(dir, 'docs.back.jsonl');
    const r1 = await cli('convert', '--to', 'spacy', jsonlFile, spacy);
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(r1.stdout, `${spacy}: 12 documents, ${docs.reduce((n, d) => n + d.spans.length, 0)} spans (spacy)\n`);
    assert.equal(r1.stderr, '');
    const first = JSON.parse((await fs.readFile(spacy, 'utf8')).split('\n')[0]) as Record<string, unknown>;
    assert.deepEqual(Object.keys(first), ['text', 'entities', 'meta']);
    const r2 = await cli('convert', '--from', 'spacy', '--to', 'jsonl', spacy, back);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(await fs.readFile(back, 'utf8'), await fs.readFile(jsonlFile, 'utf8'));
  });

  test('jsonl -> conll on stdout -> jsonl from stdin: labels and entity texts come back', async () => {
    const toConll = await cli('convert', '--to', 'conll', jsonlFile, '-');
    assert.equal(toConll.code, 0, toConll.stderr);
    assert.match(toConll.stdout, /^-DOCSTART-\tO\n\n/);
    assert.match(toConll.stdout, /^\S+\tB-PARTY$/m);
    assert.equal(toConll.stderr, '', 'the documents are complete: no warning');
    const back = await withInput(toConll.stdout, 'convert', '--to', 'jsonl', '-');
    assert.equal(back.code, 0, back.stderr);
    const again = parseLines(back.stdout);
    assert.equal(again.length, docs.length);
    again.forEach((d, i) => {
      assert.equal(d.id, `<stdin>#${i + 1}`);
      assert.deepEqual(spanTokens(d), spanTokens(docs[i]));
    });
  });

  test('OUT defaults to standard output; the input format is guessed from the first line', async () => {
    const conll = path.join(dir, 'in.conll');
    await fs.writeFile(conll, '\n-DOCSTART-\tO\n\nAcme\tB-PARTY\nCorp.\tL-PARTY\nsigns\tO\n');
    const r = await cli('convert', '--to', 'spacy', conll);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      text: 'Acme Corp. signs',
      entities: [[0, 10, 'PARTY']],
      meta: { id: 'in.conll#1' },
    });
  });

  test('to CoNLL from partial annotations: a warning that unlabelled tokens become O', async () => {
    const partial = path.join(dir, 'partial.jsonl');
    await fs.writeFile(partial, JSON.stringify({ ...docs[0], complete: ['PARTY'] }) + '\n');
    const r = await cli('convert', '--to', 'conll', partial);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^entity-lens: warning: 1 of the 1 documents are not annotated exhaustively/m);
  });

  test('bad lines: FILE:LINE warnings, the good documents still written, exit 0', async () => {
    const bad = path.join(dir, 'bad.jsonl');
    const out = path.join(dir, 'bad.conll');
    const lines = [
      JSON.stringify(docs[0]),
      '{"text": "torn", "spans": [',
      JSON.stringify({ text: 'ab', spans: [{ start: 0, end: 9, label: 'X' }] }),
      JSON.stringify(docs[1]),
    ];
    await fs.writeFile(bad, lines.join('\n') + '\n');
    const r = await cli('convert', '--to', 'conll', bad, out);
    assert.equal(r.code, 0, r.stderr);
    assertNoStack(r.stderr);
    assert.match(r.stderr, new RegExp(`^${escapeRegExp(bad)}:2: invalid JSON`, 'm'));
    assert.match(r.stderr, new RegExp(`^${escapeRegExp(bad)}:3: spans\\[0\\]\\.end is 9, past the end`, 'm'));
    assert.match(r.stdout, /: 2 documents,/);
    assert.equal((await fs.readFile(out, 'utf8')).match(/^-DOCSTART-/gm)?.length, 2);
  });

  test('--strict: a bad line is an error, exit 1, and nothing is written', async () => {
    const bad = path.join(dir, 'strict.conll');
    const out = path.join(dir, 'strict.jsonl');
    await fs.writeFile(bad, 'Acme\tB-PARTY\nCorp\tL-PARTY\nlonely\n');
    const r = await cli('convert', '--strict', '--from', 'conll', '--to', 'jsonl', bad, out);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^${escapeRegExp(bad)}:3: expected "token<TAB>tag"`, 'm'));
    assert.match(
      r.stderr,
      /^entity-lens: .*strict\.conll: 1 line has a problem \(see above\); nothing written \(--strict\)\.$/m,
    );
    await assert.rejects(fs.stat(out));
  });

  test('no valid document: exit 1, one line saying so', async () => {
    const bad = path.join(dir, 'all-bad.jsonl');
    await fs.writeFile(bad, '{"text": 1}\nnot json\n');
    const r = await cli('convert', '--to', 'conll', bad);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^entity-lens: .*all-bad\.jsonl: no valid document \(2 problems, see above\)\.$/m);
  });

  test('unreadable input: missing, binary, empty, a folder; empty or non-UTF-8 standard input: exit 1, one line', async () => {
    const binary = path.join(dir, 'binary.dat');
    await fs.writeFile(binary, Buffer.from([0x41, 0x00, 0x01, 0x02, 0x00, 0x43]));
    const empty = path.join(dir, 'empty.jsonl');
    await fs.writeFile(empty, '');
    const cases: [Promise<Result>, RegExp][] = [
      [cli('convert', '--to', 'jsonl', path.join(dir, 'nope.conll')), /nope\.conll: no such file\.$/],
      [cli('convert', '--to', 'jsonl', binary), /binary\.dat: .*binary/],
      [cli('convert', '--to', 'jsonl', empty), /empty\.jsonl: the file is empty/],
      [cli('convert', '--to', 'jsonl', dir), /a directory, not a regular file/],
      [withInput('', 'convert', '--to', 'jsonl', '-'), /<stdin>: empty\.$/],
      [
        withInput(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), 'convert', '--to', 'jsonl', '-'),
        /<stdin>: not valid UTF-8/,
      ],
    ];
    for (const [run, message] of cases) {
      const r = await run;
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr.trim(), /^entity-lens: /);
      assert.match(r.stderr.trim(), message);
      assertNoStack(r.stderr);
    }
  });

  test('an output file that cannot be written: exit 1, one line naming it', async () => {
    const out = path.join(dir, 'no-such-folder', 'out.jsonl');
    const r = await cli('convert', '--to', 'jsonl', jsonlFile, out);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes('out.jsonl'), r.stderr);
    assertNoStack(r.stderr);
  });

  test('usage mistakes: exit 2 with the usage line', async () => {
    const cases: [string[], RegExp][] = [
      [['convert', jsonlFile], /--to is required/],
      [['convert', '--to', 'xml', jsonlFile], /--to must be one of jsonl, spacy, conll, not "xml"/],
      [['convert', '--to', 'jsonl'], /missing IN/],
      [['convert', '--to', 'jsonl', 'a', 'b', 'c'], /unexpected argument "c"/],
      [['convert', '--to', 'jsonl', jsonlFile, jsonlFile], /OUT is IN/],
      [['convert', '--too', 'jsonl', jsonlFile], /unknown option --too \(did you mean --to\?\)/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /^usage: entity-lens convert /m);
    }
    assert.ok((await fs.readFile(jsonlFile, 'utf8')).length > 0, 'IN is untouched');
  });

  test('--help from the command spec; the global usage lists the command', async () => {
    const help = await cli('convert', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: entity-lens convert --to jsonl\|spacy\|conll/);
    assert.match(help.stdout, /^ {2}--to jsonl\|spacy\|conll\s+output format \(required\)$/m);
    assert.match(help.stdout, /^ {2}--strict\s/m);
    assert.match(help.stdout, /^examples:$/m);
    const global = await cli('--help');
    assert.match(global.stdout, /^ {2}convert\s+Convert annotated documents/m);
  });
});
