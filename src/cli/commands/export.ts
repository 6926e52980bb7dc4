// `entity-lens export`: writes a model's emission graph as an ONNX file (for onnxruntime in
// other languages, or to rebuild a model folder's model.onnx).
import * as path from 'node:path';
import { exportEnsembleOnnx, exportOnnx, onnxPath, writeFileAtomic, writeModelOnnx } from '../../model';
import type { CommandSpec, ParsedArgs } from '../args';
import { loadModelDir } from './tag';

export const spec: CommandSpec = {
  name: 'export',
  summary: "Write a model's ONNX file (token ids to emission scores; the CRF stays outside the graph).",
  synopsis: 'export --model DIR [--out FILE]',
  flags: {
    model: { kind: 'string', required: true, value: 'DIR', description: 'model folder' },
    out: { kind: 'string', value: 'FILE', description: 'where to write the file', default: 'DIR/model.onnx' },
  },
  examples: ['entity-lens export --model my-model --out tagger.onnx'],
};

export async function run(args: ParsedArgs): Promise<number> {
  const dir = args.string('model') as string;
  const out = args.string('out') ?? onnxPath(dir);
  const model = await loadModelDir(dir);
  let bytes: Uint8Array;
  if (path.resolve(out) === path.resolve(onnxPath(dir))) {
    // the folder's own model.onnx: its hash in model.json changes with it
    bytes = await writeModelOnnx(dir, model);
  } else {
    bytes = model.members ? exportEnsembleOnnx(model.members) : exportOnnx(model.config, model.weights);
    await writeFileAtomic(out, bytes); // its failures are InputErrors naming the file
  }
  process.stdout.write(`${path.resolve(out)} (${formatSize(bytes.length)})\n`);
  return 0;
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
