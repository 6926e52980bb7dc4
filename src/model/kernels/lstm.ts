// Kernel bodies: the LSTM recurrences, whole sequences per call (every step's h·Rᵀ product
// against a once-packed R, the cell update and its gate nonlinearities), and the vector
// sigmoid and tanh.
import { Func, I32, V128, type Local } from './wasm-builder';
import { VMath } from './vmath';

export function vecFunc(name: string, fma: boolean, kind: 'sigmoid' | 'tanh'): Func {
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
export function lstmForwardFunc(fma: boolean, idx: { fill: number; gemmPacked: number }): Func {
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
export function lstmBackwardFunc(fma: boolean, idx: { fill: number; gemmPacked: number }): Func {
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
