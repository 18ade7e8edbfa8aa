// The loss-curve plot written at the end of a run: D and G losses against the step.
import { blankImage, box, COLORS, type Image, label, line, scale, text, type Rgb } from './canvas.js';

/** One named series of (step, value) points. */
export interface Series {
  name: string;
  steps: number[];
  values: number[];
}

const W = 640, H = 360, MARGIN = 40;
const PALETTE: Rgb[] = [COLORS.blue, COLORS.orange, COLORS.green, COLORS.red];

/** A 640x360 PNG with one coloured polyline per series and a legend; non-finite values are skipped. */
export async function lossCurves(series: Series[], title = 'losses'): Promise<Image> {
  const image = blankImage(W, H);
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  const steps = series.flatMap((s) => s.steps);
  const v0 = finite.length ? Math.min(...finite) : 0, v1 = finite.length ? Math.max(...finite) : 1;
  const s0 = steps.length ? Math.min(...steps) : 0, s1 = steps.length ? Math.max(...steps) : 1;
  const sx = scale(s0, s1, MARGIN, W - MARGIN), sy = scale(v0, v1, H - MARGIN, MARGIN);
  box(image, MARGIN, MARGIN, W - MARGIN, H - MARGIN, COLORS.black);
  if (v0 < 0 && v1 > 0) line(image, MARGIN, sy(0), W - MARGIN, sy(0), COLORS.grey);
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    let prev: [number, number] | null = null;
    for (let i = 0; i < s.steps.length; i++) {
      const v = s.values[i]!;
      if (!Number.isFinite(v)) { prev = null; continue; }
      const p: [number, number] = [sx(s.steps[i]!), sy(v)];
      if (prev) line(image, prev[0], prev[1], p[0], p[1], color);
      prev = p;
    }
  });
  await text(image, MARGIN, 8, `${title}: ${series.map((s, k) => `${s.name} (${['blue', 'orange', 'green', 'red'][k % 4]})`).join(', ')}`);
  await text(image, 2, MARGIN - 4, label(v1));
  await text(image, 2, H - MARGIN - 8, label(v0));
  await text(image, MARGIN, H - MARGIN + 6, `step ${label(s0)}`);
  await text(image, W - MARGIN - 60, H - MARGIN + 6, `step ${label(s1)}`);
  return image;
}
