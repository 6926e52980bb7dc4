// `npm run train:default`: rebuilds models/default (and the plain baseline used by the model
// card) from ../shared/data, with fixed seeds, printing progress per epoch.
import * as path from 'node:path';
import { saveModel } from '../model/model-files';
import { defaultModelDir, packageRoot } from '../model/paths';
import { train } from '../model/trainer';
import { recipeData, recipeOptions } from './default-recipe';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function trainOne(partial: boolean, out: string): Promise<void> {
  const epochs = Number(arg('--epochs') ?? (partial ? 8 : 4));
  const t0 = Date.now();
  const data = await recipeData(partial, { maxDocs: arg('--max-docs') ? Number(arg('--max-docs')) : undefined });
  console.log(`${partial ? 'default model' : 'plain baseline'}: ${data.train.length} training windows`, data.counts);
  let lastLine = 0;
  const result = await train([], data.dev, { ...recipeOptions(partial, epochs), extraSequences: data.train, name: partial ? 'entity-lens-default' : 'plain-baseline', version: arg('--version') ?? '1.0.0' }, {
    onProgress: (p) => {
      if (Date.now() - lastLine < 30000 && p.step !== p.steps) return;
      lastLine = Date.now();
      console.log(
        `  epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} ` +
          `${p.sentencesPerSecond.toFixed(0)} sentences/s, ETA ${Math.round(p.etaSeconds / 60)} min`,
      );
    },
    // each new best is saved at once: a stopped run still leaves its best model
    onCheckpoint: (m) => saveModel(out, m),
    onEpoch: (r, improved) =>
      console.log(`epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, dev F1 ${r.devF1.toFixed(4)}${improved ? ' (best)' : ''}, ${r.seconds.toFixed(0)} s`),
  });
  const model = result.model;
  model.info.training = { ...model.info.training, recipe: partial ? 'partial CRF + silver' : 'plain softmax', data: data.counts, history: result.history, minutes: (Date.now() - t0) / 60000 };
  await saveModel(out, model);
  console.log(`saved ${out} (best epoch ${result.bestEpoch}) in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
}

async function main(): Promise<void> {
  const which = arg('--only');
  if (which !== 'baseline') await trainOne(true, arg('--out') ?? defaultModelDir());
  if (which !== 'default') await trainOne(false, path.join(packageRoot(), 'models', 'baseline-plain'));
}

main().catch((e) => {
  console.error(`train:default failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
