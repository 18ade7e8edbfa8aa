// The toy view: for a checkpoint of a toy run, the generated points over the real ones, with the discriminator's
// output over the plane as a heat map behind them. A scrubber steps through the checkpoints (newest by default) to
// watch modes being found, dropped and found again (mode hopping).
import { h } from './dom.js';
import { openFeed } from './feed.js';
import { generate, loadGenerator } from './generator.js';
import { latent, stack } from './latent.js';
import { drawHeat, drawPoints, toCanvas, toyBounds } from './render.js';
import { startBackend, tf } from './tf.js';
import './layers.js';

const GRID = 96;
const POINTS = 1000;

/**
 * D's output for points [n * dim]: one logit (or critic value) per point. A D conditioned on a one-hot label (a
 * self-conditioned run's clusters) gives, at each point, its largest output over the labels: each cluster's D where
 * that cluster is.
 */
async function discriminate(model, points, dim) {
  const n = points.length / dim;
  const labels = model.inputs.length === 2 ? model.inputs[1].shape[1] : 0;
  const y = tf.tidy(() => {
    const x = tf.tensor2d(points, [n, dim]);
    if (!labels) return model.predict(x);
    const outs = Array.from({ length: labels }, (_, k) => model.predict([x, tf.oneHot(tf.fill([n], k, 'int32'), labels).toFloat()]));
    return tf.max(tf.concat(outs, 1), 1);
  });
  try {
    return Array.from(await y.data());
  } finally {
    y.dispose();
  }
}

/**
 * The heat values in [0, 1]: D's raw output (a logit, or a critic value) scaled from its minimum over the plane to
 * its maximum, so the shape shows whatever the loss and however confident D is; the legend gives the range.
 */
function heat(outputs, labels) {
  const lo = Math.min(...outputs), hi = Math.max(...outputs);
  const what = labels ? `D's output, the largest over its ${labels} clusters` : "D's output";
  return { values: outputs.map((v) => (v - lo) / (hi - lo || 1)), legend: `${what}: white ${lo.toFixed(3)}, red ${hi.toFixed(3)}` };
}

/** Mounts the toy view of run `run` ({id, name}) in `parent`; returns a function that closes it. */
export async function mountToyView(parent, run) {
  const toy = await (await fetch(`api/runs/${run.id}/toy`)).json();
  if (!toy) {
    parent.append(h('p', { className: 'note' }, `${run.name} is not a toy run (its data is images): see its playground.`));
    return () => {};
  }
  const backend = await startBackend();
  const canvas = h('canvas', { className: 'scatter', width: 560, height: 560 });
  const scrubber = h('input', { type: 'range', min: 0, max: 0, value: 0 });
  const caption = h('p', { className: 'note' });
  const root = h('section', { className: 'toy' }, h('h2', {}, `${run.name}: generated (blue) and real (grey) points over D`),
    h('label', { className: 'slider' }, h('span', {}, 'checkpoint'), scrubber), caption, canvas);
  parent.append(root);

  const bounds = toyBounds(toy);
  const place = toCanvas(canvas, bounds);
  const mid = (bounds.min + bounds.max) / 2;
  const jitter = (i) => mid + (((i * 0.618) % 1) - 0.5) * 0.3 * (bounds.max - bounds.min);
  // The heat map's sample points, row 0 at the top: (x, y) at cell centres (1-D data: x only).
  const cell = (k) => bounds.min + ((k + 0.5) / GRID) * (bounds.max - bounds.min);
  const grid = toy.dim === 2
    ? Float32Array.from({ length: GRID * GRID * 2 }, (_, i) => (i % 2 === 0 ? cell(Math.floor(i / 2) % GRID) : cell(GRID - 1 - Math.floor(i / 2 / GRID))))
    : Float32Array.from({ length: GRID }, (_, k) => cell(k));

  let state = null, following = true, shown = null, loading = Promise.resolve(), discriminator = null;
  const show = (checkpoint) => {
    if (!checkpoint || shown === checkpoint.path) return;
    shown = checkpoint.path;
    loading = loading.then(() => draw(checkpoint)).catch((e) => (caption.textContent = `${checkpoint.path}: ${e.message} (deleted by keepCheckpoints?)`));
  };
  const draw = async (checkpoint) => {
    const base = `runs/${run.id}/${checkpoint.path}`;
    const net = checkpoint.networks.includes('ema-generator') ? 'ema-generator' : 'generator';
    const g = await loadGenerator(`${base}/${net}/model.json`);
    const d = await tf.loadLayersModel(`${base}/discriminator/model.json`);
    discriminator?.dispose();
    discriminator = d;
    try {
      const points = await generate(g, stack(POINTS, (i) => latent(1000 + i, g.latentDim)), null);
      const outputs = await discriminate(d, grid, toy.dim);
      const { values, legend } = heat(outputs, d.inputs.length === 2 ? d.inputs[1].shape[1] : 0);
      drawHeat(canvas, toy.dim === 2 ? values : Array.from({ length: GRID * GRID }, (_, i) => values[i % GRID]), GRID);
      drawPoints(canvas, toy.points, toy.dim, place, 'rgba(60,60,60,0.45)', 2, jitter);
      drawPoints(canvas, points, toy.dim, place, 'rgba(31,119,180,0.75)', 2, jitter);
      caption.textContent = `step ${checkpoint.step} (${net}, ${backend}); ${legend}`;
      window.__gan = { step: checkpoint.step, discriminate: (p) => discriminate(d, Float32Array.from(p), toy.dim) };
      root.dataset.step = String(checkpoint.step);
    } finally {
      g.model.dispose();
    }
  };
  scrubber.oninput = () => {
    following = Number(scrubber.value) === state.checkpoints.length - 1;
    show(state.checkpoints[Number(scrubber.value)]);
  };
  return openFeed(run.id, (next) => {
    state = next;
    scrubber.max = String(Math.max(0, state.checkpoints.length - 1));
    if (following) scrubber.value = scrubber.max;
    if (state.checkpoints.length === 0) caption.textContent = 'no checkpoint yet';
    show(state.checkpoints[Number(scrubber.value)]);
  });
}
