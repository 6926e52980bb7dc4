// A higher learning rate for the output weights of labels new to a fine-tuned model. They start
// at zero (withLabels) and, at the small learning rate that keeps fine-tuning from forgetting,
// Adam moves each by about that rate a step: a new label would need far more steps than a
// few corrections give before its scores can compete with the old labels'. Here each step of
// those weights is stretched by a factor; the rest of the model steps as before.
import type { ModelConfig, Weights } from '../nn/architecture';
import { newLabelEntries } from './anchor';

export class NewLabelRate {
  private readonly entries: Record<string, Uint8Array>;
  private readonly before: Record<string, Float32Array> = {};

  constructor(
    config: ModelConfig,
    newLabels: readonly string[],
    readonly factor: number,
  ) {
    this.entries = newLabelEntries(config, newLabels);
  }

  /** Before a step: remembers the new labels' weights. */
  remember(weights: Weights): void {
    for (const name of Object.keys(this.entries)) {
      const w = weights[name];
      const kept = (this.before[name] ??= new Float32Array(w.length));
      kept.set(w);
    }
  }

  /** After the step: stretches it by the factor for the new labels' weights. */
  stretch(weights: Weights): void {
    const f = this.factor;
    for (const [name, at] of Object.entries(this.entries)) {
      const w = weights[name];
      const w0 = this.before[name];
      for (let i = 0; i < w.length; i++) if (at[i] === 1) w[i] = w0[i] + f * (w[i] - w0[i]);
    }
  }
}
