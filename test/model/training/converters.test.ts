// Exchange formats: spaCy-style JSONL, the project's JSONL and CoNLL (BILOU) round trips,
// odd spacing and astral characters, and bad input reported as FILE:LINE problems.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fromConll, fromJsonl, toConllBilou, toJsonl, toSpacyJsonl } from '../../../src/model/training/converters';
import { tokenize } from '../../../src/model/text/tokenizer';
import type { AnnotatedDocument, Span } from '../../../src/model/core/types';
import { syntheticContracts } from '../../fixtures/contracts';

/** A span over the first occurrence of `part` in `text`. */
function at(text: string, part: string, label: string): Span {
  const start = text.indexOf(part);
  assert.ok(start >= 0, part);
  return { start, end: start + part.length, label };
}

const oddText = 'Acme  Corp.\tsigned on\r\nMay 5, 2024 📄 with Beta\u00a0LLC. 😀Zeta\u200bSoft GmbH pays €5.';
const odd: AnnotatedDocument = {
  id: 'odd',
  text: oddText,
  spans: [
    at(oddText, 'Acme  Corp.', 'PARTY'),
    at(oddText, 'May 5, 2024', 'DATE'),
    at(oddText, 'Beta\u00a0LLC.', 'PARTY'),
    at(oddText, 'Zeta\u200bSoft GmbH', 'PARTY'),
  ],
  reviewed: [{ start: 0, end: 40 }],
  complete: ['PARTY'],
};

/** Each span's text as the tokens inside it, joined by single spaces (what CoNLL keeps of it). */
function tokenTexts(d: AnnotatedDocument): string[] {
  const tokens = tokenize(d.text);
  return d.spans.map(
    (s) =>
      `${s.label}:${tokens
        .filter((t) => t.start < s.end && t.end > s.start)
        .map((t) => t.text)
        .join(' ')}`,
  );
}

describe('spaCy-style JSONL', () => {
  test('round trip: text, spans, id, reviewed ranges and complete labels come back exactly', () => {
    const docs = [odd, ...syntheticContracts(5, 3), { id: 'empty-spans', text: 'Nothing here.', spans: [] }];
    const out = toSpacyJsonl(docs);
    assert.equal(out.split('\n').length, docs.length + 1, 'one line per document, a final newline');
    const back = fromJsonl(out, 'a.jsonl');
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.docs, docs);
  });

  test('the line format: text, entities as [start, end, label], meta', () => {
    const line = JSON.parse(toSpacyJsonl([odd]).trim()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(line), ['text', 'entities', 'meta']);
    assert.deepEqual((line.entities as unknown[])[0], [0, 11, 'PARTY']);
    assert.deepEqual(line.meta, { id: 'odd', reviewed: [[0, 40]], complete: ['PARTY'] });
  });

  test('doccano\'s "label", numeric ids, entity objects and a top-level id are read', () => {
    const text = [
      JSON.stringify({ id: 12, text: 'Acme pays.', label: [[0, 4, 'PARTY']] }),
      JSON.stringify({ text: 'Beta pays.', entities: [{ start: 0, end: 4, label: 'PARTY' }], meta: { id: 'm1' } }),
      JSON.stringify({ id: 'top', text: 'Gamma pays.', entities: [], meta: { id: 'ignored' } }),
    ].join('\n');
    const r = fromJsonl(text, 'd.jsonl');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.docs.map((d) => [d.id, d.spans.length]),
      [
        ['12', 1],
        ['m1', 1],
        ['top', 0],
      ],
    );
  });
});

describe("the project's JSONL", () => {
  test('round trip keeps source and split; field order fixed', () => {
    const docs: AnnotatedDocument[] = [
      { ...odd, source: 'cuad', split: 'dev' },
      { id: 'b', text: 'B.', spans: [], complete: 'all' },
    ];
    const out = toJsonl(docs);
    assert.deepEqual(Object.keys(JSON.parse(out.split('\n')[0]) as object), [
      'id',
      'text',
      'spans',
      'source',
      'split',
      'complete',
      'reviewed',
    ]);
    const back = fromJsonl(out, 'own.jsonl');
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.docs, docs);
  });
});

describe('judged ranges in both JSONL formats', () => {
  const doc: AnnotatedDocument = {
    id: 'j',
    text: 'Acme Corp. pays Beta LLC on 1 May.',
    spans: [{ start: 0, end: 10, label: 'PARTY' }],
    judged: [
      { start: 0, end: 24, label: 'PARTY' },
      { start: 25, end: 34, label: 'DATE' },
    ],
  };

  test('spaCy style: meta.judged as [start, end, label]; a round trip gives the record back', () => {
    const out = toSpacyJsonl([doc]);
    assert.deepEqual((JSON.parse(out) as { meta: unknown }).meta, {
      id: 'j',
      judged: [
        [0, 24, 'PARTY'],
        [25, 34, 'DATE'],
      ],
    });
    assert.deepEqual(fromJsonl(out, 's.jsonl'), { docs: [doc], problems: [] });
  });

  test("the project's JSONL: judged after reviewed, then silver; a round trip gives the record back", () => {
    const full = { ...doc, reviewed: [{ start: 0, end: 5 }], silver: [{ start: 28, end: 33, label: 'DATE' }] };
    const out = toJsonl([full]);
    assert.deepEqual(Object.keys(JSON.parse(out) as object), ['id', 'text', 'spans', 'reviewed', 'judged', 'silver']);
    assert.deepEqual(fromJsonl(out, 'own.jsonl').docs, [full]);
  });

  test('a judged range with a bad label or outside the text is a problem of its line', () => {
    const lines = [
      JSON.stringify({ text: 'abc', entities: [], meta: { judged: [[0, 2, 'party']] } }),
      JSON.stringify({ id: 'x', text: 'abc', spans: [], judged: [{ start: 0, end: 7, label: 'DATE' }] }),
    ].join('\n');
    const r = fromJsonl(lines, 'bad.jsonl');
    assert.deepEqual(r.docs, []);
    assert.match(r.problems[0], /^bad\.jsonl:1: .*judged\[0\]\.label: "party" is not a valid label/);
    assert.match(r.problems[1], /^bad\.jsonl:2: .*judged\[0\]\.end is 7, past the end/);
  });
});

describe('fromJsonl: bad input', () => {
  test('each bad line is a FILE:LINE problem; the good lines are still read', () => {
    const lines = [
      '{"text": "ab", "entities": [[0, 5, "X"]]}',
      '',
      'not json',
      '{"text": "abc", "entities": [[0, 1, "X"], [0, 2, "Y"]]}',
      '[1, 2]',
      '{"entities": []}',
      '{"text": "a b", "label": [[0, 1, "L"]]}',
      '{"text": "ok", "entities": [], "meta": {"reviewed": "all"}}',
    ];
    const r = fromJsonl(lines.join('\r\n'), 'in.jsonl');
    assert.deepEqual(
      r.docs.map((d) => d.text),
      ['abc', 'a b'],
    );
    assert.equal(r.docs[0].id, 'in.jsonl:4', 'no id: file and line');
    assert.deepEqual(r.docs[0].spans, [{ start: 0, end: 1, label: 'X' }], 'the overlapping span is dropped');
    const where = r.problems.map((p) => p.split(': ')[0]);
    assert.deepEqual(where, ['in.jsonl:1', 'in.jsonl:3', 'in.jsonl:4', 'in.jsonl:5', 'in.jsonl:6', 'in.jsonl:8']);
    assert.match(r.problems[0], /past the end of the text/);
    assert.match(r.problems[1], /^in\.jsonl:3: invalid JSON \(/);
    assert.match(r.problems[2], /overlaps/);
    assert.match(r.problems[3], /expected a JSON object/);
    assert.match(r.problems[4], /missing "text"/);
    assert.match(r.problems[5], /"reviewed" must be an array/);
    for (const p of r.problems) assert.ok(!p.includes('\n'), 'one line each');
  });

  test('a UTF-8 byte-order mark and empty input', () => {
    const r = fromJsonl('\ufeff{"text": "Acme.", "entities": [[0, 4, "PARTY"]]}\n', 'bom.jsonl');
    assert.deepEqual(r.problems, []);
    assert.equal(r.docs[0].text, 'Acme.');
    assert.deepEqual(fromJsonl('', 'e.jsonl'), { docs: [], problems: [] });
    assert.deepEqual(fromJsonl('\n\r\n  \n', 'e.jsonl'), { docs: [], problems: [] });
  });
});

describe('CoNLL (BILOU)', () => {
  test('export: a DOCSTART line per document, token<TAB>tag, a blank line after each sentence', () => {
    const text = 'Acme Corp. pays on May 5, 2024. Beta LLC agrees.';
    const doc: AnnotatedDocument = {
      id: 'x',
      text,
      spans: [at(text, 'Acme Corp.', 'PARTY'), at(text, 'May 5, 2024', 'DATE'), at(text, 'Beta', 'PARTY')],
    };
    assert.equal(
      toConllBilou([doc]),
      [
        '-DOCSTART-\tO',
        '',
        'Acme\tB-PARTY',
        'Corp.\tL-PARTY',
        'pays\tO',
        'on\tO',
        'May\tB-DATE',
        '5\tI-DATE',
        ',\tI-DATE',
        '2024\tL-DATE',
        '.\tO',
        '',
        'Beta\tU-PARTY',
        'LLC\tO',
        'agrees\tO',
        '.\tO',
        '',
      ].join('\n'),
    );
  });

  test('odd spacing and astral characters: tokens hold no whitespace; labels and token texts come back', () => {
    const out = toConllBilou([odd]);
    for (const l of out.split('\n').filter((x) => x && !x.startsWith('-DOCSTART-'))) {
      assert.match(l, /^\S+\t(O|[BILU]-\w+)$/u, JSON.stringify(l));
    }
    assert.ok(out.includes('📄\tO'), 'an astral character is a token of its own');
    const back = fromConll(out, 'odd.conll');
    assert.deepEqual(back.problems, []);
    assert.equal(back.docs.length, 1);
    const doc = back.docs[0];
    assert.deepEqual(tokenTexts(doc), tokenTexts(odd));
    // offsets are UTF-16: every span's text is its tokens with single spaces
    assert.deepEqual(
      doc.spans.map((s) => `${s.label}:${doc.text.slice(s.start, s.end)}`),
      tokenTexts(odd),
    );
  });

  test('round trip of many documents: same count, labels and entity tokens; a second trip changes nothing', () => {
    const docs = syntheticContracts(30, 8);
    const once = fromConll(toConllBilou(docs), 'many.conll');
    assert.deepEqual(once.problems, []);
    assert.equal(once.docs.length, docs.length);
    once.docs.forEach((d, i) => {
      assert.equal(d.id, `many.conll#${i + 1}`);
      assert.deepEqual(
        d.spans.map((s) => `${s.label}:${d.text.slice(s.start, s.end)}`),
        tokenTexts(docs[i]),
      );
    });
    const twice = fromConll(toConllBilou(once.docs), 'many.conll');
    assert.deepEqual(twice.docs, once.docs);
  });

  test('a span that cuts a token takes the whole token; of two overlapping spans the first is kept', () => {
    const text = 'Acme Corp. pays.';
    const doc: AnnotatedDocument = {
      id: 'x',
      text,
      spans: [
        { start: 0, end: 8, label: 'PARTY' }, // "Acme Cor"
        { start: 5, end: 15, label: 'OTHER' },
      ],
    };
    const lines = toConllBilou([doc]).split('\n');
    assert.deepEqual(lines.slice(2, 5), ['Acme\tB-PARTY', 'Corp.\tL-PARTY', 'pays\tO']);
  });

  test('documents with no text or no tokens export no token lines', () => {
    assert.equal(toConllBilou([{ id: 'e', text: '', spans: [] }]), '-DOCSTART-\tO\n');
    assert.equal(toConllBilou([{ id: 'w', text: ' \r\n\t ', spans: [] }]), '-DOCSTART-\tO\n');
    assert.equal(toConllBilou([]), '');
    assert.equal(toSpacyJsonl([]), '');
    assert.equal(toJsonl([]), '');
  });
});

describe('fromConll: other taggings and bad lines', () => {
  test('BIO, IO and BIOES sentences, space-separated CoNLL-2003 columns, -DOCSTART- -X- O O', () => {
    const text = [
      '-DOCSTART- -X- O O',
      '',
      'EU NNP B-NP B-ORG',
      'rejects VBZ B-VP O',
      'German JJ B-NP B-MISC',
      'call NN I-NP O',
      '',
      'Peter NNP B-NP I-PER',
      'Blackburn NNP I-NP I-PER',
      '',
      'New\tB-LOC',
      'York\tE-LOC',
      'and\tO',
      'Paris\tS-LOC',
      '',
    ].join('\n');
    const r = fromConll(text, 'c.conll');
    assert.deepEqual(r.problems, []);
    assert.equal(r.docs.length, 1);
    const d = r.docs[0];
    assert.equal(d.text, 'EU rejects German call\nPeter Blackburn\nNew York and Paris');
    assert.deepEqual(
      d.spans.map((s) => `${s.label}:${d.text.slice(s.start, s.end)}`),
      ['ORG:EU', 'MISC:German', 'PER:Peter Blackburn', 'LOC:New York', 'LOC:Paris'],
    );
  });

  test('comments are skipped, but a "#" token is a token', () => {
    const r = fromConll('# sent_id = 1\n# text = Invoice # 5\nInvoice\tO\n#\tB-ID\n5\tL-ID\n', 'h.conll');
    assert.deepEqual(r.problems, []);
    assert.equal(r.docs[0].text, 'Invoice # 5');
    assert.deepEqual(r.docs[0].spans, [{ start: 8, end: 11, label: 'ID' }]);
  });

  test('a line without a tag, and a tag that is not one: FILE:LINE problems; the rest is read', () => {
    const r = fromConll('Acme\tB-PARTY\nCorp\tL-PARTY\nlonely\n\nBeta\tX-PARTY\nLLC\tPARTY\npays\tO\n', 'dir/b.conll');
    assert.deepEqual(r.problems, [
      'dir/b.conll:3: expected "token<TAB>tag", found "lonely"',
      'dir/b.conll:5: "X-PARTY" is not a tag (expected O or e.g. B-PARTY); read as O',
      'dir/b.conll:6: "PARTY" is not a tag (expected O or e.g. B-PARTY); read as O',
    ]);
    assert.equal(r.docs.length, 1);
    assert.equal(r.docs[0].id, 'b.conll#1', 'the id names the file, not its folder');
    assert.equal(r.docs[0].text, 'Acme Corp\nBeta LLC pays');
    assert.deepEqual(r.docs[0].spans, [{ start: 0, end: 9, label: 'PARTY' }]);
  });

  test('invalid sequences are repaired as conlleval reads them', () => {
    const r = fromConll('A\tI-X\nB\tL-X\nC\tU-Y\nD\tB-X\nE\tU-Y\nF\tL-X\n', 'r.conll');
    assert.deepEqual(r.problems, []);
    const d = r.docs[0];
    assert.deepEqual(
      d.spans.map((s) => `${s.label}:${d.text.slice(s.start, s.end)}`),
      ['X:A B', 'Y:C', 'X:D', 'Y:E', 'X:F'],
    );
  });

  test('documents split at -DOCSTART-; CRLF, a byte-order mark, no final blank line', () => {
    const text = '\ufeff-DOCSTART-\tO\r\n\r\nAcme\tU-PARTY\r\n-DOCSTART-\tO\r\nBeta\tU-PARTY\r\nLLC\tO';
    const r = fromConll(text, 'w.conll');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.docs.map((d) => [d.id, d.text, d.spans.length]),
      [
        ['w.conll#1', 'Acme', 1],
        ['w.conll#2', 'Beta LLC', 1],
      ],
    );
  });

  test('empty input, blank lines, DOCSTART lines alone: no documents, no problems', () => {
    for (const text of ['', '\n\n', '-DOCSTART-\tO\n\n-DOCSTART-\tO\n']) {
      assert.deepEqual(fromConll(text, 'e.conll'), { docs: [], problems: [] }, JSON.stringify(text));
    }
  });
});

describe('labels are checked like at every other entry point', () => {
  test('fromConll: a sentence with an invalid label is a problem; the other sentences keep their spans', () => {
    const conll = ['Acme\tB-ORG', 'Corp\tL-ORG', 'pays\tO', '', 'Beta\tU-bad<label>', 'pays\tO', ''].join('\n');
    const { docs, problems } = fromConll(conll, 'in.conll');
    assert.equal(docs.length, 1);
    assert.deepEqual(
      docs[0].spans.map((s) => s.label),
      ['ORG'],
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^in\.conll:5: "bad<label>" is not a valid label.*; read as O$/);
  });

  test('fromJsonl: a spaCy record with an invalid label is a problem with its line number', () => {
    const lines = [
      JSON.stringify({ text: 'Acme pays', entities: [[0, 4, 'ORG']] }),
      JSON.stringify({ text: 'Beta pays', entities: [[0, 4, 'org name']] }),
    ].join('\n');
    const { docs, problems } = fromJsonl(lines, 'in.jsonl');
    assert.equal(docs.length, 1);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^in\.jsonl:2: spans\[0\]\.label: "org name" is not a valid label.*use ORG_NAME/);
  });
});
