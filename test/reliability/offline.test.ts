// No network from a process that keeps an onnxruntime session open, as the editor does:
// onnxruntime-node without ORT_DISABLE_TELEMETRY looked up mobile.events.data.microsoft.com
// about 9 s after its first session (measured under strace), so this one stays open for 20 s
// (RELIABILITY=quick: 12 s) under strace -f, tagging now and then.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { networkCalls, traced, writesOutside } from '../fixtures/trace';
import { DOOR, pick } from './helpers';

const HAS_STRACE = spawnSync('strace', ['-V']).status === 0;

let dir = '';
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-reliability-offline-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

test(
  'a tagger held open for a while makes no network call and writes nothing outside its folder',
  { skip: HAS_STRACE ? false : 'strace is not installed: run scripts/setup-test-tools.sh' },
  async () => {
    const home = path.join(dir, 'home');
    await fs.mkdir(home);
    const seconds = pick(20, 12);
    const script = path.join(dir, 'hold.js');
    await fs.writeFile(
      script,
      `const { defaultModelDir, Tagger } = require(${JSON.stringify(DOOR)});
(async () => {
  const tagger = await Tagger.load(defaultModelDir(), { runtime: 'onnx' });
  const until = Date.now() + ${seconds * 1000};
  let n = 0;
  while (Date.now() < until) {
    n += (await tagger.tag('This Agreement is made on March 3, 2021 between Acme Corp and Beta LLC.')).length;
    await new Promise((r) => setTimeout(r, 500));
  }
  await tagger.dispose();
  console.log('entities', n);
})();`,
    );
    const r = await traced([script], home, path.join(dir, 'trace.txt'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /entities \d+/);
    assert.deepEqual(networkCalls(r.calls), []);
    assert.deepEqual(writesOutside(r.calls, [dir]), []);
    assert.deepEqual(await fs.readdir(home), []);
  },
);
