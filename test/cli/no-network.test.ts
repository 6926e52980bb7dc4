// "Nothing leaves your machine: no network at run time, no telemetry" — checked, not said.
// Every process and thread of a CLI run (tag and eval on onnxruntime, train in its worker) runs
// under strace: no socket other than a local (AF_UNIX) one is created or connected, nothing is
// written outside the run's own folder (onnxruntime's telemetry database lives in
// ~/.cache/Microsoft/DeveloperTools/.onnxruntime/), and HOME stays empty.
// scripts/setup-test-tools.sh installs strace (npm run test:unit runs it).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../fixtures/paths';
import { networkCalls, traced, writesOutside, type TraceResult } from '../fixtures/trace';

const MAIN = path.join(ROOT, 'out-test', 'src', 'cli', 'main.js');
const HAS_STRACE = spawnSync('strace', ['-V']).status === 0;
const SKIP = HAS_STRACE ? false : 'strace is not installed: run scripts/setup-test-tools.sh';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isDirectory()) out.push(path.join(e.parentPath, e.name));
  }
  return out;
}

describe('no network, no telemetry: every process of a CLI run, traced', { skip: SKIP }, () => {
  let work = '';
  let home = '';
  let runs = 0;
  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-offline-'));
    home = path.join(work, 'home');
    await fs.mkdir(home);
    const sentence = (i: number) =>
      `This Agreement is made on March ${(i % 28) + 1}, 2021 between Acme Corp and Beta LLC.`;
    const docs = Array.from({ length: 30 }, (_, i) => {
      const text = sentence(i);
      const date = `March ${(i % 28) + 1}, 2021`;
      const start = text.indexOf(date);
      return JSON.stringify({ text, spans: [{ start, end: start + date.length, label: 'DATE' }] });
    });
    await fs.writeFile(path.join(work, 'data.jsonl'), docs.join('\n') + '\n');
    await fs.writeFile(path.join(work, 'contract.txt'), `${sentence(3)}\nBeta LLC shall pay Acme Corp $5,000.\n`);
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  async function check(args: string[]): Promise<TraceResult> {
    const r = await traced([MAIN, ...args], home, path.join(work, `trace-${runs++}.txt`));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.calls.length > 0, 'strace saw the run');
    assert.deepEqual(networkCalls(r.calls), [], 'a socket that can leave the machine');
    assert.deepEqual(writesOutside(r.calls, [work]), [], 'a write outside the run folder');
    assert.deepEqual(await filesUnder(home), [], 'files in HOME (onnxruntime telemetry?)');
    return r;
  }

  test('tag with onnxruntime', async () => {
    const r = await check(['tag', '--runtime', 'onnx', '--json', path.join(work, 'contract.txt')]);
    assert.match(r.stdout, /"label":"DATE"/);
  });

  test('train (in a worker thread), then eval and export with the trained model', async () => {
    const out = path.join(work, 'model');
    const data = path.join(work, 'data.jsonl');
    await check(['train', '--data', data, '--dev', data, '--out', out, '--epochs', '1', '--hidden', '8']);
    await check(['eval', '--model', out, '--data', data, '--runtime', 'onnx']);
    await check(['export', '--model', out]);
  });
});
