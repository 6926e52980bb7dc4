import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelConfig } from '../../../src/model/nn/architecture';
import { Decoder } from '../../../src/model/crf/decoder';
import { tagNames } from '../../../src/model/text/tags';
import { tokenize } from '../../../src/model/text/tokenizer';

const tags = tagNames(['ADDRESS'], 'BILOU');
const config = { scheme: 'BILOU', labels: ['ADDRESS'], tags, output: 'softmax' } as unknown as ModelConfig;

/** Emissions that put every token inside one ADDRESS (B, I ..., L): what a network may say. */
function oneSpan(n: number): Float32Array {
  const T = tags.length;
  const em = new Float32Array(n * T);
  for (let t = 0; t < n; t++) {
    const want = t === 0 ? 'B-ADDRESS' : t === n - 1 ? 'L-ADDRESS' : 'I-ADDRESS';
    em[t * T + tags.indexOf(want)] = 5;
  }
  return em;
}

test('an entity never runs across a blank line; within a paragraph it spans line breaks', () => {
  const decoder = new Decoder(config, {});
  const text = 'HRB 160233\n\nAm Kesselhaus 3\n79576 Weil am Rhein';
  const tokens = tokenize(text);
  const found = decoder.entities(text, tokens, oneSpan(tokens.length), 0);
  assert.deepEqual(
    found.map((e) => e.text),
    ['HRB 160233', 'Am Kesselhaus 3\n79576 Weil am Rhein'],
  );
  for (const e of found) {
    assert.equal(e.label, 'ADDRESS');
    assert.ok(e.confidence > 0 && e.confidence <= 1);
  }
  const single = 'Am Kesselhaus 3\n79576 Weil am Rhein';
  const one = tokenize(single);
  assert.deepEqual(
    decoder.entities(single, one, oneSpan(one.length), 0).map((e) => e.text),
    [single],
  );
});

test("labelBias moves a label's operating point: a narrowly lost PARTY is found with a bias; junk biases are ignored", () => {
  const partyTags = tagNames(['PARTY', 'DATE'], 'BILOU');
  const cfg = {
    scheme: 'BILOU',
    labels: ['PARTY', 'DATE'],
    tags: partyTags,
    output: 'softmax',
  } as unknown as ModelConfig;
  const text = 'Signed by Acme today';
  const tokens = tokenize(text);
  const T = partyTags.length;
  const em = new Float32Array(tokens.length * T);
  for (let t = 0; t < tokens.length; t++) em[t * T] = 3; // O everywhere
  em[2 * T + partyTags.indexOf('U-PARTY')] = 2.5; // "Acme" is a PARTY, less likely than O
  const found = (bias?: Record<string, number>) =>
    new Decoder(cfg, {}, bias).entities(text, tokens, em, 0).map((e) => `${e.label}:${e.text}`);
  assert.deepEqual(found(), []);
  assert.deepEqual(found({ PARTY: 1 }), ['PARTY:Acme']);
  assert.deepEqual(found({ DATE: 1 }), [], 'a bias for another label does not find a party');
  assert.deepEqual(
    found({ PARTY: Number.NaN, NOPE: 5 } as Record<string, number>),
    [],
    'non-numbers and unknown labels are ignored',
  );
});

test('CRF path: emissions at an offset in a batch decode as at offset 0; the bias leaves them untouched', () => {
  const T = tags.length;
  const crfConfig = { ...config, output: 'crf' } as ModelConfig;
  const weights = {
    'crf.trans': new Float32Array(T * T),
    'crf.start': new Float32Array(T),
    'crf.end': new Float32Array(T),
  };
  const text = 'HRB 160233\n\nAm Kesselhaus 3\n79576 Weil am Rhein';
  const tokens = tokenize(text);
  const own = oneSpan(tokens.length);
  const batch = new Float32Array(own.length + 7 * T * 2);
  batch.set(own, 7 * T);
  const before = batch.slice();
  const decoder = new Decoder(crfConfig, weights, { ADDRESS: 0.5 });
  const at0 = decoder.entities(text, tokens, own, 0);
  const at7 = decoder.entities(text, tokens, batch, 7 * T);
  assert.deepEqual(at7, at0);
  assert.deepEqual(
    at0.map((e) => e.text),
    ['HRB 160233', 'Am Kesselhaus 3\n79576 Weil am Rhein'],
  );
  assert.deepEqual(batch, before, 'the emissions are not modified');
});

test('lineBreakPenalty keeps a label within its line unless the network is confident; other labels still cross', () => {
  const labels = ['PARTY', 'ADDRESS'];
  const bilou = tagNames(labels, 'BILOU');
  const T = bilou.length;
  const cfg = { scheme: 'BILOU', labels, tags: bilou, output: 'softmax' } as unknown as ModelConfig;
  // a seller over the registration number on the next line, then a CRLF address over two lines
  const text = 'KEDAI SRI MELATI\r\n(123456-K)\r\nNO 18 JALAN\r\nKAJANG';
  const tokens = tokenize(text);
  const idx = (s: string) => tokens.findIndex((t) => t.text === s);
  const em = new Float32Array(tokens.length * T);
  const put = (from: number, to: number, label: string, score: number) => {
    for (let t = from; t <= to; t++) {
      const tag = from === to ? 'U' : t === from ? 'B' : t === to ? 'L' : 'I';
      em[t * T + bilou.indexOf(`${tag}-${label}`)] = score;
    }
  };
  put(idx('KEDAI'), idx(')'), 'PARTY', 2); // the network runs the name on into the next line
  em[idx('MELATI') * T + bilou.indexOf('L-PARTY')] = 1.9; // and nearly ends it on its own line
  em[idx('(') * T + bilou.indexOf('O')] = 1.9;
  for (const s of ['123456-K', ')']) em[idx(s) * T + bilou.indexOf('O')] = 1.9;
  put(idx('NO'), idx('KAJANG'), 'ADDRESS', 3);
  const found = (penalty?: Record<string, number>) =>
    new Decoder(cfg, {}, undefined, penalty).entities(text, tokens, em, 0).map((e) => `${e.label}:${e.text}`);
  assert.deepEqual(found(), ['PARTY:KEDAI SRI MELATI\r\n(123456-K)', 'ADDRESS:NO 18 JALAN\r\nKAJANG']);
  assert.deepEqual(found({ PARTY: 2 }), ['PARTY:KEDAI SRI MELATI', 'ADDRESS:NO 18 JALAN\r\nKAJANG']);
  // a small penalty does not overrule a confident network
  assert.deepEqual(found({ PARTY: 0.05 }), found());
  // a penalty on ADDRESS would cut the address at its line break; none keeps it whole
  assert.deepEqual(found({ PARTY: 2, ADDRESS: 0 }), found({ PARTY: 2 }));
  assert.deepEqual(found({ PARTY: 2, ADDRESS: 9 })[1], 'ADDRESS:NO 18 JALAN');
  // without the text (window-level scoring) there are no lines to keep to
  const noText = new Decoder(cfg, {}, undefined, { PARTY: 2 }).entities('', tokens, em, 0);
  assert.equal(noText.length, 2);
});
