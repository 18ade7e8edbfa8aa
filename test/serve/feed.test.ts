// The live feed: tailing metrics.jsonl (torn lines, rewrites), the server-sent events that carry it, and the page's
// folding of lines into chart rows (a resumed run's re-logged steps replace the old ones) and progress figures.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonLinesTail } from '../../src/serve/json_lines_tail.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';

const line = (step: number, seconds = step / 10) => `${JSON.stringify({ step, dLoss: 1, gLoss: 2, dAdversarialLoss: 1, seconds, imagesPerSecond: 100 })}\n`;

/** The page's metrics module (plain JS, loaded untyped). */
interface PageMetrics {
  addLines(state: { train: { step: number }[]; evals: { step: number }[] }, lines: object[]): void;
  progress(train: object[], config: object): { step: number; total: number | null; stepsPerSecond: number | null; etaSeconds: number | null };
  numericKeys(rows: object[]): string[];
  GRADIENT_NORMS: string[];
}
const pageMetrics = async (): Promise<PageMetrics> => import(new URL('../../web/metrics.js', import.meta.url).href) as Promise<PageMetrics>;

describe('the live feed', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gan-feed-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns complete lines only, then the rest once its newline arrives, and everything again after a rewrite', () => {
    const path = join(dir, 'metrics.jsonl');
    const tail = new JsonLinesTail(path);
    expect(tail.read()).toEqual({ lines: [], reset: false });
    writeFileSync(path, `${line(10)}${line(20)}{"step":3`);
    expect(tail.read().lines.map((l) => (l as { step: number }).step)).toEqual([10, 20]);
    appendFileSync(path, '0}\n');
    expect(tail.read()).toEqual({ lines: [{ step: 30 }], reset: false });
    writeFileSync(path, line(5));
    expect(tail.read()).toMatchObject({ lines: [{ step: 5 }], reset: true });
  });

  it('streams a snapshot, then new metrics lines and new sample grids as server-sent events', async () => {
    const run = join(dir, 'run');
    mkdirSync(join(run, 'samples'), { recursive: true });
    writeFileSync(join(run, 'config.json'), '{"steps":100}');
    writeFileSync(join(run, 'metrics.jsonl'), line(10));
    const server: RunningServer = await startServer({ runDirs: [run], port: 0, timing: { pollMs: 50, minGapMs: 10 } });
    const events: { event: string; data: unknown }[] = [];
    const waitFor = async (event: string) => {
      for (let i = 0; i < 200 && !events.some((e) => e.event === event); i++) await new Promise((r) => setTimeout(r, 20));
      return events.find((e) => e.event === event)?.data;
    };
    const req = get(`${server.url}api/runs/0/events`, (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      res.on('data', (d) => {
        buffer += d;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop()!;
        for (const block of blocks) {
          const m = /^event: (\w+)\ndata: (.*)$/m.exec(block);
          if (m) events.push({ event: m[1]!, data: JSON.parse(m[2]!) });
        }
      });
    });
    try {
      expect(await waitFor('snapshot')).toEqual({ config: { steps: 100 }, metrics: [JSON.parse(line(10))], samples: [], checkpoints: [] });
      appendFileSync(join(run, 'metrics.jsonl'), line(20));
      expect(await waitFor('metrics')).toEqual([JSON.parse(line(20))]);
      writeFileSync(join(run, 'samples', 'step-000020.png'), 'png');
      expect(await waitFor('files')).toEqual({ samples: [20], checkpoints: [] });
    } finally {
      req.destroy();
      await server.close();
    }
  });

  it('keeps the last value logged for each step when a resumed run logs steps again', async () => {
    const { addLines } = await pageMetrics();
    const state = { train: [] as { step: number }[], evals: [] as { step: number }[] };
    addLines(state, [10, 20, 30, 40].map((s) => JSON.parse(line(s))));
    addLines(state, [{ step: 30, eval: { modesCovered: 8 } }]);
    addLines(state, [30, 40, 50].map((s) => ({ ...JSON.parse(line(s)), gLoss: 9 })));
    expect(state.train.map((r) => [r.step, (r as { gLoss?: number }).gLoss])).toEqual([[10, 2], [20, 2], [30, 9], [40, 9], [50, 9]]);
    expect(state.evals).toEqual([{ step: 30, modesCovered: 8 }]);
  });

  it('measures steps per second within the current invocation and the time left', async () => {
    const { progress } = await pageMetrics();
    // Steps 10..40 at 10 steps/s, then a resume whose clock restarts: 50, 60 at seconds 1, 2 (10 steps/s).
    const train = [[10, 1], [20, 2], [30, 3], [40, 4], [50, 1], [60, 2]].map(([step, seconds]) => JSON.parse(line(step!, seconds)));
    const p = progress(train, { steps: 100, batchSize: 64 });
    expect(p).toEqual({ step: 60, total: 100, stepsPerSecond: 10, etaSeconds: 4 });
  });

  it('charts the losses apart from the gradient norms (their own chart) and from time and throughput', async () => {
    const { numericKeys, GRADIENT_NORMS } = await pageMetrics();
    const rows = [{ step: 10, dLoss: 1, gLoss: 2, dAdversarialLoss: 1, dGradNorm: 40, gGradNorm: 0.01, seconds: 1, imagesPerSecond: 100 }];
    expect(numericKeys(rows)).toEqual(['dLoss', 'gLoss', 'dAdversarialLoss']);
    expect(GRADIENT_NORMS).toEqual(['dGradNorm', 'gGradNorm']);
  });
});
