// What a text reads like: the sample contracts, invoices and receipt are tagged, this project's
// own README, its model card and an open-source licence are not; on ../shared/data (when it is
// there) nearly every CUAD contract and SROIE receipt counts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyDocument } from '../../../src/model/rules/document-kind';
import { DATA_DIR, ROOT } from '../../fixtures/paths';

const read = (...p: string[]): string => fs.readFileSync(path.join(ROOT, ...p), 'utf8');

describe('classifyDocument', () => {
  test('the sample contracts read like contracts, the invoices and the receipt like invoices', () => {
    for (const f of ['lease.txt', 'nda.txt', 'services-agreement.md']) {
      const r = classifyDocument(read('samples', 'workspace', 'contracts', f));
      assert.equal(r.kind, 'contract', `${f}: ${r.reason} ${JSON.stringify(r.signals)}`);
    }
    for (const f of ['invoice-FOS-2026-0117.txt', 'invoice-TCS-4471.txt', 'receipt-CS2604-00142.txt']) {
      const r = classifyDocument(read('samples', 'workspace', 'invoices', f));
      assert.equal(r.kind, 'invoice', `${f}: ${r.reason} ${JSON.stringify(r.signals)}`);
    }
  });

  test("this project's README and model card, which talk about contracts, are not contracts", () => {
    for (const f of [['README.md'], ['models', 'default', 'README.md']]) {
      const r = classifyDocument(read(...f));
      assert.equal(r.kind, 'other', `${f.join('/')}: ${r.reason} ${JSON.stringify(r.signals)}`);
    }
  });

  test('open-source licences, code and short notes are not tagged', () => {
    const mit =
      'MIT License\n\nCopyright (c) 2024 Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software, to deal in the Software without restriction. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND. IN NO EVENT SHALL THE AUTHORS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE.';
    assert.equal(classifyDocument(mit).kind, 'other');
    assert.match(classifyDocument(mit).reason, /open-source licence/);
    assert.equal(classifyDocument(read('src', 'model', 'rules', 'document-kind.ts')).kind, 'other');
    assert.equal(classifyDocument('Buy milk. Call Anna on Friday.').kind, 'other');
    assert.equal(classifyDocument('').kind, 'other');
  });

  test('a two-line invoice note and a short agreement still count', () => {
    const note =
      'Please quote invoice number INV-2031-7781 on your payment to Litware Inc.\n\nThe total fee of $1,200.00 is due on May 5, 2030, VAT included.\n';
    assert.equal(classifyDocument(note).kind, 'invoice', JSON.stringify(classifyDocument(note).signals));
    const agreement =
      'SUPPLY AGREEMENT\n\nThis Agreement is made on May 5, 2024 between Acme Corp. (the "Supplier") and Northwind Traders Inc. (the "Buyer"), together the Parties.\n\nThe Buyer shall pay $12,000.00 to the Supplier. The Parties agree to keep the terms of this Agreement confidential. Either party may terminate this Agreement on breach. This Agreement is governed by the laws of the State of New York.';
    assert.equal(classifyDocument(agreement).kind, 'contract', JSON.stringify(classifyDocument(agreement).signals));
  });

  test(
    'CUAD contracts and SROIE receipts (../shared/data)',
    { skip: !fs.existsSync(path.join(DATA_DIR, 'cuad.jsonl')) },
    () => {
      const rate = (file: string, kind: string): [number, number] => {
        let hit = 0;
        let n = 0;
        for (const line of fs.readFileSync(path.join(DATA_DIR, file), 'utf8').split('\n')) {
          if (!line.trim()) continue;
          n++;
          if (classifyDocument((JSON.parse(line) as { text: string }).text).kind === kind) hit++;
        }
        return [hit, n];
      };
      const [c, cn] = rate('cuad.jsonl', 'contract');
      const [r, rn] = rate('sroie-dev.jsonl', 'invoice');
      console.log(`contracts ${c}/${cn}, receipts ${r}/${rn}`);
      assert.ok(c / cn >= 0.97, `CUAD contracts read as contracts: ${c}/${cn}`);
      assert.ok(r / rn >= 0.97, `SROIE receipts read as invoices: ${r}/${rn}`);
    },
  );
});
