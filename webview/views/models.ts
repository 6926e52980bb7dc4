// Models: every version with its data counts, its F1 on the same held-out documents and the
// same reference set as every other version (a column per set, its size in the heading), the
// per-label scores recorded when it was trained, training loss and dev F1 per epoch, live
// progress with Cancel, and switching to (rolling back to) any version.
import type { CurveDto, ModelVersionDto, ScoredSetDto } from '../../src/shared/messages';
import type { App } from '../app';
import { button, fill, formatNumber, formatTime, h, linkButton, table } from '../dom';
import { linePlot, type Series } from '../plot';
import { labelChip } from './training-set';

export function renderModels(root: HTMLElement, app: App): void {
  const m = app.data.models;
  if (!m) {
    fill(root, h('p', { class: 'muted' }, 'Loading the models…'));
    return;
  }
  const progress = app.data.progress;
  const running = !!progress?.running;
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('h2', null, 'Models'),
    button('Train now', () => app.send({ type: 'train' }), {
      disabled: running || !m.trusted,
      title: m.trusted ? 'Fine-tune on the training set' : 'Not available in an untrusted workspace',
    }),
    button('Refresh', () => app.send({ type: 'refresh', view: 'models' }), { secondary: true }),
  );
  const live = running && progress ? liveProgress(app) : null;

  const selected =
    m.versions.find((v) => v.id === app.ui.selectedModel) ??
    m.versions.find((v) => v.active) ??
    m.versions[m.versions.length - 1];
  const curve = m.curve;
  const point = (v: ModelVersionDto) => curve?.points.find((p) => p.id === v.id);
  const scored = (x: number | null | undefined) =>
    x === null || x === undefined ? (curve?.pending ? '…' : '—') : formatNumber(x);
  const versions = table(
    ['Version', 'Source', 'Created', 'Training data', 'Held-out F1', 'Reference F1', ''],
    m.versions.map((v) => ({
      props: { class: v === selected ? 'selected' : '', dataset: { version: v.id } },
      cells: [
        linkButton(
          `${v.version}${v.active ? ' (active)' : ''}`,
          () => {
            app.ui.selectedModel = v.id;
            app.save();
            app.render('models');
          },
          'Show its scores and training curves',
        ),
        v.id === 'base' ? `base (${v.source})` : v.id,
        formatTime(v.created),
        dataText(v),
        scored(point(v)?.heldOut),
        scored(point(v)?.reference),
        v.active
          ? h('vscode-badge', null, 'in use')
          : button(
              v.id === 'base' ? 'Use base model' : 'Use this version',
              () => app.send({ type: 'activateVersion', id: v.id }),
              { secondary: true, disabled: running || !m.trusted },
            ),
      ],
    })),
    ['20%', '12%', '15%', '19%', '10%', '10%', 'auto'],
    'versions',
  );

  // the two score columns come from one set each: say which, with its size, above them
  const sets = curve
    ? h(
        'p',
        { class: 'muted', attrs: { 'data-testid': 'scored-sets' } },
        `Every version is scored on the same documents: ${setHeading('held-out', curve.heldOut) || 'no held-out documents yet'}; ` +
          `${setHeading('reference', curve.reference) || 'no reference set'}.${curve.pending ? ' Scoring…' : ''}`,
      )
    : null;
  const detail = selected ? versionDetail(app, selected) : null;
  fill(
    root,
    toolbar,
    live,
    sets,
    m.versions.length ? versions : h('p', { class: 'muted' }, 'No model yet: train one from the training set.'),
    m.canRollBack
      ? h('p', { class: 'muted' }, 'Entity Lens: Roll Back Model returns to the model used before the last change.')
      : null,
    detail,
    curve && m.versions.length > 1 ? acrossVersions(app, curve) : null,
  );
}

/** Redraws the progress section in place; false when there is none to update. */
export function updateProgress(app: App): boolean {
  const section = document.querySelector('[data-testid="training-progress"]');
  if (!section || !app.data.progress?.running) return false;
  section.replaceWith(liveProgress(app));
  return true;
}

function liveProgress(app: App): HTMLElement {
  const p = app.data.progress;
  if (!p) return h('div');
  const loss: Series = {
    name: 'loss (this run)',
    color: 'var(--vscode-charts-blue, #3794ff)',
    points: p.epochs.map((e) => [e.epoch, e.loss]),
  };
  return h(
    'section',
    { class: 'live', attrs: { 'aria-live': 'polite', 'data-testid': 'training-progress' } },
    h(
      'div',
      { class: 'toolbar' },
      h('strong', null, `Training… ${Math.round(p.percent)}%`),
      h('span', { class: 'muted' }, p.message),
      button('Cancel', () => app.send({ type: 'cancelTraining' }), { secondary: true }),
    ),
    h('vscode-progress-bar', { props: { value: p.percent, max: 100 }, attrs: { 'aria-label': 'training progress' } }),
    p.epochs.length
      ? linePlot([loss], {
          title: 'Training loss so far',
          xLabel: 'epoch',
          yLabel: 'loss',
          id: 'live-loss',
          height: 160,
        })
      : null,
  );
}

function dataText(v: ModelVersionDto): string {
  const parts: string[] = [];
  if (v.data.trainRecords !== null) parts.push(`${v.data.trainRecords} records`);
  if (v.data.heldOutRecords !== null) parts.push(`${v.data.heldOutRecords} held out`);
  if (v.data.trainSequences !== null) parts.push(`${v.data.trainSequences} sequences`);
  if (v.data.replayed) parts.push(`${v.data.replayed} replayed`);
  return parts.join(', ') || '—';
}

function versionDetail(app: App, v: ModelVersionDto): HTMLElement {
  const scores = v.scores.length
    ? table(
        ['Label', 'Precision', 'Recall', 'F1', 'Support'],
        v.scores.map((s) => ({
          // no held-out spans of the label: its recall and F1 do not exist (not 0)
          cells: [
            labelChip(app, s.label),
            s.support === 0 && s.precision === null ? 'n/a' : formatNumber(s.precision),
            s.support === 0 ? 'n/a' : formatNumber(s.recall),
            s.support === 0 ? 'n/a' : formatNumber(s.f1),
            String(s.support),
          ],
        })),
        ['30%', '17%', '17%', '17%', 'auto'],
        'scores',
        320,
      )
    : h('p', { class: 'muted' }, 'No held-out scores were recorded for this version.');
  const scoresTitle = h(
    'p',
    { class: 'muted' },
    'Scores recorded when it was trained, on that day’s held-out documents:',
  );
  const history = v.history;
  const loss: Series = {
    name: 'training loss',
    color: 'var(--vscode-charts-blue, #3794ff)',
    points: history.map((e) => [e.epoch, e.loss]),
  };
  const dev: Series = {
    name: 'dev F1',
    color: 'var(--vscode-charts-green, #89d185)',
    points: history.filter((e) => e.devF1 !== null).map((e) => [e.epoch, e.devF1 as number]),
  };
  return h(
    'section',
    { class: 'detail' },
    h('h3', null, `${v.name} ${v.version}`),
    v.note ? h('p', { class: 'muted' }, v.note) : null,
    h('p', { class: 'muted' }, `Labels: ${v.labels.join(', ') || '—'}`),
    v.scope
      ? h(
          'p',
          { class: 'muted scope' },
          `Trained on your corrections for ${v.scope}; the model it was trained from tags the rest.`,
        )
      : null,
    v.scores.length ? scoresTitle : null,
    scores,
    h(
      'div',
      { class: 'plots' },
      linePlot([loss], { title: 'Training loss per epoch', xLabel: 'epoch', yLabel: 'loss', id: 'loss' }),
      // models trained on corrections have no dev set (their held-out documents judge them afterwards)
      dev.points.length > 0
        ? linePlot([dev], { title: 'Dev F1 per epoch', xLabel: 'epoch', yLabel: 'F1', yMin: 0, yMax: 1, id: 'dev-f1' })
        : null,
    ),
  );
}

/** "held-out (3 documents, 41 entities)"; '' without the set */
function setHeading(name: string, set: ScoredSetDto | null | undefined): string {
  return set ? `${name} (${set.documents} documents, ${set.entities} entities)` : '';
}

function acrossVersions(app: App, curve: CurveDto): HTMLElement {
  const versions = app.data.models?.versions ?? [];
  const series = (name: string, color: string, pick: (p: CurveDto['points'][number]) => number | null): Series => ({
    name,
    color,
    points: versions.flatMap((v, i): Array<[number, number]> => {
      const p = curve.points.find((x) => x.id === v.id);
      const y = p ? pick(p) : null;
      return y === null ? [] : [[i, y]];
    }),
  });
  return h(
    'section',
    { class: 'detail' },
    h('h3', null, 'Every version on the same documents'),
    curve.pending ? h('p', { class: 'muted' }, 'Scoring the versions…') : null,
    linePlot(
      [
        series(
          setHeading('held-out', curve.heldOut) || 'held-out',
          'var(--vscode-charts-blue, #3794ff)',
          (p) => p.heldOut,
        ),
        series(
          setHeading('reference', curve.reference) || 'reference',
          'var(--vscode-charts-green, #89d185)',
          (p) => p.reference,
        ),
      ],
      {
        title: 'Micro F1 by version',
        xLabel: 'version',
        yLabel: 'F1',
        yMin: 0,
        yMax: 1,
        width: 640,
        id: 'f1-versions',
        xTickLabel: (x) => versions[Math.round(x)]?.id ?? '',
      },
    ),
  );
}
