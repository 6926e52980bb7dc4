#!/usr/bin/env node
// Runs test/extension/smoke inside a real VS Code (scripts/vscode.mjs), then runs it once more with
// ENTITY_LENS_SMOKE_EXPECT_FAIL=1, which flips one expectation: that run MUST fail, or the
// harness could not report a failure and a green result would mean nothing.
//   node test/extension/run-smoke.mjs        (needs `npm run build` first: out/extension.js)
// Exit 0 when the suite passed and the flipped run failed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, runTests } from '../../scripts/vscode.mjs';

const testsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'smoke');
const extensionPath = process.env.ENTITY_LENS_EXTENSION_PATH || ROOT;

console.log('== VS Code smoke suite (must pass)');
let passed = 0;
let failed = 0;
const pass = await runTests({
  extensionPath,
  testsPath,
  timeoutMs: 180000,
  onLog: (line) => {
    console.log(line);
    const m = /^smoke: (\d+) passed, (\d+) failed$/.exec(line);
    if (m) {
      passed = Number(m[1]);
      failed = Number(m[2]);
    }
  },
});

console.log('\n== VS Code smoke suite with a flipped expectation (must fail)');
const lines = [];
const mustFail = await runTests({
  extensionPath,
  testsPath,
  timeoutMs: 180000,
  env: { ENTITY_LENS_SMOKE_EXPECT_FAIL: '1' },
  keepFailedState: false, // this failure is expected: nothing to inspect
  // indented so the flipped run's own "N passed, N failed" line is not taken for this script's
  onLog: (line) => {
    lines.push(line);
    console.log(`  | ${line}`);
  },
});
const sawAssertion = lines.some((l) => /AssertionError|Nonexistent Party GmbH/.test(l));

const problems = [];
if (pass !== 0) problems.push(`the smoke suite failed (exit ${pass})`);
if (mustFail === 0) problems.push('the run with a flipped expectation PASSED: the harness cannot report failures');
else if (mustFail !== 1 || !sawAssertion)
  problems.push(`the flipped run failed, but not on the flipped assertion (exit ${mustFail})`);
console.log(`\nflipped run: exit ${mustFail}${sawAssertion ? ', failed on the flipped assertion as expected' : ''}`);
for (const p of problems) console.error(`ERROR: ${p}`);
// closing line: the smoke tests, plus the check that a failure is reported
const ok = problems.length === 0;
console.log(
  `vscode-smoke: ${passed + (mustFail === 1 && sawAssertion ? 1 : 0)} passed, ${failed + (ok ? 0 : problems.length)} failed`,
);
process.exit(ok ? 0 : 1);
