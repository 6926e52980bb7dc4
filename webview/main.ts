// The dashboard webview: tabs for the six views, the message loop with the host (every host
// message is checked by checkHostMessage; a malformed one is logged and ignored) and the saved
// UI state. All document text reaches the page as text nodes (dom.ts), never as HTML.
import './nonce';
import { wrapTabHeaders } from './elements';
import {
  checkHostMessage,
  PONG_TEXT,
  VIEWS,
  type HostMessage,
  type ViewId,
  type WebviewMessage,
} from '../src/shared/messages';
import { labelColorOf, restoreUi, type App } from './app';
import { fill, h } from './dom';
import { renderEntities } from './views/entities';
import { renderFields } from './views/fields';
import { renderLabels } from './views/labels';
import { renderModels, updateProgress } from './views/models';
import { commitFailed, focusPassage, onReviewKey, renderReview } from './views/review';
import { renderProgressBanner } from './views/progress-banner';
import { renderTrainingSet } from './views/training-set';

const vscode = acquireVsCodeApi();

const TITLES: Record<ViewId, string> = {
  training: 'Training set',
  models: 'Models',
  labels: 'Labels',
  entities: 'Entities',
  fields: 'Fields',
  review: 'Review queue',
};

const RENDER: Record<ViewId, (root: HTMLElement, app: App) => void> = {
  training: renderTrainingSet,
  models: renderModels,
  labels: renderLabels,
  entities: renderEntities,
  fields: renderFields,
  review: renderReview,
};

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(h('div', { attrs: { id: 'app' } }));
  const panels = new Map<ViewId, HTMLElement>();
  const noticeBar = h('div', {
    class: 'notice',
    attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'notice' },
  });
  let noticeTimer: number | undefined;
  const banner = h('section', {
    class: 'banner',
    attrs: { 'aria-live': 'polite', 'data-testid': 'training-banner', hidden: true },
  });

  const app: App = {
    data: {},
    ui: restoreUi(vscode.getState()),
    send: (m: WebviewMessage) => vscode.postMessage(m),
    save: () => vscode.setState(app.ui),
    render: (view?: ViewId) => {
      for (const v of view ? [view] : VIEWS) {
        const panel = panels.get(v);
        if (!panel) continue;
        // never redraw a field under the person's cursor: wait until they leave it
        if (isEditing(panel)) deferred.add(v);
        else RENDER[v](panel, app);
      }
    },
    notify: (level, text) => {
      noticeBar.className = `notice ${level}`;
      fill(noticeBar, text);
      if (noticeTimer !== undefined) clearTimeout(noticeTimer);
      noticeTimer = window.setTimeout(() => fill(noticeBar), level === 'error' ? 15000 : 6000);
    },
    labelColor: (label) => labelColorOf(app.data.labels, label),
    show: (view) => {
      (tabs as unknown as { selectedIndex: number }).selectedIndex = VIEWS.indexOf(view);
      selectView(view);
    },
    banner: () => renderProgressBanner(banner, app),
  };

  const deferred = new Set<ViewId>();
  document.addEventListener('focusout', () =>
    setTimeout(() => {
      for (const v of [...deferred]) {
        const panel = panels.get(v);
        if (panel && !isEditing(panel)) {
          deferred.delete(v);
          RENDER[v](panel, app);
        }
      }
    }, 0),
  );

  const tabs = h('vscode-tabs', { attrs: { panel: true } });
  for (const v of VIEWS) {
    const panel = h('div', { class: 'view', dataset: { view: v } });
    panels.set(v, panel);
    // vscode-tabs gives headers and panels their ids and aria links
    tabs.append(h('vscode-tab-header', { attrs: { slot: 'header' }, dataset: { view: v } }, TITLES[v]));
    tabs.append(h('vscode-tab-panel', null, panel));
  }
  (tabs as unknown as { selectedIndex: number }).selectedIndex = VIEWS.indexOf(app.ui.view);
  const selectView = (view: ViewId | undefined): void => {
    if (!view || view === app.ui.view) return;
    app.ui.view = view;
    app.save();
    app.send({ type: 'viewChanged', view });
    app.banner();
    // drawn again now that it is visible: vscode-table sizes its columns from its width when it
    // is attached, and a hidden tab has none
    requestAnimationFrame(() => app.render(view));
    if (view === 'review') requestAnimationFrame(focusPassage);
  };
  tabs.addEventListener('vsc-tabs-select', (e) =>
    selectView(VIEWS[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex]),
  );
  fill(root, noticeBar, banner, tabs);
  wrapTabHeaders(tabs);
  root.removeAttribute('aria-busy');
  app.render();

  window.addEventListener('message', (event: MessageEvent) => {
    const checked = checkHostMessage(event.data);
    if (!checked.ok) {
      console.warn(`Entity Lens dashboard: ignored a message: ${checked.error}`);
      app.send({
        type: 'log',
        level: 'warning',
        message: `ignored a malformed host message: ${checked.error.slice(0, 300)}`,
      });
      return;
    }
    try {
      receive(app, checked.message);
    } catch (e) {
      app.send({
        type: 'log',
        level: 'error',
        message: `handling ${checked.message.type} failed: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  });
  document.addEventListener('keydown', (e) => onReviewKey(app, e));
  app.send({ type: 'ready' });
  app.send({ type: 'viewChanged', view: app.ui.view });
}

const EDITABLE = new Set(['INPUT', 'TEXTAREA', 'VSCODE-TEXTFIELD', 'VSCODE-TEXTAREA']);

/** A text field inside this view has the focus. */
function isEditing(panel: HTMLElement): boolean {
  const active = document.activeElement;
  return (
    !!active &&
    panel.contains(active) &&
    EDITABLE.has(active.tagName) &&
    (active as HTMLInputElement).type !== 'color' &&
    (active as HTMLInputElement).type !== 'range'
  );
}

/** A view's text as the page renders it (the editor suite reads the page through the ping). */
function viewText(view: ViewId): string {
  const panel = document.querySelector<HTMLElement>(`.view[data-view="${view}"]`);
  return (panel?.innerText ?? '').slice(0, PONG_TEXT);
}

function receive(app: App, m: HostMessage): void {
  switch (m.type) {
    case 'trainingSet':
      app.data.trainingSet = m.data;
      return app.render('training');
    case 'models':
      app.data.models = m.data;
      return app.render('models');
    case 'progress': {
      const was = app.data.progress?.running;
      app.data.progress = m.data;
      app.banner();
      // while a run goes on only its progress section is redrawn
      if (was !== m.data.running || !updateProgress(app)) app.render('models');
      return;
    }
    case 'labels':
      app.data.labels = m.data;
      // colours and label names appear in every view
      return app.render();
    case 'entities':
      app.data.entities = m.data;
      return app.render('entities');
    case 'fields':
      app.data.fields = m.data;
      return app.render('fields');
    case 'reviewQueue': {
      app.data.queue = m.data;
      const keys = new Set(m.data.passages.map((p) => p.key));
      const r = app.ui.review;
      // decisions on passages that are no longer queued are settled: forget them
      r.done = r.done.filter((k) => keys.has(k));
      for (const k of Object.keys(r.edits)) if (!keys.has(k)) delete r.edits[k];
      r.undo = r.undo.filter((a) => keys.has(a.key) || a.kind === 'commit');
      app.save();
      return app.render('review');
    }
    case 'reviewResult':
      if (!m.ok) {
        app.notify('error', `Not saved: ${m.message}`);
        commitFailed(app, m.key);
      }
      return;
    case 'notice':
      return app.notify(m.level, m.text);
    case 'ping':
      app.send({
        type: 'pong',
        id: m.id,
        view: app.ui.view,
        labels: (app.data.labels ?? []).map((l) => l.name),
        text: m.read ? viewText(m.read) : '',
      });
      return;
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
