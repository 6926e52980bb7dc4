import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine, combineWindows, RULE_CONFIDENCE, type RulePolicy } from '../../../src/model/rules/policy';
import { usablePolicy } from '../../../src/model/inference/tagger';
import { annotate } from '../../../src/model/rules/annotate';
import { tokenize } from '../../../src/model/text/tokenizer';
import type { Entity } from '../../../src/model/core/types';

function at(text: string, surface: string, label: string, confidence = 0.8): Entity {
  const start = text.indexOf(surface);
  assert.ok(start >= 0, surface);
  return { label, start, end: start + surface.length, text: surface, confidence };
}

const policy = { labels: ['DATE', 'JURISDICTION'], ruleOnly: ['JURISDICTION'] };

test('a rule span replaces the model entities it overlaps; the model keeps the rest', () => {
  const text =
    'Effective as of March 3, 2026 between Acme Corp. and Beta LLC, governed by the laws of the State of New York.';
  const rules = annotate(text, policy.labels);
  assert.ok(
    rules.some((r) => r.label === 'DATE'),
    'the rules find the date',
  );
  const model = [at(text, 'March 3', 'DATE', 0.6), at(text, 'Acme Corp.', 'PARTY', 0.9)];
  const out = combine(text, model, rules, policy);
  const date = out.find((e) => e.label === 'DATE');
  assert.equal(date?.text, 'March 3, 2026');
  assert.equal(date?.source, 'rules');
  assert.equal(date?.confidence, RULE_CONFIDENCE);
  assert.ok(out.some((e) => e.text === 'Acme Corp.' && e.label === 'PARTY' && e.source === undefined));
  for (let i = 1; i < out.length; i++) assert.ok(out[i - 1].end <= out[i].start, 'sorted, no overlaps');
});

test('where the model found the rule span itself, its own entity and confidence stay', () => {
  const text = 'Due on March 3, 2026.';
  const model = [at(text, 'March 3, 2026', 'DATE', 0.97)];
  const out = combine(text, model, annotate(text, ['DATE']), policy);
  assert.deepEqual(out, model);
});

test('rule-only labels: the model span survives only where a rule agrees', () => {
  const text =
    'Disputes go to the courts of the State of Delaware. This Agreement is governed by the laws of the State of New York.';
  const rules = annotate(text, policy.labels);
  const model = [at(text, 'Delaware', 'JURISDICTION', 0.9), at(text, 'New York', 'JURISDICTION', 0.9)];
  const out = combine(text, model, rules, policy);
  assert.deepEqual(
    out.map((e) => `${e.label}:${e.text}`),
    rules.filter((r) => r.label === 'JURISDICTION').map((r) => `JURISDICTION:${text.slice(r.start, r.end)}`),
  );
  assert.ok(!out.some((e) => e.text === 'Delaware'), 'a venue is not the governing law');
});

test('combineWindows: each window gets the rule spans inside it, offsets in the full text; other text is not read', () => {
  const text = 'First: 1 May 2025.\nSecond: 2 June 2025.\nThird: 3 July 2025.';
  const tokens = tokenize(text);
  const inLine = (word: string, next: string) =>
    tokens.filter((t) => t.start >= text.indexOf(word) && t.end <= (next ? text.indexOf(next) : text.length));
  const second = inLine('Second', '\nThird');
  const third = inLine('Third', '');
  const out = combineWindows(text, [second, [], third], [[], [], []], { labels: ['DATE'] });
  assert.deepEqual(
    out.map((w) => w.map((e) => e.text)),
    [['2 June 2025'], [], ['3 July 2025']],
  );
  for (const e of out.flat()) assert.equal(text.slice(e.start, e.end), e.text);
  assert.deepEqual(
    combineWindows(text, [second], [[]], { labels: ['DATE'] })[0].map((e) => e.text),
    ['2 June 2025'],
  );
});

test('an empty policy changes nothing', () => {
  const text = 'On 1 May 2025.';
  const found = [[at(text, '1 May', 'DATE')]];
  assert.equal(combineWindows(text, [tokenize(text)], found, { labels: [] }), found);
});

test('validated labels: a network span without an IBAN check or a BIC shape is dropped', () => {
  const text =
    'Reference: INV-TCS-4471, BIC: SPHBDEBBXXX, IBAN DE94 1001 1777 0391 2645 00 or DE00 1001 1777 0391 2645 00.';
  const found = [
    at(text, 'INV-TCS-4471', 'BIC'),
    at(text, 'SPHBDEBBXXX', 'BIC'),
    at(text, 'DE94 1001 1777 0391 2645 00', 'IBAN'),
    at(text, 'DE00 1001 1777 0391 2645 00', 'IBAN'),
  ];
  const out = combineWindows(text, [tokenize(text)], [found], { labels: [], validate: ['IBAN', 'BIC'] })[0];
  assert.deepEqual(
    out.map((e) => e.text),
    ['SPHBDEBBXXX', 'DE94 1001 1777 0391 2645 00'],
  );
});

test('fill labels: a rule amount goes only where the model found nothing; the model keeps its own amounts', () => {
  const text = 'Fee: $5,000 payable on signing. A further USD 2,500.00 is due later.';
  const fillPolicy = { labels: ['DATE'], fill: ['AMOUNT'] };
  const model = [at(text, 'Fee: $5,000', 'AMOUNT', 0.7)];
  const out = combineWindows(text, [tokenize(text)], [model], fillPolicy)[0];
  assert.deepEqual(
    out.map((e) => `${e.label}:${e.text}:${e.source ?? 'model'}`),
    ['AMOUNT:Fee: $5,000:model', 'AMOUNT:USD 2,500.00:rules'],
    'the rules do not replace the model amount they overlap, and add the one it missed',
  );
});

test("a party the network started late takes the preamble rule's start; not over another entity", () => {
  const text =
    'This Agreement is entered into by and between Information Spectrum, Inc. (hereinafter “ISI”), and others.';
  const partyPolicy = { labels: ['DATE'], fill: ['PARTY'] };
  const tag = (model: Entity[]) =>
    combineWindows(text, [tokenize(text)], [model], partyPolicy)[0].map((e) => `${e.label}:${e.text}:${e.confidence}`);
  assert.deepEqual(tag([at(text, 'Spectrum, Inc.', 'PARTY', 0.97)]), ['PARTY:Information Spectrum, Inc.:0.97']);
  assert.deepEqual(
    tag([at(text, 'Information', 'PARTY', 0.6), at(text, 'Spectrum, Inc.', 'PARTY', 0.97)]),
    ['PARTY:Information:0.6', 'PARTY:Spectrum, Inc.:0.97'],
    'another entity in the words it would take',
  );
});

test('fill labels do not change what the deciding labels get from the rules, even across windows', () => {
  // annotated together, "USD 30" (an amount) would win over "30 days" (a duration)
  const text = 'Pay USD 30 days after delivery, and $1,000 on 1 May 2025.';
  assert.ok(
    annotate(text, ['DURATION', 'AMOUNT']).some((s) => s.label === 'AMOUNT' && text.slice(s.start, s.end) === 'USD 30'),
  );
  const tokens = tokenize(text);
  const decide = combineWindows(text, [tokens], [[]], { labels: ['DATE', 'DURATION'] })[0];
  assert.ok(decide.some((e) => e.label === 'DURATION' && e.text === '30 days'));
  const both = combineWindows(text, [tokens], [[]], { labels: ['DATE', 'DURATION'], fill: ['AMOUNT'] })[0];
  assert.deepEqual(
    both.filter((e) => e.label !== 'AMOUNT'),
    decide,
  );
  assert.deepEqual(
    both.filter((e) => e.label === 'AMOUNT').map((e) => e.text),
    ['$1,000'],
  );
  // windows that cut "30 | days": the duration is in neither, and the amount still does not come
  const cut = tokens.findIndex((t) => t.text === 'days');
  const split = combineWindows(text, [tokens.slice(0, cut), tokens.slice(cut)], [[], []], {
    labels: ['DATE', 'DURATION'],
    fill: ['AMOUNT'],
  });
  assert.ok(
    !split.flat().some((e) => e.text === 'USD 30'),
    split
      .flat()
      .map((e) => e.text)
      .join(' | '),
  );
});

test('an AMOUNT does not take a currency from the line above (OCR column), as the rules do not', () => {
  const text = 'TOTAL\nRM\n60.30\nCASH RM 70.00\nCHANGE RM\n9.70';
  const found = [at(text, 'RM\n60.30', 'AMOUNT'), at(text, 'RM 70.00', 'AMOUNT'), at(text, 'RM\n9.70', 'AMOUNT')];
  const out = combineWindows(text, [tokenize(text)], [found], { labels: [], validate: ['AMOUNT'] })[0];
  assert.deepEqual(
    out.map((e) => e.text),
    ['60.30', 'RM 70.00', '9.70'],
    'a currency on the same line stays',
  );
  for (const e of out) assert.equal(text.slice(e.start, e.end), e.text);
});

test("usablePolicy: a hand-edited policy is cut to the model's labels; malformed fields count as empty", () => {
  const labels = ['PARTY', 'DATE', 'AMOUNT'];
  assert.deepEqual(
    usablePolicy({ labels: ['DATE', 'NOPE'], fill: ['AMOUNT', 'DATE'] }, labels),
    { labels: ['DATE'], ruleOnly: [], validate: [], fill: ['AMOUNT'] },
    'a decided label is not filled too',
  );
  assert.deepEqual(usablePolicy({ fill: ['AMOUNT'] } as unknown as RulePolicy, labels), {
    labels: [],
    ruleOnly: [],
    validate: [],
    fill: ['AMOUNT'],
  });
  assert.equal(
    usablePolicy({ labels: 'DATE', fill: 'AMOUNT', validate: [3] } as unknown as RulePolicy, labels),
    undefined,
  );
  assert.equal(usablePolicy(undefined, labels), undefined);
  assert.equal(usablePolicy(null as unknown as RulePolicy, labels), undefined);
});

test('an identifier the model finds right after a phone or fax label is dropped, whatever the policy', () => {
  const text = 'TEL:07-3507405\nFAX:07-3558160\nGST REG NO: 000306020352\nH/P : 012-3456789 INVOICE NO 88231';
  const model = [
    at(text, '07-3558160', 'TAX_ID', 0.99),
    at(text, '000306020352', 'TAX_ID', 0.95),
    at(text, '012-3456789', 'INVOICE_ID', 0.9),
    at(text, '88231', 'INVOICE_ID', 0.9),
  ];
  assert.deepEqual(
    combine(text, model, [], { labels: [] }).map((e) => e.text),
    ['000306020352', '88231'],
  );
});
