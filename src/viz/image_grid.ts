// Sample grids: a batch of images [n, h, w, c] in [-1, 1] tiled into rows x cols on a PNG.
import { ShapeError } from '../errors.js';
import { blankImage, type Image, setPixel } from './canvas.js';

/** Images to tile: `pixels` is [count, height, width, channels] row-major, values in [-1, 1] (clipped). */
export interface ImageBatch {
  pixels: Float32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/**
 * Tiles `rows * cols` images (row-major order: image i goes to row floor(i / cols)) with `pad` pixels of grey
 * between tiles, scaled by an integer `zoom`. Grid size: cols * (width * zoom + pad) + pad wide, likewise high.
 */
export function imageGrid(batch: ImageBatch, rows: number, cols: number, options: { pad?: number; zoom?: number } = {}): Image {
  const { pixels, count, height, width, channels } = batch;
  if (channels !== 1 && channels !== 3) throw new ShapeError(`imageGrid: expected 1 or 3 channels but got ${channels}`);
  if (pixels.length !== count * height * width * channels) {
    throw new ShapeError(`imageGrid: expected ${count * height * width * channels} values for [${count}, ${height}, ${width}, ${channels}] but got ${pixels.length}`);
  }
  if (count < rows * cols) throw new ShapeError(`imageGrid: ${rows}x${cols} grid needs ${rows * cols} images but got ${count}`);
  const pad = options.pad ?? 2, zoom = options.zoom ?? 1;
  const tileW = width * zoom + pad, tileH = height * zoom + pad;
  const image = blankImage(cols * tileW + pad, rows * tileH + pad, [128, 128, 128]);
  const toByte = (v: number) => Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);
  for (let i = 0; i < rows * cols; i++) {
    const x0 = pad + (i % cols) * tileW, y0 = pad + Math.floor(i / cols) * tileH;
    for (let y = 0; y < height * zoom; y++) {
      for (let x = 0; x < width * zoom; x++) {
        const base = ((i * height + Math.floor(y / zoom)) * width + Math.floor(x / zoom)) * channels;
        const r = toByte(pixels[base]!);
        const color = channels === 1 ? [r, r, r] as const : [r, toByte(pixels[base + 1]!), toByte(pixels[base + 2]!)] as const;
        setPixel(image, x0 + x, y0 + y, color);
      }
    }
  }
  return image;
}
