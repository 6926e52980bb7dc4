// Kernel body: the dense Adam update.
import { F32, Func, I32, V128 } from './wasm-builder';
import { VMath } from './vmath';

export function adamStepFunc(fma: boolean): Func {
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
