// What a text reads like: the sample contracts, invoices and receipt are tagged, this project's
// own README, its model card and an open-source licence are not; on ../shared/data (when it is
// there) nearly every CUAD contract and SROIE receipt counts. And which kind a document is for
// its fields: a bill is an invoice or a receipt, a text that reads like neither gets the nearest.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyDocument, detectKind } from '../../../src/model/rules/document-kind';
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

  test('documentKind: the sample contracts, invoices and the receipt each as what they are', () => {
    for (const f of ['lease.txt', 'nda.txt', 'services-agreement.md'])
      assert.equal(classifyDocument(read('samples', 'workspace', 'contracts', f)).documentKind, 'contract', f);
    for (const f of ['invoice-FOS-2026-0117.txt', 'invoice-TCS-4471.txt'])
      assert.equal(classifyDocument(read('samples', 'workspace', 'invoices', f)).documentKind, 'invoice', f);
    const receipt = classifyDocument(read('samples', 'workspace', 'invoices', 'receipt-CS2604-00142.txt'));
    assert.equal(receipt.kind, 'invoice');
    assert.equal(receipt.documentKind, 'receipt');
  });

  test('documentKind of texts that read like none: the nearest kind', () => {
    const pressRelease =
      'United National Bancorp Enters Into Outsourcing Agreement with the BISYS Group, Inc.\n\nBridgewater, NJ -- February 18, 1999 -- United National Bancorp announced today that its principal subsidiary has entered into a multi-year agreement with BISYS, under which the parties will share the services.';
    const r = classifyDocument(pressRelease);
    assert.equal(r.kind, 'other', r.reason);
    assert.equal(r.documentKind, 'contract');
    const till = 'RESTAURANT SIN DU\nK3-113,JL IBRAHIM SULTAN\n09/03/2018 21:28\nDPT.05\nRM\n149.00\nCASH\nRM\n170.00';
    assert.equal(classifyDocument(till).kind, 'other');
    assert.equal(detectKind(till), 'receipt');
    // an invoice without a bill-to line, with short lines and GST: still an invoice
    const invoice =
      'Commercial Invoice\nBayu Indah Publishing Pte Ltd\nGST Registration No.: 200452755L\nInvoice number: 998980\nDate: 27/04/2022\nPayment due: 07/05/2022\nDescription  Qty  Unit price  Amount\nCloud storage plan  1  SGD 1,916.79  SGD 1,916.79\nNet: SGD 1,916.79\nGST 8%: SGD 153.34\nTOTAL:\nSGD 2,070.13\nTerms: 10 days net\n';
    assert.equal(detectKind(invoice), 'invoice');
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
      const rate = (file: string, kind: string, documentKind: string): [number, number, number] => {
        let hit = 0;
        let kindHit = 0;
        let n = 0;
        for (const line of fs.readFileSync(path.join(DATA_DIR, file), 'utf8').split('\n')) {
          if (!line.trim()) continue;
          n++;
          const r = classifyDocument((JSON.parse(line) as { text: string }).text);
          if (r.kind === kind) hit++;
          if (r.documentKind === documentKind) kindHit++;
        }
        return [hit, kindHit, n];
      };
      const [c, ck, cn] = rate('cuad.jsonl', 'contract', 'contract');
      const [r, rk, rn] = rate('sroie-dev.jsonl', 'invoice', 'receipt');
      console.log(`contracts ${c}/${cn} (kind ${ck}), receipts ${r}/${rn} (kind ${rk})`);
      assert.ok(c / cn >= 0.97, `CUAD contracts read as contracts: ${c}/${cn}`);
      assert.ok(r / rn >= 0.97, `SROIE receipts read as invoices: ${r}/${rn}`);
      assert.ok(ck / cn >= 0.99, `CUAD contracts' documentKind contract: ${ck}/${cn}`);
      assert.ok(rk / rn >= 0.99, `SROIE receipts' documentKind receipt: ${rk}/${rn}`);
    },
  );
});
