// Where the package's own files are, whether running from the esbuild bundle (out/), the
// compiled tests (out-test/...) or an installed .vsix.
import * as fs from 'node:fs';
import * as path from 'node:path';

let cachedRoot: string | undefined;

/** The package root: the nearest ancestor of this file with a package.json named "entity-lens". */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
        if (pkg.name === 'entity-lens') return (cachedRoot = dir);
      } catch {
        // no package.json here, or not JSON: keep climbing
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('Entity Lens: cannot find the package folder (package.json named "entity-lens")');
}

/** The embedded default model. */
export function defaultModelDir(): string {
  return path.join(packageRoot(), 'models', 'default');
}

/** The worker script that runs training (bundled beside the entry point, or compiled in training/). */
export function trainWorkerFile(): string {
  const bundled = path.join(__dirname, 'train-worker.js');
  if (fs.existsSync(bundled)) return bundled;
  const compiled = path.join(__dirname, '..', 'training', 'worker.js');
  if (fs.existsSync(compiled)) return compiled;
  return path.join(packageRoot(), 'out', 'train-worker.js');
}

/** The worker script that runs onnxruntime for a tagger (bundled beside the entry point, or compiled in inference/). */
export function emissionsWorkerFile(): string {
  const bundled = path.join(__dirname, 'emissions-worker.js');
  if (fs.existsSync(bundled)) return bundled;
  const compiled = path.join(__dirname, '..', 'inference', 'emission-threads.js');
  if (fs.existsSync(compiled)) return compiled;
  return path.join(packageRoot(), 'out', 'emissions-worker.js');
}

/** The worker script that scores models (bundled beside the entry point, or compiled in learning/). */
export function scoringWorkerFile(): string {
  const bundled = path.join(__dirname, 'scoring-worker.js');
  if (fs.existsSync(bundled)) return bundled;
  const compiled = path.join(__dirname, '..', 'learning', 'scoring-worker.js');
  if (fs.existsSync(compiled)) return compiled;
  return path.join(packageRoot(), 'out', 'scoring-worker.js');
}
