// The engine's folders are the pipeline's stages, and imports run one way only: a file may
// import from its own folder and from the folders before it in STAGES, never from a later one,
// and no files import each other in a cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../fixtures/paths';

const STAGES = [
  'core',
  'io',
  'intake',
  'text',
  'rules',
  'kernels',
  'nn',
  'crf',
  'evaluation',
  'inference',
  'training',
  'learning',
  'fields',
  'batch',
];
const ENGINE = path.join(ROOT, 'src', 'model');

function engineFiles(dir = ENGINE): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? engineFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file, resolved to engine file paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = path.resolve(path.dirname(file), m[1]);
    out.push(fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts'));
  }
  return out;
}

const stageOf = (file: string): string => path.relative(ENGINE, file).split(path.sep)[0];

test('every engine folder is a known stage, and the door is the only file at the top', () => {
  for (const f of engineFiles()) {
    const rel = path.relative(ENGINE, f);
    if (rel === 'index.ts') continue;
    assert.ok(STAGES.includes(stageOf(f)), `${rel} is outside the stages ${STAGES.join(', ')}`);
  }
});

test('imports run from later stages to earlier ones only, and never into the door', () => {
  const wrong: string[] = [];
  for (const f of engineFiles()) {
    if (path.relative(ENGINE, f) === 'index.ts') continue;
    for (const target of importsOf(f)) {
      const from = STAGES.indexOf(stageOf(f));
      const to = STAGES.indexOf(stageOf(target));
      if (to < 0 || to > from) wrong.push(`${path.relative(ENGINE, f)} -> ${path.relative(ENGINE, target)}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no import cycles between engine files', () => {
  const graph = new Map(engineFiles().map((f) => [f, importsOf(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, trail: string[]): void => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(ENGINE, x)).join(' -> '));
      return;
    }
    state.set(f, 'open');
    for (const t of graph.get(f) ?? []) visit(t, [...trail, f]);
    state.set(f, 'done');
  };
  for (const f of graph.keys()) visit(f, []);
  assert.deepEqual(cycles, []);
});
