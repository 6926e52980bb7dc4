// `entity-lens ensemble`: puts existing model folders together as one ensemble folder, whose
// members' emissions are averaged before the CRF decodes (the engine's nn/ensemble.ts). The
// members must tag alike (same labels and scheme); their vocabularies are merged.
import * as path from 'node:path';
import { buildEnsemble, ensembleWeightCount, saveModel, type TrainedModel } from '../../model';
import { CliError, type CommandSpec, type ParsedArgs } from '../args';
import { checkOutDir } from './train';
import { loadModelDir } from './tag';

export const spec: CommandSpec = {
  name: 'ensemble',
  summary: 'Combine model folders into one ensemble model (emissions averaged before the CRF).',
  synopsis: 'ensemble --out DIR MODEL_DIR MODEL_DIR [MODEL_DIR...]',
  description:
    'The members must have the same labels in the same order, the same tag scheme, output layer,\n' +
    'characters per token and line features; their architectures and vocabularies may differ. The\n' +
    "ensemble takes its name's rule policy, label bias and line-break penalties from the first member.\n" +
    "It loads like any model (tag, eval, the editor's entityLens.modelPath).",
  positional: { name: 'MODEL_DIR', min: 2, max: 16 },
  flags: {
    out: {
      kind: 'string',
      required: true,
      value: 'DIR',
      description: 'ensemble folder to write (created or replaced)',
    },
    name: { kind: 'string', value: 'NAME', description: "the model's name", default: 'the folder name' },
    version: { kind: 'string', value: 'V', description: "the model's version", default: 'the time now' },
  },
  examples: ['entity-lens ensemble --out ensemble-3 lstm-seed1 lstm-seed2 tcn-seed1'],
};

export async function run(args: ParsedArgs): Promise<number> {
  const outDir = args.string('out') as string;
  await checkOutDir(outDir);
  const dirs = args.positionals;
  const models: TrainedModel[] = [];
  for (const dir of dirs) models.push(await loadModelDir(dir));
  const first = models[0].info;
  const now = new Date().toISOString();
  const info = {
    name: args.string('name') ?? path.basename(path.resolve(outDir)),
    version: args.string('version') ?? now,
    created: now,
    ...(first.rules ? { rules: first.rules } : {}),
    ...(first.labelBias ? { labelBias: first.labelBias } : {}),
    ...(first.lineBreakPenalty ? { lineBreakPenalty: first.lineBreakPenalty } : {}),
    training: {
      ensembleOf: models.map((m, i) => ({
        folder: dirs[i],
        name: m.info.name,
        version: m.info.version,
        cell: m.config.cell,
        members: m.members?.length,
      })),
    },
  };
  let ensemble: TrainedModel;
  try {
    ensemble = buildEnsemble(models, info, dirs);
  } catch (e) {
    throw new CliError(`cannot make an ensemble: ${(e as Error).message}.`, 2);
  }
  await saveModel(outDir, ensemble);
  const members = ensemble.members ?? [];
  process.stdout.write(
    `Ensemble of ${members.length} models (${members.map((m) => m.config.cell).join(', ')}; ` +
      `${ensembleWeightCount(members).toLocaleString('en-US')} weights, vocabulary ${ensemble.vocab.words.length} words) saved to ${outDir}.\n`,
  );
  return 0;
}
