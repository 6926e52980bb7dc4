// v128 math emitted on locals, shared by the kernel bodies: fused or separate multiply-add,
// and the rational tanh and sigmoid the LSTM gates and the character CNN use.
import { Func, type Local } from './wasm-builder';

/** Emits v128 math on locals. */
export class VMath {
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
