// Training progress on stderr. On a terminal: one line redrawn in place (epoch, a bar,
// step/steps, loss, best dev F1, sentences/s, ETA) with each finished epoch printed above it.
// Elsewhere (a log file, CI, a pipe): plain lines only, one per 10% of an epoch and one per
// epoch, so logs stay readable.
import { type EpochRecord, type TrainProgress } from '../model';

export interface ProgressStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export class TrainingProgress {
  private readonly tty: boolean;
  /** the bar currently on screen (TTY), to redraw after a message */
  private shown = '';
  private lastDecile = 0;
  private lastEpoch = 0;
  private last: TrainProgress | null = null;

  constructor(private readonly stream: ProgressStream = process.stderr) {
    this.tty = stream.isTTY === true;
  }

  update(p: TrainProgress): void {
    this.last = p;
    if (p.epoch !== this.lastEpoch) {
      this.lastEpoch = p.epoch;
      this.lastDecile = 0;
    }
    if (this.tty) {
      this.draw(this.barLine(p));
      return;
    }
    // deciles 1-9: the epoch line reports the end of the epoch
    const decile = Math.floor((10 * p.step) / Math.max(1, p.steps));
    if (decile > this.lastDecile && decile < 10) {
      this.lastDecile = decile;
      this.stream.write(`${this.plainLine(p)}\n`);
    }
  }

  epoch(r: EpochRecord, improved: boolean, epochs: number): void {
    const f1 = Number.isNaN(r.devF1) ? 'no dev set' : `dev F1 ${r.devF1.toFixed(4)}`;
    const best = improved ? '  (best so far, saved)' : '';
    this.message(
      `epoch ${r.epoch}/${epochs}  loss ${formatLoss(r.loss)}  ${f1}  ` +
        `${formatDuration(r.seconds)}  ${Math.round(r.sentencesPerSecond)} sent/s${best}`,
    );
  }

  /** Prints a line above the bar (TTY) or as is. */
  message(text: string): void {
    if (this.tty && this.shown) {
      this.stream.write(`\r\x1b[K${text}\n`);
      this.stream.write(this.shown);
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  /** Removes the bar; call before printing the final report. */
  done(): void {
    if (this.tty && this.shown) this.stream.write('\r\x1b[K');
    this.shown = '';
  }

  /** The progress line as drawn on a terminal of `columns` characters (exposed for tests). */
  barLine(p: TrainProgress, columns = this.stream.columns || 80): string {
    const head = `epoch ${p.epoch}/${p.epochs} `;
    const tail =
      ` ${p.step}/${p.steps}  loss ${formatLoss(p.loss)}` +
      (p.devF1 !== undefined && !Number.isNaN(p.devF1) ? `  dev F1 ${p.devF1.toFixed(3)}` : '') +
      `  ${Math.round(p.sentencesPerSecond)} sent/s` +
      (p.step === p.steps ? '  scoring dev...' : `  ETA ${formatDuration(p.etaSeconds)}`);
    const room = columns - 1 - head.length - tail.length - 2;
    if (room < 10) return (head + tail.trimStart()).slice(0, Math.max(0, columns - 1));
    const width = Math.min(30, room);
    const filled = Math.round((width * p.step) / Math.max(1, p.steps));
    return `${head}[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${tail}`;
  }

  private plainLine(p: TrainProgress): string {
    const pct = Math.floor((100 * p.step) / Math.max(1, p.steps));
    return (
      `epoch ${p.epoch}/${p.epochs}  ${pct}% (${p.step}/${p.steps})  loss ${formatLoss(p.loss)}  ` +
      `${Math.round(p.sentencesPerSecond)} sent/s  ETA ${formatDuration(p.etaSeconds)}`
    );
  }

  private draw(line: string): void {
    this.shown = `\r\x1b[K${line}`;
    this.stream.write(this.shown);
  }

  get lastProgress(): TrainProgress | null {
    return this.last;
  }
}

/**
 * A one-line status for long loops other than training ("tagging 12/90"). On a terminal
 * it is redrawn in place; elsewhere it prints nothing.
 */
export class StatusLine {
  private shown = false;
  private readonly tty: boolean;
  private lastDraw = 0;

  constructor(private readonly stream: ProgressStream = process.stderr) {
    this.tty = stream.isTTY === true;
  }

  update(text: string): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return; // redrawing faster than the eye helps nobody
    this.lastDraw = now;
    const columns = this.stream.columns || 80;
    this.stream.write(`\r\x1b[K${text.slice(0, columns - 1)}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? (Math.abs(loss) >= 100 ? loss.toFixed(0) : loss.toFixed(3)) : String(loss);
}

/** 42s, 3m05s, 2h04m */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
