// Every entityLens setting has an explicit scope in package.json, and settings.ts reads each one
// the way its scope allows: resource settings for the document or folder at hand, window
// settings without a resource (VS Code logs a warning for each read of a window setting made
// for a resource: thousands an hour in the extension host log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../../fixtures/paths';

interface Manifest {
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
}

const properties = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest).contributes
  .configuration.properties;
const source = fs.readFileSync(path.join(ROOT, 'src', 'extension', 'settings.ts'), 'utf8');

/** keys read through the configuration object `c` (r: for a resource, w: the window's) */
function readsThrough(c: 'r' | 'w'): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(new RegExp(`\\b${c}\\.get<[^(]*\\('([A-Za-z]+)'`, 'g'))) out.add(m[1]);
  for (const m of source.matchAll(new RegExp(`num\\(${c}, '([A-Za-z]+)'`, 'g'))) out.add(m[1]);
  return out;
}

test('every setting declares its scope', () => {
  const missing = Object.entries(properties)
    .filter(([, p]) => !p.scope)
    .map(([k]) => k);
  assert.deepEqual(missing, []);
});

test('settings.ts reads resource settings for a resource and window settings without one', () => {
  const resource = readsThrough('r');
  const window = readsThrough('w');
  assert.ok(resource.size > 0 && window.size > 0, 'the patterns found the reads');
  for (const key of resource)
    assert.equal(properties[`entityLens.${key}`]?.scope, 'resource', `${key} read per resource`);
  for (const key of window)
    assert.equal(properties[`entityLens.${key}`]?.scope, 'window', `${key} read for the window`);
  const all = Object.keys(properties).map((k) => k.replace(/^entityLens\./, ''));
  assert.deepEqual([...resource, ...window].sort(), all.sort(), 'every setting is read, once');
});
