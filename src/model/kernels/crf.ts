// Kernel bodies: the CRF lattices of the partial-annotation loss — forward, backward and
// expected counts in scaled probability space, float64, two tags per f64x2 vector.
import { F64, Func, I32, V128, type Local } from './wasm-builder';

export function crfForwardFunc(): Func {
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

export function crfBackwardFunc(): Func {
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

export function crfExpectFunc(): Func {
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
