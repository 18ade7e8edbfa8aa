// Toy-data metrics: 1D moments and Kolmogorov-Smirnov; for mixtures the VEEGAN (Srivastava et al. 2017) /
// PacGAN (Lin et al. 2018) protocol: high-quality samples, modes covered, reverse KL to the uniform mode histogram.
import type { ToyDataset } from '../data/toy.js';
import { ShapeError } from '../errors.js';

/** Metrics of 1D samples against a target N(mean, std). */
export interface Gaussian1dMetrics {
  mean: number;
  std: number;
  /** sup_x |F_n(x) - Phi((x - mean) / std)|. */
  ks: number;
}

/** Standard normal CDF via erfc (Numerical Recipes' erfc approximation, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** One-sample Kolmogorov-Smirnov statistic of `samples` against the CDF `cdf`. */
export function ksStatistic(samples: ArrayLike<number>, cdf: (x: number) => number): number {
  const x = Float64Array.from(samples).sort();
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** Mean, std (population) and KS statistic of 1D samples against N(targetMean, targetStd). */
export function gaussian1dMetrics(samples: ArrayLike<number>, targetMean: number, targetStd: number): Gaussian1dMetrics {
  const n = samples.length;
  if (n === 0) throw new ShapeError('gaussian1dMetrics: expected at least one sample but got 0');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += samples[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (samples[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(ss / n), ks: ksStatistic(samples, (x) => normalCdf((x - targetMean) / targetStd)) };
}

/** Mode metrics of 2D samples on a mixture (ring-8, grid-25). */
export interface MixtureMetrics {
  samples: number;
  numModes: number;
  /** Modes that are the nearest mode of >= 1 high-quality sample (VEEGAN/PacGAN). */
  modesCovered: number;
  /** Modes holding >= 20% of their fair share (highQuality / numModes) of the high-quality samples. */
  modesCoveredStrict: number;
  /** Percentage of samples within 3 std of their nearest mode centre. */
  highQualityPercent: number;
  /** KL(generated mode histogram || uniform) in nats over high-quality samples; 0 is perfect balance, log(K) a single mode. */
  reverseKl: number;
  /** High-quality sample count per mode. */
  modeCounts: number[];
  /**
   * Root-mean-square distance of the high-quality samples to their mode centre, over what real points within the same
   * 3 std have (truncatedSquaredRadius): 1 for the real mixture, below 1 for clusters narrower than the modes (a
   * generator that draws each mode as a point scores near 0 and is still all high quality). NaN with no high-quality sample.
   */
  spread: number;
}

/** Fraction of its fair share a mode must hold to count as covered in the strict sense. */
export const STRICT_SHARE = 0.2;
/** A sample within this many standard deviations of its nearest centre is high quality. */
export const HIGH_QUALITY_STDS = 3;

/**
 * E[|x|^2 / std^2 | |x| <= r std] for x ~ N(0, std^2 I) in `dim` dimensions: a chi-square of `dim` degrees of freedom
 * truncated at r^2. With s = dim / 2 and t = r^2 / 2 it is 2 gamma(s+1, t) / gamma(s, t) (lower incomplete gammas), and
 * with gamma(s, t) = t^s e^-t S(s), S(s) = sum_n t^n / (s (s+1) ... (s+n)), it is 2 t S(s+1) / S(s).
 * For dim 2, r 3: 2 - 9 e^-4.5 / (1 - e^-4.5) = 1.899.
 */
export function truncatedSquaredRadius(dim: number, r: number): number {
  const t = (r * r) / 2;
  if (t > 300 + dim) return dim; // the truncation removes less than e^-300 of the mass (and the series would overflow)
  const series = (s: number) => {
    let term = 1 / s, sum = term;
    for (let n = 1; term > 1e-17 * sum; n++) { term *= t / (s + n); sum += term; }
    return sum;
  };
  return (2 * t * series(dim / 2 + 1)) / series(dim / 2);
}

/**
 * Scores `points` ([n, dim] row-major) against the modes of `dataset`. The protocol uses n = 2,500.
 * The mode histogram for reverse KL counts high-quality samples (as PacGAN's code does); with none, it is +Infinity.
 */
export function mixtureMetrics(points: ArrayLike<number>, dataset: Pick<ToyDataset, 'dim' | 'centers' | 'std'>): MixtureMetrics {
  const { dim, centers, std } = dataset;
  if (points.length % dim !== 0) throw new ShapeError(`mixtureMetrics: expected [n, ${dim}] points but got ${points.length} numbers`);
  const n = points.length / dim;
  const k = centers.length;
  const counts = new Array<number>(k).fill(0);
  const radius2 = (HIGH_QUALITY_STDS * std) ** 2;
  let highQuality = 0, squaredRadii = 0;
  for (let i = 0; i < n; i++) {
    let best = -1, bestD2 = Infinity;
    for (let m = 0; m < k; m++) {
      const c = centers[m]!;
      let d2 = 0;
      for (let d = 0; d < dim; d++) d2 += (points[i * dim + d]! - c[d]!) ** 2;
      if (d2 < bestD2) { bestD2 = d2; best = m; }
    }
    if (bestD2 <= radius2) {
      highQuality++;
      counts[best]!++;
      squaredRadii += bestD2 / (std * std);
    }
  }
  const fair = highQuality / k;
  let kl = highQuality === 0 ? Infinity : 0;
  if (highQuality > 0) {
    for (const c of counts) if (c > 0) { const p = c / highQuality; kl += p * Math.log(p * k); }
  }
  return {
    samples: n,
    numModes: k,
    modesCovered: counts.filter((c) => c > 0).length,
    modesCoveredStrict: highQuality === 0 ? 0 : counts.filter((c) => c >= STRICT_SHARE * fair).length,
    highQualityPercent: n === 0 ? 0 : (100 * highQuality) / n,
    reverseKl: kl,
    modeCounts: counts,
    spread: highQuality === 0 ? NaN : Math.sqrt(squaredRadii / highQuality / truncatedSquaredRadius(dim, HIGH_QUALITY_STDS)),
  };
}
