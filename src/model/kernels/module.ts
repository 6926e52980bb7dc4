// The training kernels as one WebAssembly module, generated at load time (wasm-builder.ts):
// - a packed SGEMM with a 4×8 f32x4 register-blocked micro-kernel (BLIS-style: A packed into
//   4-row panels, B into 8-column panels, K in blocks of KC); 50–54 GFLOP/s on one Zen 4 core
//   with FMA, near the 128-bit peak (16 flop/cycle);
// - the LSTM recurrences, whole sequences per call: every step's h·Rᵀ product against a
//   once-packed R, and the cell update with its gate nonlinearities (rational tanh, sigmoid
//   through tanh), so nothing crosses into JS per time step;
// - small helpers of the training step: the character CNN's max-pooled responses, dropout
//   masks, the dense Adam update, fills and sums.
// Every pointer is a byte address in the module's memory; every stride is in bytes.
//
// `fma`: use relaxed-SIMD f32x4.relaxed_madd (one FMA instruction on x86 with FMA3) instead of
// f32x4.mul + f32x4.add. Both variants compute the same products; the fused one rounds once.
import { F32, F64, Func, I32, V128, buildModule, type Local } from './wasm-builder';

/** rows of A per micro-tile */
export const MR = 4;
/** columns of B per micro-tile (two f32x4 vectors) */
export const NR = 8;
/** K per packed block */
export const KC = 256;
/** rows of A per packed block (the general driver) */
export const MC = 128;
/** columns of B per packed block (the general driver) */
export const NC = 512;
/** scratch for partial micro-tiles: MR*NR floats at this address */
export const TILE = 64;
/** bytes below this address are reserved for the kernels' scratch */
export const RESERVED = 1024;

export interface KernelExports {
  fill(ptr: number, n: number, value: number): void;
  /** dst += src, n floats */
  addTo(dst: number, src: number, n: number): void;
  packA(src: number, rs: number, cs: number, mc: number, kc: number, dst: number): void;
  packB(src: number, rs: number, cs: number, kc: number, nc: number, dst: number): void;
  /** C[mc, nc] (+)= packed A block · packed B block; `accumulate` 0 overwrites C */
  macro(mc: number, nc: number, kc: number, pa: number, pb: number, pc: number, ldc: number, accumulate: number): void;
  /**
   * C[M,N] (+)= op(A)·op(B); element (i,k) of op(A) at A + i*rsA + k*csA, (k,j) of op(B) at
   * B + k*rsB + j*csB; C row stride ldc. apack: MC*KC floats, bpack: KC*NC floats.
   * `accumulate` 0 overwrites C (K ≥ 1).
   */
  gemm(
    M: number,
    N: number,
    K: number,
    A: number,
    rsA: number,
    csA: number,
    B: number,
    rsB: number,
    csB: number,
    C: number,
    ldc: number,
    apack: number,
    bpack: number,
    accumulate: number,
  ): void;
  /** packs all of op(B) [K, N] into KC blocks of 8-column panels (see gemmPacked) */
  packBAll(src: number, rs: number, cs: number, K: number, N: number, dst: number): void;
  /** C[M,N] (+)= op(A)·B with B packed by packBAll; apack: M rounded up to 4, times KC floats */
  gemmPacked(
    M: number,
    N: number,
    K: number,
    A: number,
    rsA: number,
    csA: number,
    pb: number,
    C: number,
    ldc: number,
    apack: number,
    accumulate: number,
  ): void;
  /** dst[j] += sum over rows of src[r*cols + j] */
  colSumAdd(src: number, rows: number, cols: number, dst: number): void;
  /** one LSTM direction over a batch (see lstmForwardFunc) */
  lstmForward(
    B: number,
    L: number,
    Hp: number,
    lens: number,
    dir: number,
    gates: number,
    state: number,
    statePrev: number,
    hPrev: number,
    y: number,
    bias: number,
    rtPack: number,
    hS: number,
    cS: number,
    hr: number,
    apack: number,
  ): void;
  /** BPTT of one LSTM direction (see lstmBackwardFunc) */
  lstmBackward(
    B: number,
    L: number,
    Hp: number,
    lens: number,
    dir: number,
    gates: number,
    state: number,
    statePrev: number,
    dy: number,
    dXW: number,
    rPack: number,
    stepGrad: number,
    dhNext: number,
    dcNext: number,
    apack: number,
  ): void;
  /**
   * Character CNN response maxima: for each of n tokens and each of its C positions, the sum
   * over k < K of table row slot[token*C + p + k - pad] (skipped outside 0..C-1) at column block
   * k*F of P [U, K*F]; best [n, F] gets the maximum over positions, arg [n, F] (i32) the first
   * position reaching it. F a multiple of 4; acc: F floats of scratch.
   */
  charConvMax(
    n: number,
    C: number,
    K: number,
    F: number,
    pad: number,
    slot: number,
    P: number,
    best: number,
    arg: number,
    acc: number,
  ): void;
  /**
   * Dropout mask: n floats (rounded up to 4) of 0 (probability threshold/2^32, threshold read
   * as unsigned) or `keep`, from four interleaved mulberry32 streams seeded from `seed`.
   */
  dropoutMask(dst: number, n: number, seed: number, threshold: number, keep: number): void;
  /**
   * One Adam step on n floats (rounded up to 4): g' = g*scale; m = b1 m + (1-b1) g';
   * v = b2 v + (1-b2) g'²; w -= lr m / (sqrt(v) + eps).
   */
  adamStep(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    scale: number,
    b1: number,
    b2: number,
    lr: number,
    eps: number,
  ): void;
  /**
   * CRF forward pass of one sequence in scaled probability space, float64, over Tp tags (even;
   * padding tags have zero scores): alpha[t] = normalised X[t] ⊙ (alpha[t-1] · E), the
   * normalisers in scale[t]. X, alpha [len, Tp], E [Tp, Tp] (0 for forbidden transitions).
   * Returns 0 when a step has no probability mass (no path), else 1.
   */
  crfForward(len: number, Tp: number, X: number, E: number, start: number, alpha: number, scale: number): number;
  /** CRF backward pass: beta[t] = ET[·]-weighted sums of X[t+1] ⊙ beta[t+1], over scale[t+1]. */
  crfBackward(len: number, Tp: number, X: number, ET: number, end: number, scale: number, beta: number): void;
  /**
   * Adds w·alpha⊙beta to gEm [len, Tp] and w·(alpha[t-1] ⊗ X[t]⊙beta[t]) ⊙ E / scale[t] to
   * G [Tp, Tp] (float64 accumulators); r: Tp scratch doubles.
   */
  crfExpect(
    len: number,
    Tp: number,
    X: number,
    E: number,
    alpha: number,
    beta: number,
    scale: number,
    w: number,
    gEm: number,
    G: number,
    r: number,
  ): void;
  /** v = sigmoid(v), n floats rounded up to 4 (the LSTM gates' function; for tests) */
  vsigmoid(ptr: number, n: number): void;
  /** v = tanh(v), n floats rounded up to 4 (the LSTM's and the character CNN's tanh) */
  vtanh(ptr: number, n: number): void;
}

export const EXPORT_NAMES: (keyof KernelExports)[] = [
  'fill',
  'addTo',
  'packA',
  'packB',
  'macro',
  'gemm',
  'packBAll',
  'gemmPacked',
  'colSumAdd',
  'lstmForward',
  'lstmBackward',
  'charConvMax',
  'dropoutMask',
  'adamStep',
  'crfForward',
  'crfBackward',
  'crfExpect',
  'vsigmoid',
  'vtanh',
];

/** Emits v128 math on locals. */
class VMath {
  constructor(
    readonly f: Func,
    readonly fma: boolean,
  ) {}

  /** pushes a*b + c */
  madd(a: () => void, b: () => void, c: () => void): void {
    const f = this.f;
    if (this.fma) {
      a();
      b();
      c();
      f.f32x4RelaxedMadd();
    } else {
      a();
      b();
      f.f32x4Mul();
      c();
      f.f32x4Add();
    }
  }

  /**
   * out = 1 / (1 + exp(-x)) as (1 + tanh(x/2)) / 2: absolute error below 2e-7 (values under
   * about 1e-7 are not resolved), half the cost of an exp-based form (Cephes expf and a division).
   */
  sigmoid(x: Local, out: Local, h: Local, x2: Local, q: Local): void {
    const f = this.f;
    f.get(x).f32x4Const(0.5).f32x4Mul().set(h);
    this.tanh(h, out, x2, q);
    this.madd(
      () => f.get(out),
      () => f.f32x4Const(0.5),
      () => f.f32x4Const(0.5),
    );
    f.set(out);
  }

  /**
   * out = tanh(x) as a [13/6] rational function on [-7.905, 7.905] (Eigen's float tanh:
   * absolute error 3e-7, relative 2e-7 down to 0; clamped outside, where tanh is ±1 within 3e-7).
   */
  tanh(x: Local, out: Local, x2: Local, q: Local): void {
    const f = this.f;
    const k = (v: number) => () => f.f32x4Const(v);
    const g = (l: Local) => () => f.get(l);
    f.get(x).f32x4Const(7.90531110763549805).f32x4Pmin().f32x4Const(-7.90531110763549805).f32x4Pmax().set(out);
    f.get(out).get(out).f32x4Mul().set(x2);
    // numerator: x · (α1 + x²(α3 + x²(α5 + …)))
    this.madd(g(x2), k(-2.76076847742355e-16), k(2.00018790482477e-13));
    f.set(q);
    for (const c of [
      -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3,
    ]) {
      this.madd(g(x2), g(q), k(c));
      f.set(q);
    }
    f.get(q).get(out).f32x4Mul().set(out);
    // denominator
    this.madd(g(x2), k(1.19825839466702e-6), k(1.18534705686654e-4));
    f.set(q);
    for (const c of [2.268434632439e-3, 4.89352518554385e-3]) {
      this.madd(g(x2), g(q), k(c));
      f.set(q);
    }
    f.get(out).get(q).f32x4Div().set(out);
  }
}

function fillFunc(): Func {
  const f = new Func('fill', [I32, I32, F32], []);
  const [ptr, n, value] = f.params;
  const v = f.local(V128);
  const end = f.local(I32);
  const end4 = f.local(I32);
  f.get(value).f32x4Splat().set(v);
  f.get(ptr).get(n).i32(2).i32Shl().i32Add().set(end);
  f.get(ptr).get(n).i32(-4).i32And().i32(2).i32Shl().i32Add().set(end4);
  f.block(() => {
    f.get(ptr).get(end4).i32GeS().brIf(0);
    f.loop(() => {
      f.get(ptr).get(v).v128Store();
      f.get(ptr).i32(16).i32Add().tee(ptr).get(end4).i32LtS().brIf(0);
    });
  });
  f.block(() => {
    f.get(ptr).get(end).i32GeS().brIf(0);
    f.loop(() => {
      f.get(ptr).get(value).f32Store();
      f.get(ptr).i32(4).i32Add().tee(ptr).get(end).i32LtS().brIf(0);
    });
  });
  return f;
}

function addToFunc(): Func {
  const f = new Func('addTo', [I32, I32, I32], []);
  const [dst, src, n] = f.params;
  const end = f.local(I32);
  const end4 = f.local(I32);
  f.get(dst).get(n).i32(2).i32Shl().i32Add().set(end);
  f.get(dst).get(n).i32(-4).i32And().i32(2).i32Shl().i32Add().set(end4);
  f.block(() => {
    f.get(dst).get(end4).i32GeS().brIf(0);
    f.loop(() => {
      f.get(dst).get(dst).v128Load().get(src).v128Load().f32x4Add().v128Store();
      f.get(src).i32(16).i32Add().set(src);
      f.get(dst).i32(16).i32Add().tee(dst).get(end4).i32LtS().brIf(0);
    });
  });
  f.block(() => {
    f.get(dst).get(end).i32GeS().brIf(0);
    f.loop(() => {
      f.get(dst).get(dst).f32Load().get(src).f32Load().f32Add().f32Store();
      f.get(src).i32(4).i32Add().set(src);
      f.get(dst).i32(4).i32Add().tee(dst).get(end).i32LtS().brIf(0);
    });
  });
  return f;
}

/** op(A)[mc, kc] → panels of MR rows: dst[(panel*kc + k)*MR + ii], zero rows past mc. */
function packAFunc(): Func {
  const f = new Func('packA', [I32, I32, I32, I32, I32, I32], []);
  const [src, rs, cs, mc, kc, dst] = f.params;
  const ip = f.local(I32);
  const k = f.local(I32);
  const s = f.local(I32);
  const rows = f.local(I32);
  const ii = f.local(I32);
  const k4 = f.local(I32);
  const [s1, s2, s3] = [f.local(I32), f.local(I32), f.local(I32)];
  const [r0, r1, r2, r3, t0, t1, t2, t3] = Array.from({ length: 8 }, () => f.local(V128));
  f.forRange(
    ip,
    () => f.i32(0),
    () => f.get(mc),
    MR,
    () => {
      f.get(src).get(ip).get(rs).i32Mul().i32Add().set(s);
      f.get(mc).get(ip).i32Sub().set(rows);
      f.get(rows).i32(MR).i32GeS();
      f.if(
        () => {
          f.get(rs).i32(4).i32Eq();
          f.if(
            () => {
              // transposed A: the MR rows are contiguous at each k
              f.forRange(
                k,
                () => f.i32(0),
                () => f.get(kc),
                1,
                () => {
                  f.get(dst).get(s).v128Load().v128Store();
                  f.get(s).get(cs).i32Add().set(s);
                  f.get(dst).i32(16).i32Add().set(dst);
                },
              );
            },
            () => {
              f.get(cs).i32(4).i32Eq();
              f.if(() => {
                // row-major A: 4×4 blocks transposed in registers
                f.get(kc).i32(-4).i32And().set(k4);
                f.get(s).get(rs).i32Add().set(s1);
                f.get(s1).get(rs).i32Add().set(s2);
                f.get(s2).get(rs).i32Add().set(s3);
                f.forRange(
                  k,
                  () => f.i32(0),
                  () => f.get(k4),
                  4,
                  () => {
                    f.get(s).v128Load().set(r0);
                    f.get(s1).v128Load().set(r1);
                    f.get(s2).v128Load().set(r2);
                    f.get(s3).v128Load().set(r3);
                    f.get(r0).get(r1).shuffle32(0, 4, 1, 5).set(t0);
                    f.get(r0).get(r1).shuffle32(2, 6, 3, 7).set(t1);
                    f.get(r2).get(r3).shuffle32(0, 4, 1, 5).set(t2);
                    f.get(r2).get(r3).shuffle32(2, 6, 3, 7).set(t3);
                    f.get(dst).get(t0).get(t2).shuffle32(0, 1, 4, 5).v128Store(0);
                    f.get(dst).get(t0).get(t2).shuffle32(2, 3, 6, 7).v128Store(16);
                    f.get(dst).get(t1).get(t3).shuffle32(0, 1, 4, 5).v128Store(32);
                    f.get(dst).get(t1).get(t3).shuffle32(2, 3, 6, 7).v128Store(48);
                    for (const p of [s, s1, s2, s3]) f.get(p).i32(16).i32Add().set(p);
                    f.get(dst).i32(64).i32Add().set(dst);
                  },
                );
                f.get(kc).get(k4).i32Sub().set(kc);
              });
              f.forRange(
                k,
                () => f.i32(0),
                () => f.get(kc),
                1,
                () => {
                  for (let r = 0; r < MR; r++) {
                    f.get(dst);
                    f.get(s);
                    if (r > 0) f.get(rs).i32(r).i32Mul().i32Add();
                    f.f32Load().f32Store(4 * r);
                  }
                  f.get(s).get(cs).i32Add().set(s);
                  f.get(dst).i32(16).i32Add().set(dst);
                },
              );
              // restore kc for the next panel
              f.get(kc).get(k4).i32Add().set(kc);
              f.i32(0).set(k4);
            },
          );
        },
        () => {
          f.forRange(
            k,
            () => f.i32(0),
            () => f.get(kc),
            1,
            () => {
              f.forRange(
                ii,
                () => f.i32(0),
                () => f.i32(MR),
                1,
                () => {
                  f.get(dst).get(ii).i32(2).i32Shl().i32Add();
                  // value: ii < rows ? A : 0 (the address clamped to s past the last row)
                  f.get(s).get(ii).get(rs).i32Mul().i32Add().get(ii).get(rows).i32LtS().i32Mul().f32Load();
                  f.f32(0).get(ii).get(rows).i32LtS().select();
                  f.f32Store();
                },
              );
              f.get(s).get(cs).i32Add().set(s);
              f.get(dst).i32(16).i32Add().set(dst);
            },
          );
        },
      );
    },
  );
  return f;
}

/** op(B)[kc, nc] → panels of NR columns: dst[(panel*kc + k)*NR + jj], zero columns past nc. */
function packBFunc(): Func {
  const f = new Func('packB', [I32, I32, I32, I32, I32, I32], []);
  const [src, rs, cs, kc, nc, dst] = f.params;
  const jp = f.local(I32);
  const k = f.local(I32);
  const s = f.local(I32);
  const cols = f.local(I32);
  const jj = f.local(I32);
  f.forRange(
    jp,
    () => f.i32(0),
    () => f.get(nc),
    NR,
    () => {
      f.get(src).get(jp).get(cs).i32Mul().i32Add().set(s);
      f.get(nc).get(jp).i32Sub().set(cols);
      f.get(cols).i32(NR).i32GeS();
      f.if(
        () => {
          f.get(cs).i32(4).i32Eq();
          f.if(
            () => {
              f.forRange(
                k,
                () => f.i32(0),
                () => f.get(kc),
                1,
                () => {
                  f.get(dst).get(s).v128Load().v128Store();
                  f.get(dst).get(s).v128Load(16).v128Store(16);
                  f.get(s).get(rs).i32Add().set(s);
                  f.get(dst).i32(32).i32Add().set(dst);
                },
              );
            },
            () => {
              f.forRange(
                k,
                () => f.i32(0),
                () => f.get(kc),
                1,
                () => {
                  for (let c = 0; c < NR; c++) {
                    f.get(dst);
                    f.get(s);
                    if (c > 0) f.get(cs).i32(c).i32Mul().i32Add();
                    f.f32Load().f32Store(4 * c);
                  }
                  f.get(s).get(rs).i32Add().set(s);
                  f.get(dst).i32(32).i32Add().set(dst);
                },
              );
            },
          );
        },
        () => {
          f.forRange(
            k,
            () => f.i32(0),
            () => f.get(kc),
            1,
            () => {
              f.forRange(
                jj,
                () => f.i32(0),
                () => f.i32(NR),
                1,
                () => {
                  f.get(dst).get(jj).i32(2).i32Shl().i32Add();
                  // address clamped to s when jj >= cols (no out-of-range read), value zeroed
                  f.get(s).get(jj).get(cs).i32Mul().get(jj).get(cols).i32LtS().i32Mul().i32Add().f32Load();
                  f.f32(0).get(jj).get(cols).i32LtS().select();
                  f.f32Store();
                },
              );
              f.get(s).get(rs).i32Add().set(s);
              f.get(dst).i32(32).i32Add().set(dst);
            },
          );
        },
      );
    },
  );
  return f;
}

/** C[mc, nc] (row stride ldc bytes) += packed A block · packed B block, both kc deep. */
function macroFunc(fma: boolean): Func {
  const f = new Func('macro', [I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [mc, nc, kc, pa, pb, pc, ldc, accumulate] = f.params;
  const m = new VMath(f, fma);
  const jp = f.local(I32);
  const ip = f.local(I32);
  const pbp = f.local(I32);
  const p = f.local(I32);
  const q = f.local(I32);
  const k = f.local(I32);
  const c = f.local(I32);
  const rows = f.local(I32);
  const cols = f.local(I32);
  const i = f.local(I32);
  const j = f.local(I32);
  const acc: Local[] = [];
  for (let x = 0; x < MR * 2; x++) acc.push(f.local(V128));
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const a = f.local(V128);
  f.forRange(
    jp,
    () => f.i32(0),
    () => f.get(nc),
    NR,
    () => {
      f.get(pb).get(jp).get(kc).i32Mul().i32(2).i32Shl().i32Add().set(pbp);
      f.forRange(
        ip,
        () => f.i32(0),
        () => f.get(mc),
        MR,
        () => {
          f.get(pa).get(ip).get(kc).i32Mul().i32(2).i32Shl().i32Add().set(p);
          f.get(pbp).set(q);
          for (const x of acc) f.f32x4Const(0).set(x);
          f.get(kc).set(k);
          f.loop(() => {
            f.get(q).v128Load().set(b0);
            f.get(q).v128Load(16).set(b1);
            for (let r = 0; r < MR; r++) {
              f.get(p)
                .load32Splat(4 * r)
                .set(a);
              m.madd(
                () => f.get(a),
                () => f.get(b0),
                () => f.get(acc[2 * r]),
              );
              f.set(acc[2 * r]);
              m.madd(
                () => f.get(a),
                () => f.get(b1),
                () => f.get(acc[2 * r + 1]),
              );
              f.set(acc[2 * r + 1]);
            }
            f.get(p)
              .i32(4 * MR)
              .i32Add()
              .set(p);
            f.get(q)
              .i32(4 * NR)
              .i32Add()
              .set(q);
            f.get(k).i32(1).i32Sub().tee(k).brIf(0);
          });
          f.get(pc).get(ip).get(ldc).i32Mul().i32Add().get(jp).i32(2).i32Shl().i32Add().set(c);
          f.get(mc).get(ip).i32Sub().set(rows);
          f.get(nc).get(jp).i32Sub().set(cols);
          f.get(rows).i32(MR).i32GeS().get(cols).i32(NR).i32GeS().i32And();
          f.if(
            () => {
              f.get(accumulate);
              f.if(
                () => {
                  for (let r = 0; r < MR; r++) {
                    f.get(c)
                      .get(c)
                      .v128Load()
                      .get(acc[2 * r])
                      .f32x4Add()
                      .v128Store();
                    f.get(c)
                      .get(c)
                      .v128Load(16)
                      .get(acc[2 * r + 1])
                      .f32x4Add()
                      .v128Store(16);
                    if (r < MR - 1) f.get(c).get(ldc).i32Add().set(c);
                  }
                },
                () => {
                  for (let r = 0; r < MR; r++) {
                    f.get(c)
                      .get(acc[2 * r])
                      .v128Store();
                    f.get(c)
                      .get(acc[2 * r + 1])
                      .v128Store(16);
                    if (r < MR - 1) f.get(c).get(ldc).i32Add().set(c);
                  }
                },
              );
            },
            () => {
              for (let r = 0; r < MR; r++) {
                f.i32(0)
                  .get(acc[2 * r])
                  .v128Store(TILE + 32 * r);
                f.i32(0)
                  .get(acc[2 * r + 1])
                  .v128Store(TILE + 32 * r + 16);
              }
              f.forRange(
                i,
                () => f.i32(0),
                () => f.get(rows).i32(MR).get(rows).i32(MR).i32LtS().select(),
                1,
                () => {
                  f.forRange(
                    j,
                    () => f.i32(0),
                    () => f.get(cols).i32(NR).get(cols).i32(NR).i32LtS().select(),
                    1,
                    () => {
                      // C[i][j] = (accumulate ? C[i][j] : 0) + TILE[i*NR + j]
                      f.get(c).get(i).get(ldc).i32Mul().i32Add().get(j).i32(2).i32Shl().i32Add();
                      f.get(c).get(i).get(ldc).i32Mul().i32Add().get(j).i32(2).i32Shl().i32Add().f32Load();
                      f.f32(0).get(accumulate).select();
                      f.get(i).i32(NR).i32Mul().get(j).i32Add().i32(2).i32Shl().f32Load(TILE);
                      f.f32Add().f32Store();
                    },
                  );
                },
              );
            },
          );
        },
      );
    },
  );
  return f;
}

function gemmFunc(idx: { packA: number; packB: number; macro: number }): Func {
  const f = new Func('gemm', Array(14).fill(I32), []);
  const [M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, apack, bpack, accumulate] = f.params;
  const jc = f.local(I32);
  const pc = f.local(I32);
  const ic = f.local(I32);
  const nc = f.local(I32);
  const kc = f.local(I32);
  const mc = f.local(I32);
  const min = (a: Local, b: () => void, lim: number) => {
    // min(b - a, lim)
    b();
    f.get(a).i32Sub().i32(lim);
    b();
    f.get(a).i32Sub().i32(lim).i32LtS().select();
  };
  f.forRange(
    jc,
    () => f.i32(0),
    () => f.get(N),
    NC,
    () => {
      min(jc, () => f.get(N), NC);
      f.set(nc);
      f.forRange(
        pc,
        () => f.i32(0),
        () => f.get(K),
        KC,
        () => {
          min(pc, () => f.get(K), KC);
          f.set(kc);
          // packB(B + pc*rsB + jc*csB, rsB, csB, kc, nc, bpack)
          f.get(B).get(pc).get(rsB).i32Mul().i32Add().get(jc).get(csB).i32Mul().i32Add();
          f.get(rsB).get(csB).get(kc).get(nc).get(bpack).call(idx.packB);
          f.forRange(
            ic,
            () => f.i32(0),
            () => f.get(M),
            MC,
            () => {
              min(ic, () => f.get(M), MC);
              f.set(mc);
              f.get(A).get(ic).get(rsA).i32Mul().i32Add().get(pc).get(csA).i32Mul().i32Add();
              f.get(rsA).get(csA).get(mc).get(kc).get(apack).call(idx.packA);
              f.get(mc).get(nc).get(kc).get(apack).get(bpack);
              f.get(C).get(ic).get(ldc).i32Mul().i32Add().get(jc).i32(2).i32Shl().i32Add();
              f.get(ldc);
              f.get(accumulate).get(pc).i32Or(); // later K blocks add to the first
              f.call(idx.macro);
            },
          );
        },
      );
    },
  );
  return f;
}

/** N rounded up to NR */
function emitNpad(f: Func, N: Local): void {
  f.get(N)
    .i32(NR - 1)
    .i32Add()
    .i32(-NR)
    .i32And();
}

function packBAllFunc(idx: { packB: number }): Func {
  const f = new Func('packBAll', [I32, I32, I32, I32, I32, I32], []);
  const [src, rs, cs, K, N, dst] = f.params;
  const pc = f.local(I32);
  const kc = f.local(I32);
  f.forRange(
    pc,
    () => f.i32(0),
    () => f.get(K),
    KC,
    () => {
      f.get(K).get(pc).i32Sub().i32(KC).get(K).get(pc).i32Sub().i32(KC).i32LtS().select().set(kc);
      f.get(src).get(pc).get(rs).i32Mul().i32Add().get(rs).get(cs).get(kc).get(N);
      f.get(dst);
      emitNpad(f, N);
      f.get(pc).i32Mul().i32(2).i32Shl().i32Add();
      f.call(idx.packB);
    },
  );
  return f;
}

function gemmPackedFunc(idx: { packA: number; macro: number }): Func {
  const f = new Func('gemmPacked', Array(11).fill(I32), []);
  const [M, N, K, A, rsA, csA, pb, C, ldc, apack, accumulate] = f.params;
  const pc = f.local(I32);
  const kc = f.local(I32);
  f.forRange(
    pc,
    () => f.i32(0),
    () => f.get(K),
    KC,
    () => {
      f.get(K).get(pc).i32Sub().i32(KC).get(K).get(pc).i32Sub().i32(KC).i32LtS().select().set(kc);
      f.get(A).get(pc).get(csA).i32Mul().i32Add().get(rsA).get(csA).get(M).get(kc).get(apack).call(idx.packA);
      f.get(M).get(N).get(kc).get(apack);
      f.get(pb);
      emitNpad(f, N);
      f.get(pc).i32Mul().i32(2).i32Shl().i32Add();
      f.get(C).get(ldc);
      f.get(accumulate).get(pc).i32Or();
      f.call(idx.macro);
    },
  );
  return f;
}

function colSumAddFunc(idx: { addTo: number }): Func {
  // row by row: dst stays in L1 while src streams once
  const f = new Func('colSumAdd', [I32, I32, I32, I32], []);
  const [src, rows, cols, dst] = f.params;
  const r = f.local(I32);
  f.forRange(
    r,
    () => f.i32(0),
    () => f.get(rows),
    1,
    () => {
      f.get(dst).get(src).get(cols).call(idx.addTo);
      f.get(src).get(cols).i32(2).i32Shl().i32Add().set(src);
    },
  );
  return f;
}

function vecFunc(name: string, fma: boolean, kind: 'sigmoid' | 'tanh'): Func {
  const f = new Func(name, [I32, I32], []);
  const [ptr, n] = f.params;
  const m = new VMath(f, fma);
  const end = f.local(I32);
  const x = f.local(V128);
  const out = f.local(V128);
  const t = f.local(V128);
  const x2 = f.local(V128);
  const q = f.local(V128);
  f.get(ptr).get(n).i32(2).i32Shl().i32Add().set(end);
  f.block(() => {
    f.get(ptr).get(end).i32GeS().brIf(0);
    f.loop(() => {
      f.get(ptr).v128Load().set(x);
      if (kind === 'sigmoid') m.sigmoid(x, out, t, x2, q);
      else m.tanh(x, out, x2, q);
      f.get(ptr).get(out).v128Store();
      f.get(ptr).i32(16).i32Add().tee(ptr).get(end).i32LtS().brIf(0);
    });
  });
  return f;
}

/**
 * One direction of an LSTM layer over a batch, gates i,o,f,c (ONNX order), hidden size Hp (a
 * multiple of 4; padded units stay exactly 0). On entry `gates` [N, 4Hp] holds x·Wᵀ; on return
 * the gate activations. state [N, Hp]: tanh of the cell state after each step; statePrev, hPrev
 * [N, Hp]: cell and hidden state before it; y [N, 2Hp]: this direction's half. Rows past a
 * length are untouched.
 */
function lstmForwardFunc(fma: boolean, idx: { fill: number; gemmPacked: number }): Func {
  const f = new Func('lstmForward', Array(16).fill(I32), []);
  const [B, L, Hp, lens, dir, gates, state, statePrev, hPrev, y, bias, rtPack, hS, cS, hr, apack] = f.params;
  const m = new VMath(f, fma);
  const k = f.local(I32);
  const b = f.local(I32);
  const len = f.local(I32);
  const pos = f.local(I32);
  const j = f.local(I32);
  const H4 = f.local(I32); // Hp * 4 bytes
  const G4 = f.local(I32); // 4Hp * 4 bytes
  const off = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)]; // q * H4
  // row pointers of the current (b, pos)
  const gp = f.local(I32);
  const rp = f.local(I32);
  const stP = f.local(I32);
  const spP = f.local(I32);
  const hpP = f.local(I32);
  const cB = f.local(I32);
  const hB = f.local(I32);
  const yp = f.local(I32);
  // column pointers inside the j loop
  const pg = f.local(I32);
  const pr = f.local(I32);
  const pb = f.local(I32);
  const vi = f.local(V128);
  const vo = f.local(V128);
  const vf = f.local(V128);
  const vc = f.local(V128);
  const x = f.local(V128);
  const cp = f.local(V128);
  // temporaries of the nonlinearities
  const h = f.local(V128);
  const x2 = f.local(V128);
  const q = f.local(V128);
  const cNew = f.local(V128);
  f.get(Hp).i32(2).i32Shl().set(H4);
  f.get(H4).i32(2).i32Shl().set(G4);
  for (let q = 0; q < 4; q++) f.get(H4).i32(q).i32Mul().set(off[q]);
  f.get(hS).get(B).get(Hp).i32Mul().f32(0).call(idx.fill);
  f.get(cS).get(B).get(Hp).i32Mul().f32(0).call(idx.fill);
  const gateAt = (base: Local, q: number) => {
    f.get(base);
    if (q > 0) f.get(off[q]).i32Add();
  };
  // pre-activation of gate q at the current column: gates + hr + bias
  const pre = (q: number) => {
    gateAt(pg, q);
    f.v128Load();
    gateAt(pr, q);
    f.v128Load().f32x4Add();
    gateAt(pb, q);
    f.v128Load().f32x4Add();
    f.set(x);
  };
  const col = (base: Local) => f.get(base).get(j).i32Add();
  f.forRange(
    k,
    () => f.i32(0),
    () => f.get(L),
    1,
    () => {
      // hr[B, 4Hp] = h · Rᵀ (h is 0 at the first step)
      f.get(k);
      f.if(
        () => {
          f.get(B)
            .get(Hp)
            .i32(2)
            .i32Shl()
            .get(Hp)
            .get(hS)
            .get(H4)
            .i32(4)
            .get(rtPack)
            .get(hr)
            .get(G4)
            .get(apack)
            .i32(0)
            .call(idx.gemmPacked);
        },
        () => {
          f.get(hr).get(B).get(Hp).i32Mul().i32(2).i32Shl().f32(0).call(idx.fill);
        },
      );
      f.forRange(
        b,
        () => f.i32(0),
        () => f.get(B),
        1,
        () => {
          f.get(lens).get(b).i32(2).i32Shl().i32Add().i32Load().set(len);
          f.get(k).get(len).i32LtS();
          f.if(() => {
            // pos = b*L + (dir ? len-1-k : k)
            f.get(b).get(L).i32Mul();
            f.get(len).i32(1).i32Sub().get(k).i32Sub().get(k).get(dir).select();
            f.i32Add().set(pos);
            f.get(gates).get(pos).get(G4).i32Mul().i32Add().set(gp);
            f.get(hr).get(b).get(G4).i32Mul().i32Add().set(rp);
            f.get(pos).get(H4).i32Mul().set(stP);
            f.get(statePrev).get(stP).i32Add().set(spP);
            f.get(hPrev).get(stP).i32Add().set(hpP);
            f.get(state).get(stP).i32Add().set(stP);
            f.get(cS).get(b).get(H4).i32Mul().i32Add().set(cB);
            f.get(hS).get(b).get(H4).i32Mul().i32Add().set(hB);
            f.get(y).get(pos).get(H4).i32(1).i32Shl().i32Mul().i32Add().get(dir).get(H4).i32Mul().i32Add().set(yp);
            f.forRange(
              j,
              () => f.i32(0),
              () => f.get(H4),
              16,
              () => {
                col(gp);
                f.set(pg);
                col(rp);
                f.set(pr);
                col(bias);
                f.set(pb);
                pre(0);
                m.sigmoid(x, vi, h, x2, q);
                pre(1);
                m.sigmoid(x, vo, h, x2, q);
                pre(2);
                m.sigmoid(x, vf, h, x2, q);
                pre(3);
                m.tanh(x, vc, x2, q);
                for (const [q, v] of [vi, vo, vf, vc].entries()) {
                  gateAt(pg, q);
                  f.get(v).v128Store();
                }
                col(cB);
                f.v128Load().set(cp);
                // c = f*cp + i*cc
                m.madd(
                  () => f.get(vf),
                  () => f.get(cp),
                  () => f.get(vi).get(vc).f32x4Mul(),
                );
                f.set(cNew);
                col(spP);
                f.get(cp).v128Store();
                col(cB);
                f.get(cNew).v128Store();
                col(hpP);
                col(hB);
                f.v128Load().v128Store();
                m.tanh(cNew, x, x2, q);
                // the backward pass needs tanh(c), not c
                col(stP);
                f.get(x).v128Store();
                f.get(x).get(vo).f32x4Mul().set(x);
                col(yp);
                f.get(x).v128Store();
                col(hB);
                f.get(x).v128Store();
              },
            );
          });
        },
      );
    },
  );
  return f;
}

/**
 * BPTT of one LSTM direction: from dy [N, 2Hp] (this direction's half) and the forward cache,
 * writes the pre-activation gradients dXW [N, 4Hp] of the active rows (others untouched: zero
 * them first). rPack: R [4Hp, Hp] packed by packBAll as op(B) of stepGrad·R.
 */
function lstmBackwardFunc(fma: boolean, idx: { fill: number; gemmPacked: number }): Func {
  const f = new Func('lstmBackward', Array(15).fill(I32), []);
  const [B, L, Hp, lens, dir, gates, state, statePrev, dy, dXW, rPack, stepGrad, dhNext, dcNext, apack] = f.params;
  const m = new VMath(f, fma);
  const k = f.local(I32);
  const b = f.local(I32);
  const len = f.local(I32);
  const pos = f.local(I32);
  const j = f.local(I32);
  const H4 = f.local(I32);
  const G4 = f.local(I32);
  const gp = f.local(I32);
  const dp = f.local(I32);
  const sg = f.local(I32);
  const sp = f.local(I32);
  const hb = f.local(I32);
  const yp = f.local(I32);
  const vi = f.local(V128);
  const vo = f.local(V128);
  const vf = f.local(V128);
  const vc = f.local(V128);
  const tc = f.local(V128);
  const dh = f.local(V128);
  const dc = f.local(V128);
  const v = f.local(V128);
  const one = () => f.f32x4Const(1);
  f.get(Hp).i32(2).i32Shl().set(H4);
  f.get(H4).i32(2).i32Shl().set(G4);
  f.get(dhNext).get(B).get(Hp).i32Mul().f32(0).call(idx.fill);
  f.get(dcNext).get(B).get(Hp).i32Mul().f32(0).call(idx.fill);
  const at = (base: Local, q: number) => {
    f.get(base).get(j).i32Add();
    if (q > 0) f.get(H4).i32(q).i32Mul().i32Add();
  };
  const storeBoth = (q: number, val: () => void) => {
    val();
    f.set(v);
    at(dp, q);
    f.get(v).v128Store();
    at(sg, q);
    f.get(v).v128Store();
  };
  f.get(L).i32(1).i32Sub().set(k);
  f.block(() => {
    f.get(k).i32(0).i32LtS().brIf(0);
    f.loop(() => {
      f.get(stepGrad).get(B).get(Hp).i32Mul().i32(2).i32Shl().f32(0).call(idx.fill);
      f.forRange(
        b,
        () => f.i32(0),
        () => f.get(B),
        1,
        () => {
          f.get(lens).get(b).i32(2).i32Shl().i32Add().i32Load().set(len);
          f.get(k).get(len).i32LtS();
          f.if(() => {
            f.get(b).get(L).i32Mul();
            f.get(len).i32(1).i32Sub().get(k).i32Sub().get(k).get(dir).select();
            f.i32Add().set(pos);
            f.get(gates).get(pos).get(G4).i32Mul().i32Add().set(gp);
            f.get(dXW).get(pos).get(G4).i32Mul().i32Add().set(dp);
            f.get(stepGrad).get(b).get(G4).i32Mul().i32Add().set(sg);
            f.get(pos).get(H4).i32Mul().set(sp);
            f.get(b).get(H4).i32Mul().set(hb);
            f.get(dy).get(pos).get(H4).i32(1).i32Shl().i32Mul().i32Add().get(dir).get(H4).i32Mul().i32Add().set(yp);
            f.forRange(
              j,
              () => f.i32(0),
              () => f.get(H4),
              16,
              () => {
                at(gp, 0);
                f.v128Load().set(vi);
                at(gp, 1);
                f.v128Load().set(vo);
                at(gp, 2);
                f.v128Load().set(vf);
                at(gp, 3);
                f.v128Load().set(vc);
                f.get(state).get(sp).i32Add().get(j).i32Add().v128Load().set(tc);
                // dh = dy + dhNext
                f.get(yp)
                  .get(j)
                  .i32Add()
                  .v128Load()
                  .get(dhNext)
                  .get(hb)
                  .i32Add()
                  .get(j)
                  .i32Add()
                  .v128Load()
                  .f32x4Add()
                  .set(dh);
                // dc = dcNext + dh*o*(1 - tc²)
                m.madd(
                  () => f.get(dh).get(vo).f32x4Mul(),
                  () => one().get(tc).get(tc).f32x4Mul().f32x4Sub(),
                  () => f.get(dcNext).get(hb).i32Add().get(j).i32Add().v128Load(),
                );
                f.set(dc);
                // di = dc*cc*i*(1-i)
                storeBoth(0, () =>
                  f.get(dc).get(vc).f32x4Mul().get(vi).f32x4Mul().f32x4Const(1).get(vi).f32x4Sub().f32x4Mul(),
                );
                // dO = dh*tc*o*(1-o)
                storeBoth(1, () =>
                  f.get(dh).get(tc).f32x4Mul().get(vo).f32x4Mul().f32x4Const(1).get(vo).f32x4Sub().f32x4Mul(),
                );
                // df = dc*cp*f*(1-f)
                storeBoth(2, () =>
                  f
                    .get(dc)
                    .get(statePrev)
                    .get(sp)
                    .i32Add()
                    .get(j)
                    .i32Add()
                    .v128Load()
                    .f32x4Mul()
                    .get(vf)
                    .f32x4Mul()
                    .f32x4Const(1)
                    .get(vf)
                    .f32x4Sub()
                    .f32x4Mul(),
                );
                // dcc = dc*i*(1-cc²)
                storeBoth(3, () =>
                  f.get(dc).get(vi).f32x4Mul().f32x4Const(1).get(vc).get(vc).f32x4Mul().f32x4Sub().f32x4Mul(),
                );
                f.get(dcNext).get(hb).i32Add().get(j).i32Add().get(dc).get(vf).f32x4Mul().v128Store();
              },
            );
          });
        },
      );
      // dhNext = stepGrad · R (not needed after the first step)
      f.get(k);
      f.if(() => {
        f.get(B)
          .get(Hp)
          .get(Hp)
          .i32(2)
          .i32Shl()
          .get(stepGrad)
          .get(G4)
          .i32(4)
          .get(rPack)
          .get(dhNext)
          .get(H4)
          .get(apack)
          .i32(0)
          .call(idx.gemmPacked);
      });
      f.get(k).i32(1).i32Sub().tee(k).i32(0).i32GeS().brIf(0);
    });
  });
  return f;
}

function charConvMaxFunc(idx: { fill: number; addTo: number }): Func {
  const f = new Func('charConvMax', Array(10).fill(I32), []);
  const [n, C, K, F, pad, slot, P, best, arg, acc] = f.params;
  const r = f.local(I32);
  const p = f.local(I32);
  const k = f.local(I32);
  const q = f.local(I32);
  const j = f.local(I32);
  const F4 = f.local(I32);
  const bp = f.local(I32);
  const ap = f.local(I32);
  const v = f.local(V128);
  const b = f.local(V128);
  const mask = f.local(V128);
  f.get(F).i32(2).i32Shl().set(F4);
  f.get(best).get(n).get(F).i32Mul().f32(-Infinity).call(idx.fill);
  f.get(arg).get(n).get(F).i32Mul().f32(0).call(idx.fill); // all-zero bits: i32 0
  f.forRange(
    r,
    () => f.i32(0),
    () => f.get(n),
    1,
    () => {
      f.get(best).get(r).get(F4).i32Mul().i32Add().set(bp);
      f.get(arg).get(r).get(F4).i32Mul().i32Add().set(ap);
      f.forRange(
        p,
        () => f.i32(0),
        () => f.get(C),
        1,
        () => {
          f.get(acc).get(F).f32(0).call(idx.fill);
          f.forRange(
            k,
            () => f.i32(0),
            () => f.get(K),
            1,
            () => {
              f.get(p).get(k).i32Add().get(pad).i32Sub().set(q);
              // 0 <= q < C
              f.get(q).i32(0).i32GeS().get(q).get(C).i32LtS().i32And();
              f.if(() => {
                f.get(acc);
                // P + (slot[r*C + q] * K*F + k*F) * 4
                f.get(P);
                f.get(slot).get(r).get(C).i32Mul().get(q).i32Add().i32(2).i32Shl().i32Add().i32Load();
                f.get(K).i32Mul().get(k).i32Add().get(F4).i32Mul().i32Add();
                f.get(F).call(idx.addTo);
              });
            },
          );
          f.forRange(
            j,
            () => f.i32(0),
            () => f.get(F4),
            16,
            () => {
              f.get(acc).get(j).i32Add().v128Load().set(v);
              f.get(bp).get(j).i32Add().v128Load().set(b);
              f.get(v).get(b).f32x4Gt().set(mask);
              f.get(bp).get(j).i32Add().get(v).get(b).get(mask).v128Bitselect().v128Store();
              f.get(ap)
                .get(j)
                .i32Add()
                .get(p)
                .i32x4Splat()
                .get(ap)
                .get(j)
                .i32Add()
                .v128Load()
                .get(mask)
                .v128Bitselect()
                .v128Store();
            },
          );
        },
      );
    },
  );
  return f;
}

function dropoutMaskFunc(): Func {
  const f = new Func('dropoutMask', [I32, I32, I32, I32, F32], []);
  const [dst, n, seed, threshold, keep] = f.params;
  const end = f.local(I32);
  const st = f.local(V128);
  const t = f.local(V128);
  const thr = f.local(V128);
  const kv = f.local(V128);
  f.get(dst).get(n).i32(3).i32Add().i32(-4).i32And().i32(2).i32Shl().i32Add().set(end);
  // lane seeds: seed + lane * golden ratio
  f.get(seed)
    .i32x4Splat()
    .i32x4Const(0, 0x9e3779b9 | 0, (2 * 0x9e3779b9) | 0, (3 * 0x9e3779b9) | 0)
    .i32x4Add()
    .set(st);
  f.get(threshold).i32x4Splat().set(thr);
  f.get(keep).f32x4Splat().set(kv);
  f.block(() => {
    f.get(dst).get(end).i32GeS().brIf(0);
    f.loop(() => {
      // mulberry32, lane-wise
      f.get(st).i32x4Const(0x6d2b79f5).i32x4Add().set(st);
      f.get(st).get(st).i32(15).i32x4ShrU().v128Xor();
      f.get(st).i32x4Const(1).v128Or().i32x4Mul().set(t);
      f.get(t)
        .get(t)
        .get(t)
        .i32(7)
        .i32x4ShrU()
        .v128Xor()
        .get(t)
        .i32x4Const(61)
        .v128Or()
        .i32x4Mul()
        .i32x4Add()
        .get(t)
        .v128Xor()
        .set(t);
      f.get(t).get(t).i32(14).i32x4ShrU().v128Xor().set(t);
      // dropped where t < threshold (unsigned)
      f.get(dst).i32x4Const(0).get(kv).get(t).get(thr).i32x4LtU().v128Bitselect().v128Store();
      f.get(dst).i32(16).i32Add().tee(dst).get(end).i32LtS().brIf(0);
    });
  });
  return f;
}

function adamStepFunc(fma: boolean): Func {
  const f = new Func('adamStep', [I32, I32, I32, I32, I32, F32, F32, F32, F32, F32], []);
  const [w, g, m, v, n, scale, b1, b2, lr, eps] = f.params;
  const vm = new VMath(f, fma);
  const end = f.local(I32);
  const [vs, vb1, va1, vb2, va2, vlr, veps, gi, mi, vi] = Array.from({ length: 10 }, () => f.local(V128));
  f.get(w).get(n).i32(3).i32Add().i32(-4).i32And().i32(2).i32Shl().i32Add().set(end);
  f.get(scale).f32x4Splat().set(vs);
  f.get(b1).f32x4Splat().set(vb1);
  f.f32(1).get(b1).f32Sub().f32x4Splat().set(va1);
  f.get(b2).f32x4Splat().set(vb2);
  f.f32(1).get(b2).f32Sub().f32x4Splat().set(va2);
  f.get(lr).f32x4Splat().set(vlr);
  f.get(eps).f32x4Splat().set(veps);
  f.block(() => {
    f.get(w).get(end).i32GeS().brIf(0);
    f.loop(() => {
      f.get(g).v128Load().get(vs).f32x4Mul().set(gi);
      vm.madd(
        () => f.get(vb1),
        () => f.get(m).v128Load(),
        () => f.get(va1).get(gi).f32x4Mul(),
      );
      f.set(mi);
      vm.madd(
        () => f.get(vb2),
        () => f.get(v).v128Load(),
        () => f.get(va2).get(gi).f32x4Mul().get(gi).f32x4Mul(),
      );
      f.set(vi);
      f.get(m).get(mi).v128Store();
      f.get(v).get(vi).v128Store();
      f.get(w)
        .get(w)
        .v128Load()
        .get(vlr)
        .get(mi)
        .f32x4Mul()
        .get(vi)
        .f32x4Sqrt()
        .get(veps)
        .f32x4Add()
        .f32x4Div()
        .f32x4Sub()
        .v128Store();
      for (const p of [g, m, v]) f.get(p).i32(16).i32Add().set(p);
      f.get(w).i32(16).i32Add().tee(w).get(end).i32LtS().brIf(0);
    });
  });
  return f;
}

// The CRF kernels mirror crf.ts's forwardBackward and expectations operation for operation
// (same products, same summation order per entry; float64 mul + add, never fused) on dense
// Tp×Tp transition tables, two tags per f64x2 vector.

function crfForwardFunc(): Func {
  const f = new Func('crfForward', [I32, I32, I32, I32, I32, I32, I32], [I32]);
  const [len, Tp, X, E, start, alpha, scale] = f.params;
  const TB = f.local(I32); // row bytes
  const t = f.local(I32);
  const i = f.local(I32);
  const j = f.local(I32);
  const prev = f.local(I32);
  const cur = f.local(I32);
  const x = f.local(I32);
  const er = f.local(I32);
  const c = f.local(F64);
  const v = f.local(F64);
  const a = f.local(F64);
  const as = f.local(V128);
  const cs = f.local(V128);
  f.get(Tp).i32(3).i32Shl().set(TB);
  // t = 0: alpha = start ⊙ X[0]
  f.f64(0).set(c);
  f.forRange(
    j,
    () => f.i32(0),
    () => f.get(TB),
    8,
    () => {
      f.get(start).get(j).i32Add().f64Load().get(X).get(j).i32Add().f64Load().f64Mul().set(v);
      f.get(alpha).get(j).i32Add().get(v).f64Store();
      f.get(c).get(v).f64Add().set(c);
    },
  );
  const normalise = (row: Local, step: () => void) => {
    // if !(c > 0) return 0; row /= c; scale[t] = c
    f.get(c).f64(0).f64Gt().i32Eqz();
    f.if(() => {
      f.i32(0).ret();
    });
    f.get(c).f64x2Splat().set(cs);
    f.forRange(
      j,
      () => f.i32(0),
      () => f.get(TB),
      16,
      () => {
        f.get(row).get(j).i32Add().get(row).get(j).i32Add().v128Load().get(cs).f64x2Div().v128Store();
      },
    );
    step();
    f.get(c).f64Store();
  };
  normalise(alpha, () => f.get(scale));
  f.forRange(
    t,
    () => f.i32(1),
    () => f.get(len),
    1,
    () => {
      f.get(alpha).get(t).get(TB).i32Mul().i32Add().tee(cur).get(TB).i32Sub().set(prev);
      f.get(X).get(t).get(TB).i32Mul().i32Add().set(x);
      f.forRange(
        j,
        () => f.i32(0),
        () => f.get(TB),
        16,
        () => {
          f.get(cur).get(j).i32Add().f32x4Const(0).v128Store();
        },
      );
      // cur[j] += prev[i] · E[i, j], i ascending (zeros skipped: they add nothing)
      f.get(E).set(er);
      f.forRange(
        i,
        () => f.i32(0),
        () => f.get(TB),
        8,
        () => {
          f.get(prev).get(i).i32Add().f64Load().set(a);
          f.get(a).f64(0).f64Eq().i32Eqz();
          f.if(() => {
            f.get(a).f64x2Splat().set(as);
            f.forRange(
              j,
              () => f.i32(0),
              () => f.get(TB),
              16,
              () => {
                f.get(cur).get(j).i32Add();
                f.get(cur).get(j).i32Add().v128Load().get(as).get(er).get(j).i32Add().v128Load().f64x2Mul().f64x2Add();
                f.v128Store();
              },
            );
          });
          f.get(er).get(TB).i32Add().set(er);
        },
      );
      // cur[j] = sum · X[t, j]; c = Σ_j in order
      f.f64(0).set(c);
      f.forRange(
        j,
        () => f.i32(0),
        () => f.get(TB),
        8,
        () => {
          f.get(cur).get(j).i32Add().f64Load().get(x).get(j).i32Add().f64Load().f64Mul().set(v);
          f.get(cur).get(j).i32Add().get(v).f64Store();
          f.get(c).get(v).f64Add().set(c);
        },
      );
      normalise(cur, () => f.get(scale).get(t).i32(3).i32Shl().i32Add());
    },
  );
  f.i32(1);
  return f;
}

function crfBackwardFunc(): Func {
  const f = new Func('crfBackward', [I32, I32, I32, I32, I32, I32, I32], []);
  const [len, Tp, X, ET, end, scale, beta] = f.params;
  const TB = f.local(I32);
  const t = f.local(I32);
  const i = f.local(I32);
  const j = f.local(I32);
  const cur = f.local(I32);
  const nxt = f.local(I32);
  const xn = f.local(I32);
  const etr = f.local(I32);
  const xj = f.local(F64);
  const xs = f.local(V128);
  const bs = f.local(V128);
  const cn = f.local(V128);
  f.get(Tp).i32(3).i32Shl().set(TB);
  // beta[len-1] = end
  f.get(beta).get(len).i32(1).i32Sub().get(TB).i32Mul().i32Add().set(cur);
  f.forRange(
    i,
    () => f.i32(0),
    () => f.get(TB),
    16,
    () => {
      f.get(cur).get(i).i32Add().get(end).get(i).i32Add().v128Load().v128Store();
    },
  );
  f.get(len).i32(2).i32Sub().set(t);
  f.block(() => {
    f.get(t).i32(0).i32LtS().brIf(0);
    f.loop(() => {
      f.get(beta).get(t).get(TB).i32Mul().i32Add().tee(cur).get(TB).i32Add().set(nxt);
      f.get(X).get(t).i32(1).i32Add().get(TB).i32Mul().i32Add().set(xn);
      f.forRange(
        i,
        () => f.i32(0),
        () => f.get(TB),
        16,
        () => {
          f.get(cur).get(i).i32Add().f32x4Const(0).v128Store();
        },
      );
      // cur[i] += (E[i, j] · X[t+1, j]) · beta[t+1, j], j ascending; ET row j holds E[·, j]
      f.get(ET).set(etr);
      f.forRange(
        j,
        () => f.i32(0),
        () => f.get(TB),
        8,
        () => {
          f.get(xn).get(j).i32Add().f64Load().set(xj);
          f.get(xj).f64(0).f64Eq().i32Eqz();
          f.if(() => {
            f.get(xj).f64x2Splat().set(xs);
            f.get(nxt).get(j).i32Add().f64Load().f64x2Splat().set(bs);
            f.forRange(
              i,
              () => f.i32(0),
              () => f.get(TB),
              16,
              () => {
                f.get(cur).get(i).i32Add();
                f.get(cur)
                  .get(i)
                  .i32Add()
                  .v128Load()
                  .get(etr)
                  .get(i)
                  .i32Add()
                  .v128Load()
                  .get(xs)
                  .f64x2Mul()
                  .get(bs)
                  .f64x2Mul()
                  .f64x2Add();
                f.v128Store();
              },
            );
          });
          f.get(etr).get(TB).i32Add().set(etr);
        },
      );
      f.get(scale).get(t).i32(1).i32Add().i32(3).i32Shl().i32Add().f64Load().f64x2Splat().set(cn);
      f.forRange(
        i,
        () => f.i32(0),
        () => f.get(TB),
        16,
        () => {
          f.get(cur).get(i).i32Add().get(cur).get(i).i32Add().v128Load().get(cn).f64x2Div().v128Store();
        },
      );
      f.get(t).i32(1).i32Sub().tee(t).i32(0).i32GeS().brIf(0);
    });
  });
  return f;
}

function crfExpectFunc(): Func {
  const f = new Func('crfExpect', [I32, I32, I32, I32, I32, I32, I32, F64, I32, I32, I32], []);
  const [len, Tp, X, E, alpha, beta, scale, w, gEm, G, r] = f.params;
  const TB = f.local(I32);
  const n = f.local(I32);
  const t = f.local(I32);
  const i = f.local(I32);
  const j = f.local(I32);
  const prev = f.local(I32);
  const row = f.local(I32);
  const er = f.local(I32);
  const gr = f.local(I32);
  const a = f.local(F64);
  const ws = f.local(V128);
  const wcs = f.local(V128);
  const as = f.local(V128);
  f.get(Tp).i32(3).i32Shl().set(TB);
  f.get(w).f64x2Splat().set(ws);
  // gEm += alpha · beta · w, all rows
  f.get(len).get(TB).i32Mul().set(n);
  f.forRange(
    j,
    () => f.i32(0),
    () => f.get(n),
    16,
    () => {
      f.get(gEm).get(j).i32Add();
      f.get(gEm).get(j).i32Add().v128Load();
      f.get(alpha).get(j).i32Add().v128Load().get(beta).get(j).i32Add().v128Load().f64x2Mul().get(ws).f64x2Mul();
      f.f64x2Add().v128Store();
    },
  );
  f.forRange(
    t,
    () => f.i32(1),
    () => f.get(len),
    1,
    () => {
      f.get(t).get(TB).i32Mul().set(row);
      f.get(alpha).get(row).i32Add().get(TB).i32Sub().set(prev);
      // wc = w / scale[t]
      f.get(w).get(scale).get(t).i32(3).i32Shl().i32Add().f64Load().f64Div().f64x2Splat().set(wcs);
      // r = X[t] ⊙ beta[t]
      f.forRange(
        j,
        () => f.i32(0),
        () => f.get(TB),
        16,
        () => {
          f.get(r).get(j).i32Add();
          f.get(X)
            .get(row)
            .i32Add()
            .get(j)
            .i32Add()
            .v128Load()
            .get(beta)
            .get(row)
            .i32Add()
            .get(j)
            .i32Add()
            .v128Load()
            .f64x2Mul();
          f.v128Store();
        },
      );
      // G[i, j] += ((alpha[t-1, i] · E[i, j]) · r[j]) · wc
      f.get(E).set(er);
      f.get(G).set(gr);
      f.forRange(
        i,
        () => f.i32(0),
        () => f.get(TB),
        8,
        () => {
          f.get(prev).get(i).i32Add().f64Load().set(a);
          f.get(a).f64(0).f64Eq().i32Eqz();
          f.if(() => {
            f.get(a).f64x2Splat().set(as);
            f.forRange(
              j,
              () => f.i32(0),
              () => f.get(TB),
              16,
              () => {
                f.get(gr).get(j).i32Add();
                f.get(gr).get(j).i32Add().v128Load();
                f.get(as)
                  .get(er)
                  .get(j)
                  .i32Add()
                  .v128Load()
                  .f64x2Mul()
                  .get(r)
                  .get(j)
                  .i32Add()
                  .v128Load()
                  .f64x2Mul()
                  .get(wcs)
                  .f64x2Mul();
                f.f64x2Add().v128Store();
              },
            );
          });
          f.get(er).get(TB).i32Add().set(er);
          f.get(gr).get(TB).i32Add().set(gr);
        },
      );
    },
  );
  return f;
}

/** The module's bytes; `fma` selects relaxed-SIMD multiply-add. */
export function buildKernelModule(fma: boolean): Uint8Array<ArrayBuffer> {
  // function indices follow this order
  const order = EXPORT_NAMES;
  const idx = Object.fromEntries(order.map((n, i) => [n, i])) as Record<keyof KernelExports, number>;
  const funcs: Record<keyof KernelExports, Func> = {
    fill: fillFunc(),
    addTo: addToFunc(),
    packA: packAFunc(),
    packB: packBFunc(),
    macro: macroFunc(fma),
    gemm: gemmFunc(idx),
    packBAll: packBAllFunc(idx),
    gemmPacked: gemmPackedFunc(idx),
    colSumAdd: colSumAddFunc(idx),
    lstmForward: lstmForwardFunc(fma, idx),
    lstmBackward: lstmBackwardFunc(fma, idx),
    charConvMax: charConvMaxFunc(idx),
    dropoutMask: dropoutMaskFunc(),
    adamStep: adamStepFunc(fma),
    crfForward: crfForwardFunc(),
    crfBackward: crfBackwardFunc(),
    crfExpect: crfExpectFunc(),
    vsigmoid: vecFunc('vsigmoid', fma, 'sigmoid'),
    vtanh: vecFunc('vtanh', fma, 'tanh'),
  };
  return buildModule(
    order.map((n) => funcs[n]),
    { minPages: 1, maxPages: 65536 },
  );
}
