// Progress reporting for `gan train`: a cli-progress bar on a terminal, plain log lines otherwise.
import cliProgress from 'cli-progress';

/** What the loop reports after a step. */
export interface ProgressUpdate {
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  imagesPerSecond: number;
  /** The latest losses read back (null before the first read: losses are read every logEvery/metricsEvery steps). */
  dLoss: number | null;
  gLoss: number | null;
}

/** Receives step updates and messages (checkpoints written, samples, eval results). */
export interface ProgressReporter {
  start(step: number, totalSteps: number): void;
  update(u: ProgressUpdate, logLine: boolean): void;
  message(text: string): void;
  stop(): void;
}

const fmt = (v: number | null) => (v === null ? '-' : Number.isFinite(v) ? v.toFixed(4) : String(v));

/** One plain line per `logLine` update (for logs, CI and pipes). */
export function lineReporter(write: (line: string) => void): ProgressReporter {
  return {
    start(step, total) { write(`training from step ${step} to ${total}`); },
    update(u, logLine) {
      if (!logLine) return;
      const eta = u.stepsPerSecond > 0 ? Math.round((u.totalSteps - u.step) / u.stepsPerSecond) : 0;
      write(`step ${u.step}/${u.totalSteps}  d_loss ${fmt(u.dLoss)}  g_loss ${fmt(u.gLoss)}  ${u.stepsPerSecond.toFixed(2)} steps/s  ${u.imagesPerSecond.toFixed(1)} img/s  eta ${eta}s`);
    },
    message(text) { write(text); },
    stop() {},
  };
}

/**
 * A progress bar on `stream` (a TTY): steps, steps/s, img/s, D and G losses, ETA. Messages print above it through
 * cli-progress's own log call (MultiBar.log), which redraws the bar below them: no line is lost or overprinted.
 */
export function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bars = new cliProgress.MultiBar({
    stream,
    format: 'step {value}/{total} [{bar}] {sps} steps/s {ips} img/s | D {d} G {g} | ETA {eta_formatted}',
    barsize: 24,
    hideCursor: true,
    etaBuffer: 50,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(step, total) {
      bar = bars.create(total, step, { sps: '-', ips: '-', d: '-', g: '-' });
    },
    update(u) {
      bar?.update(u.step, { sps: u.stepsPerSecond.toFixed(2), ips: u.imagesPerSecond.toFixed(1), d: fmt(u.dLoss), g: fmt(u.gLoss) });
    },
    message(text) {
      if (!bar) return void stream.write(`${text}\n`);
      bars.log(`${text}\n`);
      bars.update(); // redraw now: the log buffer is flushed only on a redraw, and the next timed one may not come
    },
    stop() {
      if (bar) {
        bars.update(); // flush what was logged since the last redraw
        bars.stop();
      }
      bar = null;
    },
  };
}

/** A reporter that prints nothing (tests). */
export const silentReporter: ProgressReporter = { start() {}, update() {}, message() {}, stop() {} };
