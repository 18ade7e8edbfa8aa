// The page of `gan serve`: three views chosen by the URL hash.
//   #/runs?show=0,1          runs side by side (default: the first four)
//   #/play?run=0&ckpt=PATH   the generator playground for a checkpoint (default: the newest)
//   #/toy?run=0              a toy run's points over D's heat map, checkpoint by checkpoint
import { h } from './dom.js';
import { openFeed } from './feed.js';
import { mountPlayground } from './playground.js';
import { mountRunView } from './run_view.js';
import { mountToyView } from './toy_view.js';

const runs = await (await fetch('api/runs')).json();
const main = document.getElementById('main');
let closers = [];

/** A select of the runs, navigating to `view` for the chosen one. */
function runPicker(view, current) {
  const select = h('select', {}, ...runs.map((r) => h('option', { value: r.id, selected: r.id === current }, r.name)));
  select.onchange = () => (location.hash = `#/${view}?run=${select.value}`);
  return h('label', {}, 'run ', select);
}

/** Runs shown side by side at most: each holds an event stream open, and a browser allows six connections per host. */
const MAX_COLUMNS = 4;

function showRuns(params) {
  const shown = (params.get('show')?.split(',').map(Number) ?? runs.map((r) => r.id)).slice(0, MAX_COLUMNS);
  const toggles = runs.map((r) => {
    const box = h('input', { type: 'checkbox', checked: shown.includes(r.id) });
    box.onchange = () => (location.hash = `#/runs?show=${runs.filter((_, i) => toggles[i].firstChild.checked).map((x) => x.id).join(',')}`);
    return h('label', { className: 'toggle' }, box, ` ${r.name}`);
  });
  const columns = h('div', { className: 'columns' });
  main.append(h('div', { className: 'toolbar' }, ...toggles), columns);
  for (const run of runs.filter((r) => shown.includes(r.id))) closers.push(mountRunView(columns, run));
}

function showPlayground(params) {
  const run = runs[Number(params.get('run') ?? 0)];
  const select = h('select');
  const slot = h('div');
  main.append(h('div', { className: 'toolbar' }, runPicker('play', run.id), h('label', {}, ' checkpoint ', select)), slot);
  let mounted = null;
  select.onchange = () => (location.hash = `#/play?run=${run.id}&ckpt=${encodeURIComponent(select.value)}`);
  closers.push(openFeed(run.id, async (state) => {
    const wanted = params.get('ckpt') ?? state.checkpoints.at(-1)?.path;
    select.replaceChildren(...[...state.checkpoints].reverse().map((c) => h('option', { value: c.path, selected: c.path === wanted }, `step ${c.step}`)));
    const checkpoint = state.checkpoints.find((c) => c.path === wanted);
    if (!checkpoint) return void slot.replaceChildren(h('p', { className: 'note' }, wanted ? `${wanted} is gone` : 'no checkpoint yet'));
    if (mounted) return;
    mounted = checkpoint.path;
    slot.replaceChildren();
    const net = checkpoint.networks.includes('ema-generator') ? 'ema-generator' : 'generator';
    closers.push(await mountPlayground(slot, {
      modelUrl: `runs/${run.id}/${checkpoint.path}/${net}/model.json`,
      title: `${run.name}, step ${checkpoint.step} (${net})`,
      toy: await (await fetch(`api/runs/${run.id}/toy`)).json(),
    }));
  }));
}

async function showToy(params) {
  const run = runs[Number(params.get('run') ?? 0)];
  main.append(h('div', { className: 'toolbar' }, runPicker('toy', run.id)));
  closers.push(await mountToyView(main, run));
}

async function route() {
  for (const close of closers) close();
  closers = [];
  main.replaceChildren();
  const [view, query] = location.hash.slice(2).split('?');
  const params = new URLSearchParams(query ?? '');
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('href').startsWith(`#/${view || 'runs'}`));
  if (runs.length === 0) return void main.append(h('p', {}, 'no runs'));
  try {
    if (view === 'play') showPlayground(params);
    else if (view === 'toy') await showToy(params);
    else showRuns(params);
  } catch (e) {
    main.append(h('p', { className: 'error' }, String(e?.message ?? e)));
    throw e;
  }
}

window.addEventListener('hashchange', route);
route();
