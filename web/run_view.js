// One run's column: progress (step, steps/s, ETA), config, loss / throughput / evaluation charts and the sample
// grids with a step scrubber, all following the run's live feed.
import { h, stepName } from './dom.js';
import { LineChart } from './charts.js';
import { openFeed } from './feed.js';
import { duration, GRADIENT_NORMS, numericKeys, progress } from './metrics.js';

/** Mounts the view of run `run` ({id, name}) in `parent`; returns a function that closes its feed. */
export function mountRunView(parent, run) {
  const status = h('p', { className: 'progress' }, 'waiting for metrics.jsonl ...');
  const config = h('pre');
  const charts = h('div', { className: 'charts' });
  const evalCharts = h('div', { className: 'charts' }, h('p', { className: 'note' }, 'none logged yet (gan train --eval-every N)'));
  const image = h('img', { alt: 'sample grid' });
  const caption = h('figcaption');
  const scrubber = h('input', { type: 'range', min: 0, max: 0, value: 0 });
  const samples = h('figure', { className: 'samples' }, image, scrubber, caption);
  parent.append(h('section', { className: 'run', 'data-run': run.id },
    h('h2', {}, run.name, ' ', h('a', { href: `#/play?run=${run.id}` }, 'playground'), ' ', h('a', { href: `#/toy?run=${run.id}` }, 'toy view')),
    status, h('details', {}, h('summary', {}, 'config'), config), charts, h('h3', {}, 'evaluation'), evalCharts, h('h3', {}, 'samples'), samples));

  const losses = new LineChart(charts, 'losses', (rows) => numericKeys(rows));
  losses.el.classList.add('losses');
  const gradients = new LineChart(charts, 'gradient norms', (rows) => GRADIENT_NORMS.filter((k) => rows.some((r) => k in r)));
  const throughput = new LineChart(charts, 'images / s', () => ['imagesPerSecond']);
  const evals = new Map();
  let state = null;
  let following = true; // the scrubber stays on the newest grid until moved back

  const showSample = () => {
    const step = state.samples[Number(scrubber.value)];
    image.hidden = scrubber.hidden = step === undefined;
    if (step === undefined) return void (caption.textContent = 'no sample grids yet');
    image.src = `runs/${run.id}/samples/${stepName(step)}.png`;
    caption.textContent = `step ${step} (${Number(scrubber.value) + 1} of ${state.samples.length})`;
  };
  scrubber.oninput = () => {
    following = Number(scrubber.value) === state.samples.length - 1;
    showSample();
  };

  return openFeed(run.id, (next, what) => {
    state = next;
    if (what !== 'files') {
      config.textContent = JSON.stringify(state.config, null, 2);
      const p = progress(state.train, state.config);
      status.textContent = `step ${p.step}${p.total ? ` / ${p.total}` : ''} · ${p.stepsPerSecond ? p.stepsPerSecond.toFixed(1) : '-'} steps/s · `
        + (p.total !== null && p.step >= p.total ? 'done' : `ETA ${duration(p.etaSeconds)}`);
      losses.update(state.train);
      gradients.update(state.train);
      throughput.update(state.train);
      for (const key of numericKeys(state.evals, new Set(['step', 'samples']))) {
        if (evals.size === 0) evalCharts.replaceChildren();
        if (!evals.has(key)) evals.set(key, new LineChart(evalCharts, key, () => [key]));
        evals.get(key).update(state.evals);
      }
    }
    scrubber.max = String(Math.max(0, state.samples.length - 1));
    if (following) scrubber.value = scrubber.max;
    showSample();
  });
}
