// `gan serve` and `gan export` in a real browser (Debian's chromium through playwright-core): the run view follows a
// training run live, the playground and the toy view compute in the page what the toolkit computes in Node, and the
// exported folder works from a plain static server. No request leaves the page's own origin.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Tensor } from '@tensorflow/tfjs';
import { testBackend } from '../setup.js';
import { loadGenerator } from '../../src/checkpoint/index.js';
import { generate } from '../../src/models/generate.js';
import { loadModel } from '../../src/models/io.js';
import { tf } from '../../src/tf.js';
import { exportPlayground } from '../../src/serve/export.js';
import { staticServer, writeConditionalRun } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const GAN = join(import.meta.dirname, '../cli/gan_child.ts');
/** Screenshots of each view go here when set (docs/images holds the ones of real runs). */
const SHOTS = process.env.GAN_SCREENSHOTS;
// 8 continuous entries, then the 3 of the latent code (argmax: code 1)
const Z = [0.3, -1.2, 0.8, 0.05, -0.4, 1.5, -0.9, 0.6, 0.2, 1.1, -0.5];
const LABEL = 3;

type Hook = { backend: string; generate(z: number[], label: number | null): Promise<number[]>; discriminate(points: number[]): Promise<number[]>; step: number };

/** Starts `gan ARGS` from the sources; `output()` is what it printed so far (stdout and stderr). */
function gan(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', GAN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GAN_WASM_THREADS: '1' } });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text = `${text}${d}`.slice(-4000)));
  return { child, output: () => text };
}

/** Resolves once `ready` returns a value (polled every 100 ms), or rejects after `timeoutMs`. */
async function until<T>(ready: () => T | null | undefined, what: () => string, timeoutMs = 60_000): Promise<T> {
  for (const start = Date.now(); Date.now() - start < timeoutMs; await new Promise((r) => setTimeout(r, 100))) {
    const value = ready();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what()}`);
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/**
 * Tolerances on outputs in [-1, 1] (here within +-0.3). On the cpu backend the page runs tfjs-backend-cpu 4.22, the
 * kernels Node runs: Node loads Dense/Conv2D as the toolkit's unfused layers and the page the stock fused ones, but
 * on cpu both do the same float32 ops in the same order (measured: identical); 1e-6 only leaves room for Math.tanh
 * or Math.exp differing between V8 builds. WebGL (SwiftShader here) sums in another order in float32 shaders with
 * its own tanh: a few ulps per op over ~10 layers (measured 1.6e-7); 1e-5 allows ~100 ulps at 1.0 and is still far
 * below what a wrong weight, layer or label changes (the test checks another label moves the pixels by > 1e-3).
 */
const TOLERANCE: Record<string, number> = { cpu: 1e-6, webgl: 1e-5 };

describe.skipIf(!existsSync(CHROMIUM))(`gan serve and gan export in Chromium (skipped when ${CHROMIUM} is not installed)`, () => {
  let dir: string, ring: string, cond: string, url: string, origin: string;
  let training: ChildProcess, serving: ChildProcess, browser: Browser, page: Page;
  const offOrigin: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    await testBackend();
    dir = mkdtempSync(join(tmpdir(), 'gan-browser-'));
    ring = join(dir, 'ring'); cond = join(dir, 'cond');
    await writeConditionalRun(cond);
    // The ring run trains throughout the file (killed in afterAll); spectral norm puts SpectralNormDense in D.
    const train = gan(['train', '--preset', 'ring-8-gan', '--steps', '3000', '--metrics-every', '5', '--checkpoint-every', '100',
      '--keep-checkpoints', '50', '--sample-every', '100', '--ema-decay', '0.9', '--spectral-norm', 'true', '--run-dir', ring, '--backend', 'wasm']);
    training = train.child;
    await until(() => existsSync(join(ring, 'checkpoints', 'step-000100')), () => `the first checkpoint of the ring run: ${train.output()}`);
    const serve = gan(['serve', ring, cond, '--port', '0']);
    serving = serve.child;
    url = (await until(() => /at (http:\S+)\n/.exec(serve.output()), () => `the URL gan serve prints: ${serve.output()}`))[1]!;
    origin = new URL(url).origin;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) offOrigin.push(r.url()); });
    page.on('pageerror', (e) => errors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    training?.kill('SIGKILL');
    serving?.kill('SIGINT');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `serve-${name}.png`), fullPage: true });
  };

  it('shows the loss chart gaining points while the run trains', async () => {
    await page.goto(`${url}#/runs`);
    const points = () => page.$eval('.run[data-run="0"] .losses', (el) => Number((el as HTMLElement).dataset.points ?? 0));
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('.run[data-run="0"] .losses')?.dataset.points ?? 0) > 0);
    const before = await points();
    await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('.run[data-run="0"] .losses')?.dataset.points) > n + 5, before, { timeout: 60_000 });
    expect(await points()).toBeGreaterThan(before + 5);
    expect(await page.textContent('.run[data-run="0"] .progress')).toMatch(/^step \d+ \/ 3000 · [\d.]+ steps\/s · ETA /);
    await shot('runs');
  }, 90_000);

  it('draws in the playground, for a class and a fixed z, what the Node generator draws', async () => {
    const { generator, usedEma } = await loadGenerator(cond);
    const expected = await generate(generator, Float32Array.from(Z), Int32Array.of(LABEL));
    generator.dispose();
    expect(usedEma).toBe(true);
    for (const backend of ['cpu', 'webgl']) {
      await page.goto(`${url}?backend=${backend}#/play?run=1`);
      await page.waitForSelector('.playground[data-ready]', { timeout: 60_000 });
      const hook = await page.evaluate(async ([z, label]) => {
        const gan = (window as unknown as { __gan: Hook }).__gan;
        return { backend: gan.backend, pixels: await gan.generate(z as number[], label as number) };
      }, [Z, LABEL] as const);
      expect(hook.backend).toBe(backend);
      expect(hook.pixels).toHaveLength(28 * 28);
      expect(maxAbsDiff(hook.pixels, expected)).toBeLessThan(TOLERANCE[backend]!);
      // Another class gives other pixels: the label reaches the model.
      const other = await page.evaluate(([z]) => (window as unknown as { __gan: Hook }).__gan.generate(z as number[], 7), [Z] as const);
      expect(maxAbsDiff(other, expected)).toBeGreaterThan(1e-3);
    }
    await shot('playground');
  }, 120_000);

  it('draws the toy view over a checkpoint, with a discriminator that agrees with Node', async () => {
    await page.goto(`${url}?backend=cpu#/toy?run=0`);
    await page.waitForSelector('.toy[data-step]', { timeout: 60_000 });
    const points = [0, 0, 2, 0, 1.4, 1.4, -3, 2.5];
    // The run is still training: a newer checkpoint may replace the view's D at any time, so the step and D's outputs
    // are taken together from the same hook.
    const { step, fromPage } = await page.evaluate(async (p) => {
      const hook = (window as unknown as { __gan: Hook & { step: number } }).__gan;
      return { step: hook.step, fromPage: await hook.discriminate(p) };
    }, points);
    const d = await loadModel(join(ring, 'checkpoints', `step-${String(step).padStart(6, '0')}`, 'discriminator'));
    // The ring-8-gan preset is self-conditioned: D takes the one-hot cluster too, and the view shows, at each point,
    // D's largest output over the 8 clusters. Here the same, one cluster at a time.
    expect(d.inputs.map((i) => i.shape)).toEqual([[null, 2], [null, 8]]);
    const out = tf.tidy(() => {
      const x = tf.tensor2d(points, [4, 2]);
      const perCluster = Array.from({ length: 8 }, (_, k) => d.predict([x, tf.oneHot(tf.tensor1d([k, k, k, k], 'int32'), 8).toFloat()]) as Tensor);
      return perCluster.reduce((a, b) => tf.maximum(a, b)).reshape([4]);
    });
    const fromNode = await out.data();
    out.dispose();
    d.dispose();
    expect(maxAbsDiff(fromPage, fromNode)).toBeLessThan(TOLERANCE.cpu!);
    await shot('toy');
  }, 90_000);

  it('works the same exported, from a plain static file server', async () => {
    const out = join(dir, 'export');
    expect(exportPlayground(cond, out)).toMatchObject({ step: 1, network: 'ema-generator' });
    expect(readFileSync(join(out, 'vendor', 'tf.fesm.min.js')).byteLength).toBeGreaterThan(1e6);
    const { url: exportUrl, server } = await staticServer(out);
    // Leave the served page first: its own fetches (the toy view loads other checkpoints) must not be counted
    // against the export's origin.
    await page.goto('about:blank');
    origin = new URL(exportUrl).origin;
    try {
      const { generator } = await loadGenerator(cond);
      const expected = await generate(generator, Float32Array.from(Z), Int32Array.of(LABEL));
      generator.dispose();
      await page.goto(`${exportUrl}?backend=cpu`);
      await page.waitForSelector('.playground[data-ready]', { timeout: 60_000 });
      const pixels = await page.evaluate(([z, label]) => (window as unknown as { __gan: Hook }).__gan.generate(z as number[], label as number), [Z, LABEL] as const);
      expect(maxAbsDiff(pixels, expected)).toBeLessThan(TOLERANCE.cpu!);
      await shot('export');
    } finally {
      await new Promise((ok) => (server as Server).close(ok));
    }
  }, 90_000);

  it('fetched nothing outside its own origin and threw no page errors', () => {
    expect(offOrigin).toEqual([]);
    expect(errors).toEqual([]);
  });
});
