// metrics.jsonl lines as chart series and progress figures. Training lines look like {step, dLoss, gLoss,
// dAdversarialLoss, gradientPenalty?, r1?, dGradNorm, gGradNorm, seconds, imagesPerSecond}; evaluation lines like
// {step, eval: {...}}.

/** Gradient norms: charted on their own (their scale is not a loss's). */
export const GRADIENT_NORMS = ['dGradNorm', 'gGradNorm'];

/** Keys of a training line that are not charted as losses (time, throughput, gradient norms). */
const NOT_LOSSES = new Set(['step', 'seconds', 'imagesPerSecond', ...GRADIENT_NORMS]);

/**
 * Appends lines to `rows` (ascending steps). A resumed run logs the steps after its checkpoint again: a line whose
 * step is not past the last one first drops the rows from that step on, so the newest invocation's values win.
 */
function append(rows, line) {
  if (rows.length > 0 && line.step <= rows[rows.length - 1].step) rows.splice(rows.findIndex((r) => r.step >= line.step));
  rows.push(line);
}

/** Sorts metrics lines into state.train and state.evals (flattened: {step, ...metrics}). */
export function addLines(state, lines) {
  for (const line of lines) {
    if (typeof line.step !== 'number') continue;
    if (line.eval && typeof line.eval === 'object') append(state.evals, { step: line.step, ...line.eval });
    else append(state.train, line);
  }
}

/** The numeric keys of `rows` other than `skip`, in first-seen order. */
export function numericKeys(rows, skip = NOT_LOSSES) {
  const keys = new Set();
  for (const row of rows) for (const [k, v] of Object.entries(row)) if (!skip.has(k) && (typeof v === 'number' || v === null)) keys.add(k);
  return [...keys];
}

/** uPlot data: [steps, series of each key] (a missing or null value is a gap). */
export function columns(rows, keys) {
  return [rows.map((r) => r.step), ...keys.map((k) => rows.map((r) => (typeof r[k] === 'number' && Number.isFinite(r[k]) ? r[k] : null)))];
}

/**
 * Step, total steps, steps per second (over the last lines of the current invocation: `seconds` restarts at 0
 * when a run is resumed) and the seconds left, or null where not known yet.
 */
export function progress(train, config) {
  const last = train[train.length - 1];
  const total = typeof config?.steps === 'number' ? config.steps : null;
  if (!last) return { step: 0, total, stepsPerSecond: null, etaSeconds: null };
  let first = train.length - 1;
  while (first > 0 && train.length - first < 20 && train[first - 1].seconds < train[first].seconds) first--;
  const span = last.seconds - train[first].seconds;
  const rate = span > 0 ? (last.step - train[first].step) / span
    : typeof config?.batchSize === 'number' && last.imagesPerSecond > 0 ? last.imagesPerSecond / config.batchSize : null;
  const eta = rate && total !== null ? Math.max(0, total - last.step) / rate : null;
  return { step: last.step, total, stepsPerSecond: rate, etaSeconds: eta };
}

/** 75 -> "1m 15s". */
export function duration(seconds) {
  if (seconds === null) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
