import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Jimp } from 'jimp';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { resolveConfig, type TrainConfig } from '../../src/train/config.js';
import { buildModels } from '../../src/train/build.js';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { Rng } from '../../src/random.js';
import { command } from '../../src/cli/sample.js';
import { parseClasses, slerpWalk } from '../../src/cli/sample_latents.js';

// Untrained tiny generators are enough: the command's job is layout, conditioning and errors, not image quality.
async function writeCheckpoint(runDir: string, overrides: Partial<TrainConfig>): Promise<void> {
  const config = resolveConfig(overrides);
  const { generator, discriminator } = buildModels(config);
  // Untrained, G's output is ~0 everywhere (one grey); scaled-up weights make the pixels depend visibly on z and class.
  const scaled = tf.tidy(() => generator.getWeights().map((w) => tf.mul(w, 4)));
  generator.setWeights(scaled);
  tf.dispose(scaled);
  const generatorOptimizer = tf.train.adam(1e-3), discriminatorOptimizer = tf.train.adam(1e-3);
  await saveCheckpoint(runDir, { step: 1, config, generator, discriminator, generatorOptimizer, discriminatorOptimizer, rng: new Rng(0).getState(), data: null });
  generator.dispose(); discriminator.dispose(); generatorOptimizer.dispose(); discriminatorOptimizer.dispose();
}

const pixel = (img: { bitmap: { data: Uint8Array; width: number } }, x: number, y: number) => img.bitmap.data[(y * img.bitmap.width + x) * 4]!;

describe('gan sample', () => {
  let dir: string, conditional: string, unconditional: string, toy: string, coded: string;
  beforeAll(async () => {
    await testBackend();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    dir = mkdtempSync(join(tmpdir(), 'gan-sample-'));
    conditional = join(dir, 'cond'); unconditional = join(dir, 'uncond'); toy = join(dir, 'toy');
    const tiny = { data: 'mnist', model: 'dcgan', latentDim: 4, baseWidth: 4 } as const;
    await writeCheckpoint(conditional, { ...tiny, conditional: true });
    await writeCheckpoint(unconditional, tiny);
    await writeCheckpoint(toy, { data: 'ring8', generatorHiddenUnits: [4], discriminatorHiddenUnits: [4] });
    coded = join(dir, 'coded');
    await writeCheckpoint(coded, { ...tiny, latentCodes: 5 });
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one row per requested class for a conditional generator, at 2x zoom with 2 px padding', async () => {
    const out = join(dir, 'rows.png');
    expect(await command.run(['--checkpoint', conditional, '--out', out, '--classes', '2-4', '--per-class', '5', '--backend', 'cpu'])).toBe(0);
    const img = await Jimp.read(out);
    expect([img.bitmap.width, img.bitmap.height]).toEqual([5 * (56 + 2) + 2, 3 * (56 + 2) + 2]);
  });

  it('walks the same latent path in every row with --interpolate, so rows differ only by class', async () => {
    const out = join(dir, 'walk.png');
    expect(await command.run(['--checkpoint', conditional, '--out', out, '--classes', '0,9', '--per-class', '4', '--interpolate'])).toBe(0);
    const img = await Jimp.read(out);
    const tile = (row: number, col: number) => Array.from({ length: 56 }, (_, k) => pixel(img, 2 + col * 58 + k, 2 + row * 58 + 28));
    expect(tile(0, 0)).not.toEqual(tile(1, 0)); // class 0 vs class 9, same z
    expect(tile(0, 0)).not.toEqual(tile(0, 3)); // two ends of the walk
  });

  it('writes an N x N grid for an unconditional generator and a scatter plot for a toy one', async () => {
    const grid = join(dir, 'grid.png');
    expect(await command.run(['--checkpoint', unconditional, '--out', grid, '--per-class', '3'])).toBe(0);
    const img = await Jimp.read(grid);
    expect([img.bitmap.width, img.bitmap.height]).toEqual([3 * 58 + 2, 3 * 58 + 2]);
    const scatter = join(dir, 'scatter.png');
    expect(await command.run(['--checkpoint', toy, '--out', scatter])).toBe(0);
    expect((await Jimp.read(scatter)).bitmap.width).toBe(480);
  });

  it('writes one row per requested latent code for a generator with a code, each row drawn with its code', async () => {
    const out = join(dir, 'codes.png');
    expect(await command.run(['--checkpoint', coded, '--out', out, '--codes', '1,3', '--per-class', '4'])).toBe(0);
    const img = await Jimp.read(out);
    expect([img.bitmap.width, img.bitmap.height]).toEqual([4 * 58 + 2, 2 * 58 + 2]);
    // Same seed, same z: code 1's row is the same in a 1,3 and a 1,4 grid; the second rows differ (code 3 vs 4).
    const other = join(dir, 'codes2.png');
    expect(await command.run(['--checkpoint', coded, '--out', other, '--codes', '1,4', '--per-class', '4'])).toBe(0);
    const img2 = await Jimp.read(other);
    const row = (im: typeof img, r: number) => Array.from({ length: 4 * 58 }, (_, k) => pixel(im, 2 + k, 2 + r * 58 + 28));
    expect(row(img2, 0)).toEqual(row(img, 0));
    expect(row(img2, 1)).not.toEqual(row(img, 1));
  });

  it('refuses bad requests with exact messages and writes nothing', async () => {
    const out = join(dir, 'never.png');
    const cases: [string[], string][] = [
      [['--checkpoint', unconditional, '--out', out, '--classes', '1'], `--classes: the generator in ${join(unconditional, 'checkpoints', 'step-000001')} is unconditional (no label input); leave out --classes`],
      [['--checkpoint', conditional, '--out', out, '--classes', '3-12'], '--classes: this generator has classes 0-9 but got 10'],
      [['--checkpoint', conditional, '--out', out, '--classes', '3-x'], "--classes: expected class numbers like 0-9, 3 or 1,4,7 but got '3-x'"],
      [['--checkpoint', coded, '--out', out, '--codes', '2-5'], '--codes: this generator has codes 0-4 but got 5'],
      [['--checkpoint', coded, '--out', out, '--codes', 'a'], "--codes: expected code numbers like 0-9, 3 or 1,4,7 but got 'a'"],
      [['--checkpoint', unconditional, '--out', out, '--codes', '0'], `--codes: the generator in ${join(unconditional, 'checkpoints', 'step-000001')} has no latent code of its own; leave out --codes`],
      [['--checkpoint', conditional, '--out', out, '--codes', '0'], `--codes: the generator in ${join(conditional, 'checkpoints', 'step-000001')} has no latent code of its own (it is conditional: use --classes); leave out --codes`],
      [['--checkpoint', conditional, '--out', join(dir, 'no', 'such', 'x.png')], `--out: folder ${join(dir, 'no', 'such')} does not exist`],
      [['--checkpoint', conditional, '--out', join(dir, 'x.jpg')], "--out: expected a file name ending in .png but got '" + join(dir, 'x.jpg') + "'"],
      [['--checkpoint', join(dir, 'missing'), '--out', out], `--checkpoint: ${join(dir, 'missing')} does not exist`],
      [['--out', out], '--checkpoint: required (a checkpoint or run directory)'],
    ];
    for (const [argv, message] of cases) await expect(command.run(argv)).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('sample latents', () => {
  it('parses class lists and ranges in order without repeats', () => {
    expect(parseClasses('0-2,7, 1')).toEqual([0, 1, 2, 7]);
    expect(() => parseClasses('5-3')).toThrow("--classes: expected class numbers like 0-9, 3 or 1,4,7 but got '5-3'");
  });

  it('keeps slerp points on the sphere between two orthogonal unit endpoints', () => {
    // With |a| = |b| and a.b = 0, slerp stays at radius |a|; a linear walk would dip to |a|/sqrt(2) in the middle.
    const z = slerpWalk(new Rng(1), 1, 5, 512, null);
    const norm = (j: number) => Math.hypot(...z.subarray(j * 512, (j + 1) * 512));
    const ends = (norm(0) + norm(4)) / 2;
    // 512-dim Gaussian endpoints are nearly orthogonal with norms within a few % of each other: 3% tolerance.
    expect(Math.abs(norm(2) - ends)).toBeLessThanOrEqual(0.03 * ends);
  });
});
