// A small raster canvas over a jimp bitmap: points, lines, boxes and text in data coordinates, saved as PNG.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../io/files.js';
import { Jimp, loadFont } from 'jimp';
import { SANS_10_BLACK } from 'jimp/fonts';

/** An RGB colour as [r, g, b] in 0..255. */
export type Rgb = readonly [number, number, number];

export const COLORS = {
  black: [0, 0, 0],
  grey: [190, 190, 190],
  blue: [31, 119, 180],
  orange: [255, 127, 14],
  green: [44, 160, 44],
  red: [214, 39, 40],
} as const satisfies Record<string, Rgb>;

export type Image = InstanceType<typeof Jimp>;

/** A blank image, filled with `fill` (default white). */
export function blankImage(width: number, height: number, fill: Rgb = [255, 255, 255]): Image {
  const image = new Jimp({ width, height, color: 0xffffffff });
  if (fill[0] !== 255 || fill[1] !== 255 || fill[2] !== 255) {
    const d = image.bitmap.data;
    for (let i = 0; i < d.length; i += 4) { d[i] = fill[0]; d[i + 1] = fill[1]; d[i + 2] = fill[2]; }
  }
  return image;
}

/** Sets one pixel (ignored outside the image). */
export function setPixel(image: Image, x: number, y: number, color: Rgb, alpha = 1): void {
  const { width, height, data } = image.bitmap;
  x = Math.round(x); y = Math.round(y);
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  const i = (y * width + x) * 4;
  for (let c = 0; c < 3; c++) data[i + c] = Math.round((1 - alpha) * data[i + c]! + alpha * color[c]!);
  data[i + 3] = 255;
}

/** A filled square of side 2r+1 centred on (x, y). */
export function dot(image: Image, x: number, y: number, r: number, color: Rgb, alpha = 1): void {
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) setPixel(image, x + dx, y + dy, color, alpha);
}

/** A one-pixel line (DDA). */
export function line(image: Image, x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
  const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let i = 0; i <= n; i++) setPixel(image, x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * i) / n, color);
}

/** Axis-aligned rectangle outline. */
export function box(image: Image, x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
  line(image, x0, y0, x1, y0, color); line(image, x1, y0, x1, y1, color);
  line(image, x1, y1, x0, y1, color); line(image, x0, y1, x0, y0, color);
}

let font: Awaited<ReturnType<typeof loadFont>> | null = null;

/** Prints black text with its top-left corner at (x, y) (the 10 px Open Sans bundled with jimp). */
export async function text(image: Image, x: number, y: number, value: string): Promise<void> {
  font ??= await loadFont(SANS_10_BLACK);
  image.print({ font, x: Math.round(x), y: Math.round(y), text: value });
}

/** A linear map from a data interval onto a pixel interval. */
export function scale(d0: number, d1: number, p0: number, p1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => p0 + ((v - d0) / span) * (p1 - p0);
}

/** Encodes the image as PNG bytes. */
export async function pngBytes(image: Image): Promise<Buffer> {
  return image.getBuffer('image/png');
}

/** Writes the image as a PNG file (creating its folder). */
export async function writePng(image: Image, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, await pngBytes(image)); // never a truncated PNG in place of a good one
}

/** A compact number label: 3 significant digits. */
export function label(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(3)).toString();
}
