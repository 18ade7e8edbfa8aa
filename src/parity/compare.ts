// Two-sided comparison of a float64 scratch result with a float32 tfjs result: |tfjs - scratch| <= atol + rtol |scratch|.

/** Per-check tolerance: element i passes when |tfjs_i - scratch_i| <= atol + rtol * |scratch_i|. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/** One row of the parity table. */
export interface ParityResult {
  name: string;
  /** Number of values compared. */
  size: number;
  maxAbsError: number;
  /** max |tfjs - scratch| / |scratch| over values with scratch != 0. */
  maxRelError: number;
  tolerance: Tolerance;
  pass: boolean;
  /** The error, when computing the check threw (pass is then false). */
  error?: string;
  /** A known tfjs defect this check exposes: a failure with this set does not fail the suite. */
  knownIssue?: string;
}

/** Compares `actual` (tfjs) with `expected` (scratch) element by element. */
export function compare(name: string, expected: ArrayLike<number>, actual: ArrayLike<number>, tolerance: Tolerance): ParityResult {
  if (expected.length !== actual.length) throw new RangeError(`parity '${name}': scratch has ${expected.length} values but tfjs has ${actual.length}`);
  let maxAbsError = 0, maxRelError = 0, pass = expected.length > 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!, a = actual[i]!;
    const err = Math.abs(a - e);
    if (!(err <= tolerance.atol + tolerance.rtol * Math.abs(e))) pass = false; // NaN fails
    maxAbsError = Math.max(maxAbsError, Number.isNaN(err) ? Infinity : err);
    if (e !== 0) maxRelError = Math.max(maxRelError, Number.isNaN(err) ? Infinity : err / Math.abs(e));
  }
  return { name, size: expected.length, maxAbsError, maxRelError, tolerance, pass };
}
