// Latent vectors for the playground: seeded N(0, I) draws with the truncation trick, and slerp between two points.

/** A seeded uniform generator in [0, 1) (mulberry32): the same z for the same seed on every visit. */
function uniform(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * z [dim] ~ N(0, I) from `seed` (Box-Muller), each component redrawn while |z| > truncation, as
 * `gan sample --truncation` does (Brock et al. 2019). truncation null = no truncation.
 */
export function latent(seed, dim, truncation = null) {
  const next = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const z = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    let v = normal();
    while (truncation !== null && Math.abs(v) > truncation) v = normal();
    z[i] = v;
  }
  return z;
}

/** The point at `t` in [0, 1] on the great circle from a to b (White 2016); linear when they are nearly parallel. */
export function slerp(a, b, t) {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] ** 2; nb += b[i] ** 2; }
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
  const [wa, wb] = omega < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)];
  return a.map((v, i) => wa * v + wb * b[i]);
}

/** n latent vectors side by side, [n * latentDim], the i-th from zAt(i). */
export function stack(n, zAt) {
  const parts = Array.from({ length: n }, (_, i) => zAt(i));
  const out = new Float32Array(parts.reduce((sum, p) => sum + p.length, 0));
  parts.forEach((p, i) => out.set(p, i * p.length));
  return out;
}
