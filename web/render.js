// Drawing on canvases: generator images as a tiled grid, and the toy view's heat map and point clouds.

/**
 * Draws n images (values [n * h * w * c] in [-1, 1], c = 1 or 3) as a grid of `cols` columns with 1-pixel gaps, at
 * native resolution; CSS scales the canvas by `zoom` with pixelated rendering.
 */
export function drawImages(canvas, values, [h, w, c], cols, zoom = 4) {
  const n = values.length / (h * w * c);
  const rows = Math.ceil(n / cols);
  canvas.width = cols * (w + 1) - 1;
  canvas.height = rows * (h + 1) - 1;
  canvas.style.width = `${canvas.width * zoom}px`;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(canvas.width, canvas.height);
  const byte = (v) => Math.round(Math.min(1, Math.max(0, (v + 1) / 2)) * 255);
  for (let i = 0; i < n; i++) {
    const x0 = (i % cols) * (w + 1), y0 = Math.floor(i / cols) * (h + 1);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = ((i * h + y) * w + x) * c, dst = ((y0 + y) * canvas.width + x0 + x) * 4;
        for (let k = 0; k < 3; k++) image.data[dst + k] = byte(values[src + (c === 3 ? k : 0)]);
        image.data[dst + 3] = 255;
      }
    }
  }
  ctx.putImageData(image, 0, 0);
}

/** The data-space square a toy dataset's points live in: its centres, padded by 1 + 4 std. */
export function toyBounds(toy) {
  const all = toy.centers.flat();
  const pad = 1 + 4 * toy.std;
  return { min: Math.min(...all) - pad, max: Math.max(...all) + pad };
}

/** Maps data coordinates (y up; 1-D data spread along x, y given) to the canvas. */
export function toCanvas(canvas, { min, max }) {
  const scale = (v) => (v - min) / (max - min);
  return (x, y) => [scale(x) * canvas.width, (1 - scale(y)) * canvas.height];
}

const STOPS = [[255, 255, 255], [254, 217, 118], [240, 59, 32]];

/** A colour for t in [0, 1]: white, yellow, red. */
function heatColor(t) {
  const u = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u)), f = u - i;
  return STOPS[i].map((a, k) => Math.round(a + f * (STOPS[i + 1][k] - a)));
}

/** Fills the canvas with an n x n grid of values in [0, 1] (row 0 at the top). */
export function drawHeat(canvas, values, n) {
  const ctx = canvas.getContext('2d');
  const cw = canvas.width / n, ch = canvas.height / n;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      ctx.fillStyle = `rgb(${heatColor(values[r * n + c]).join(',')})`;
      ctx.fillRect(Math.floor(c * cw), Math.floor(r * ch), Math.ceil(cw), Math.ceil(ch));
    }
  }
}

/** Draws points [n * dim] (dim 2; dim 1 gets y from `jitter`) as dots. */
export function drawPoints(canvas, points, dim, place, color, radius = 2, jitter = () => 0) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = color;
  for (let i = 0; i < points.length / dim; i++) {
    const [x, y] = place(points[i * dim], dim === 2 ? points[i * dim + 1] : jitter(i));
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fill();
  }
}
