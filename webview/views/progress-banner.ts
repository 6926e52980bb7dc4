// Training progress on every tab: while a run goes on, a strip above the tabs says how far it is
// (percent, epoch, loss, time left) with a bar and Cancel, so a person who started training
// from the Labels or Review tab, or from the editor, sees it and can stop it. The Models tab
// shows the run in full (its loss curve) and the strip steps aside there.
import type { App } from '../app';
import { button, fill, h } from '../dom';

export function renderProgressBanner(el: HTMLElement, app: App): void {
  const p = app.data.progress;
  if (!p?.running || app.ui.view === 'models') {
    el.hidden = true;
    fill(el);
    return;
  }
  el.hidden = false;
  const percent = Math.round(p.percent);
  fill(
    el,
    h(
      'div',
      { class: 'banner-line' },
      h('strong', null, `Training… ${percent}%`),
      h('span', { class: 'muted banner-message' }, p.message),
      h(
        'span',
        { class: 'banner-actions' },
        button('Cancel', () => app.send({ type: 'cancelTraining' }), {
          secondary: true,
          title: 'Stop the run: the current model stays',
        }),
        button('Details', () => app.show('models'), { secondary: true, title: 'The run in the Models tab' }),
      ),
    ),
    h('vscode-progress-bar', {
      props: { value: p.percent, max: 100 },
      attrs: { 'aria-label': `training ${percent}%` },
    }),
  );
}
