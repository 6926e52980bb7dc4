// The entity-lens command line, run as a child process on tiny synthetic contracts: train a
// small model once, then tag, eval and export with it, and check the failure paths (bad
// files, bad flags, Ctrl-C) exit with the right code and a one-line message.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { UsageError, parseArgs, type CommandSpec } from '../../src/cli/args';
import { TrainingProgress } from '../../src/cli/progress';
import { displayText, formatTable } from '../../src/cli/commands/tag';
import type { AnnotatedDocument } from '../../src/model/core/types';
import { syntheticContracts } from '../fixtures/contracts';
import { SHIM, assertNoStack, cli, escapeRegExp as escape, finish, start, type Result } from '../fixtures/cli';

/** Runs the CLI with `input` on its standard input. */
function cliWithInput(input: Buffer | string, ...args: string[]): Promise<Result> {
  return finish(start(args, { stdin: input }));
}

// ---------------------------------------------------------------------------
// Synthetic contracts (the generator every test trains on)

const trainDocs = syntheticContracts(40, 7);
const devDocs = syntheticContracts(10, 99);
const jsonl = (docs: AnnotatedDocument[]): string => docs.map((d) => JSON.stringify(d)).join('\n') + '\n';

// ---------------------------------------------------------------------------

let dir: string;
let modelDir: string;
let trainFile: string;
let devFile: string;
let trainRun: Result;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-cli-'));
  trainFile = path.join(dir, 'train.jsonl');
  devFile = path.join(dir, 'dev.jsonl');
  modelDir = path.join(dir, 'model');
  const lines = jsonl(trainDocs).split('\n');
  // line 7 is torn: a warning, and the other 39 records still train
  lines.splice(6, 0, '{"text": "This Agreement is made on", "spans": [');
  await fs.writeFile(trainFile, lines.join('\n'));
  await fs.writeFile(devFile, jsonl(devDocs));
  // small batches and a high learning rate: 2 epochs are enough to find entities
  trainRun = await cli(
    'train',
    '--data',
    trainFile,
    '--dev',
    devFile,
    '--out',
    modelDir,
    '--epochs',
    '2',
    '--hidden',
    '16',
    '--batch-size',
    '4',
    '--lr',
    '0.01',
    '--complete',
    'PARTY,DATE',
    '--seed',
    '3',
  );
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('train', () => {
  test('writes a model folder, reports the dev scores and where the model is', async () => {
    assert.equal(trainRun.code, 0, trainRun.stderr);
    for (const f of ['model.json', 'model.onnx', 'vocab.json', 'weights.bin']) {
      assert.ok((await fs.stat(path.join(modelDir, f))).size > 0, `${f} is missing`);
    }
    assert.match(trainRun.stdout, /^PARTY\s/m);
    assert.match(trainRun.stdout, /^DATE\s/m);
    assert.ok(trainRun.stdout.includes(`Model saved to ${modelDir}`), trainRun.stdout);
    // non-TTY progress: plain lines, one per epoch
    assert.match(trainRun.stderr, /^epoch 1\/2 .*dev F1/m);
    assert.match(trainRun.stderr, /^epoch 2\/2 /m);
    assert.doesNotMatch(trainRun.stderr, /\r|\x1b\[/);
  });

  test('a malformed JSONL line is a warning with its line number; training still happens', () => {
    assert.match(trainRun.stderr, new RegExp(`^${escape(trainFile)}:7: invalid JSON`, 'm'));
    assert.match(trainRun.stderr, /Training on 40 documents/);
    assertNoStack(trainRun.stderr);
  });

  test('--line-features: the model reads line features (format 2) and tags', async () => {
    const out = path.join(dir, 'lines');
    const r = await cli(
      'train',
      '--data',
      trainFile,
      '--dev',
      devFile,
      '--out',
      out,
      '--epochs',
      '1',
      '--hidden',
      '8',
      '--line-features',
      '--seed',
      '3',
    );
    assert.equal(r.code, 0, r.stderr);
    const manifest = JSON.parse(await fs.readFile(path.join(out, 'model.json'), 'utf8'));
    assert.equal(manifest.format, 2);
    assert.equal(manifest.config.features, 'lines-1');
    const text = path.join(dir, 'lines.txt');
    await fs.writeFile(text, 'This Agreement is made on March 3, 2021\nbetween Globex GmbH and Initech Ltd.\n');
    const tagged = await cli('tag', '--json', '--model', out, text);
    assert.equal(tagged.code, 0, tagged.stderr);
    assert.ok(Array.isArray(JSON.parse(tagged.stdout).entities));
  });

  test('refuses a file with no valid record', async () => {
    const bad = path.join(dir, 'all-bad.jsonl');
    await fs.writeFile(bad, '{"text": 1}\nnot json\n');
    const r = await cli('train', '--data', bad, '--dev', devFile, '--out', path.join(dir, 'never'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /all-bad\.jsonl:1: "text" must be a string/);
    assert.match(r.stderr, /all-bad\.jsonl:2: invalid JSON/);
    assert.match(r.stderr, /^entity-lens: .*all-bad\.jsonl: no valid record/m);
    assertNoStack(r.stderr);
    await assert.rejects(fs.stat(path.join(dir, 'never')));
  });

  test('a missing --data file: one line, exit 1', async () => {
    const r = await cli(
      'train',
      '--data',
      path.join(dir, 'nope.jsonl'),
      '--dev',
      devFile,
      '--out',
      path.join(dir, 'never'),
    );
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `entity-lens: ${path.join(dir, 'nope.jsonl')}: no such file.\n`);
  });

  test('refuses a --split that no record has', async () => {
    const r = await cli(
      'train',
      '--data',
      trainFile,
      '--split',
      'train',
      '--dev',
      devFile,
      '--out',
      path.join(dir, 'never'),
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /none of its 40 records has "split": "train"/);
  });

  test('refuses to replace a folder that is not a model', async () => {
    const notModel = path.join(dir, 'documents');
    await fs.mkdir(notModel);
    await fs.writeFile(path.join(notModel, 'keep.txt'), 'mine');
    const r = await cli('train', '--data', trainFile, '--dev', devFile, '--out', notModel);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not empty and holds no model/);
    assert.equal(await fs.readFile(path.join(notModel, 'keep.txt'), 'utf8'), 'mine');
  });

  test('Ctrl-C stops at the next batch and keeps the last good model', async () => {
    const out = path.join(dir, 'interrupted');
    // the training file three times, in batches of 2: epochs long enough to interrupt one
    const child = start([
      'train',
      '--data',
      trainFile,
      '--data',
      trainFile,
      '--data',
      trainFile,
      '--dev',
      devFile,
      '--out',
      out,
      '--epochs',
      '200',
      '--hidden',
      '8',
      '--batch-size',
      '2',
    ]);
    let sent = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      // after the first saved epoch
      if (!sent && /saved/.test(chunk.toString())) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const r = await finish(child);
    assert.ok(sent, r.stderr);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /Stopping at the next batch; the last good model in .* is kept/);
    assert.match(r.stderr, /Training cancelled\. The best model so far \(epoch \d+/);
    assert.ok((await fs.stat(path.join(out, 'model.json'))).isFile());
    assertNoStack(r.stderr);
  });
});

describe('tag', () => {
  // non-ASCII before the entities: offsets must count UTF-16 code units
  const content =
    '📄 Société Générale draft\r\nThis Agreement is made on March 3, 2021 between Acme Corp and Beta LLC.\n' +
    'Zeta Software Ltd shall deliver the goods to Northwind Traders Inc no later than June 30, 2022.\n';

  test('--json: one object per file; every entity text is content.slice(start, end)', async () => {
    const file = path.join(dir, 'contract.txt');
    await fs.writeFile(file, content);
    const r = await cli('tag', '--json', '--model', modelDir, file);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]) as {
      file: string;
      entities: { label: string; start: number; end: number; text: string; confidence: number; source: string }[];
    };
    assert.equal(out.file, file);
    assert.ok(out.entities.length > 0, 'the model found nothing');
    for (const e of out.entities) {
      assert.deepEqual(Object.keys(e), ['label', 'start', 'end', 'text', 'confidence', 'source']);
      assert.ok(['model', 'rules', 'document'].includes(e.source), e.source);
      assert.equal(e.text, content.slice(e.start, e.end));
      assert.ok(['PARTY', 'DATE'].includes(e.label));
      assert.ok(e.confidence >= 0 && e.confidence <= 1);
    }
    // after the emoji (2 UTF-16 code units) and the CRLF: offsets must still line up
    assert.ok(
      out.entities.some((e) => e.label === 'DATE' && e.start > content.indexOf('This') && /\d{4}$/.test(e.text)),
      r.stdout,
    );
  });

  test("--threads 2: each file's windows on two worker threads, the same output as one; refused with --jsonl", async () => {
    const file = path.join(dir, 'contract-threads.txt');
    await fs.writeFile(file, Array(40).fill(content).join('\n'));
    const one = await cli('tag', '--json', '--model', modelDir, file);
    const two = await cli('tag', '--json', '--threads', '2', '--model', modelDir, file);
    assert.equal(two.code, 0, two.stderr);
    assert.ok(JSON.parse(one.stdout).entities.length > 40, one.stdout);
    assert.equal(two.stdout, one.stdout);
    const stream = await cli('tag', '--jsonl', '--threads', '2', '--model', modelDir);
    assert.equal(stream.code, 2);
    assert.match(stream.stderr, /--threads is for files/);
  });

  test('table: a header naming the file, one row per entity', async () => {
    const file = path.join(dir, 'contract2.txt');
    await fs.writeFile(file, content);
    const r = await cli('tag', '--model', modelDir, file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${escape(file)}: \\d+ entit`));
    assert.match(r.stdout, /^ {2}label\s+start-end\s+conf\s+by\s+text$/m);
    assert.match(r.stdout, /^ {2}(PARTY|DATE)\s+\d+-\d+\s+[01]\.\d{3}\s+\S/m);
  });

  test('bad files: one line each naming the file, the good file still tagged, exit 1', async () => {
    const good = path.join(dir, 'good.txt');
    const missing = path.join(dir, 'missing.txt');
    const binary = path.join(dir, 'binary.dat');
    const shiftJis = path.join(dir, 'shift-jis.txt');
    const empty = path.join(dir, 'empty.txt');
    const folder = path.join(dir, 'a-folder');
    await fs.writeFile(good, content);
    await fs.writeFile(binary, Buffer.from([0x41, 0x42, 0x00, 0x01, 0x02, 0x00, 0x43, 0x44]));
    // 契約書 (contract) in Shift-JIS: neither UTF-8 nor 8-bit Western text
    await fs.writeFile(shiftJis, Buffer.from([0x8c, 0x5f, 0x96, 0xf1, 0x8f, 0x91, 0x0a]));
    await fs.writeFile(empty, '');
    await fs.mkdir(folder);
    const r = await cli('tag', '--json', '--model', modelDir, missing, binary, good, shiftJis, empty, folder);
    assert.equal(r.code, 1);
    assertNoStack(r.stderr);
    const errors = r.stderr.trim().split('\n');
    assert.equal(errors.length, 5, r.stderr);
    const expected: [string, RegExp][] = [
      [missing, /no such file/],
      [binary, /binary/],
      [shiftJis, /not valid UTF-8 .*Windows-1252/],
      [empty, /empty/],
      [folder, /directory/],
    ];
    expected.forEach(([file, reason], i) => {
      assert.ok(errors[i].startsWith(`entity-lens: ${file}: `), errors[i]);
      assert.match(errors[i], reason);
    });
    const outputs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string });
    assert.deepEqual(
      outputs.map((o) => o.file),
      [good],
    );
  });

  test('"-" reads the text from standard input', async () => {
    const r = await cliWithInput(content, 'tag', '--json', '--model', modelDir, '-');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout.trim()) as {
      file: string;
      entities: { start: number; end: number; text: string }[];
    };
    assert.equal(out.file, '-');
    assert.ok(out.entities.length > 0, 'nothing found on stdin');
    for (const e of out.entities) assert.equal(e.text, content.slice(e.start, e.end));
    const table = await cliWithInput(content, 'tag', '--model', modelDir, '-');
    assert.match(table.stdout, /^stdin: \d+ entit/);
    const empty = await cliWithInput('', 'tag', '--model', modelDir, '-');
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /^entity-lens: stdin: the file is empty/);
  });

  test('Latin-1 and UTF-16 files are decoded with a note; offsets count UTF-16 units of the decoded text', async () => {
    const text = 'Vertrag für Müller GmbH — café\r\n' + content;
    // Windows-1252: "—" is 0x97, "é" 0xE9, "ü" 0xFC; one byte per character
    const cp1252 = Buffer.from(text.replace('—', '\u0097'), 'latin1');
    assert.equal(cp1252.length, text.length);
    const latin1 = path.join(dir, 'latin1.txt');
    await fs.writeFile(latin1, cp1252);
    // UTF-16LE with a BOM, and an emoji (two code units, four bytes)
    const wide = `📄 ${text}`;
    const utf16 = path.join(dir, 'utf16.txt');
    await fs.writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(wide, 'utf16le')]));
    const r = await cli('tag', '--json', '--model', modelDir, latin1, utf16);
    assert.equal(r.code, 0, r.stderr);
    const notes = r.stderr.trim().split('\n');
    assert.equal(notes.length, 2, r.stderr);
    assert.match(notes[0], new RegExp(`^entity-lens: note: ${escape(latin1)}: not UTF-8 .*read as Windows-1252`));
    assert.match(notes[1], new RegExp(`^entity-lens: note: ${escape(utf16)}: read as UTF-16LE`));
    const [a, b] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { entities: { label: string; start: number; end: number; text: string }[] });
    assert.ok(a.entities.length > 0 && b.entities.length > 0, r.stdout);
    for (const e of a.entities) assert.equal(e.text, text.slice(e.start, e.end));
    for (const e of b.entities) assert.equal(e.text, wide.slice(e.start, e.end));
    // the same entities, two code units further on in the UTF-16 file
    assert.deepEqual(
      b.entities.map((e) => [e.label, e.start - 3, e.end - 3]),
      a.entities.map((e) => [e.label, e.start, e.end]),
    );
  });

  test('a missing model folder: a clear message, exit 2', async () => {
    const file = path.join(dir, 'contract.txt');
    const r = await cli('tag', '--model', path.join(dir, 'no-model'), file);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^entity-lens: .*no-model: no such model folder/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  test('a folder that is not a model: exit 2', async () => {
    const r = await cli('tag', '--model', path.join(dir, 'a-folder'), path.join(dir, 'contract.txt'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not an Entity Lens model \(no model\.json\)/);
  });
});

describe('inputs that are not regular files', () => {
  test('tag, train and eval refuse a named pipe (FIFO) at once instead of waiting for a writer', async () => {
    const fifo = path.join(dir, 'pipe.jsonl');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const runs = await Promise.all([
      finish(start(['tag', '--model', modelDir, fifo]), 15_000),
      finish(start(['train', '--data', fifo, '--dev', devFile, '--out', path.join(dir, 'never')]), 15_000),
      finish(start(['train', '--data', trainFile, '--dev', fifo, '--out', path.join(dir, 'never')]), 15_000),
      finish(start(['eval', '--model', modelDir, '--data', fifo]), 15_000),
    ]);
    for (const r of runs) {
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /pipe\.jsonl: this is a named pipe \(FIFO\), not a regular file/);
      assertNoStack(r.stderr);
    }
    await assert.rejects(fs.stat(path.join(dir, 'never')));
  });

  test('label flags follow the label grammar: a usage error saying why, exit 2', async () => {
    const r = await cli(
      'train',
      '--data',
      trainFile,
      '--dev',
      devFile,
      '--out',
      path.join(dir, 'never'),
      '--labels',
      'PARTY,due-date',
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^entity-lens: train: --labels: "due-date" is not a valid label .*; use DUE_DATE\n/);
    const e = await cli('eval', '--model', modelDir, '--data', devFile, '--recall-only', '\u001b[31mX');
    assert.equal(e.code, 2);
    assert.match(e.stderr, /--recall-only: "\\u001b\[31mX" is not a valid label/);
  });

  test('a PNG given as --data is named as an image', async () => {
    const png = path.join(dir, 'scan.png');
    const header = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    await fs.writeFile(png, Buffer.from([...header, ...Array.from({ length: 200 }, (_, i) => i)]));
    const r = await cli('train', '--data', png, '--dev', devFile, '--out', path.join(dir, 'never'));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `entity-lens: ${png}: looks like a PNG image; run OCR on it and open the text.\n`);
  });
});

describe('eval and export', () => {
  test('eval prints the per-label report', async () => {
    const r = await cli('eval', '--model', modelDir, '--data', devFile, '--confusion');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^PARTY\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}\s+\d+$/m);
    assert.match(r.stdout, /^micro\s/m);
    assert.match(r.stdout, /^gold \\ pred/m);
  });

  test('eval: a label the data has no spans of prints n/a and stays out of the macro average', async () => {
    const datesOnly = path.join(dir, 'dates-only.jsonl');
    const docs = syntheticContracts(10, 99).map((d) => ({ ...d, spans: d.spans.filter((s) => s.label === 'DATE') }));
    await fs.writeFile(datesOnly, jsonl(docs));
    const r = await cli('eval', '--model', modelDir, '--data', datesOnly);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^PARTY\s+\d\.\d{4}\s+n\/a\s+n\/a\s+0$/m);
    const support = docs.reduce((n, d) => n + d.spans.length, 0);
    const date = new RegExp(`^DATE\\s+(\\d\\.\\d{4})\\s+(\\d\\.\\d{4})\\s+(\\d\\.\\d{4})\\s+${support}$`, 'm').exec(
      r.stdout,
    );
    assert.ok(date, r.stdout);
    // macro = DATE's own scores: PARTY (no support) is not averaged in as zeros
    assert.match(
      r.stdout,
      new RegExp(`^macro\\s+${escape(date[1])}\\s+${escape(date[2])}\\s+${escape(date[3])}\\s+${support}$`, 'm'),
    );
    assert.match(r.stdout, /n\/a: no gold spans of PARTY/);
    assert.doesNotMatch(r.stdout, /^PARTY.*0\.0000\s+0\.0000/m);
  });

  test('eval --json prints the EvalReport; --recall-only leaves precision out', async () => {
    const r = await cli('eval', '--model', modelDir, '--data', devFile, '--json', '--recall-only', 'DATE');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      labels: { label: string; precision: number | null; support: number }[];
      recallOnly: string[];
    };
    const byLabel = new Map(report.labels.map((l) => [l.label, l]));
    assert.equal(byLabel.get('DATE')?.precision, null);
    assert.equal(typeof byLabel.get('PARTY')?.precision, 'number');
    const dates = devDocs.reduce((n, d) => n + d.spans.filter((s) => s.label === 'DATE').length, 0);
    assert.ok(dates > 10, `${dates} dates`);
    assert.equal(byLabel.get('DATE')?.support, dates);
    assert.deepEqual(report.recallOnly, ['DATE']);
  });

  test('export writes the ONNX file and prints its path and size', async () => {
    const out = path.join(dir, 'exported.onnx');
    const r = await cli('export', '--model', modelDir, '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const size = (await fs.stat(out)).size;
    assert.ok(size > 1000);
    assert.ok(r.stdout.startsWith(`${out} (`), r.stdout);
    // the same graph the model folder holds
    assert.deepEqual(await fs.readFile(out), await fs.readFile(path.join(modelDir, 'model.onnx')));
  });
});

describe('command line', () => {
  test('unknown flag: usage on stderr, exit 2', async () => {
    const r = await cli('tag', '--jsno', 'x.txt');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option --jsno \(did you mean --json\?\)/);
    assert.match(r.stderr, /^usage: entity-lens tag /m);
    assert.equal(r.stdout, '');
  });

  test('unknown command, no command, bad value: exit 2', async () => {
    const unknown = await cli('tga', 'x.txt');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "tga" \(did you mean tag\?\)/);
    assert.equal((await cli()).code, 2);
    const badValue = await cli('train', '--data', 'a.jsonl', '--dev', 'b.jsonl', '--out', 'x', '--layers', '3');
    assert.equal(badValue.code, 2);
    assert.match(badValue.stderr, /--layers must be at most 2/);
    const missing = await cli('eval', '--model', 'm');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--data is required/);
  });

  test('--help and --version', async () => {
    const help = await cli('train', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--recall-only L1,L2/);
    const version = await cli('--version');
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^entity-lens \d+\.\d+\.\d+/);
  });

  test('bin/entity-lens.js starts the CLI', async () => {
    const r = await finish(start(['--version'], { script: SHIM }));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^entity-lens \d/);
  });
});

describe('pieces, in process', () => {
  const spec: CommandSpec = {
    name: 'demo',
    summary: '',
    synopsis: 'demo FILE...',
    positional: { name: 'FILE', min: 1 },
    flags: {
      data: { kind: 'string', repeatable: true, required: true, description: '' },
      epochs: { kind: 'int', min: 1, description: '' },
      lr: { kind: 'number', min: 0, minExclusive: true, description: '' },
      labels: { kind: 'list', description: '' },
      cell: { kind: 'choice', choices: ['lstm', 'gru'], description: '' },
      json: { kind: 'boolean', description: '' },
    },
  };
  const parse = (...argv: string[]) => {
    const r = parseArgs(argv, spec);
    assert.equal(r.help, false);
    return (r as { help: false; args: import('../../src/cli/args').ParsedArgs }).args;
  };

  test('parseArgs: forms, repeats, lists, choices, --', () => {
    const a = parse(
      '--data',
      'a.jsonl',
      '--data=b.jsonl',
      'x.txt',
      '--epochs',
      '3',
      '--lr=1e-3',
      '--labels',
      'PARTY,DATE',
      '--labels',
      'DATE,AMOUNT',
      '--cell',
      'GRU',
      '--json',
      '--',
      '--not-a-flag',
    );
    assert.deepEqual(a.strings('data'), ['a.jsonl', 'b.jsonl']);
    assert.equal(a.number('epochs'), 3);
    assert.equal(a.number('lr'), 0.001);
    assert.deepEqual(a.list('labels'), ['PARTY', 'DATE', 'AMOUNT']);
    assert.equal(a.choice('cell'), 'gru');
    assert.equal(a.flag('json'), true);
    assert.deepEqual(a.positionals, ['x.txt', '--not-a-flag']);
  });

  test('parseArgs: mistakes are UsageErrors', () => {
    const bad: [string[], RegExp][] = [
      [['x', '--data', 'a', '--epochs', '0'], /--epochs must be at least 1/],
      [['x', '--data', 'a', '--epochs', '2.5'], /whole number/],
      [['x', '--data', 'a', '--lr', '0'], /--lr must be above 0/],
      [['x', '--data', 'a', '--lr', '0x10'], /must be a number/],
      [['x', '--data', 'a', '--cell', 'rnn'], /one of lstm, gru/],
      [['x', '--data', 'a', '--json=yes'], /takes no value/],
      [['x', '--data', 'a', '--epochs', '1', '--epochs', '2'], /given twice/],
      [['x', '--data', '--json'], /--data needs a value/],
      [['x'], /--data is required/],
      [['--data', 'a'], /missing FILE/],
      [['x', '--data', 'a', '-j'], /unknown option -j/],
    ];
    for (const [argv, message] of bad) {
      assert.throws(
        () => parseArgs(argv, spec),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
        argv.join(' '),
      );
    }
    assert.deepEqual(parseArgs(['--epochs', 'nonsense', '--help'], spec), { help: true });
  });

  test('progress: plain lines per 10% and per epoch when not a TTY; a fitted bar on a TTY', () => {
    let written = '';
    const stream = { write: (s: string) => ((written += s), true), isTTY: false };
    const progress = new TrainingProgress(stream);
    for (let step = 1; step <= 100; step += 10) {
      progress.update({ epoch: 1, epochs: 2, step, steps: 100, loss: 1.5, sentencesPerSecond: 50, etaSeconds: 90 });
    }
    progress.epoch({ epoch: 1, loss: 1.2, devF1: 0.5, seconds: 12, sentencesPerSecond: 50 }, true, 2);
    const lines = written.trim().split('\n');
    assert.equal(lines.length, 10, written); // 10%..90%, then the epoch
    assert.match(lines[0], /^epoch 1\/2 {2}11% \(11\/100\) {2}loss 1\.500 {2}50 sent\/s {2}ETA 1m30s$/);
    assert.match(
      lines[9],
      /^epoch 1\/2 {2}loss 1\.200 {2}dev F1 0\.5000 {2}12s {2}50 sent\/s {2}\(best so far, saved\)$/,
    );

    const tty = new TrainingProgress({ write: () => true, isTTY: true, columns: 100 });
    const p = {
      epoch: 3,
      epochs: 10,
      step: 50,
      steps: 200,
      loss: 0.25,
      sentencesPerSecond: 120,
      etaSeconds: 400,
      devF1: 0.8125,
    };
    const bar = tty.barLine(p, 100);
    assert.ok(bar.length <= 99, bar);
    assert.match(bar, /^epoch 3\/10 \[#+-+\] 50\/200 {2}loss 0\.250 {2}dev F1 0\.813 {2}120 sent\/s {2}ETA 6m40s$/);
    assert.ok(tty.barLine(p, 40).length <= 39);
  });

  test('formatTable: a document with 300,000 entities (more than a call takes as arguments)', () => {
    const entities = Array.from({ length: 300_000 }, (_, i) => ({
      label: 'DATE',
      start: i * 10,
      end: i * 10 + 8,
      text: '5/5/2024',
      confidence: 1,
    }));
    const table = formatTable('big.txt', entities);
    assert.ok(table.startsWith('big.txt: 300000 entities\n'));
  });

  test('displayText: line breaks as ⏎, at most 60 characters, surrogate pairs kept whole', () => {
    assert.equal(displayText('Acme\r\nCorp\nLtd'), 'Acme⏎Corp⏎Ltd');
    const long = '📄'.repeat(70);
    const shown = displayText(long);
    assert.equal(Array.from(shown).length, 60);
    assert.ok(shown.endsWith('📄…'));
  });
});
