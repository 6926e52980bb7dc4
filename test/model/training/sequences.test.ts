// Training sequences under partial supervision: which tags each token may still carry, given
// the record's gold spans, complete labels, reviewed ranges and per-label judged ranges.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { documentSequences, type SequenceOptions } from '../../../src/model/training/sequences';
import { tagNames } from '../../../src/model/text/tags';
import type { AnnotatedDocument } from '../../../src/model/core/types';

const labels = ['PARTY', 'DATE'];
const options: SequenceOptions = { labels, scheme: 'BILOU', partial: true, maxTokens: 60 };
const TAGS = tagNames(labels, 'BILOU');

/** The tags token `word` (its first occurrence) may carry, by name. */
function allowed(doc: AnnotatedDocument, word: string, o: SequenceOptions = options): string[] {
  const [seq] = documentSequences(doc, o);
  const t = seq.tokens.findIndex((tok) => tok.text === word);
  assert.ok(t >= 0, word);
  return TAGS.filter((_, j) => seq.mask[t * TAGS.length + j] === 1);
}

const text = 'Acme Corp. pays Beta LLC on 1 May 2024 in Paris.';
const acme = { start: 0, end: 10, label: 'PARTY' };
const DATE_TAGS = TAGS.filter((t) => t.endsWith('-DATE'));
const PARTY_TAGS = TAGS.filter((t) => t.endsWith('-PARTY'));

describe('documentSequences: judged ranges', () => {
  test('without marks an unlabelled token may be O or any tag; a gold token has its tag only', () => {
    const doc: AnnotatedDocument = { id: 'a', text, spans: [acme] };
    assert.deepEqual(allowed(doc, 'Beta'), TAGS);
    assert.deepEqual(allowed(doc, 'Acme'), ['B-PARTY']);
  });

  test("inside a label's judged range its tags leave the open set; other labels stay open", () => {
    const doc: AnnotatedDocument = { id: 'b', text, spans: [acme], judged: [{ start: 0, end: 24, label: 'PARTY' }] };
    assert.deepEqual(allowed(doc, 'Beta'), ['O', ...DATE_TAGS], 'PARTY judged here: Beta is not a party');
    assert.deepEqual(allowed(doc, 'Paris'), TAGS, 'outside the judged range nothing is known');
    assert.deepEqual(allowed(doc, 'Acme'), ['B-PARTY'], 'gold stays gold');
  });

  test('a token only partly inside a judged range stays open; ranges of several labels combine', () => {
    const doc: AnnotatedDocument = {
      id: 'c',
      text,
      spans: [],
      judged: [
        { start: 11, end: 18, label: 'PARTY' }, // "pays Be": cuts Beta
        { start: 0, end: text.length, label: 'DATE' },
      ],
    };
    assert.deepEqual(allowed(doc, 'pays'), ['O']);
    assert.deepEqual(allowed(doc, 'Beta'), ['O', ...PARTY_TAGS]);
    assert.deepEqual(allowed(doc, 'Paris'), ['O', ...PARTY_TAGS]);
  });

  test('judged ranges of labels the model does not have change nothing; nor do they without partial supervision', () => {
    const doc: AnnotatedDocument = {
      id: 'd',
      text,
      spans: [],
      judged: [{ start: 0, end: text.length, label: 'CITY' }],
    };
    assert.deepEqual(allowed(doc, 'Paris'), TAGS);
    const judged: AnnotatedDocument = { ...doc, judged: [{ start: 0, end: text.length, label: 'PARTY' }] };
    assert.deepEqual(allowed(judged, 'Paris', { ...options, partial: false }), ['O']);
  });

  test('reviewed ranges and complete labels still close every tag, or their label', () => {
    assert.deepEqual(allowed({ id: 'e', text, spans: [], reviewed: [{ start: 0, end: 24 }] }, 'Beta'), ['O']);
    assert.deepEqual(allowed({ id: 'f', text, spans: [], complete: ['DATE'] }, 'Beta'), ['O', ...PARTY_TAGS]);
  });
});
