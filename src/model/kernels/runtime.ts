// Loads the kernel module (kernel-module.ts) once per thread and manages its memory: a
// first-fit heap of 64-byte-aligned blocks in the module's own linear memory, grown on demand.
// Growing the memory detaches every view of the old buffer, so views are made per use
// (`f32`, `i32`) and never kept across an allocation.
import * as v8 from 'node:v8';
import { KC, MC, NC, RESERVED } from './layout';
import { buildKernelModule, EXPORT_NAMES, type KernelExports } from './module';

// The few WebAssembly JS-API members used here (this project's lib settings carry no DOM types).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
}
const Wasm: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE = 65536;
const ALIGN = 64;

interface FreeBlock {
  start: number;
  size: number;
}

export class Kernels {
  readonly memory: WasmMemory;
  readonly k: KernelExports;
  /** packing buffers of the general gemm */
  readonly apack: number;
  readonly bpack: number;
  private free: FreeBlock[] = [];
  private readonly sizes = new Map<number, number>();
  private f32Cache: Float32Array;
  private i32Cache: Int32Array;

  constructor(
    module: WasmModule,
    /** whether the module uses relaxed-SIMD fused multiply-add */
    readonly fma: boolean,
  ) {
    this.memory = new (Wasm as WasmApi).Memory({ initial: 64, maximum: 65536 });
    const instance = new (Wasm as WasmApi).Instance(module, { env: { memory: this.memory } });
    const ex = instance.exports;
    const k: Partial<KernelExports> = {};
    for (const name of EXPORT_NAMES) {
      if (typeof ex[name] !== 'function') throw new Error(`kernel module lacks ${name}`);
      (k as Record<string, unknown>)[name] = ex[name];
    }
    this.k = k as KernelExports;
    this.free = [{ start: RESERVED, size: this.memory.buffer.byteLength - RESERVED }];
    this.f32Cache = new Float32Array(this.memory.buffer);
    this.i32Cache = new Int32Array(this.memory.buffer);
    this.apack = this.alloc(MC * KC * 4);
    this.bpack = this.alloc(KC * NC * 4);
  }

  /** Whole-memory views (refreshed after growth). */
  get F32(): Float32Array {
    if (this.f32Cache.buffer !== this.memory.buffer) this.refresh();
    return this.f32Cache;
  }
  get I32(): Int32Array {
    if (this.i32Cache.buffer !== this.memory.buffer) this.refresh();
    return this.i32Cache;
  }
  private refresh(): void {
    this.f32Cache = new Float32Array(this.memory.buffer);
    this.i32Cache = new Int32Array(this.memory.buffer);
  }

  /** A view of n floats at byte address ptr; valid until the next allocation. */
  f32(ptr: number, n: number): Float32Array {
    return this.F32.subarray(ptr >> 2, (ptr >> 2) + n);
  }

  /** Allocates `bytes` (rounded up to 64) plus 16 bytes of slack for vector reads past the end. */
  alloc(bytes: number): number {
    const size = Math.ceil((bytes + 16) / ALIGN) * ALIGN;
    for (;;) {
      for (let i = 0; i < this.free.length; i++) {
        const b = this.free[i];
        if (b.size >= size) {
          const ptr = b.start;
          b.start += size;
          b.size -= size;
          if (b.size === 0) this.free.splice(i, 1);
          this.sizes.set(ptr, size);
          return ptr;
        }
      }
      this.grow(size);
    }
  }

  /** Allocates and copies `data` in. */
  allocCopy(data: Float32Array): number {
    const p = this.alloc(data.length * 4);
    this.F32.set(data, p >> 2);
    return p;
  }

  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`kernel heap: ${ptr} is not an allocated block`);
    this.sizes.delete(ptr);
    // insert sorted, coalesce with neighbours
    let i = 0;
    while (i < this.free.length && this.free[i].start < ptr) i++;
    this.free.splice(i, 0, { start: ptr, size });
    if (i + 1 < this.free.length && ptr + size === this.free[i + 1].start) {
      this.free[i].size += this.free[i + 1].size;
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1].start + this.free[i - 1].size === ptr) {
      this.free[i - 1].size += this.free[i].size;
      this.free.splice(i, 1);
    }
  }

  /** bytes currently allocated */
  get allocatedBytes(): number {
    let s = 0;
    for (const v of this.sizes.values()) s += v;
    return s;
  }

  private grow(atLeast: number): void {
    const old = this.memory.buffer.byteLength;
    // grow geometrically so repeated small growths stay rare
    const want = Math.max(atLeast, old >> 1);
    const pages = Math.ceil(want / PAGE);
    this.memory.grow(pages);
    const added = { start: old, size: pages * PAGE };
    const last = this.free[this.free.length - 1];
    if (last && last.start + last.size === old) last.size += added.size;
    else this.free.push(added);
  }

  fill(ptr: number, n: number, value = 0): void {
    this.k.fill(ptr, n, value);
  }

  /**
   * C[M,N] (+)= op(A)·op(B) on blocks of this memory: A [M,K] ([K,M] when transA), B [K,N]
   * ([N,K] when transB), C [M,N], all row-major and dense.
   */
  gemmPtr(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: number,
    B: number,
    C: number,
    accumulate: boolean,
  ): void {
    if (M === 0 || N === 0) return;
    if (K === 0) {
      if (!accumulate) this.k.fill(C, M * N, 0);
      return;
    }
    const rsA = transA ? 4 : K * 4;
    const csA = transA ? M * 4 : 4;
    const rsB = transB ? 4 : N * 4;
    const csB = transB ? K * 4 : 4;
    this.k.gemm(M, N, K, A, rsA, csA, B, rsB, csB, C, N * 4, this.apack, this.bpack, accumulate ? 1 : 0);
  }

  /** The same on JS arrays: copied in and out. */
  gemmArrays(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: Float32Array,
    B: Float32Array,
    C: Float32Array,
    accumulate: boolean,
  ): void {
    if (M === 0 || N === 0) return;
    const pA = this.alloc(M * K * 4);
    const pB = this.alloc(K * N * 4);
    const pC = this.alloc(M * N * 4);
    const F = this.F32;
    F.set(A.subarray(0, M * K), pA >> 2);
    F.set(B.subarray(0, K * N), pB >> 2);
    if (accumulate) F.set(C.subarray(0, M * N), pC >> 2);
    this.gemmPtr(transA, transB, M, N, K, pA, pB, pC, accumulate);
    C.set(this.F32.subarray(pC >> 2, (pC >> 2) + M * N));
    this.release(pC);
    this.release(pB);
    this.release(pA);
  }
}

function compile(fma: boolean): WasmModule | null {
  if (!Wasm) return null;
  try {
    const bytes = buildKernelModule(fma);
    if (!Wasm.validate(bytes)) return null;
    return new Wasm.Module(bytes);
  } catch {
    return null;
  }
}

function nodeMajor(): number {
  return Number(/^v?(\d+)/.exec(process.versions?.node ?? '')?.[1] ?? 0);
}

/**
 * Creates a kernel instance. `fma`: 'auto' uses relaxed-SIMD multiply-add when the engine has
 * it (V8 ≥ 11.4: Node ≥ 21, VS Code's Electron); on Node 20 it is behind a V8 flag, which
 * 'auto' turns on (for wasm compilation only) unless ENTITY_LENS_WASM_FMA=0.
 * Returns null when the engine has no WebAssembly SIMD at all.
 */
export function createKernels(fma: boolean | 'auto' = 'auto'): Kernels | null {
  const env = typeof process !== 'undefined' ? process.env.ENTITY_LENS_WASM_FMA : undefined;
  const wantFma = fma === 'auto' ? env !== '0' : fma;
  if (wantFma) {
    let m = compile(true);
    if (!m && nodeMajor() > 0 && nodeMajor() <= 21) {
      try {
        v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
        m = compile(true);
      } catch {
        m = null;
      }
    }
    if (m) return new Kernels(m, true);
    if (fma === true) return null;
  }
  const plain = compile(false);
  return plain ? new Kernels(plain, false) : null;
}

let shared: Kernels | null | undefined;

/** This thread's kernels (created on first use), or null without WebAssembly SIMD. */
export function kernels(): Kernels | null {
  if (shared === undefined) {
    const mode = typeof process !== 'undefined' ? process.env.ENTITY_LENS_KERNELS : undefined;
    shared = mode === 'js' ? null : createKernels('auto');
  }
  return shared;
}

/** Replaces this thread's kernels (null: the plain-JS paths); returns the previous ones. For tests. */
export function setKernelsForTests(k: Kernels | null): Kernels | null {
  const prev = kernels();
  shared = k;
  return prev;
}
