// Kernel body: dropout masks.
import { F32, Func, I32, V128 } from './wasm-builder';

export function dropoutMaskFunc(): Func {
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
