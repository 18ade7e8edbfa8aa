// Toy-data plots: generated vs real points (2D scatter with mode centres), or overlaid histograms for 1D data.
import { blankImage, box, COLORS, dot, type Image, label, line, scale, text } from './canvas.js';

/** Points to plot: `dim` is 1 or 2; arrays are [n, dim] row-major. */
export interface ScatterInput {
  dim: number;
  real: Float32Array;
  generated: Float32Array;
  /** Mode centres (2D: drawn as crosses; 1D: ignored). */
  centers?: number[][];
  title?: string;
}

const SIZE = 480, MARGIN = 30;

/** A 480x480 PNG: real points grey, generated points blue, mode centres red; 1D data as two histograms. */
export async function scatterPlot(input: ScatterInput): Promise<Image> {
  const image = blankImage(SIZE, SIZE);
  if (input.dim === 1) await histogram1d(image, input.real, input.generated);
  else await scatter2d(image, input);
  await text(image, MARGIN, 6, `${input.title ? `${input.title}   ` : ''}grey: real   blue: generated`);
  return image;
}

function extent(values: Float32Array[], stride: number, offset: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) for (let i = offset; i < v.length; i += stride) {
    const x = v[i]!;
    if (Number.isFinite(x)) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  }
  if (!Number.isFinite(lo)) return [-1, 1];
  const padding = 0.05 * (hi - lo || 1);
  return [lo - padding, hi + padding];
}

async function scatter2d(image: Image, input: ScatterInput): Promise<void> {
  const [x0, x1] = extent([input.real], 2, 0), [y0, y1] = extent([input.real], 2, 1);
  // A square view holding the real data, so generated points far away are clipped rather than squashing the modes.
  const half = Math.max(x1 - x0, y1 - y0) * 0.65, cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const sx = scale(cx - half, cx + half, MARGIN, SIZE - MARGIN), sy = scale(cy - half, cy + half, SIZE - MARGIN, MARGIN);
  box(image, MARGIN, MARGIN, SIZE - MARGIN, SIZE - MARGIN, COLORS.black);
  for (let i = 0; i + 1 < input.real.length; i += 2) dot(image, sx(input.real[i]!), sy(input.real[i + 1]!), 1, COLORS.grey);
  for (let i = 0; i + 1 < input.generated.length; i += 2) dot(image, sx(input.generated[i]!), sy(input.generated[i + 1]!), 1, COLORS.blue, 0.6);
  for (const [x, y] of input.centers ?? []) {
    if (x === undefined || y === undefined) continue;
    line(image, sx(x) - 4, sy(y), sx(x) + 4, sy(y), COLORS.red);
    line(image, sx(x), sy(y) - 4, sx(x), sy(y) + 4, COLORS.red);
  }
  await text(image, MARGIN, SIZE - MARGIN + 4, `x ${label(cx - half)} .. ${label(cx + half)}`);
}

async function histogram1d(image: Image, real: Float32Array, generated: Float32Array): Promise<void> {
  const [lo, hi] = extent([real, generated], 1, 0);
  const bins = 60;
  const count = (v: Float32Array) => {
    const h = new Array<number>(bins).fill(0);
    for (const x of v) if (Number.isFinite(x)) h[Math.min(bins - 1, Math.max(0, Math.floor(((x - lo) / (hi - lo)) * bins)))]! += 1 / v.length;
    return h;
  };
  const hr = count(real), hg = count(generated);
  const top = Math.max(...hr, ...hg, 1e-9);
  const sx = scale(0, bins, MARGIN, SIZE - MARGIN), sy = scale(0, top, SIZE - MARGIN, MARGIN + 10);
  box(image, MARGIN, MARGIN, SIZE - MARGIN, SIZE - MARGIN, COLORS.black);
  for (let b = 0; b < bins; b++) {
    for (let x = Math.ceil(sx(b)); x < sx(b + 1); x++) {
      line(image, x, sy(0), x, sy(hr[b]!), COLORS.grey);
    }
    // The generated histogram as a step outline (2 px thick) over the real one's grey bars.
    for (const dy of [0, 1]) {
      line(image, sx(b), sy(hg[b]!) + dy, sx(b + 1), sy(hg[b]!) + dy, COLORS.blue);
      if (b > 0) line(image, sx(b) + dy, sy(hg[b - 1]!), sx(b) + dy, sy(hg[b]!), COLORS.blue);
    }
  }
  await text(image, MARGIN, SIZE - MARGIN + 4, `x ${label(lo)} .. ${label(hi)}`);
}
