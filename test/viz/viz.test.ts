import { describe, expect, it } from 'vitest';
import { Jimp } from 'jimp';
import { imageGrid } from '../../src/viz/image_grid.js';
import { pngBytes } from '../../src/viz/canvas.js';
import { scatterPlot } from '../../src/viz/scatter.js';
import { lossCurves } from '../../src/viz/curves.js';
import { ShapeError } from '../../src/errors.js';

describe('plots', () => {
  it('tiles images row by row with padding, mapping -1 to black and 1 to white', async () => {
    // 6 images of 2x3 pixels; image i is filled with the value -1 + 0.4 i.
    const count = 6, h = 2, w = 3;
    const pixels = new Float32Array(count * h * w);
    for (let i = 0; i < count; i++) pixels.fill(-1 + 0.4 * i, i * h * w, (i + 1) * h * w);
    const grid = imageGrid({ pixels, count, height: h, width: w, channels: 1 }, 2, 3, { pad: 1, zoom: 2 });
    expect([grid.bitmap.width, grid.bitmap.height]).toEqual([3 * (3 * 2 + 1) + 1, 2 * (2 * 2 + 1) + 1]);
    const at = (x: number, y: number) => grid.bitmap.data[(y * grid.bitmap.width + x) * 4]!;
    expect(at(1, 1)).toBe(0); // image 0 (value -1), top-left tile
    expect(at(1 + 2 * 7, 1)).toBe(Math.round((-0.2 + 1) * 127.5)); // image 2 (value -0.2), third tile of row 1
    expect(at(1, 1 + 5)).toBe(Math.round((-1 + 0.4 * 3 + 1) * 127.5)); // image 3 starts row 2
    expect(at(0, 0)).toBe(128); // padding is grey
    const png = await pngBytes(grid);
    const back = await Jimp.read(png);
    expect([back.bitmap.width, back.bitmap.height]).toEqual([22, 11]);
  });

  it('refuses a batch whose size does not match its shape', () => {
    expect(() => imageGrid({ pixels: new Float32Array(5), count: 1, height: 2, width: 3, channels: 1 }, 1, 1))
      .toThrow(new ShapeError('imageGrid: expected 6 values for [1, 2, 3, 1] but got 5'));
  });

  it('draws 2D scatter plots, 1D histograms and loss curves as PNGs of fixed size', async () => {
    const real = new Float32Array([0, 0, 1, 1, -1, 0.5]);
    const generated = new Float32Array([0.1, 0.1, Number.NaN, 2]);
    const scatter = await scatterPlot({ dim: 2, real, generated, centers: [[0, 0]] });
    expect([scatter.bitmap.width, scatter.bitmap.height]).toEqual([480, 480]);
    const hist = await scatterPlot({ dim: 1, real, generated });
    expect(hist.bitmap.width).toBe(480);
    const curves = await lossCurves([{ name: 'D', steps: [1, 2, 3], values: [1, 0.5, Number.POSITIVE_INFINITY] }, { name: 'G', steps: [1, 2, 3], values: [0, 1, 2] }]);
    expect([curves.bitmap.width, curves.bitmap.height]).toEqual([640, 360]);
    // some pixel is blue (the D series) and some is orange (the G series)
    const d = curves.bitmap.data;
    let blue = false, orange = false;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] === 31 && d[i + 1] === 119 && d[i + 2] === 180) blue = true;
      if (d[i] === 255 && d[i + 1] === 127 && d[i + 2] === 14) orange = true;
    }
    expect(blue && orange).toBe(true);
  });
});
