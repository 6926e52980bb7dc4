// Size: `entity-lens tag` on lines built to make patterns backtrack (a million digits, group
// separators, spaces, keywords) and on a 50 MB contract text (RELIABILITY=quick: 5 MB). Time
// grows linearly; the bounds here are generous sanity limits for a loaded machine (the figures,
// with the load average, are printed for the README), peak memory must stay under 1 GB.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, loadAverage, pick, writeContractText } from './helpers';

let dir = '';
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-reliability-scale-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

interface Tagged {
  file: string;
  entities: { label: string; start: number; end: number; text: string }[];
}

describe('adversarial lines of a million characters', () => {
  const N = 1_000_000;
  const lines: Array<[string, string]> = [
    ['digits', '7'.repeat(N)],
    ['digits then a decimal point', `${'1'.repeat(N - 1)}.`],
    ['comma groups', `1${',000'.repeat((N - 1) / 4)}`],
    ['spaces between two words', `Acme${' '.repeat(N - 8)}Corp`],
    ['amounts on one line', 'TOTAL 1.00 '.repeat(N / 11)],
    ['BIC-shaped words', 'DEUTDEFF '.repeat(N / 9)],
    ['governing-law triggers', 'governed by the laws of '.repeat(N / 24)],
    ['dates', 'May 5, 2024 '.repeat(N / 12)],
  ];
  for (const [name, text] of lines) {
    test(`${name}: tagged, offsets exact, within a generous bound`, async () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.txt`);
      await fs.writeFile(file, text);
      const load = await loadAverage();
      const r = await cli(['tag', '--json', file], 600_000);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as Tagged;
      for (const e of out.entities) assert.equal(text.slice(e.start, e.end), e.text);
      console.log(
        `  ${name}: ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s), peak ${r.peakMb.toFixed(0)} MB, ${out.entities.length} entities, load ${load}`,
      );
      assert.ok(r.seconds < 300, `${r.seconds} s`);
    });
  }
});

describe('a large contract text', () => {
  test(`tag ${pick(50, 5)} MB: peak memory under 1 GB, time within a generous bound`, async () => {
    const mb = pick(50, 5);
    const file = await writeContractText(path.join(dir, `contract-${mb}mb.txt`), mb * 1_000_000);
    const load = await loadAverage();
    const r = await cli(['tag', '--json', file], 60 * 60_000);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Tagged;
    const text = await fs.readFile(file, 'utf8');
    for (let i = 0; i < out.entities.length; i += 997) {
      const e = out.entities[i];
      assert.equal(text.slice(e.start, e.end), e.text);
    }
    console.log(
      `  ${mb} MB: ${r.seconds.toFixed(0)} s wall, ${r.cpuSeconds.toFixed(0)} s CPU, peak ${r.peakMb.toFixed(0)} MB, ` +
        `${out.entities.length} entities; load average ${load} before, ${await loadAverage()} after`,
    );
    assert.ok(r.peakMb < 1024, `peak ${r.peakMb} MB`);
    assert.ok(r.seconds < pick(3600, 600), `${r.seconds} s`);
  });
});
