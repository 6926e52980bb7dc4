// The label grammar and safe display: which labels pass, what a refused one is told, and text
// from files made harmless for Markdown hovers and one-line terminal messages.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkLabel,
  displayLabel,
  escapeMarkdown,
  firstLabelProblem,
  markdownCode,
  isValidLabel,
  labelProblem,
  quoteForMessage,
} from '../../../src/model';

const HOSTILE = [
  '',
  'party',
  'Party',
  '_PARTY',
  '1ST',
  'E-MAIL',
  'GOVERNING LAW',
  'A'.repeat(33),
  '__proto__',
  'constructor',
  '<img src=x onerror=alert(1)>',
  '**BOLD**',
  '[link](http://example.com)',
  'PARTY\u0000',
  'PARTY\n',
  '\u001b[31mRED',
  'PA\u202eYTR',
  'ÄRGER',
  'PARTY ',
];

describe('the label grammar', () => {
  test('accepts the labels the project and its data use', () => {
    for (const l of ['PARTY', 'DATE', 'INVOICE_ID', 'TAX_ID', 'ORG', 'PER', 'MISC', 'A', 'A1', 'A'.repeat(32)]) {
      assert.ok(isValidLabel(l), l);
      assert.equal(labelProblem(l), null);
    }
  });

  test('refuses markup, control and bidi characters, lower case, hyphens, spaces, over-long labels', () => {
    for (const l of HOSTILE) {
      assert.equal(isValidLabel(l), false, JSON.stringify(l));
      const problem = labelProblem(l);
      assert.ok(problem, JSON.stringify(l));
      // the message shows the label escaped: no raw control, escape or bidi character, one line
      assert.doesNotMatch(problem, /[\u0000-\u001f\u007f\u202a-\u202e]/);
    }
    assert.equal(isValidLabel(42), false);
    assert.equal(labelProblem(42), 'a label must be a string');
  });

  test('suggests the valid form when there is one', () => {
    assert.match(labelProblem('party') ?? '', /"party" is not a valid label .*; use PARTY$/);
    assert.match(labelProblem('E-MAIL') ?? '', /use E_MAIL$/);
    assert.match(labelProblem('governing law') ?? '', /use GOVERNING_LAW$/);
    assert.doesNotMatch(labelProblem('<b>') ?? '', /use/);
  });

  test('checkLabel throws with the place; firstLabelProblem finds the first bad one', () => {
    assert.equal(checkLabel('DATE', 'x'), 'DATE');
    assert.throws(() => checkLabel('date', 'labels.json'), /^TypeError: labels\.json: "date" is not a valid label/);
    assert.equal(firstLabelProblem(['PARTY', 'DATE']), null);
    assert.match(firstLabelProblem(['PARTY', 'x y', 'z']) ?? '', /"x y"/);
  });
});

describe('safe display', () => {
  test('quoteForMessage: one line, escapes visible, bidi controls escaped, cut to 40 characters', () => {
    assert.equal(quoteForMessage('a\nb\u001b[31m'), '"a\\nb\\u001b[31m"');
    assert.equal(quoteForMessage('PA\u202eYTR'), '"PA\\u202eYTR"');
    assert.equal(quoteForMessage('x'.repeat(50)), `"${'x'.repeat(40)}…"`);
  });

  test('displayLabel: a valid label as it is; anything else quoted, on one line, escaped and cut', () => {
    for (const l of ['PARTY', 'INVOICE_ID', 'A', 'X'.repeat(32)]) assert.equal(displayLabel(l), l);
    assert.equal(displayLabel('<img src=x onerror=alert(1)>'), '"<img src=x onerror=alert(1)>"');
    assert.equal(displayLabel('PARTY\n'), '"PARTY\\n"');
    assert.equal(displayLabel('\u001b[31mRED'), '"\\u001b[31mRED"');
    assert.equal(displayLabel('PA\u202eYTR'), '"PA\\u202eYTR"');
    assert.equal(displayLabel('__proto__'), '"__proto__"');
    assert.equal(displayLabel(undefined), '"undefined"');
    for (const l of HOSTILE) {
      const shown = displayLabel(l);
      assert.ok(shown.startsWith('"') && shown.length <= 44, shown);
      assert.doesNotMatch(shown, /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/, 'no control or bidi character');
      // in Markdown: no syntax survives the escape
      assert.doesNotMatch(escapeMarkdown(shown), /(?<!\\)[<>[\]*_`&]/);
    }
  });

  test('markdownCode: a code span no backtick in the text can close; one line', () => {
    assert.equal(markdownCode('2024-05-05'), '`2024-05-05`');
    assert.equal(markdownCode('7.20 MYR'), '`7.20 MYR`');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('x``` [y](http://e.com)'), '````x``` [y](http://e.com)````');
    assert.equal(markdownCode('`start'), '`` `start ``');
    assert.equal(markdownCode('a\nb\u0000\u202ec'), '`a b\ufffd\ufffdc`');
    // the fence is longer than every backtick run inside
    for (const text of ['`', '``', 'a```b`', '<img src=x>**']) {
      const code = markdownCode(text);
      const fence = /^`+/.exec(code)?.[0] ?? '';
      const inner = code.slice(fence.length, code.length - fence.length);
      assert.ok(!inner.includes(fence), code);
      assert.ok(code.endsWith(fence), code);
    }
  });

  test('escapeMarkdown: no Markdown or HTML syntax survives, the visible text is the same', () => {
    const cases: Array<[string, string]> = [
      ['INVOICE_ID', 'INVOICE\\_ID'],
      ['**bold**', '\\*\\*bold\\*\\*'],
      ['[x](http://e.com)', '\\[x\\]\\(http\\:\\/\\/e\\.com\\)'],
      ['<img src=x>', '\\<img src\\=x\\>'],
      ['&amp;', '\\&amp\\;'],
      ['`code`', '\\`code\\`'],
      ['a\r\nb\nc', 'a b c'],
      ['x\u0000y\u202ez', 'x\ufffdy\ufffdz'],
      ['Acme Corp', 'Acme Corp'],
    ];
    for (const [input, expected] of cases) assert.equal(escapeMarkdown(input), expected, input);
    // CommonMark reads a backslash before ASCII punctuation as that character: removing the
    // escapes gives the text back (line breaks and controls aside)
    for (const l of HOSTILE) {
      const shown = escapeMarkdown(l).replace(/\\([!-/:-@[-`{-~])/g, '$1');
      assert.equal(shown, l.replace(/\r\n|[\r\n]/g, ' ').replace(/[\u0000-\u001f\u202e]/g, '\ufffd'));
      assert.doesNotMatch(escapeMarkdown(l), /(?<!\\)[<>[\]*_`&]/);
    }
  });
});
