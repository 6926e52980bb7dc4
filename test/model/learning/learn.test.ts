// learnFromRecords, the one path from a person's corrections to a model in use (the editor's and
// the learning bench's): a candidate judged on too few held-out entities is not used and its
// folder is removed; with enough held-out entities and a base that knows nothing, the candidate is
// promoted, keeps its verdict in report.json and the base's reference set, and loads as a
// tagger; a cancelled run leaves nothing behind; judged in a worker thread, the verdict is the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { learnFromRecords } from '../../../src/model/learning/learn';
import { loadModel, recordDataFiles, saveModel } from '../../../src/model/nn/model-folder';
import { loadReferenceSet } from '../../../src/model/learning/reference-set';
import { Tagger } from '../../../src/model/inference/tagger';
import type { AnnotationRecord } from '../../../src/model/io/annotation-store';
import { syntheticContracts } from '../../fixtures/contracts';
import { tinyModel } from '../../fixtures/models';

/** One editor record per synthetic document, each its own document, PARTY and DATE judged over all of it. */
function records(count: number, seed: number): AnnotationRecord[] {
  return syntheticContracts(count, seed).map((d, i) => ({
    id: `editor:${seed}-${i}`,
    uri: `file:///work/contract-${seed}-${i}.txt`,
    text: d.text,
    spans: d.spans,
    judged: ['PARTY', 'DATE'].map((label) => ({ start: 0, end: d.text.length, label })),
    source: 'editor',
  }));
}

async function withBase(run: (baseDir: string, outDir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-lens-learn-'));
  try {
    const baseDir = path.join(dir, 'base');
    await saveModel(baseDir, tinyModel(3));
    await run(baseDir, path.join(dir, 'candidate'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const quiet = { rehearsal: [], reference: [], epochs: 2, seed: 5 };

test('a candidate judged on too few held-out entities is kept out and its folder removed', async () => {
  await withBase(async (baseDir, outDir) => {
    const r = await learnFromRecords({ ...quiet, baseDir, records: records(3, 1), outDir });
    assert.equal(r.verdict.promote, false);
    assert.equal(r.cancelled, false);
    assert.match(r.verdict.reason, /needed/);
    assert.equal(r.train + r.heldOut, 3);
    assert.equal(fs.existsSync(outDir), false);
  });
});

test('a candidate better on enough held-out entities is promoted, keeps report.json and the base data files, and loads as a tagger', async () => {
  await withBase(async (baseDir, outDir) => {
    const shipped = { id: 'ref:1', text: 'Acme Corp. pays.', spans: [{ start: 0, end: 10, label: 'PARTY' }] };
    fs.writeFileSync(path.join(baseDir, 'reference.jsonl'), JSON.stringify(shipped) + '\n');
    await recordDataFiles(baseDir);
    let seen: { verdict: unknown; labels: string[] } | undefined;
    const r = await learnFromRecords({
      ...quiet,
      epochs: 4,
      baseDir,
      records: records(80, 2),
      outDir,
      onJudged: (candidate, verdict) => {
        seen = { verdict, labels: candidate.model.config.labels };
      },
    });
    assert.equal(seen?.verdict, r.verdict);
    assert.deepEqual(seen?.labels, ['PARTY', 'DATE']);
    assert.equal(r.verdict.promote, true, r.verdict.reason);
    assert.ok((r.verdict.heldOut?.entities ?? 0) >= 10);
    assert.ok(r.history.length > 0);
    const report = JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8')) as { promote: boolean };
    assert.equal(report.promote, true);
    // the next round starts from this model: it is judged on the same reference set
    assert.deepEqual(
      (await loadReferenceSet(outDir)).map((d) => d.id),
      ['ref:1'],
    );
    const held = r.verdict.heldOut?.micro;
    assert.ok(held && held.candidate >= held.current);
    // it decides what the records correct, on their kind of document; the base the rest
    const promoted = await loadModel(outDir);
    assert.deepEqual(promoted.info.scope?.labels, ['PARTY', 'DATE']);
    assert.ok(promoted.info.scope?.kinds.length, "the records' kinds");
    assert.equal(promoted.base?.info.name, 'tiny');
    // the records trained on, not their repeats in the schedule
    assert.equal(promoted.info.training?.trainDocuments, r.train);
    // the folder is a whole model the editor can load and tag with
    const tagger = await Tagger.load(outDir);
    try {
      assert.deepEqual(tagger.model.config.labels, ['PARTY', 'DATE']);
      assert.ok(
        Array.isArray(await tagger.tag('This Agreement is made on March 3, 2021 between Acme Corp. and Globex GmbH.')),
      );
    } finally {
      await tagger.dispose();
    }
  });
});

test('a cancelled run reports it and leaves no candidate folder', async () => {
  await withBase(async (baseDir, outDir) => {
    const stop = new AbortController();
    const r = await learnFromRecords({
      ...quiet,
      epochs: 50,
      baseDir,
      records: records(40, 3),
      outDir,
      signal: stop.signal,
      onEpoch: () => stop.abort(),
    });
    assert.equal(r.cancelled, true);
    assert.equal(r.verdict.promote, false);
    assert.ok(r.history.length < 50);
    assert.equal(fs.existsSync(outDir), false);
  });
});

test('judged in a worker thread (as the editor does), the verdict is the one judged here', async () => {
  await withBase(async (baseDir, outDir) => {
    const here = await learnFromRecords({ ...quiet, epochs: 3, baseDir, records: records(60, 4), outDir });
    fs.rmSync(outDir, { recursive: true, force: true });
    const messages: string[] = [];
    const there = await learnFromRecords({
      ...quiet,
      epochs: 3,
      baseDir,
      records: records(60, 4),
      outDir,
      judgeInWorker: true,
      onJudging: (m) => messages.push(m),
    });
    assert.deepEqual(there.verdict, here.verdict);
    assert.equal(fs.existsSync(outDir), there.verdict.promote);
    assert.ok(messages.length > 0, 'the worker reports its progress');
  });
});
