// The WebAssembly kernels against plain JS references: the packed SGEMM in every transpose
// combination on odd sizes (edge tiles, several K/M/N blocks), with and without relaxed-SIMD
// FMA; the prepacked product the LSTM steps use; the gate nonlinearities; the LSTM layer
// against the plain-JS BPTT; the heap and the eviction of forward caches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KC, MC, NC } from '../../../src/model/kernels/layout';
import { Residency } from '../../../src/model/kernels/resident';
import { createKernels, kernels, setKernelsForTests, type Kernels } from '../../../src/model/kernels/runtime';
import { partialCrfLoss } from '../../../src/model/crf/loss';
import { CrfStructure } from '../../../src/model/crf/structure';
import { Rng } from '../../../src/model/core/random';
import { allowedTransitions, tagNames } from '../../../src/model/text/tags';
import { birnnBackward, birnnForward } from '../../../src/model/nn/recurrent';

function naiveGemm(
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  acc: boolean,
) {
  // float64 accumulation, and Σ|a·b| per entry for the error bound
  const bound = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = acc ? C[i * N + j] : 0;
      let m = Math.abs(s);
      for (let k = 0; k < K; k++) {
        const p = (tA ? A[k * M + i] : A[i * K + k]) * (tB ? B[j * K + k] : B[k * N + j]);
        s += p;
        m += Math.abs(p);
      }
      C[i * N + j] = s;
      bound[i * N + j] = m;
    }
  }
  return bound;
}

function random(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** |got − want| ≤ 1e-4 · Σ|a·b| (relative to the magnitude of the sum's terms) */
function assertGemmClose(got: Float32Array, want: Float32Array, bound: Float64Array, what: string): void {
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    assert.ok(err <= 1e-4 * bound[i] + 1e-30, `${what}: entry ${i}: ${got[i]} vs ${want[i]} (bound ${bound[i]})`);
  }
}

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [33, 17, 129],
  [4, 8, 16],
  [5, 9, KC + 1], // two K blocks
  [MC + 3, 11, 20], // two M blocks
  [7, NC + 5, 9], // two N blocks
  [1, 40, 3],
  [64, 1, 33],
];

const variants: { name: string; ks: Kernels | null }[] = [
  { name: 'mul+add', ks: createKernels(false) },
  { name: 'relaxed FMA', ks: createKernels(true) },
];

for (const { name, ks } of variants) {
  test(`wasm gemm (${name}) equals a naive product on odd sizes, every transpose, overwrite and accumulate`, (t) => {
    if (!ks) {
      // relaxed SIMD is optional (engines without it use the mul+add module)
      assert.notEqual(name, 'mul+add', 'WebAssembly SIMD is required');
      t.skip('relaxed SIMD unavailable in this engine');
      return;
    }
    const rng = new Rng(11);
    const before = ks.allocatedBytes;
    for (const [M, N, K] of SIZES) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          for (const acc of [false, true]) {
            const A = random(rng, M * K);
            const B = random(rng, K * N);
            const C0 = random(rng, M * N);
            const want = C0.slice();
            const bound = naiveGemm(tA, tB, M, N, K, A, B, want, acc);
            const got = C0.slice();
            ks.gemmArrays(tA, tB, M, N, K, A, B, got, acc);
            assertGemmClose(got, want, bound, `${M}x${N}x${K} tA=${tA} tB=${tB} acc=${acc}`);
          }
        }
      }
    }
    assert.equal(ks.allocatedBytes, before, 'scratch blocks released');
  });

  test(`prepacked product of the LSTM steps (${name})`, (t) => {
    if (!ks) {
      t.skip('relaxed SIMD unavailable in this engine');
      return;
    }
    const rng = new Rng(12);
    for (const [M, N, K] of [
      [3, 4, 16],
      [32, 512, 128],
      [5, 12, 2 * KC + 3],
      [33, 9, 7],
    ] as [number, number, number][]) {
      for (const tB of [false, true]) {
        const A = random(rng, M * K);
        const B = random(rng, K * N);
        const want = new Float32Array(M * N);
        const bound = naiveGemm(false, tB, M, N, K, A, B, want, false);
        const pA = ks.allocCopy(A);
        const pB = ks.allocCopy(B);
        const pP = ks.alloc(Math.ceil(N / 8) * 8 * K * 4);
        const pC = ks.alloc(M * N * 4);
        const ap = ks.alloc(Math.ceil(M / 4) * 4 * KC * 4);
        if (tB) ks.k.packBAll(pB, 4, K * 4, K, N, pP);
        else ks.k.packBAll(pB, N * 4, 4, K, N, pP);
        ks.k.gemmPacked(M, N, K, pA, K * 4, 4, pP, pC, N * 4, ap, 0);
        assertGemmClose(ks.f32(pC, M * N), want, bound, `packed ${M}x${N}x${K} tB=${tB}`);
        for (const p of [ap, pC, pP, pB, pA]) ks.release(p);
      }
    }
  });

  test(`gate nonlinearities (${name})`, (t) => {
    if (!ks) {
      t.skip('relaxed SIMD unavailable in this engine');
      return;
    }
    const n = 4096;
    const xs = Float32Array.from({ length: n }, (_, i) => -30 + (60 * i) / n);
    xs[0] = 0;
    xs[1] = 1e-6;
    xs[2] = -3e-5;
    const p = ks.alloc(n * 4);
    const check = (fn: 'vsigmoid' | 'vtanh', ref: (x: number) => number, abs: number) => {
      ks.F32.set(xs, p >> 2);
      ks.k[fn](p, n);
      const out = ks.f32(p, n);
      for (let i = 0; i < n; i++) {
        const want = ref(xs[i]);
        const err = Math.abs(out[i] - want);
        assert.ok(err <= abs + 1e-6 * Math.abs(want), `${fn}(${xs[i]}) = ${out[i]}, want ${want}`);
        if (Math.abs(xs[i]) < 1e-3 && fn === 'vtanh')
          assert.ok(Math.abs(out[i] - want) <= 1e-6 * Math.abs(want) + 1e-12, `${fn} keeps small values`);
      }
    };
    check('vsigmoid', (x) => 1 / (1 + Math.exp(-x)), 2e-7);
    check('vtanh', Math.tanh, 5e-7);
    ks.release(p);
  });
}

/** The shared kernels, or a skip when ENTITY_LENS_KERNELS=js switched them off. */
function sharedKernels(t: { skip(message: string): void }): Kernels | null {
  const ks = kernels();
  if (!ks && process.env.ENTITY_LENS_KERNELS === 'js') {
    t.skip('kernels switched off by ENTITY_LENS_KERNELS=js');
    return null;
  }
  assert.ok(ks, 'WebAssembly SIMD kernels load');
  return ks;
}

test('LSTM layer on the kernels equals the plain-JS BPTT (padded hidden sizes, both directions, ragged lengths)', (t) => {
  if (!sharedKernels(t)) return;
  for (const [H, In, B, L] of [
    [3, 5, 3, 4],
    [8, 20, 9, 5],
    [6, 7, 5, 3],
  ]) {
    const rng = new Rng(H * 100 + In);
    const p = { W: random(rng, 2 * 4 * H * In), R: random(rng, 2 * 4 * H * H), B: random(rng, 2 * 8 * H) };
    const lengths = Int32Array.from({ length: B }, (_, b) => Math.max(1, L - (b % 3)));
    const x = random(rng, B * L * In);
    for (let b = 0; b < B; b++) for (let t = lengths[b]; t < L; t++) x.fill(0, (b * L + t) * In, (b * L + t + 1) * In);
    const dy = random(rng, B * L * 2 * H);
    const run = (cell: 'lstm' | 'gru') => {
      const { y, cache } = birnnForward(cell, H, In, p, x, B, L, lengths);
      const g = { W: new Float32Array(p.W.length), R: new Float32Array(p.R.length), B: new Float32Array(p.B.length) };
      const dx = new Float32Array(x.length);
      birnnBackward(cache, p, dy, g, dx);
      return { y, g, dx, kernel: cache.resident !== undefined };
    };
    const k = run('lstm');
    assert.ok(k.kernel, 'LSTM runs on the kernels');
    // the plain-JS reference: the same layer with the kernels switched off for it
    const js = withoutKernels(() => run('lstm'));
    assert.ok(!js.kernel);
    for (const [name, a, b] of [
      ['y', k.y, js.y],
      ['gW', k.g.W, js.g.W],
      ['gR', k.g.R, js.g.R],
      ['gB', k.g.B, js.g.B],
      ['dx', k.dx, js.dx],
    ] as [string, Float32Array, Float32Array][]) {
      for (let i = 0; i < a.length; i++)
        assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * (1 + Math.abs(b[i])), `H=${H} ${name}[${i}]: ${a[i]} vs ${b[i]}`);
    }
  }
});

/** Runs fn with the shared kernels hidden (the plain-JS paths). */
function withoutKernels<T>(fn: () => T): T {
  const prev = setKernelsForTests(null);
  try {
    return fn();
  } finally {
    setKernelsForTests(prev);
  }
}

test('kernel heap: blocks are reused after release, growth keeps data', () => {
  const ks = createKernels(false) as Kernels;
  const before = ks.allocatedBytes;
  const a = ks.alloc(1000);
  const b = ks.alloc(5000);
  ks.release(a);
  const c = ks.alloc(900);
  assert.equal(c, a, 'first fit reuses the freed block');
  ks.F32.fill(7, b >> 2, (b >> 2) + 1250);
  const big = ks.alloc(64 << 20); // grows the memory
  assert.equal(ks.f32(b, 1250)[1249], 7, 'data survives growth');
  for (const p of [big, c, b]) ks.release(p);
  assert.equal(ks.allocatedBytes, before);
  assert.throws(() => ks.release(b), /not an allocated block/);
});

test('forward caches: the oldest are dropped when too many are live', () => {
  const ks = createKernels(false) as Kernels;
  const before = ks.allocatedBytes;
  const res = new Residency(ks, 2, 1 << 30);
  const blocks = [0, 1, 2].map(() => res.create(4096));
  assert.ok(!res.resident(blocks[0]), 'the oldest was dropped');
  assert.ok(res.resident(blocks[1]) && res.resident(blocks[2]));
  for (const blk of blocks) res.release(blk);
  assert.equal(ks.allocatedBytes, before);
});

test('LSTM backward after its forward cache was dropped recomputes it', (t) => {
  if (!sharedKernels(t)) return;
  const H = 4;
  const In = 6;
  const B = 2;
  const L = 3;
  const rng = new Rng(21);
  const p = { W: random(rng, 2 * 4 * H * In), R: random(rng, 2 * 4 * H * H), B: random(rng, 2 * 8 * H) };
  const lengths = Int32Array.from([3, 2]);
  const x = random(rng, B * L * In);
  x.fill(0, (1 * L + 2) * In, (1 * L + 3) * In);
  const dy = random(rng, B * L * 2 * H);
  const grads = () => ({
    W: new Float32Array(p.W.length),
    R: new Float32Array(p.R.length),
    B: new Float32Array(p.B.length),
  });
  const first = birnnForward('lstm', H, In, p, x, B, L, lengths);
  const gA = grads();
  const dxA = new Float32Array(x.length);
  birnnBackward(first.cache, p, dy, gA, dxA);
  const second = birnnForward('lstm', H, In, p, x, B, L, lengths);
  // more forward passes than the residency keeps
  for (let i = 0; i < 6; i++) birnnForward('lstm', H, In, p, x, B, L, lengths);
  const gB = grads();
  const dxB = new Float32Array(x.length);
  birnnBackward(second.cache, p, dy, gB, dxB);
  assert.deepEqual(Array.from(gB.W), Array.from(gA.W));
  assert.deepEqual(Array.from(gB.R), Array.from(gA.R));
  assert.deepEqual(Array.from(dxB), Array.from(dxA));
  assert.throws(() => birnnBackward(second.cache, p, dy, gB, dxB), /already used/);
});

test('partial CRF loss on the kernels equals the JS lattices (BILOU and BIO, partial, exact and empty masks)', (t) => {
  if (!sharedKernels(t)) return;
  for (const [scheme, labels] of [
    ['BILOU', ['A', 'B', 'C']],
    ['BIO', ['A', 'B']],
    ['BILOU', ['P', 'D', 'R', 'J', 'X', 'Y', 'Z', 'W']],
  ] as ['BILOU' | 'BIO', string[]][]) {
    const tags = tagNames(labels, scheme);
    const T = tags.length;
    const s = new CrfStructure(allowedTransitions(tags, scheme));
    const rng = new Rng(T);
    const crf = { trans: random(rng, T * T), start: random(rng, T), end: random(rng, T) };
    for (const len of [1, 2, 7, 40]) {
      const em = Float32Array.from({ length: len * T }, () => rng.uniform(-4, 4));
      const masks: Uint8Array[] = [new Uint8Array(len * T).fill(1), new Uint8Array(len * T), new Uint8Array(len * T)];
      for (let i = 0; i < len; i++) {
        masks[1][i * T] = 1; // all O
        if (rng.next() < 0.5) masks[2].fill(1, i * T, (i + 1) * T);
        else masks[2][i * T + rng.int(T)] = 1; // often no valid path
      }
      for (const mask of masks) {
        const run = () => {
          const g = {
            em: new Float32Array(len * T),
            trans: new Float32Array(T * T),
            start: new Float32Array(T),
            end: new Float32Array(T),
          };
          const loss = partialCrfLoss(em, 0, len, crf, s, mask, 0, 0.5, g);
          return { loss, g };
        };
        const k = run();
        const js = withoutKernels(run);
        assert.equal(k.loss === null, js.loss === null, `${scheme} T=${T} len=${len}: same feasibility`);
        if (k.loss === null || js.loss === null) continue;
        assert.ok(Math.abs(k.loss - js.loss) <= 1e-9 * (1 + Math.abs(js.loss)), `loss ${k.loss} vs ${js.loss}`);
        for (const name of ['em', 'trans', 'start', 'end'] as const) {
          const a = k.g[name];
          const b = js.g[name];
          for (let i = 0; i < a.length; i++)
            assert.ok(
              Math.abs(a[i] - b[i]) <= 1e-6 * (1 + Math.abs(b[i])),
              `${scheme} len=${len} ${name}[${i}]: ${a[i]} vs ${b[i]}`,
            );
        }
      }
    }
  }
});
