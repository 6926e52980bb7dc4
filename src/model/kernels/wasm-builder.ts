// A tiny WebAssembly binary encoder: enough of the format (types, one imported memory,
// functions, exports, code) and of the instruction set (i32, f32, structured control, and the
// 128-bit SIMD subset the kernels use) to build the kernel module at load time without a
// toolchain. Reference: the WebAssembly core specification, binary format (chapter 5) and the
// fixed-width SIMD proposal's opcode table.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

function uleb(out: number[], v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new Error(`uleb: bad value ${v}`);
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

function sleb(out: number[], v: number): void {
  if (!Number.isInteger(v)) throw new Error(`sleb: bad value ${v}`);
  v |= 0; // i32 range
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

function name(out: number[], s: string): void {
  const bytes = Buffer.from(s, 'utf8');
  uleb(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/** A local variable (or parameter) of a function being built. */
export interface Local {
  readonly index: number;
  readonly type: ValType;
}

/** One function body: emit instructions with the methods, in stack-machine order. */
export class Func {
  readonly code: number[] = [];
  readonly params: Local[];
  private readonly extra: ValType[] = [];
  private depth = 0;

  constructor(
    readonly name: string,
    paramTypes: ValType[],
    readonly results: ValType[],
    readonly exported = true,
  ) {
    this.params = paramTypes.map((type, index) => ({ index, type }));
  }

  get paramTypes(): ValType[] {
    return this.params.map((p) => p.type);
  }

  local(type: ValType): Local {
    const l = { index: this.params.length + this.extra.length, type };
    this.extra.push(type);
    return l;
  }

  /** The body as encoded in the code section (without the size prefix). */
  body(): number[] {
    if (this.depth !== 0) throw new Error(`${this.name}: ${this.depth} unclosed blocks`);
    const out: number[] = [];
    // locals, run-length encoded by type
    const runs: [number, ValType][] = [];
    for (const t of this.extra) {
      if (runs.length > 0 && runs[runs.length - 1][1] === t) runs[runs.length - 1][0]++;
      else runs.push([1, t]);
    }
    uleb(out, runs.length);
    for (const [n, t] of runs) {
      uleb(out, n);
      out.push(t);
    }
    out.push(...this.code, 0x0b);
    return out;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  private simd(opcode: number): this {
    this.code.push(0xfd);
    uleb(this.code, opcode);
    return this;
  }

  private memarg(align: number, offset: number): this {
    uleb(this.code, align);
    uleb(this.code, offset);
    return this;
  }

  // ---- variables and constants
  get(l: Local): this {
    this.op(0x20);
    uleb(this.code, l.index);
    return this;
  }
  set(l: Local): this {
    this.op(0x21);
    uleb(this.code, l.index);
    return this;
  }
  tee(l: Local): this {
    this.op(0x22);
    uleb(this.code, l.index);
    return this;
  }
  i32(v: number): this {
    this.op(0x41);
    sleb(this.code, v);
    return this;
  }
  f32(v: number): this {
    this.op(0x43);
    const b = Buffer.alloc(4);
    b.writeFloatLE(v, 0);
    this.code.push(...b);
    return this;
  }
  f64(v: number): this {
    this.op(0x44);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v, 0);
    this.code.push(...b);
    return this;
  }
  /** v128.const with four f32 lanes */
  f32x4Const(a: number, b = a, c = a, d = a): this {
    this.simd(0x0c);
    const buf = Buffer.alloc(16);
    [a, b, c, d].forEach((v, i) => buf.writeFloatLE(v, 4 * i));
    this.code.push(...buf);
    return this;
  }
  /** v128.const with four i32 lanes */
  i32x4Const(a: number, b = a, c = a, d = a): this {
    this.simd(0x0c);
    const buf = Buffer.alloc(16);
    [a, b, c, d].forEach((v, i) => buf.writeInt32LE(v | 0, 4 * i));
    this.code.push(...buf);
    return this;
  }
  drop(): this {
    return this.op(0x1a);
  }
  select(): this {
    return this.op(0x1b);
  }

  // ---- control
  /** block … end; `br(0)` inside jumps to its end */
  block(fn: () => void): this {
    this.op(0x02, 0x40);
    this.depth++;
    fn();
    this.depth--;
    return this.op(0x0b);
  }
  /** loop … end; `br(0)` inside jumps to its start */
  loop(fn: () => void): this {
    this.op(0x03, 0x40);
    this.depth++;
    fn();
    this.depth--;
    return this.op(0x0b);
  }
  /** if (pops an i32) … [else …] end */
  if(then: () => void, otherwise?: () => void): this {
    this.op(0x04, 0x40);
    this.depth++;
    then();
    if (otherwise) {
      this.op(0x05);
      otherwise();
    }
    this.depth--;
    return this.op(0x0b);
  }
  br(depth: number): this {
    this.op(0x0c);
    uleb(this.code, depth);
    return this;
  }
  brIf(depth: number): this {
    this.op(0x0d);
    uleb(this.code, depth);
    return this;
  }
  ret(): this {
    return this.op(0x0f);
  }
  call(fnIndex: number): this {
    this.op(0x10);
    uleb(this.code, fnIndex);
    return this;
  }

  /**
   * for (v = from; v < to; v += step) body — `from`, `to` emit an i32 each; the bound is
   * re-evaluated every iteration, so pass a local or a constant. Does nothing when from >= to.
   */
  forRange(v: Local, from: () => void, to: () => void, step: number, body: () => void): this {
    from();
    this.set(v);
    this.block(() => {
      this.get(v);
      to();
      this.op(0x4e); // i32.ge_s
      this.brIf(0);
      this.loop(() => {
        body();
        this.get(v).i32(step).op(0x6a).tee(v); // v += step
        to();
        this.op(0x48); // i32.lt_s
        this.brIf(0);
      });
    });
    return this;
  }

  // ---- i32
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32ShrS(): this {
    return this.op(0x75);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Or(): this {
    return this.op(0x72);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32LeS(): this {
    return this.op(0x4c);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  i32Load(offset = 0): this {
    return this.op(0x28).memarg(2, offset);
  }
  i32Store(offset = 0): this {
    return this.op(0x36).memarg(2, offset);
  }

  // ---- f32
  f32Load(offset = 0): this {
    return this.op(0x2a).memarg(2, offset);
  }
  f32Store(offset = 0): this {
    return this.op(0x38).memarg(2, offset);
  }
  f32Add(): this {
    return this.op(0x92);
  }
  f32Sub(): this {
    return this.op(0x93);
  }
  f32Mul(): this {
    return this.op(0x94);
  }
  f32Div(): this {
    return this.op(0x95);
  }
  f32Max(): this {
    return this.op(0x97);
  }
  f32Gt(): this {
    return this.op(0x5e);
  }
  f32Neg(): this {
    return this.op(0x8c);
  }

  // ---- f64
  f64Load(offset = 0): this {
    return this.op(0x2b).memarg(3, offset);
  }
  f64Store(offset = 0): this {
    return this.op(0x39).memarg(3, offset);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f64Div(): this {
    return this.op(0xa3);
  }
  f64Eq(): this {
    return this.op(0x61);
  }
  f64Gt(): this {
    return this.op(0x64);
  }

  // ---- v128
  v128Load(offset = 0): this {
    return this.simd(0x00).memarg(4, offset);
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b).memarg(4, offset);
  }
  /** loads one f32 into all four lanes */
  load32Splat(offset = 0): this {
    return this.simd(0x09).memarg(2, offset);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4ExtractLane(lane: number): this {
    this.simd(0x1f);
    this.code.push(lane);
    return this;
  }
  /** i8x16.shuffle: byte lanes 0–15 from the first operand, 16–31 from the second */
  shuffle(lanes: number[]): this {
    if (lanes.length !== 16) throw new Error('shuffle needs 16 lane indices');
    this.simd(0x0d);
    this.code.push(...lanes);
    return this;
  }
  /** shuffle by f32 lanes: 0–3 from the first operand, 4–7 from the second */
  shuffle32(a: number, b: number, c: number, d: number): this {
    const bytes: number[] = [];
    for (const l of [a, b, c, d]) for (let i = 0; i < 4; i++) bytes.push(4 * l + i);
    return this.shuffle(bytes);
  }
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  f64x2Div(): this {
    return this.simd(0xf3);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  f32x4Min(): this {
    return this.simd(0xe8);
  }
  f32x4Max(): this {
    return this.simd(0xe9);
  }
  /** pseudo-minimum b < a ? b : a (one minps on x86, unlike f32x4.min's NaN/±0 rules) */
  f32x4Pmin(): this {
    return this.simd(0xea);
  }
  /** pseudo-maximum a < b ? b : a */
  f32x4Pmax(): this {
    return this.simd(0xeb);
  }
  f32x4Sqrt(): this {
    return this.simd(0xe3);
  }
  f32x4Neg(): this {
    return this.simd(0xe1);
  }
  f32x4Abs(): this {
    return this.simd(0xe0);
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  f32x4Lt(): this {
    return this.simd(0x43);
  }
  f32x4Nearest(): this {
    return this.simd(0x6a);
  }
  f32x4ConvertI32x4S(): this {
    return this.simd(0xfa);
  }
  i32x4TruncSatF32x4S(): this {
    return this.simd(0xf8);
  }
  i32x4Add(): this {
    return this.simd(0xae);
  }
  i32x4Shl(): this {
    return this.simd(0xab);
  }
  i32x4Mul(): this {
    return this.simd(0xb5);
  }
  i32x4ShrU(): this {
    return this.simd(0xad);
  }
  i32x4LtU(): this {
    return this.simd(0x3a);
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
  v128Xor(): this {
    return this.simd(0x51);
  }
  /** (a, b, mask) → mask ? a : b, bitwise */
  v128Bitselect(): this {
    return this.simd(0x52);
  }
  /** relaxed-SIMD a*b+c (fused where the hardware has FMA) */
  f32x4RelaxedMadd(): this {
    return this.simd(0x105);
  }
}

/** Builds a module: one imported memory ("env", "memory") and the given functions. */
export function buildModule(
  funcs: Func[],
  memory: { minPages: number; maxPages: number; shared?: boolean },
): Uint8Array<ArrayBuffer> {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, content: number[]) => {
    out.push(id);
    uleb(out, content.length);
    out.push(...content);
  };
  // types: one per function (duplicates are allowed)
  const types: number[] = [];
  uleb(types, funcs.length);
  for (const f of funcs) {
    types.push(0x60);
    uleb(types, f.params.length);
    types.push(...f.paramTypes);
    uleb(types, f.results.length);
    types.push(...f.results);
  }
  section(1, types);
  const imports: number[] = [];
  uleb(imports, 1);
  name(imports, 'env');
  name(imports, 'memory');
  imports.push(0x02, memory.shared ? 0x03 : 0x01);
  uleb(imports, memory.minPages);
  uleb(imports, memory.maxPages);
  section(2, imports);
  const fsec: number[] = [];
  uleb(fsec, funcs.length);
  funcs.forEach((_, i) => uleb(fsec, i));
  section(3, fsec);
  const exps: number[] = [];
  const exported = funcs.map((f, i) => [f, i] as const).filter(([f]) => f.exported);
  uleb(exps, exported.length);
  for (const [f, i] of exported) {
    name(exps, f.name);
    exps.push(0x00);
    uleb(exps, i);
  }
  section(7, exps);
  const code: number[] = [];
  uleb(code, funcs.length);
  for (const f of funcs) {
    const b = f.body();
    uleb(code, b.length);
    code.push(...b);
  }
  section(10, code);
  const bytes = new Uint8Array(new ArrayBuffer(out.length));
  bytes.set(out);
  return bytes;
}
