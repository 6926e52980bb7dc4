// Kernel bodies: the packed SGEMM — A in 4-row panels, B in 8-column panels, K in blocks of
// KC (BLIS-style), a 4×8 f32x4 register-blocked micro-kernel — and its column sums.
import { Func, I32, V128, type Local } from './wasm-builder';
import { MR, NR, KC, MC, NC, TILE } from './layout';
import { VMath } from './vmath';

/** op(A)[mc, kc] → panels of MR rows: dst[(panel*kc + k)*MR + ii], zero rows past mc. */
export function packAFunc(): Func {
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
export function packBFunc(): Func {
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
export function macroFunc(fma: boolean): Func {
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

export function gemmFunc(idx: { packA: number; packB: number; macro: number }): Func {
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
export function emitNpad(f: Func, N: Local): void {
  f.get(N)
    .i32(NR - 1)
    .i32Add()
    .i32(-NR)
    .i32And();
}

export function packBAllFunc(idx: { packB: number }): Func {
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

export function gemmPackedFunc(idx: { packA: number; macro: number }): Func {
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

export function colSumAddFunc(idx: { addTo: number }): Func {
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
