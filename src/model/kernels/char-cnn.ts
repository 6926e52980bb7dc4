// Kernel body: the character CNN's max-pooled responses.
import { Func, I32, V128 } from './wasm-builder';

export function charConvMaxFunc(idx: { fill: number; addTo: number }): Func {
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
