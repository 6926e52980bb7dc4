// mapOrdered: results in input order whatever order the work finishes in; the next result is
// written while the input waits (a pipe that writes one record and waits for its answer gets
// it); never more than `window` items read ahead; a failing writer stops the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapOrdered } from '../../../src/model/batch/ordered';
import { Rng } from '../../../src/model/core/random';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function* items(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

test('results come out in input order although later items finish first', async () => {
  const random = new Rng(5);
  const delays = Array.from({ length: 60 }, () => random.int(15));
  const out: number[] = [];
  await mapOrdered(
    items(60),
    async (x) => {
      await sleep(delays[x]);
      return x * 10;
    },
    (r, i) => {
      assert.equal(r, i * 10);
      out.push(r);
    },
    { window: 8 },
  );
  assert.deepEqual(
    out,
    Array.from({ length: 60 }, (_, i) => i * 10),
  );
});

test('a result is written while the input waits for more', async () => {
  const written: string[] = [];
  let answered!: () => void;
  const answer = new Promise<void>((r) => (answered = r));
  async function* conversation(): AsyncGenerator<string> {
    yield 'question 1';
    await answer; // like a coprocess: the next record only after the answer to the first
    yield 'question 2';
  }
  await mapOrdered(
    conversation(),
    async (q) => `answer to ${q}`,
    (a) => {
      written.push(a);
      if (written.length === 1) answered();
    },
    { window: 4 },
  );
  assert.deepEqual(written, ['answer to question 1', 'answer to question 2']);
});

test('never more than `window` items are read and not yet written', async () => {
  let inFlight = 0;
  let most = 0;
  await mapOrdered(
    items(40),
    async (x) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(x % 3);
      return x;
    },
    async () => {
      await sleep(1);
      inFlight--;
    },
    { window: 3 },
  );
  assert.ok(most <= 3, `most in flight: ${most}`);
  assert.equal(most, 3);
});

test('a writer that fails stops the run with its error; a failing source rejects after the results before it', async () => {
  let read = 0;
  async function* endless(): AsyncGenerator<number> {
    for (;;) yield read++;
  }
  await assert.rejects(
    mapOrdered(
      endless(),
      async (x) => x,
      (x) => {
        if (x === 5) throw new Error('EPIPE');
      },
      { window: 2 },
    ),
    /EPIPE/,
  );
  assert.ok(read < 20, `kept reading after the writer failed: ${read}`);

  async function* broken(): AsyncGenerator<number> {
    yield 1;
    yield 2;
    throw new Error('input error');
  }
  const seen: number[] = [];
  await assert.rejects(
    mapOrdered(
      broken(),
      async (x) => x,
      (x) => void seen.push(x),
      { window: 2 },
    ),
    /input error/,
  );
  assert.deepEqual(seen, [1, 2]);
});
