// Host messages for the webview tests (shapes from src/shared/messages.ts).
export const XSS =
  'Contract <img src=x onerror="window.__pwned=1;alert(1)"> and <script>window.__pwned=2;alert(2)</script> end';

export const LABELS = [
  {
    name: 'PARTY',
    color: 'var(--vscode-entityLens-partyBorder)',
    customColor: false,
    description: 'A party to the contract',
    gold: 12,
    silver: 3,
    inModel: true,
  },
  {
    name: 'DATE',
    color: 'var(--vscode-entityLens-dateBorder)',
    customColor: false,
    description: '',
    gold: 9,
    silver: 14,
    inModel: true,
  },
  { name: 'AMOUNT', color: '#b06000', customColor: true, description: 'Money', gold: 4, silver: 8, inModel: true },
  { name: 'INVOICE_NO', color: '#4363d8', customColor: false, description: '', gold: 10, silver: 0, inModel: false },
];

const P1 = 'This Agreement is made on May 1, 2024 between Acme Corp. and Blue Harbor LLC.';
const P2 = 'Invoice total: USD 1,200.00 due June 3, 2024.';
const at = (text, s) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
const ent = (text, s, label, confidence) => ({ ...at(text, s), label, text: s, confidence, reviewed: false });

export const PASSAGES = [
  {
    key: 'file:///ws/contracts/nda.txt#120-198',
    uri: 'file:///ws/contracts/nda.txt',
    file: 'contracts/nda.txt',
    start: 120,
    end: 120 + P1.length,
    text: P1,
    entities: [
      ent(P1, 'May 1, 2024', 'DATE', 0.41),
      ent(P1, 'Acme Corp.', 'PARTY', 0.55),
      ent(P1, 'Blue Harbor LLC', 'PARTY', 0.62),
    ],
    score: 0.41,
  },
  {
    key: 'file:///ws/invoices/inv.txt#0-45',
    uri: 'file:///ws/invoices/inv.txt',
    file: 'invoices/inv.txt',
    start: 0,
    end: P2.length,
    text: P2,
    entities: [ent(P2, 'USD 1,200.00', 'AMOUNT', 0.7), ent(P2, 'June 3, 2024', 'DATE', 0.66)],
    score: 0.66,
  },
];

export const queue = (passages = PASSAGES) => ({
  type: 'reviewQueue',
  data: { status: 'ready', message: `${passages.length} passages`, passages, documents: 2 },
});

export function trainingSet(extra = {}) {
  return {
    type: 'trainingSet',
    data: {
      folder: '/ws',
      documents: 3,
      passages: 2,
      gold: 5,
      silver: 2,
      malformed: 0,
      byLabel: [
        { label: 'DATE', gold: 2, silver: 2 },
        { label: 'PARTY', gold: 3, silver: 0 },
      ],
      lastChange: '2026-03-02T10:00:00.000Z',
      items: [
        {
          id: 'editor:abc',
          uri: 'file:///ws/contracts/nda.txt',
          file: 'contracts/nda.txt',
          start: 120,
          text: 'This Agreement is made on May 1, 2024 between Acme Corp. and Blue Harbor LLC.',
          gold: 3,
          silver: 0,
          labels: ['DATE', 'PARTY'],
          source: 'editor',
          time: '2026-03-02T10:00:00.000Z',
        },
        {
          id: 'import:x1',
          uri: null,
          file: 'import:x1',
          start: null,
          text: 'Imported text.',
          gold: 2,
          silver: 2,
          labels: ['DATE'],
          source: 'import',
          time: '2026-03-01T09:00:00.000Z',
        },
      ],
      ...extra,
    },
  };
}

const history = (n, base = 2) =>
  Array.from({ length: n }, (_, i) => ({
    epoch: i + 1,
    loss: base / (i + 1),
    devF1: Math.min(0.95, 0.4 + i * 0.08),
    seconds: 3.2,
    sentencesPerSecond: 410,
  }));
const scores = (f) => [
  { label: 'PARTY', precision: f, recall: f - 0.05, f1: f - 0.02, support: 20 },
  { label: 'DATE', precision: f + 0.05, recall: f, f1: f + 0.02, support: 15 },
  { label: 'AMOUNT', precision: null, recall: f - 0.1, f1: null, support: 4 },
];
const counts = (records, heldOut) => ({
  trainRecords: records,
  heldOutRecords: heldOut,
  trainSequences: records * 3,
  devSequences: null,
  replayed: 12,
});

export function models({ active = 'ws.2' } = {}) {
  return {
    type: 'models',
    data: {
      trusted: true,
      canRollBack: true,
      versions: [
        {
          id: 'base',
          name: 'entity-lens-default',
          version: '1.0.0',
          created: '2026-01-10T08:00:00.000Z',
          source: 'default',
          active: active === 'base',
          labels: ['PARTY', 'DATE', 'AMOUNT'],
          data: counts(359, null),
          scores: [],
          microF1: 0.71,
          history: history(7),
          note: 'base model (default)',
          scope: '',
        },
        {
          id: 'ws.1',
          name: 'entity-lens-default',
          version: '1.0.0+ws.1',
          created: '2026-03-01T08:00:00.000Z',
          source: 'workspace',
          active: active === 'ws.1',
          labels: ['PARTY', 'DATE', 'AMOUNT'],
          data: counts(40, 6),
          scores: scores(0.7),
          microF1: 0.7,
          // trained on corrections: no dev set
          history: history(5, 1.5).map((e) => ({ ...e, devF1: null })),
          note: 'held-out F1 0.700 vs 0.650 for the current model',
          scope: '',
        },
        {
          id: 'ws.2',
          name: 'entity-lens-default',
          version: '1.0.0+ws.2',
          created: '2026-03-02T08:00:00.000Z',
          source: 'workspace',
          active: active === 'ws.2',
          labels: ['PARTY', 'DATE', 'AMOUNT', 'INVOICE_NO'],
          data: counts(64, 9),
          scores: scores(0.8),
          microF1: 0.8,
          history: history(6, 1.2),
          note: 'held-out F1 0.800 vs 0.700 for the current model',
          scope: 'PARTY on invoices and receipts',
        },
      ],
      // every version on the same sets; ws.2 not scored on the held-out documents yet
      curve: {
        heldOut: { documents: 3, entities: 41 },
        reference: { documents: 120, entities: 5012 },
        pending: false,
        points: [
          { id: 'base', heldOut: 0.65, reference: 0.9 },
          { id: 'ws.1', heldOut: 0.7, reference: 0.9 },
          { id: 'ws.2', heldOut: null, reference: 0.89 },
        ],
      },
    },
  };
}

export const progress = (running, epochs = []) => ({
  type: 'progress',
  data: {
    running,
    percent: running ? 42 : 0,
    message: running ? 'epoch 3/12, loss 0.412, about 40 s left' : '',
    epochs,
  },
});

export function entities(extraText) {
  const mk = (start, text, label, confidence, reviewed = false) => ({
    start,
    end: start + text.length,
    label,
    text,
    confidence,
    reviewed,
  });
  return {
    type: 'entities',
    data: {
      uri: 'file:///ws/contracts/nda.txt',
      file: 'contracts/nda.txt',
      threshold: 0.6,
      truncated: false,
      entities: [
        mk(10, 'Acme Corp.', 'PARTY', 0.97),
        mk(40, 'May 1, 2024', 'DATE', 0.45),
        mk(80, 'USD 1,200.00', 'AMOUNT', 1, true),
        ...(extraText ? [mk(120, extraText, 'PARTY', 0.3)] : []),
      ],
    },
  };
}

/** An invoice's fields: one empty, one typed by a person, one with two values, two failing checks. */
export function fields({ longSeller } = {}) {
  const v = (value, text, start, confidence, extra = {}) => ({
    value,
    text,
    confidence,
    start,
    end: start + text.length,
    page: null,
    corrected: false,
    derived: null,
    ...extra,
  });
  return {
    type: 'fields',
    data: {
      uri: 'file:///ws/invoices/invoice-FOS-2026-0117.txt',
      file: 'invoices/invoice-FOS-2026-0117.txt',
      kind: 'invoice',
      kindSet: false,
      fields: [
        {
          name: 'seller',
          values: [
            v(longSeller ?? 'Falkenried Office Systems GmbH', longSeller ?? 'Falkenried Office Systems GmbH', 0, 0.93),
          ],
        },
        { name: 'buyer', values: [] },
        { name: 'invoice_number', values: [v('FOS-2026-0117', 'FOS-2026-0117', 210, 0.99, { page: 1 })] },
        { name: 'date', values: [v('2026-04-14', '14.04.2026', 240, 0.88), v('2026-04-15', '15.04.2026', 300, 0.41)] },
        { name: 'tax_id', values: [{ ...v('DE298441507', '', 0, 1), end: 0, corrected: true }] },
        { name: 'total', values: [v('5798.82', '5.798,82', 880, 0.76)] },
      ],
      checks: [
        {
          code: 'total-sum',
          severity: 'error',
          message: 'total 5798.82 ≠ net 4872.50 + tax 925.78 = 5798.28',
          fields: ['total', 'subtotal', 'tax'],
        },
        {
          code: 'due-date',
          severity: 'warning',
          message: 'due date 2026-04-01 is before the invoice date 2026-04-14',
          fields: ['due_date', 'date'],
        },
      ],
    },
  };
}

/** Twenty labels: the default eleven's kind and more, for layouts that must hold them all. */
export const LABELS20 = [
  'PARTY',
  'DATE',
  'AMOUNT',
  'PERCENT',
  'DURATION',
  'JURISDICTION',
  'ADDRESS',
  'BANK_ACCOUNT',
  'IBAN',
  'BIC',
  'INVOICE_NO',
  'TAX_ID',
  'VAT_ID',
  'ORDER_NO',
  'CUSTOMER_NO',
  'CURRENCY',
  'PAYMENT_TERMS',
  'DELIVERY_DATE',
  'NOTICE_PERIOD',
  'GOVERNING_LAW',
].map((name, i) => ({
  name,
  color: ['var(--vscode-entityLens-partyBorder)', 'var(--vscode-entityLens-dateBorder)', '#e6194b', '#3cb44b'][i % 4],
  customColor: i % 4 >= 2,
  description: i % 3 === 0 ? `What ${name.toLowerCase().replace(/_/g, ' ')} marks in a contract or an invoice` : '',
  gold: 20 - i,
  silver: i,
  inModel: i < 14,
}));

/** Models whose latest version has held-out scores for all twenty labels, some without support. */
export function models20() {
  const m = models();
  const v = m.data.versions[2];
  v.labels = LABELS20.map((l) => l.name);
  v.scores = LABELS20.map((l, i) =>
    i % 5 === 4
      ? { label: l.name, precision: null, recall: 0, f1: 0, support: 0 }
      : { label: l.name, precision: 0.8 - i * 0.01, recall: 0.7, f1: 0.74, support: 30 - i },
  );
  return m;
}

/** A review passage with entities of all twenty labels. */
export function queue20() {
  let text = '';
  const ents = [];
  for (const l of LABELS20) {
    const value = `${l.name.toLowerCase().replace(/_/g, ' ')} value`;
    const start = text.length;
    text += value;
    ents.push({ start, end: text.length, label: l.name, text: value, confidence: 0.5, reviewed: false });
    text += ', then ';
  }
  return queue([
    {
      key: 'file:///ws/contracts/big.txt#0-1',
      uri: 'file:///ws/contracts/big.txt',
      file: 'contracts/a-long-folder-name/big-services-agreement-with-a-long-name.txt',
      start: 0,
      end: text.length,
      text,
      entities: ents,
      score: 0.5,
    },
  ]);
}
