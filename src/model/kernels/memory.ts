// Kernel bodies: fills and element-wise sums over kernel memory.
import { F32, Func, I32, V128 } from './wasm-builder';

export function fillFunc(): Func {
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

export function addToFunc(): Func {
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
