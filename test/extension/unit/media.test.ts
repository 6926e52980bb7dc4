// The extension's face: package.json names an icon in media/ (a 128 px or larger PNG, as the
// marketplace wants), the views' icons and the dashboard's styles are there too, and
// .vscodeignore lets media/ into the .vsix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../../fixtures/paths';

interface Manifest {
  icon?: string;
  contributes: { views?: Record<string, { id: string; icon?: string }[]> };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

test('the icon is a PNG of at least 128 x 128 in media/', () => {
  assert.ok(manifest.icon?.startsWith('media/'), `icon: ${manifest.icon}`);
  const png = fs.readFileSync(path.join(ROOT, manifest.icon ?? ''));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.ok(width >= 128 && height >= 128 && width === height, `${width} x ${height}`);
});

test("views' icons and the dashboard's styles are in media/, and media/ goes into the .vsix", () => {
  for (const v of Object.values(manifest.contributes.views ?? {}).flat()) {
    if (v.icon) assert.ok(fs.existsSync(path.join(ROOT, v.icon)), `${v.id}: ${v.icon}`);
  }
  assert.ok(fs.existsSync(path.join(ROOT, 'media', 'dashboard.css')));
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('!media/**'), '.vscodeignore keeps media/');
});
