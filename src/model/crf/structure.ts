// The CRF's parameters and structure: transition, start and end scores, the tag scheme's
// allowed transitions as predecessor lists (a forbidden transition has probability zero in
// training and decoding alike), their exp tables, and the gradient buffers of the losses.

export interface CrfParams {
  /** [T*T], score of moving from tag i (row) to tag j (column) */
  trans: Float32Array;
  start: Float32Array;
  end: Float32Array;
}

export interface TransitionRules {
  start: boolean[];
  end: boolean[];
  trans: boolean[][];
}

/** Allowed transitions as predecessor lists, built once per tag set. */
export class CrfStructure {
  readonly T: number;
  readonly startOk: Uint8Array;
  readonly endOk: Uint8Array;
  /** predecessors of j are predFrom[predOffset[j] .. predOffset[j+1]) */
  readonly predOffset: Int32Array;
  readonly predFrom: Int32Array;
  /** successors of i are succTo[succOffset[i] .. succOffset[i+1]) */
  readonly succOffset: Int32Array;
  readonly succTo: Int32Array;

  constructor(rules: TransitionRules) {
    const T = rules.start.length;
    this.T = T;
    this.startOk = Uint8Array.from(rules.start, (b) => (b ? 1 : 0));
    this.endOk = Uint8Array.from(rules.end, (b) => (b ? 1 : 0));
    const pred: number[] = [];
    const predOffset = new Int32Array(T + 1);
    for (let j = 0; j < T; j++) {
      predOffset[j] = pred.length;
      for (let i = 0; i < T; i++) if (rules.trans[i][j]) pred.push(i);
    }
    predOffset[T] = pred.length;
    const succ: number[] = [];
    const succOffset = new Int32Array(T + 1);
    for (let i = 0; i < T; i++) {
      succOffset[i] = succ.length;
      for (let j = 0; j < T; j++) if (rules.trans[i][j]) succ.push(j);
    }
    succOffset[T] = succ.length;
    this.predOffset = predOffset;
    this.predFrom = Int32Array.from(pred);
    this.succOffset = succOffset;
    this.succTo = Int32Array.from(succ);
  }

  allowed(i: number, j: number): boolean {
    for (let p = this.predOffset[j]; p < this.predOffset[j + 1]; p++) if (this.predFrom[p] === i) return true;
    return false;
  }
}

/** exp of the transition, start and end scores, shifted by their maxima for range safety. */
export interface ExpParams {
  expTrans: Float64Array;
  transMax: number;
  expStart: Float64Array;
  startMax: number;
  expEnd: Float64Array;
  endMax: number;
}

/** Computed once per parameter set (decoding reuses it for every sequence). */
export function expParams(crf: CrfParams, s: CrfStructure): ExpParams {
  const T = s.T;
  let transMax = -Infinity;
  for (let k = 0; k < T * T; k++) transMax = Math.max(transMax, crf.trans[k]);
  const expTrans = new Float64Array(T * T);
  for (let k = 0; k < T * T; k++) expTrans[k] = Math.exp(crf.trans[k] - transMax);
  let startMax = -Infinity;
  let endMax = -Infinity;
  for (let j = 0; j < T; j++) {
    if (s.startOk[j]) startMax = Math.max(startMax, crf.start[j]);
    if (s.endOk[j]) endMax = Math.max(endMax, crf.end[j]);
  }
  const expStart = new Float64Array(T);
  const expEnd = new Float64Array(T);
  for (let j = 0; j < T; j++) {
    expStart[j] = s.startOk[j] ? Math.exp(crf.start[j] - startMax) : 0;
    expEnd[j] = s.endOk[j] ? Math.exp(crf.end[j] - endMax) : 0;
  }
  return { expTrans, transMax, expStart, startMax, expEnd, endMax };
}

export interface CrfGradients {
  em: Float32Array;
  trans: Float32Array;
  start: Float32Array;
  end: Float32Array;
}
