// A run's live state in the page, kept current by the server's event stream (api/runs/ID/events): its config,
// training and evaluation lines of metrics.jsonl, sample grid steps and checkpoints.
import { addLines } from './metrics.js';

/**
 * Opens the feed of run `id`; `onChange(state, what)` runs after each update ('snapshot', 'metrics' or 'files').
 * state: { config, train: [...lines], evals: [...lines], samples: [steps], checkpoints: [{path, step, networks}] }.
 * Returns a function that closes the feed.
 */
export function openFeed(id, onChange) {
  const state = { config: null, train: [], evals: [], samples: [], checkpoints: [] };
  const source = new EventSource(`api/runs/${id}/events`);
  source.addEventListener('snapshot', (e) => {
    const { config, metrics, samples, checkpoints } = JSON.parse(e.data);
    Object.assign(state, { config, train: [], evals: [], samples, checkpoints });
    addLines(state, metrics);
    onChange(state, 'snapshot');
  });
  source.addEventListener('metrics', (e) => {
    addLines(state, JSON.parse(e.data));
    onChange(state, 'metrics');
  });
  source.addEventListener('files', (e) => {
    Object.assign(state, JSON.parse(e.data));
    onChange(state, 'files');
  });
  return () => source.close();
}
