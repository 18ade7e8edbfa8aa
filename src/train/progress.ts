// Progress reporting for `gan train`: a cli-progress bar on a terminal, plain log lines otherwise.
import cliProgress from 'cli-progress';

/** What the loop reports after a step. */
export interface ProgressUpdate {
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  imagesPerSecond: number;
  dLoss: number;
  gLoss: number;
}

/** Receives step updates and messages (checkpoints written, samples, eval results). */
export interface ProgressReporter {
  start(step: number, totalSteps: number): void;
  update(u: ProgressUpdate, logLine: boolean): void;
  message(text: string): void;
  stop(): void;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : String(v));

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

/** A progress bar on `stream` (a TTY): steps, steps/s, img/s, D and G losses, ETA. Messages print above it. */
export function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'step {value}/{total} [{bar}] {sps} steps/s {ips} img/s | D {d} G {g} | ETA {eta_formatted}',
    barsize: 24,
    hideCursor: true,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  let active = false;
  return {
    start(step, total) {
      bar.start(total, step, { sps: '-', ips: '-', d: '-', g: '-' });
      active = true;
    },
    update(u) {
      bar.update(u.step, { sps: u.stepsPerSecond.toFixed(2), ips: u.imagesPerSecond.toFixed(1), d: fmt(u.dLoss), g: fmt(u.gLoss) });
    },
    message(text) {
      if (active) {
        stream.clearLine(0);
        stream.cursorTo(0);
      }
      stream.write(`${text}\n`);
      if (active) bar.render();
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}

/** A reporter that prints nothing (tests). */
export const silentReporter: ProgressReporter = { start() {}, update() {}, message() {}, stop() {} };
