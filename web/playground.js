// The generator playground: a checkpoint's generator running in the page. Pick a class (conditional generators),
// a seed, the truncation and the first latent components; walk the great circle between two latent points.
// Images show the current z large and, beside it, the same z for every class (or the next seeds); a toy
// generator shows its points over the real ones, the current z in red. window.__gan is the tests' hook.
import { h } from './dom.js';
import { generate, loadGenerator } from './generator.js';
import { latent, slerp, stack } from './latent.js';
import { drawImages, drawPoints, toCanvas, toyBounds } from './render.js';
import { startBackend } from './tf.js';

const SLIDERS = 8;
const TRUNCATION_OFF = 3.2;

/** A range input with a live label. */
function slider(label, min, max, step, value, format = (v) => v.toFixed(2)) {
  const input = h('input', { type: 'range', min, max, step, value });
  const shown = h('output', {}, format(Number(value)));
  const show = () => (shown.textContent = format(Number(input.value)));
  input.addEventListener('input', show);
  /** Moves the slider without an input event. */
  const set = (v) => { input.value = String(v); show(); };
  return { input, set, row: h('label', { className: 'slider' }, h('span', {}, label), input, shown) };
}

/**
 * Mounts the playground for the generator at `modelUrl` in `parent`. `toy` is the run's real distribution
 * ({dim, centers, std, points}) or null. Resolves once the first samples are drawn; returns a stop function.
 */
export async function mountPlayground(parent, { modelUrl, title, toy = null }) {
  const backend = await startBackend();
  const g = await loadGenerator(modelUrl);
  const isImage = g.outputShape.length === 3;
  const main = h('canvas', { className: isImage ? 'pixelated' : 'scatter', width: 480, height: 480 });
  const strip = h('canvas', { className: 'pixelated' });
  const classPicker = g.numClasses === null ? null
    : h('select', {}, ...Array.from({ length: g.numClasses }, (_, c) => h('option', { value: c }, `class ${c}`)));
  const seed = h('input', { type: 'number', min: 0, value: 0, className: 'seed' });
  const truncation = slider('truncation', 0.2, TRUNCATION_OFF, 0.2, TRUNCATION_OFF, (v) => (v >= TRUNCATION_OFF ? 'off' : v.toFixed(1)));
  const dims = Array.from({ length: Math.min(SLIDERS, g.latentDim) }, (_, i) => slider(`z[${i}]`, -3, 3, 0.01, 0));
  const walk = h('button', {}, 'walk');
  const random = h('button', {}, 'random seed');
  const root = h('section', { className: 'playground' },
    h('h2', {}, title), h('p', { className: 'note' }, `${g.latentDim}-d latent, ${g.numClasses ? `${g.numClasses} classes, ` : ''}output ${g.outputShape.join('x')}, backend ${backend}`),
    h('div', { className: 'play' },
      h('div', { className: 'controls' },
        classPicker && h('label', {}, 'class ', classPicker), h('label', {}, 'seed ', seed, ' ', random), truncation.row,
        ...dims.map((d) => d.row), walk),
      h('div', {}, main, isImage ? h('p', { className: 'note' }, g.numClasses ? 'this z, every class' : 'the next 8 seeds') : null, isImage ? strip : null)));
  parent.append(root);

  const truncationValue = () => (Number(truncation.input.value) >= TRUNCATION_OFF ? null : Number(truncation.input.value));
  const zOf = (s) => latent(s, g.latentDim, truncationValue());
  let z = zOf(0);
  const label = () => (classPicker ? Number(classPicker.value) : 0);
  const cloud = isImage ? null : await generate(g, stack(500, (i) => zOf(1000 + i)), null);

  const draw = async () => {
    if (isImage) {
      drawImages(main, await generate(g, z, g.numClasses ? Int32Array.of(label()) : null), g.outputShape, 1, 12);
      const n = g.numClasses ?? 8;
      const zs = g.numClasses ? stack(n, () => z) : stack(n, (i) => zOf(Number(seed.value) + 1 + i));
      drawImages(strip, await generate(g, zs, g.numClasses ? Int32Array.from({ length: n }, (_, c) => c) : null), g.outputShape, n, 3);
    } else {
      const ctx = main.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, main.width, main.height);
      const bounds = toy ? toyBounds(toy) : { min: -4, max: 4 };
      const place = toCanvas(main, bounds);
      const jitter = (i) => (bounds.min + bounds.max) / 2 + (((i * 0.618) % 1) - 0.5) * 0.3 * (bounds.max - bounds.min);
      if (toy) drawPoints(main, toy.points, toy.dim, place, 'rgba(90,90,90,0.35)', 2, jitter);
      drawPoints(main, cloud, g.outputShape[0], place, 'rgba(31,119,180,0.6)', 2, jitter);
      drawPoints(main, await generate(g, z, null), g.outputShape[0], place, '#d62728', 6, () => (bounds.min + bounds.max) / 2);
    }
  };
  // One draw at a time; inputs that arrive meanwhile are folded into one more draw.
  let busy = null, again = false;
  const redraw = async () => {
    if (busy) return void (again = true);
    busy = draw();
    await busy;
    busy = null;
    if (again) {
      again = false;
      await redraw();
    }
  };
  const showZ = () => dims.forEach((d, i) => d.set(z[i]));
  const reseed = () => { z = zOf(Number(seed.value)); showZ(); redraw(); };
  seed.addEventListener('input', reseed);
  truncation.input.addEventListener('input', reseed);
  random.onclick = () => { seed.value = String(Math.floor(Math.random() * 1e6)); reseed(); };
  classPicker?.addEventListener('input', redraw);
  dims.forEach((d, i) => d.input.addEventListener('input', () => { z[i] = Number(d.input.value); redraw(); }));

  // The walk: from the current seed's z to the next seed's and back, one full cycle every 4 s.
  let walking = null;
  walk.onclick = () => {
    if (walking) return stopWalk();
    const a = zOf(Number(seed.value)), b = zOf(Number(seed.value) + 1), t0 = performance.now();
    walk.textContent = 'stop';
    const frame = async () => {
      const t = (1 - Math.cos(((performance.now() - t0) / 4000) * 2 * Math.PI)) / 2;
      z = Float32Array.from(slerp(a, b, t));
      showZ();
      await redraw();
      if (walking) walking = requestAnimationFrame(frame);
    };
    walking = requestAnimationFrame(frame);
  };
  const stopWalk = () => { cancelAnimationFrame(walking); walking = null; walk.textContent = 'walk'; };

  showZ();
  await redraw();
  window.__gan = {
    backend, latentDim: g.latentDim, numClasses: g.numClasses, outputShape: g.outputShape,
    /** G's output for one latent vector (an array of latentDim numbers) and class; resolves to a plain array. */
    generate: async (zs, c = null) => Array.from(await generate(g, Float32Array.from(zs), c === null ? null : Int32Array.of(c))),
  };
  root.dataset.ready = 'true';
  return () => { stopWalk(); g.model.dispose(); };
}
