// Live training progress for the Models view. The training controller publishes its progress
// in state.training.running ({percent, progress: "epoch 3/12, loss 0.412, about 40 s left"})
// and fires statusChanged on each update; this follows it and keeps, per run, the loss at the
// end of each finished epoch (the last loss seen before the epoch number moved on).
import type { EpochDto, TrainingProgressDto } from '../../shared/messages';
import { type Ctx } from '../ctx';

export interface ProgressTracker {
  /** the run being followed (its folder and start), to start a new curve for a new run */
  run?: object;
  epoch: number;
  loss: number;
  started: number;
  finished: EpochDto[];
}

export function createProgressTracker(): ProgressTracker {
  return { epoch: 0, loss: NaN, started: 0, finished: [] };
}

const PATTERN = /epoch (\d+)\/(\d+), loss ([0-9.eE+-]+)/;

export function trackProgress(t: ProgressTracker, ctx: Ctx): TrainingProgressDto {
  const running = ctx.training.running;
  if (!running) {
    t.run = undefined;
    return { running: false, percent: 0, message: '', epochs: t.finished };
  }
  if (t.run !== running) {
    t.run = running;
    t.epoch = 0;
    t.loss = NaN;
    t.started = Date.now();
    t.finished = [];
  }
  const m = PATTERN.exec(running.progress);
  if (m) {
    const epoch = Number(m[1]);
    const loss = Number(m[3]);
    if (epoch > t.epoch && t.epoch > 0 && Number.isFinite(t.loss)) {
      const seconds = (Date.now() - t.started) / 1000;
      t.finished.push({ epoch: t.epoch, loss: t.loss, devF1: null, seconds, sentencesPerSecond: 0 });
      t.started = Date.now();
    }
    t.epoch = epoch;
    if (Number.isFinite(loss)) t.loss = loss;
  }
  const percent = Number.isFinite(running.percent) ? Math.max(0, Math.min(100, running.percent)) : 0;
  return { running: true, percent, message: running.progress, epochs: [...t.finished] };
}
