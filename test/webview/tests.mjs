// The dashboard webview's tests (run by run.mjs in headless Chromium).
import assert from 'node:assert/strict';
import {
  entities,
  fields,
  LABELS,
  LABELS20,
  models,
  models20,
  PASSAGES,
  progress,
  queue,
  queue20,
  trainingSet,
  XSS,
} from './fixtures.mjs';

/** What every test ends with: no CSP violation, no page error, no dialog. */
async function assertClean(t) {
  const violations = await t.page.evaluate(() => window.__test.violations);
  assert.deepEqual(violations, [], 'Content-Security-Policy violations');
  assert.deepEqual(t.errors, [], 'page errors');
  assert.deepEqual(t.dialogs, [], 'dialogs');
}

const ofType = (posted, ...types) => posted.filter((m) => types.includes(m.type));

async function passageState(page) {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="passage-text"]');
    if (!el) return null;
    return {
      text: el.textContent,
      marks: [...el.querySelectorAll('mark.entity')].map(
        (m) => `${m.dataset.label}:${m.textContent}${m.classList.contains('selected') ? '*' : ''}`,
      ),
      head: document.querySelector('.passage-head strong')?.textContent,
    };
  });
}

/** Elements whose content is cut off or that stick out of the page (the page itself must not scroll sideways). */
function clipped(page) {
  return page.evaluate(() => {
    const out = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1)
      out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    const view = document.querySelector('vscode-tab-panel:not([hidden]) .view') ?? document.body;
    const seen = [
      ...view.querySelectorAll('vscode-button, button, .chip, vscode-table-cell, vscode-badge, h2, strong'),
    ];
    for (const el of seen) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || el.closest('[hidden]')) continue;
      const name = `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
      if (r.right > width + 1) out.push(`${name} ends at ${Math.round(r.right)} px, past ${width}`);
      // text cut by its own box (buttons, chips) or by a table cell
      const inner = el.shadowRoot?.querySelector('button, .wrapper, [part="base"]') ?? el;
      if (inner.scrollWidth > inner.clientWidth + 2 && getComputedStyle(inner).overflow !== 'visible')
        out.push(`${name} cuts its text: ${inner.scrollWidth} > ${inner.clientWidth}`);
    }
    return out;
  });
}

export const TESTS = [
  {
    name: 'loads under the strict CSP, says ready and shows six tabs',
    async fn({ openPage }) {
      const t = await openPage();
      const posted = await t.posted();
      assert.deepEqual(posted.slice(0, 2), [{ type: 'ready' }, { type: 'viewChanged', view: 'training' }]);
      const tabs = await t.page.$$eval('vscode-tab-header', (els) => els.map((e) => e.textContent.trim()));
      assert.deepEqual(tabs, ['Training set', 'Models', 'Labels', 'Entities', 'Fields', 'Review queue']);
      const csp = await t.page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
      assert.match(
        csp,
        /^default-src 'none'; script-src 'nonce-[A-Za-z0-9]+'; style-src http:\/\/127\.0\.0\.1:\d+ 'nonce-[A-Za-z0-9]+'$/,
      );
      // vscode-elements rendered their shadow DOM (their constructable stylesheets are not blocked)
      const adopted = await t.page.$eval('vscode-tabs', (e) => e.shadowRoot?.adoptedStyleSheets.length ?? 0);
      assert.ok(adopted > 0, 'vscode-tabs has adopted stylesheets');
      await assertClean(t);
    },
  },
  {
    name: 'keyboard review flow: 1–9, Enter, Backspace, arrows and Z produce the right messages',
    async fn({ openPage }) {
      const t = await openPage();
      const { page } = t;
      await t.host({ type: 'labels', data: LABELS.slice(0, 3) });
      await t.tab('review');
      await t.host(queue());
      let s = await passageState(page);
      assert.equal(s.text, PASSAGES[0].text);
      assert.deepEqual(s.marks, ['DATE:May 1, 2024*', 'PARTY:Acme Corp.', 'PARTY:Blue Harbor LLC']);
      assert.equal(s.head, 'Passage 1 of 2');

      await page.keyboard.press('ArrowRight'); // select Acme Corp.
      await page.keyboard.press('3'); // → AMOUNT
      s = await passageState(page);
      assert.deepEqual(s.marks, ['DATE:May 1, 2024', 'AMOUNT:Acme Corp.*', 'PARTY:Blue Harbor LLC']);
      await page.keyboard.press('z'); // undo the relabel
      s = await passageState(page);
      assert.deepEqual(s.marks, ['DATE:May 1, 2024', 'PARTY:Acme Corp.*', 'PARTY:Blue Harbor LLC']);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Backspace'); // remove Blue Harbor LLC
      s = await passageState(page);
      assert.deepEqual(s.marks, ['DATE:May 1, 2024', 'PARTY:Acme Corp.*']);
      await page.keyboard.press('ArrowRight'); // wraps to the first entity
      await page.keyboard.press('1'); // DATE → PARTY
      s = await passageState(page);
      assert.deepEqual(s.marks, ['PARTY:May 1, 2024*', 'PARTY:Acme Corp.']);
      await page.keyboard.press('Z'); // undo
      s = await passageState(page);
      assert.deepEqual(s.marks, ['DATE:May 1, 2024*', 'PARTY:Acme Corp.']);
      assert.equal(ofType(await t.posted(), 'reviewCommit', 'reviewUndo').length, 0, 'edits stay local until Enter');

      await page.keyboard.press('Enter'); // accept passage 1
      s = await passageState(page);
      assert.equal(s.text, PASSAGES[1].text);
      assert.equal(s.head, 'Passage 1 of 1');
      await page.keyboard.press('ArrowUp'); // nothing before it
      assert.equal((await passageState(page)).text, PASSAGES[1].text);
      await page.keyboard.press('z'); // undo the accept: passage 1 comes back with its edits
      s = await passageState(page);
      assert.equal(s.text, PASSAGES[0].text);
      assert.deepEqual(s.marks, ['DATE:May 1, 2024*', 'PARTY:Acme Corp.']);
      await page.keyboard.press('ArrowDown'); // to passage 2
      assert.equal((await passageState(page)).text, PASSAGES[1].text);
      // select part of "Invoice total" with the mouse's selection, press 1: snapped to whole words
      await page.evaluate(() => {
        const el = document.querySelector('[data-testid="passage-text"]');
        const node = el.firstChild;
        const r = document.createRange();
        r.setStart(node, 1);
        r.setEnd(node, 10);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(r);
      });
      await page.keyboard.press('1');
      s = await passageState(page);
      assert.deepEqual(s.marks, ['PARTY:Invoice total*', 'AMOUNT:USD 1,200.00', 'DATE:June 3, 2024']);
      await page.keyboard.press('Enter');

      const decisions = ofType(await t.posted(), 'reviewCommit', 'reviewUndo');
      assert.deepEqual(decisions, [
        {
          type: 'reviewCommit',
          key: PASSAGES[0].key,
          uri: PASSAGES[0].uri,
          start: PASSAGES[0].start,
          end: PASSAGES[0].end,
          text: PASSAGES[0].text,
          spans: [
            { start: 26, end: 37, label: 'DATE' },
            { start: 46, end: 56, label: 'PARTY' },
          ],
        },
        { type: 'reviewUndo', key: PASSAGES[0].key },
        {
          type: 'reviewCommit',
          key: PASSAGES[1].key,
          uri: PASSAGES[1].uri,
          start: 0,
          end: PASSAGES[1].text.length,
          text: PASSAGES[1].text,
          spans: [
            { start: 0, end: 13, label: 'PARTY' },
            { start: 15, end: 27, label: 'AMOUNT' },
            { start: 32, end: 44, label: 'DATE' },
          ],
        },
      ]);
      // passage 1 is still waiting; a failed save puts a passage back and says why
      assert.equal((await passageState(page)).text, PASSAGES[0].text);
      await t.host({ type: 'reviewResult', key: PASSAGES[1].key, ok: false, message: 'the passage changed' });
      assert.match(await page.textContent('[data-testid="notice"]'), /Not saved: the passage changed/);
      assert.equal((await passageState(page)).text, PASSAGES[1].text);
      await assertClean(t);
    },
  },
  {
    name: 'document text with <img onerror> and <script> shows as text and runs nothing',
    async fn({ openPage }) {
      const t = await openPage();
      const { page } = t;
      const bad = { ...LABELS[0], description: XSS, color: 'red; background-image: url(http://x/)' };
      const passage = {
        ...PASSAGES[0],
        key: 'k',
        text: XSS,
        end: PASSAGES[0].start + XSS.length,
        file: XSS,
        entities: [{ start: 9, end: 59, label: 'PARTY', text: XSS.slice(9, 59), confidence: 0.2, reviewed: false }],
      };
      await t.host(
        { type: 'labels', data: [bad, ...LABELS.slice(1)] },
        trainingSet({ items: [{ ...trainingSet().data.items[0], file: XSS, text: XSS }] }),
        entities(XSS),
        queue([passage]),
        { type: 'notice', level: 'error', text: XSS },
      );
      for (const view of ['training', 'labels', 'entities', 'review']) {
        if (view !== 'training') await t.tab(view);
        await page.waitForTimeout(50);
      }
      await t.shot('dashboard-xss-review');
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
      assert.equal(await page.locator('script').count(), 2, 'only the stand-in and the bundle');
      const text = await page.textContent('[data-testid="passage-text"]');
      assert.equal(text, XSS);
      assert.ok(await page.getByText('<img src=x onerror=', { exact: false }).first().isVisible());
      assert.match(await page.textContent('[data-testid="notice"]'), /<script>window.__pwned=2;alert\(2\)<\/script>/);
      // the entities view shows it as a link's text
      await t.tab('entities');
      assert.ok((await page.locator('button.link', { hasText: '<script>' }).count()) >= 1);
      // a colour that is not a colour never reaches a style
      await t.tab('labels');
      const chip = await page.$eval('vscode-table-row[data-label="PARTY"] .chip', (e) =>
        e.style.getPropertyValue('--label-color'),
      );
      assert.equal(chip, 'var(--vscode-descriptionForeground)');
      await assertClean(t);
    },
  },
  {
    name: 'plots: loss and dev F1 per epoch, per-label F1 across versions, live progress with Cancel',
    async fn({ openPage }) {
      const t = await openPage();
      const { page } = t;
      await t.host({ type: 'labels', data: LABELS }, models(), progress(false));
      await t.tab('models');
      const points = (id, series) =>
        page.$eval(`figure[data-plot="${id}"] path[data-series="${series}"]`, (p) => ({
          d: p.getAttribute('d'),
          n: Number(p.dataset.points),
        }));
      const loss = await points('loss', 'training loss');
      assert.equal(loss.n, 6, 'the active version (ws.2) has 6 epochs');
      assert.equal((loss.d.match(/[ML]/g) ?? []).length, 6);
      assert.match(loss.d, /^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+){5}$/);
      const dev = await points('dev-f1', 'dev F1');
      assert.equal(dev.n, 6);
      // every version on the same two sets: one series per set, its size in the name
      const heldOut = await points('f1-versions', 'held-out (3 documents, 41 entities)');
      assert.equal(heldOut.n, 2, 'ws.2 is not scored on the held-out documents yet');
      const reference = await points('f1-versions', 'reference (120 documents, 5012 entities)');
      assert.equal(reference.n, 3);
      const headings = await page.$$eval('vscode-table.versions vscode-table-header-cell', (cells) =>
        cells.map((c) => c.textContent.trim()),
      );
      assert.ok(headings.includes('Held-out F1') && headings.includes('Reference F1'), headings.join(' | '));
      assert.equal(
        await page.textContent('[data-testid="scored-sets"]'),
        'Every version is scored on the same documents: held-out (3 documents, 41 entities); reference (120 documents, 5012 entities).',
      );
      // selecting another version redraws its curves
      assert.match(
        await page.textContent('section.detail'),
        /Trained on your corrections for PARTY on invoices and receipts/,
      );
      await page.click('vscode-table-row[data-version="base"] button.link');
      assert.equal((await points('loss', 'training loss')).n, 7);
      // a version trained on corrections has no dev set: no empty dev plot, and no scope line for others
      await page.click('vscode-table-row[data-version="ws.1"] button.link');
      assert.equal((await points('loss', 'training loss')).n, 5);
      assert.equal(await page.$('figure[data-plot="dev-f1"]'), null);
      assert.doesNotMatch(await page.textContent('section.detail'), /Trained on your corrections/);
      await page.click('vscode-table-row[data-version="base"] button.link');
      await t.shot('dashboard-light-models-full', true);
      // rolling back to a version
      await page.click('vscode-table-row[data-version="ws.1"] vscode-button');
      assert.deepEqual(ofType(await t.posted(), 'activateVersion'), [{ type: 'activateVersion', id: 'ws.1' }]);
      // live progress with the loss of finished epochs, and Cancel
      await t.host(
        progress(true, [
          { epoch: 1, loss: 0.9, devF1: null, seconds: 3, sentencesPerSecond: 0 },
          { epoch: 2, loss: 0.5, devF1: null, seconds: 3, sentencesPerSecond: 0 },
        ]),
      );
      assert.equal((await points('live-loss', 'loss (this run)')).n, 2);
      // later progress redraws only its own section
      const table = await page.$('vscode-table.versions');
      await t.host(
        progress(true, [
          { epoch: 1, loss: 0.9, devF1: null, seconds: 3, sentencesPerSecond: 0 },
          { epoch: 2, loss: 0.5, devF1: null, seconds: 3, sentencesPerSecond: 0 },
          { epoch: 3, loss: 0.4, devF1: null, seconds: 3, sentencesPerSecond: 0 },
        ]),
      );
      assert.equal(await table.evaluate((e) => e.isConnected), true, 'the versions table was kept');
      assert.equal((await points('live-loss', 'loss (this run)')).n, 3);
      assert.match(await page.textContent('[data-testid="training-progress"]'), /Training… 42%.*epoch 3\/12/s);
      await page.locator('[data-testid="training-progress"] vscode-button', { hasText: 'Cancel' }).click();
      assert.equal(ofType(await t.posted(), 'cancelTraining').length, 1);
      await t.shot('dashboard-light-models');
      await assertClean(t);
    },
  },
  {
    name: 'theme variables drive the colours (light vs dark vs high contrast)',
    async fn({ openPage }) {
      const t = await openPage({ theme: 'light' });
      const { page } = t;
      await t.host({ type: 'labels', data: LABELS }, queue(), trainingSet());
      await t.tab('review');
      const colours = () =>
        page.evaluate(() => {
          const body = getComputedStyle(document.body);
          const mark = getComputedStyle(document.querySelector('mark.entity'));
          const button = document.querySelector('vscode-button');
          const inner = button.shadowRoot.querySelector('.wrapper, button, [part], div') ?? button;
          return {
            color: body.color,
            background: body.backgroundColor,
            mark: mark.borderBottomColor,
            button: getComputedStyle(inner).backgroundColor,
          };
        });
      const light = await colours();
      assert.equal(light.background, 'rgb(255, 255, 255)');
      assert.equal(light.color, 'rgb(59, 59, 59)');
      assert.equal(light.mark, 'rgb(24, 128, 56)', 'DATE uses entityLens.dateBorder (light)');
      await t.shot('dashboard-light-review');
      await page.evaluate(() => window.__test.setTheme('dark'));
      const dark = await colours();
      assert.equal(dark.background, 'rgb(31, 31, 31)');
      assert.equal(dark.color, 'rgb(204, 204, 204)');
      assert.equal(dark.mark, 'rgb(92, 209, 139)', 'DATE uses entityLens.dateBorder (dark)');
      assert.notEqual(dark.button, light.button, 'vscode-elements follow the theme too');
      await t.shot('dashboard-dark-review');
      await t.tab('training');
      await t.shot('dashboard-dark-training');
      await page.evaluate(() => window.__test.setTheme('high-contrast'));
      const hc = await colours();
      assert.equal(hc.background, 'rgb(0, 0, 0)');
      await t.tab('review');
      await t.shot('dashboard-hc-review');
      await assertClean(t);
    },
  },
  {
    name: 'a malformed host message is logged and ignored',
    async fn({ openPage }) {
      const t = await openPage();
      const { page } = t;
      await t.host(trainingSet());
      const before = await page.textContent('[data-testid="training-summary"]');
      const good = trainingSet().data;
      await t.host(
        { type: 'trainingSet', data: { ...good, documents: -1 } },
        { type: 'trainingSet', data: { ...good, items: [{ ...good.items[0], text: 42 }] } },
        { type: 'labels', data: 'PARTY' },
        { type: 'launchMissiles' },
        { type: '__proto__' },
        { nope: true },
        42,
        null,
        'ready',
      );
      assert.equal(await page.textContent('[data-testid="training-summary"]'), before, 'the view kept its data');
      const logs = ofType(await t.posted(), 'log');
      assert.equal(logs.length, 9, JSON.stringify(logs));
      assert.ok(logs.every((l) => l.level === 'warning' && /ignored a malformed host message/.test(l.message)));
      assert.match(
        logs[0].message,
        /host message trainingSet\.data\.documents must be a whole number ≥ 0, found the number -1/,
      );
      assert.match(logs[1].message, /trainingSet\.data\.items\[0\]\.text must be a string, found the number 42/);
      assert.match(
        logs[3].message,
        /host message "type" must be a known message type, found the string "launchMissiles"/,
      );
      assert.match(logs[5].message, /host message "type" must be a known message type, found nothing/);
      assert.match(logs[6].message, /host message must be an object, found the number 42/);
      // and the next good message still works
      await t.host(trainingSet({ documents: 7 }));
      assert.match(await page.textContent('[data-testid="training-summary"]'), /^7documents/);
      await assertClean(t);
    },
  },
  {
    name: 'UI state survives the page being destroyed and rehydrates from the host',
    async fn({ openPage }) {
      const t = await openPage();
      await t.host({ type: 'labels', data: LABELS }, queue());
      await t.tab('review');
      await t.page.keyboard.press('ArrowRight');
      await t.page.keyboard.press('3');
      const saved = await t.page.evaluate(() => window.__test.state());
      assert.equal(saved.view, 'review');
      await t.page.close();
      const again = await openPage({ initialState: saved });
      const posted = await again.posted();
      assert.deepEqual(
        posted.slice(0, 2),
        [{ type: 'ready' }, { type: 'viewChanged', view: 'review' }],
        'asks the host for data and says which view is shown',
      );
      assert.equal(
        await again.page.$eval(
          'vscode-tabs',
          (e) => e.querySelectorAll('vscode-tab-header')[e.selectedIndex].dataset.view,
        ),
        'review',
      );
      await again.host({ type: 'labels', data: LABELS }, queue());
      const s = await passageState(again.page);
      assert.deepEqual(
        s.marks,
        ['DATE:May 1, 2024', 'AMOUNT:Acme Corp.*', 'PARTY:Blue Harbor LLC'],
        'the unsaved edit came back',
      );
      await again.page.keyboard.press('z');
      assert.deepEqual(
        (await passageState(again.page)).marks,
        ['DATE:May 1, 2024', 'PARTY:Acme Corp.*', 'PARTY:Blue Harbor LLC'],
        'and so did its undo',
      );
      await assertClean(again);
    },
  },
  {
    name: 'entities view: filter by label and confidence, reveal, accept, relabel, remove',
    async fn({ openPage }) {
      const t = await openPage();
      const { page } = t;
      await t.host({ type: 'labels', data: LABELS }, entities());
      await t.tab('entities');
      const rows = () =>
        page.$$eval('vscode-table.entities vscode-table-row', (rs) =>
          rs.map((r) => r.querySelector('button.link').textContent),
        );
      assert.deepEqual(await rows(), ['Acme Corp.', 'May 1, 2024', 'USD 1,200.00']);
      await page.locator('vscode-button', { hasText: 'Uncertain only' }).click();
      assert.deepEqual(await rows(), ['May 1, 2024']);
      await page.locator('vscode-table-row', { hasText: 'May 1, 2024' }).locator('button.link').click();
      await page
        .locator('vscode-table-row', { hasText: 'May 1, 2024' })
        .locator('vscode-button', { hasText: 'Accept' })
        .click();
      await page
        .locator('vscode-table-row', { hasText: 'May 1, 2024' })
        .locator('vscode-button', { hasText: 'Remove' })
        .click();
      await page.$eval('vscode-table-row vscode-single-select', (s) => {
        s.value = 'AMOUNT';
        s.dispatchEvent(new Event('change'));
      });
      const ref = { uri: 'file:///ws/contracts/nda.txt', start: 40, end: 51 };
      assert.deepEqual(ofType(await t.posted(), 'revealEntity', 'entityAction'), [
        { type: 'revealEntity', ...ref },
        { type: 'entityAction', action: 'accept', ...ref, label: 'DATE', newLabel: '' },
        { type: 'entityAction', action: 'remove', ...ref, label: 'DATE', newLabel: '' },
        { type: 'entityAction', action: 'relabel', ...ref, label: 'DATE', newLabel: 'AMOUNT' },
      ]);
      await page.$eval('vscode-single-select[aria-label="Filter by status"]', (s) => {
        s.value = 'reviewed';
        s.dispatchEvent(new Event('change'));
      });
      assert.deepEqual(await rows(), ['USD 1,200.00']);
      await assertClean(t);
    },
  },
  {
    name: 'fields view: field, value, confidence, "—" when empty; click or key reveals a value and corrects a field',
    async fn({ openPage }) {
      const t = await openPage();
      const { page } = t;
      await t.tab('fields');
      // before the host answers, then with no text editor, then with a document that has no fields
      assert.equal(await page.textContent('.view[data-view="fields"]'), 'Loading…');
      await t.host({
        type: 'fields',
        data: { uri: null, file: '', kind: null, kindSet: false, fields: [], checks: [] },
      });
      assert.equal(
        await page.textContent('[data-testid="fields-empty"]'),
        'Open a contract, invoice or receipt to see its fields.',
      );
      await t.host({
        type: 'fields',
        data: { uri: 'file:///ws/README.md', file: 'README.md', kind: null, kindSet: false, fields: [], checks: [] },
      });
      assert.match(
        await page.textContent('[data-testid="fields-empty"]'),
        /^README\.md has no fields: it is not tagged/,
      );

      await t.host(fields());
      const rows = await page.$$eval('vscode-table.fields vscode-table-row', (rs) =>
        rs.map((r) =>
          [...r.querySelectorAll('vscode-table-cell')]
            .slice(0, 3)
            .map((c) =>
              [...c.querySelectorAll(':scope > * > div, :scope > span, :scope > div > span')]
                .map((x) => x.textContent.trim())
                .join(' | '),
            ),
        ),
      );
      assert.deepEqual(rows, [
        ['seller', 'Falkenried Office Systems GmbH', '93%'],
        ['buyer', '—', ''],
        ['invoice_number', 'FOS-2026-0117', '99% · p. 1'],
        ['date', '2026-04-14 | 2026-04-15', '88% | 41%'],
        ['tax_id', 'DE298441507', 'corrected'],
        ['total', '5798.82', '76%'],
      ]);
      assert.match(await page.textContent('.view[data-view="fields"] p.muted'), /^Invoice: 5 of 6 fields found\.$/);
      // a typed correction has no mention: not a link
      assert.equal(await page.locator('vscode-table-row[data-field="tax_id"] button.link').count(), 0);
      // the failing checks under the table, with their severity; the field a check names is marked
      const checks = await page.$$eval('[data-testid="field-checks"] li', (ls) =>
        ls.map((l) => `${l.dataset.severity}: ${l.textContent}`),
      );
      assert.deepEqual(checks, [
        'error: Error total 5798.82 ≠ net 4872.50 + tax 925.78 = 5798.28',
        'warning: Warning due date 2026-04-01 is before the invoice date 2026-04-14',
      ]);
      assert.equal(
        await page.getAttribute('vscode-table-row[data-field="total"] vscode-table-cell span', 'class'),
        'low',
      );
      await t.shot('dashboard-light-fields');
      // the editor suite reads the tab through a ping: the view's text, as rendered
      await t.host({ type: 'ping', id: 7, read: 'fields' });
      const pong = ofType(await t.posted(), 'pong').pop();
      assert.equal(pong.id, 7);
      assert.match(pong.text, /total\s+5798\.82\s+76%/);

      const uri = 'file:///ws/invoices/invoice-FOS-2026-0117.txt';
      // mouse: a value, the second value of a field, Correct…
      await page.locator('vscode-table-row[data-field="total"] button.link').click();
      await page.locator('vscode-table-row[data-field="date"] button.link', { hasText: '2026-04-15' }).click();
      await page.locator('vscode-table-row[data-field="buyer"] vscode-button', { hasText: 'Correct…' }).click();
      // keyboard: Enter on a focused value, Space on a focused Correct…
      await page.locator('vscode-table-row[data-field="seller"] button.link').focus();
      await page.keyboard.press('Enter');
      await page.locator('vscode-table-row[data-field="total"] vscode-button').focus();
      await page.keyboard.press('Space');
      assert.deepEqual(ofType(await t.posted(), 'revealFieldValue', 'correctField'), [
        { type: 'revealFieldValue', uri, start: 880, end: 888 },
        { type: 'revealFieldValue', uri, start: 300, end: 310 },
        { type: 'correctField', uri, field: 'buyer' },
        { type: 'revealFieldValue', uri, start: 0, end: 30 },
        { type: 'correctField', uri, field: 'total' },
      ]);
      // Tab reaches every value link and every Correct… button, in reading order
      await page.locator('vscode-table-row[data-field="seller"] button.link').focus();
      const reached = [];
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press('Tab');
        reached.push(
          await page.evaluate(() => {
            const el = document.activeElement;
            return `${el.closest('vscode-table-row')?.dataset.field}:${el.textContent.trim()}`;
          }),
        );
      }
      assert.deepEqual(reached, ['seller:Correct…', 'buyer:Correct…', 'invoice_number:FOS-2026-0117']);
      // the fields follow the host: a second message redraws the table
      const next = fields();
      next.data.checks = [];
      next.data.kindSet = true;
      await t.host(next);
      assert.equal(await page.textContent('[data-testid="field-checks"]'), 'No value check fails.');
      assert.match(await page.textContent('.view[data-view="fields"] p.muted'), /^Invoice \(kind set by you\)/);
      await assertClean(t);
    },
  },
  {
    name: 'training set and labels views post the right requests',
    async fn({ openPage }) {
      const t = await openPage();
      const { page } = t;
      await t.host({ type: 'labels', data: LABELS }, trainingSet());
      await page.locator('vscode-table.passages button.link').first().click();
      assert.equal(
        await page.locator('vscode-table.passages button.link').count(),
        1,
        'imported passages are not links',
      );
      await t.shot('dashboard-light-training');
      await t.tab('labels');
      await page.$eval('vscode-table-row[data-label="INVOICE_NO"] input.color', (i) => {
        i.value = '#ff8800';
        i.dispatchEvent(new Event('change'));
      });
      await page.$eval('vscode-table-row[data-label="DATE"] vscode-textfield', (f) => {
        f.value = 'Dates of signature, terms and deadlines';
        f.dispatchEvent(new Event('change'));
      });
      await page.locator('vscode-table-row[data-label="PARTY"] vscode-button', { hasText: 'Rename' }).click();
      await page.$eval('[data-testid="rename"] vscode-textfield', (f) => {
        f.value = 'organisation';
      });
      await t.shot('dashboard-light-labels');
      await page.locator('[data-testid="rename"] vscode-button', { hasText: 'Rename' }).click();
      assert.equal(await page.locator('[data-testid="rename"] vscode-textfield').count(), 0, 'the rename bar closes');
      await page.$eval('.add-label vscode-textfield', (f) => {
        f.value = 'tax_id';
      });
      await page.locator('.add-label vscode-button').click();
      const sent = ofType(await t.posted(), 'openPassage', 'recolorLabel', 'describeLabel', 'renameLabel', 'addLabel');
      assert.deepEqual(sent, [
        { type: 'openPassage', id: 'editor:abc' },
        { type: 'recolorLabel', name: 'INVOICE_NO', color: '#ff8800' },
        { type: 'describeLabel', name: 'DATE', description: 'Dates of signature, terms and deadlines' },
        { type: 'renameLabel', from: 'PARTY', to: 'ORGANISATION' },
        { type: 'addLabel', name: 'TAX_ID', description: '' },
      ]);
      // a labels update does not wipe a description being typed; it is applied on leaving the field
      await page.click('vscode-table-row[data-label="AMOUNT"] vscode-textfield');
      await page.keyboard.type(' and prices');
      await t.host({
        type: 'labels',
        data: LABELS.map((l) => (l.name === 'DATE' ? { ...l, description: 'from the host' } : l)),
      });
      assert.equal(
        await page.$eval('vscode-table-row[data-label="AMOUNT"] vscode-textfield', (f) => f.value),
        'Money and prices',
      );
      await page.click('[data-view="labels"] h2');
      await page.waitForTimeout(50);
      assert.equal(
        await page.$eval('vscode-table-row[data-label="DATE"] vscode-textfield', (f) => f.value),
        'from the host',
      );
      assert.deepEqual(ofType(await t.posted(), 'describeLabel').pop(), {
        type: 'describeLabel',
        name: 'AMOUNT',
        description: 'Money and prices',
      });
      // the colour picker starts from the theme colour the label really has
      const picker = await page.$eval('vscode-table-row[data-label="DATE"] input.color', (i) => i.value);
      assert.equal(picker, '#188038');
      await assertClean(t);
    },
  },
  {
    name: 'host-side validator: webview messages are checked field by field',
    async fn({ messages }) {
      const { checkWebviewMessage, checkHostMessage, spanProblem } = messages;
      const commit = {
        type: 'reviewCommit',
        key: 'k',
        uri: 'file:///a',
        start: 0,
        end: 5,
        text: 'hello',
        spans: [{ start: 0, end: 5, label: 'PARTY' }],
      };
      assert.equal(checkWebviewMessage(commit).ok, true);
      assert.match(
        checkWebviewMessage({ ...commit, spans: [{ start: -1, end: 2, label: 'X' }] }).error,
        /^webview message reviewCommit\.spans\[0\]\.start must be a whole number ≥ 0, found the number -1$/,
      );
      assert.match(
        checkWebviewMessage({ ...commit, start: 1.5 }).error,
        /reviewCommit\.start must be a whole number ≥ 0, found the number 1\.5/,
      );
      assert.match(
        checkWebviewMessage({
          type: 'entityAction',
          action: 'delete',
          uri: 'u',
          start: 0,
          end: 1,
          label: 'A',
          newLabel: '',
        }).error,
        /entityAction\.action must be "accept", "relabel" or "remove", found the string "delete"/,
      );
      assert.match(
        checkWebviewMessage({ type: 'constructor' }).error,
        /"type" must be a known message type, found the string "constructor"/,
      );
      assert.match(checkWebviewMessage({ type: 'toString' }).error, /must be a known message type/);
      assert.equal(checkWebviewMessage([]).error, 'webview message must be an object, found an array');
      assert.equal(checkWebviewMessage({ type: 'viewChanged', view: 'review' }).ok, true);
      assert.equal(checkWebviewMessage({ type: 'viewChanged', view: 'fields' }).ok, true);
      assert.equal(checkWebviewMessage({ type: 'correctField', uri: 'file:///a', field: 'total' }).ok, true);
      assert.match(
        checkWebviewMessage({ type: 'correctField', uri: 'file:///a', field: '' }).error,
        /correctField\.field must be a non-empty string, found an empty string/,
      );
      assert.match(
        checkWebviewMessage({ type: 'revealFieldValue', uri: 'file:///a', start: 3, end: '9' }).error,
        /revealFieldValue\.end must be a whole number ≥ 0, found the string "9"/,
      );
      const good = fields();
      assert.equal(checkHostMessage(good).ok, true);
      const bad = fields();
      bad.data.checks[0].severity = 'fatal';
      assert.match(checkHostMessage(bad).error, /fields\.data\.checks\[0\]\.severity must be "error" or "warning"/);
      assert.equal(checkWebviewMessage({ type: 'viewChanged', view: 'settings' }).ok, false);
      assert.equal(checkHostMessage({ type: 'ping', id: 3, read: null }).ok, true);
      assert.equal(checkHostMessage({ type: 'ping', id: 3, read: 'fields' }).ok, true);
      assert.equal(checkHostMessage({ type: 'ping', id: 3, read: 'settings' }).ok, false);
      assert.equal(
        checkHostMessage({ type: 'progress', data: { running: true, percent: NaN, message: '', epochs: [] } }).ok,
        false,
      );
      assert.equal(
        spanProblem(
          [
            { start: 0, end: 3, label: 'A' },
            { start: 2, end: 4, label: 'B' },
          ],
          10,
        ),
        'span 2-4 overlaps the one before it',
      );
      assert.equal(
        spanProblem([{ start: 0, end: 11, label: 'A' }], 10),
        'span 0-11 is outside the passage (10 characters)',
      );
    },
  },
  {
    name: 'at the default side width with twenty labels, in light, dark and high contrast, nothing is clipped',
    async fn({ openPage }) {
      for (const theme of ['light', 'dark', 'high-contrast']) {
        const t = await openPage({ theme });
        const { page } = t;
        // the panel beside an editor in a 1280 px window: about 460 px wide
        await page.setViewportSize({ width: 460, height: 760 });
        await t.host(
          { type: 'labels', data: LABELS20 },
          trainingSet(),
          models20(),
          progress(true, [{ epoch: 1, loss: 0.9, devF1: null, seconds: 3, sentencesPerSecond: 0 }]),
          queue20(),
          entities('Brightwater Analytics Limited Liability Partnership of Delaware'),
          fields({ longSeller: 'Brightwater Analytics Limited Liability Partnership of Delaware' }),
        );
        for (const view of ['training', 'models', 'labels', 'entities', 'fields', 'review']) {
          await t.tab(view);
          await page.evaluate(() => new Promise((r) => setTimeout(r, 80)));
          const problems = await clipped(page);
          await t.shot(`dashboard-460-${theme}-${view}`, true);
          assert.deepEqual(problems, [], `${theme} ${view}`);
          // the run in progress is in sight on every tab, with Cancel (the Models tab shows it in full)
          const banner = page.locator('[data-testid="training-banner"]');
          assert.equal(await banner.isVisible(), view !== 'models', `${view}: training strip`);
          if (view !== 'models') assert.match(await banner.textContent(), /Training… 42%.*epoch 3\/12/s);
        }
        await t.tab('labels');
        await page.locator('[data-testid="training-banner"] vscode-button', { hasText: 'Cancel' }).click();
        assert.equal(ofType(await t.posted(), 'cancelTraining').length, 1, 'Cancel from the Labels tab');
        await page.locator('[data-testid="training-banner"] vscode-button', { hasText: 'Details' }).click();
        assert.equal(await page.getAttribute('vscode-tab-header[data-view="models"]', 'aria-selected'), 'true');
        // labels without held-out spans: n/a, not 0.000
        const noSupport = await page.$$eval('vscode-table.scores vscode-table-row', (rows) =>
          rows
            .map((r) => [...r.querySelectorAll('vscode-table-cell')].map((c) => c.textContent.trim()))
            .filter((cells) => cells[4] === '0'),
        );
        assert.equal(noSupport.length, 4);
        for (const cells of noSupport) assert.deepEqual(cells.slice(1, 4), ['n/a', 'n/a', 'n/a']);
        // the strip goes when the run ends
        await t.host(progress(false));
        await t.tab('training');
        assert.equal(await page.locator('[data-testid="training-banner"]').isVisible(), false);
        await assertClean(t);
      }
    },
  },
  {
    name: 'review keys for all twenty labels: 1–9, 0, then a–j; z stays undo',
    async fn({ openPage }) {
      const t = await openPage();
      const { page } = t;
      await t.host({ type: 'labels', data: LABELS20 }, queue20());
      await t.tab('review');
      const keys = await page.$$eval('ol.legend button.key', (b) => b.map((x) => x.textContent));
      assert.deepEqual(keys, [...'1234567890abcdefghij']);
      assert.match(await page.textContent('p.keys'), /^1–9, 0, a–j label/);
      await page.focus('[data-testid="passage-text"]');
      const labelOfSelected = () => page.$eval('[data-testid="passage-text"] mark.selected', (m) => m.dataset.label);
      // the first entity (PARTY) gets the 10th label with 0, the 11th with a, the 20th with j
      for (const [key, label] of [
        ['0', 'BIC'],
        ['a', 'INVOICE_NO'],
        ['j', 'GOVERNING_LAW'],
        ['5', 'DURATION'],
      ]) {
        await page.keyboard.press(key);
        assert.equal(await labelOfSelected(), label, `key ${key}`);
      }
      // z undoes the last change (back to j's label), not a label of its own
      await page.keyboard.press('z');
      assert.equal(await labelOfSelected(), 'GOVERNING_LAW');
      // a key past the labels does nothing
      await page.keyboard.press('x');
      assert.equal(await labelOfSelected(), 'GOVERNING_LAW');
      await t.shot('dashboard-light-review-20-labels', true);
      await assertClean(t);
    },
  },
];
