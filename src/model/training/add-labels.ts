// Teaching an existing model new labels: fine-tuning keeps the model's architecture, so a
// label added in the editor first gets its own tags appended to the output layer and the
// CRF (new columns start at zero, new biases at the mean of the entity tags' biases).
import { checkLabel } from '../core/labels';
import { encoderDim, weightShapes, type Weights } from '../nn/architecture';
import type { TrainedModel } from '../nn/model-folder';
import { tagNames } from '../text/tags';

/** The model with `labels` it lacks appended (once each, in order); the model itself when it has them all. */
export function withLabels(model: TrainedModel, labels: readonly string[]): TrainedModel {
  for (const label of labels) checkLabel(label, 'withLabels');
  const added = [...new Set(labels.filter((l) => !model.config.labels.includes(l)))];
  if (added.length === 0) return model;
  const config = { ...model.config, labels: [...model.config.labels, ...added] };
  config.tags = tagNames(config.labels, config.scheme);
  const T0 = model.config.tags.length;
  const T = config.tags.length;
  const old = model.weights;
  const weights: Weights = {};
  const shapes = weightShapes(config);
  for (const name of Object.keys(shapes)) {
    if (!['out.W', 'out.b', 'crf.trans', 'crf.start', 'crf.end'].includes(name))
      weights[name] = new Float32Array(old[name]);
  }
  // out.W [E, T]: copy each row's first T0 columns
  const rows = encoderDim(config);
  const W = new Float32Array(rows * T);
  for (let r = 0; r < rows; r++) W.set(old['out.W'].subarray(r * T0, r * T0 + T0), r * T);
  weights['out.W'] = W;
  const b = new Float32Array(T);
  b.set(old['out.b']);
  let mean = 0;
  for (let t = 1; t < T0; t++) mean += old['out.b'][t];
  mean = T0 > 1 ? mean / (T0 - 1) : 0;
  for (let t = T0; t < T; t++) b[t] = mean;
  weights['out.b'] = b;
  if (config.output === 'crf') {
    const trans = new Float32Array(T * T);
    for (let r = 0; r < T0; r++) trans.set(old['crf.trans'].subarray(r * T0, r * T0 + T0), r * T);
    weights['crf.trans'] = trans;
    const start = new Float32Array(T);
    start.set(old['crf.start']);
    weights['crf.start'] = start;
    const end = new Float32Array(T);
    end.set(old['crf.end']);
    weights['crf.end'] = end;
  }
  return { ...model, config, weights };
}
