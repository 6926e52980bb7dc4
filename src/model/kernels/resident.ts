// Blocks of kernel memory that outlive one call: a forward pass leaves its activations in the
// kernels' memory for the backward pass, so nothing is copied between the two. Forward passes
// without a backward (evaluation, tagging) would pile such blocks up, so only the newest few
// are kept: an older block is dropped, and a backward pass that finds its block dropped
// recomputes it (rnn.ts runs the forward kernels again from the cached input).
import type { Kernels } from './runtime';

export class ResidentBlock {
  /** byte address while resident, -1 once dropped or released */
  ptr = -1;
  released = false;
  constructor(readonly bytes: number) {}
}

export class Residency {
  private readonly live: ResidentBlock[] = [];
  private liveBytes = 0;

  constructor(
    private readonly ks: Kernels,
    /** resident blocks kept at most */
    private readonly maxLive = 4,
    /** resident bytes kept at most (the newest block always stays) */
    private readonly maxBytes = 128 << 20,
  ) {}

  /** A new resident block; may drop the oldest ones. */
  create(bytes: number): ResidentBlock {
    // make room first, so the freed memory can be reused for this block
    while (this.live.length > 0 && (this.live.length + 1 > this.maxLive || this.liveBytes + bytes > this.maxBytes)) {
      this.drop(this.live[0]);
    }
    const b = new ResidentBlock(bytes);
    b.ptr = this.ks.alloc(bytes);
    this.live.push(b);
    this.liveBytes += bytes;
    return b;
  }

  /** Whether the block still holds its data. */
  resident(b: ResidentBlock): boolean {
    return b.ptr >= 0;
  }

  /** Frees the block for good. */
  release(b: ResidentBlock): void {
    if (b.released) return;
    b.released = true;
    if (b.ptr >= 0) this.drop(b);
  }

  private drop(b: ResidentBlock): void {
    this.ks.release(b.ptr);
    b.ptr = -1;
    const i = this.live.indexOf(b);
    if (i >= 0) this.live.splice(i, 1);
    this.liveBytes -= b.bytes;
  }
}
