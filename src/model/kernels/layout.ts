// Memory layout shared by the kernel bodies and the runtime: the SGEMM's blocking and the
// scratch below RESERVED.

/** rows of A per micro-tile */
export const MR = 4;

/** columns of B per micro-tile (two f32x4 vectors) */
export const NR = 8;

/** K per packed block */
export const KC = 256;

/** rows of A per packed block (the general driver) */
export const MC = 128;

/** columns of B per packed block (the general driver) */
export const NC = 512;

/** scratch for partial micro-tiles: MR*NR floats at this address */
export const TILE = 64;

/** bytes below this address are reserved for the kernels' scratch */
export const RESERVED = 1024;
