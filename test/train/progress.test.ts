import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { barReporter, lineReporter } from '../../src/train/progress.js';

/** A fake terminal: cli-progress draws only on a TTY. */
function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  Object.assign(stream, { isTTY: true, columns: 120, rows: 40, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  (stream as unknown as PassThrough).on('data', (d: Buffer) => { out += String(d); });
  return { stream, text: () => out };
}

describe('progress on a terminal', () => {
  it('prints every message printed while the bar is shown, once, on its own line, in order', async () => {
    const { stream, text } = terminal();
    const bar = barReporter(stream);
    bar.start(0, 150);
    const messages: string[] = [];
    for (let step = 1; step <= 150; step++) {
      bar.update({ step, totalSteps: 150, stepsPerSecond: 10, imagesPerSecond: 640, dLoss: step > 10 ? 1.2 : null, gLoss: step > 10 ? 0.8 : null }, step % 10 === 0);
      if (step % 25 === 0) {
        const m = `checkpoint: runs/x/checkpoints/step-${String(step).padStart(6, '0')}`;
        messages.push(m);
        bar.message(m);
      }
    }
    bar.message('samples: runs/x/samples/step-000150.png');
    messages.push('samples: runs/x/samples/step-000150.png');
    bar.stop();
    await new Promise((r) => setImmediate(r));
    // Cursor-to-column-1 and clear-line start a fresh line on the screen; other control sequences are dropped. Each
    // message must survive as a whole line, exactly once.
    const lines = text().replace(/\x1b\[(?:1G|2K)/g, '\n').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/[\r\n]+/);
    for (const m of messages) expect(lines.filter((l) => l.trim() === m), m).toHaveLength(1);
    const order = messages.map((m) => lines.findIndex((l) => l.trim() === m));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('shows - for losses not read yet, in log lines too', () => {
    const out: string[] = [];
    const r = lineReporter((l) => out.push(l));
    r.update({ step: 1, totalSteps: 2, stepsPerSecond: 1, imagesPerSecond: 64, dLoss: null, gLoss: null }, true);
    expect(out[0]).toMatch(/^step 1\/2  d_loss -  g_loss -  /);
  });
});
