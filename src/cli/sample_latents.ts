// Latent vectors for `gan sample`: seeded batches with optional truncation, slerp walks, and --classes parsing.
import { UsageError } from '../errors.js';
import type { Rng } from '../random.js';

/** Parses "0-9", "3", "1,4,7" or "0-2,7" into class indices (in order, no repeats); UsageError otherwise. */
export function parseClasses(text: string, classNames: readonly string[] = [], flag = 'classes'): number[] {
  const out: number[] = [];
  const named = classNames.length ? ` or class names (${classNames.slice(0, 5).join(', ')}${classNames.length > 5 ? ', ...' : ''})` : '';
  const fail = (): never => { throw new UsageError(`--${flag}: expected ${flag === 'classes' ? 'class' : 'code'} numbers like 0-9, 3 or 1,4,7${named} but got '${text}'`); };
  for (const part of text.split(',')) {
    const byName = classNames.indexOf(part.trim());
    if (byName >= 0) {
      if (!out.includes(byName)) out.push(byName);
      continue;
    }
    const m = /^\s*(\d{1,4})\s*(?:-\s*(\d{1,4})\s*)?$/.exec(part);
    if (!m) fail();
    const a = Number(m![1]), b = m![2] === undefined ? a : Number(m![2]);
    if (b < a) fail();
    for (let c = a; c <= b; c++) if (!out.includes(c)) out.push(c);
  }
  return out;
}

function normal(rng: Rng, truncation: number | null): number {
  let v = rng.normal();
  if (truncation !== null) while (Math.abs(v) > truncation) v = rng.normal();
  return v;
}

/** `n` latent vectors [n, latentDim] of N(0, I), components redrawn while |z| > truncation (Brock et al. 2019). */
export function latentBatch(rng: Rng, n: number, latentDim: number, truncation: number | null): Float32Array {
  const z = new Float32Array(n * latentDim);
  for (let i = 0; i < z.length; i++) z[i] = normal(rng, truncation);
  return z;
}

/**
 * `rows` walks of `cols` points each along the great circle between two latent vectors (slerp, White 2016); every
 * row uses the same two endpoints so that, for a conditional generator, rows differ only by class. [rows*cols, latentDim].
 */
export function slerpWalk(rng: Rng, rows: number, cols: number, latentDim: number, truncation: number | null): Float32Array {
  const a = latentBatch(rng, 1, latentDim, truncation), b = latentBatch(rng, 1, latentDim, truncation);
  let dot = 0, na = 0, nb = 0;
  for (let d = 0; d < latentDim; d++) { dot += a[d]! * b[d]!; na += a[d]! ** 2; nb += b[d]! ** 2; }
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
  const z = new Float32Array(rows * cols * latentDim);
  for (let j = 0; j < cols; j++) {
    const t = cols === 1 ? 0 : j / (cols - 1);
    // Linear interpolation when the endpoints are (nearly) parallel, where slerp's sin(omega) vanishes.
    const [wa, wb] = omega < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)];
    for (let r = 0; r < rows; r++) {
      for (let d = 0; d < latentDim; d++) z[(r * cols + j) * latentDim + d] = wa * a[d]! + wb * b[d]!;
    }
  }
  return z;
}
