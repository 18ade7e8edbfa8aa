// `gan sample`: a PNG from a checkpoint's generator: one row per class (conditional), an N x N grid, a latent walk.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Subcommand } from './command.js';
import { intFlag, numberFlag, parseFlags, startBackend } from './args.js';
import { UsageError } from '../errors.js';
import { Rng } from '../random.js';
import { describeSkipped, loadGenerator } from '../checkpoint/index.js';
import { generate, generatorSignature } from '../models/generate.js';
import { imageGrid } from '../viz/image_grid.js';
import { scatterPlot } from '../viz/scatter.js';
import { writePng } from '../viz/canvas.js';
import { toyDataset } from '../data/toy.js';
import { latentBatch, parseClasses, slerpWalk } from './sample_latents.js';
import { latentCodeCategories, setLatentCodes } from '../layers/latent_code.js';

const help = `Usage: gan sample --checkpoint DIR --out FILE.png [--classes 0-9 | --codes 0-9] [--per-class N] [--seed N]
                  [--truncation T] [--interpolate] [--json]

Writes a PNG from a checkpoint's generator (its EMA weights when the checkpoint has them).
DIR is a checkpoint directory or a run directory (its newest valid checkpoint).

  conditional generator:    one row per class of --classes (default all), --per-class N images per row (default 10)
  unconditional generator:  an N x N grid, N = --per-class (default 10)
  toy (MLP) generator:      a scatter plot of N*N generated points against real ones
  --classes LIST     classes as a range and/or list: 0-9, 3, 1,4,7 (conditional generators only)
  --codes LIST       one row per latent code, same syntax (a generator with a latent code: latentCodes, clusters)
  --seed N           seed of the latent vectors (default 0)
  --truncation T     redraw latent components with |z| > T (the truncation trick; default off)
  --interpolate      a latent walk instead: N images along the great circle (slerp) between two z, per row
  --json             print {out, rows, cols, width, height, conditional, usedEma} as the last line of stdout`;

/** Checks that `out` can be written (a .png in an existing, writable folder) before any work. */
function checkOut(out: string): string {
  if (!out.toLowerCase().endsWith('.png')) throw new UsageError(`--out: expected a file name ending in .png but got '${out}'`);
  const path = resolve(out);
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`--out: folder ${folder} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--out: ${out} is a directory`);
  try {
    accessSync(existsSync(path) ? path : folder, constants.W_OK);
  } catch {
    throw new UsageError(`--out: cannot write ${out} (permission denied)`);
  }
  return path;
}

export const command: Subcommand = {
  summary: 'write a PNG of samples from a checkpoint (class rows, grids, latent walks)',
  help,
  async run(argv) {
    const { values } = parseFlags('sample', argv, {
      checkpoint: { type: 'string' },
      out: { type: 'string' },
      classes: { type: 'string' },
      codes: { type: 'string' },
      'per-class': { type: 'string' },
      seed: { type: 'string' },
      truncation: { type: 'string' },
      interpolate: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.checkpoint === undefined) throw new UsageError('--checkpoint: required (a checkpoint or run directory)');
    if (values.out === undefined) throw new UsageError('--out: required (a .png file to write)');
    const perClass = values['per-class'] === undefined ? 10 : intFlag('per-class', values['per-class'], 1, 64);
    const seed = values.seed === undefined ? 0 : intFlag('seed', values.seed, 0, 2 ** 32 - 1);
    const truncation = values.truncation === undefined ? null : numberFlag('truncation', values.truncation, 1e-3, 100);
    // Class numbers are checked now; class names once the checkpoint (which holds them) is loaded.
    if (values.classes !== undefined && /^[\d\s,-]*$/.test(values.classes)) parseClasses(values.classes);
    if (values.codes !== undefined) parseClasses(values.codes, [], 'codes');
    const out = checkOut(values.out);
    if (!existsSync(values.checkpoint)) throw new UsageError(`--checkpoint: ${values.checkpoint} does not exist`);
    if (!statSync(values.checkpoint).isDirectory()) throw new UsageError(`--checkpoint: ${values.checkpoint} is not a directory (expected a checkpoint or run directory)`);

    await startBackend(values.backend);
    const loaded = await loadGenerator(values.checkpoint, { ema: true });
    for (const skipped of loaded.skipped) process.stderr.write(`note: ${describeSkipped(skipped)}\n`);
    const { generator } = loaded;
    try {
      const signature = generatorSignature(generator, loaded.dir);
      const { latentDim, outputShape } = signature;
      const classes = signature.numClasses ?? 0;
      const classNames = ((loaded.config as { classNames?: unknown } | null)?.classNames ?? []) as string[];
      const requested = values.classes === undefined ? null : parseClasses(values.classes, Array.isArray(classNames) ? classNames : []);
      if (requested && classes === 0) throw new UsageError(`--classes: the generator in ${loaded.dir} is unconditional (no label input); leave out --classes`);
      const bad = requested?.find((c) => c >= classes);
      if (bad !== undefined) throw new UsageError(`--classes: this generator has classes 0-${classes - 1} but got ${bad}`);
      const codes = latentCodeCategories(generator);
      const rowCodes = values.codes === undefined ? null : parseClasses(values.codes, [], 'codes');
      if (rowCodes && (codes === 0 || classes > 0)) throw new UsageError(`--codes: the generator in ${loaded.dir} has no latent code of its own${classes > 0 ? ' (it is conditional: use --classes)' : ''}; leave out --codes`);
      const badCode = rowCodes?.find((c) => c >= codes);
      if (badCode !== undefined) throw new UsageError(`--codes: this generator has codes 0-${codes - 1} but got ${badCode}`);
      const rng = new Rng(seed);
      const rowClasses = classes > 0 ? requested ?? Array.from({ length: classes }, (_, c) => c) : null;
      const rows = rowClasses ? rowClasses.length : rowCodes ? rowCodes.length : values.interpolate ? 1 : perClass;
      const cols = perClass;
      const z = values.interpolate ? slerpWalk(rng, rows, cols, latentDim, truncation) : latentBatch(rng, rows * cols, latentDim, truncation);
      const labels = rowClasses ? Int32Array.from({ length: rows * cols }, (_, i) => rowClasses[Math.floor(i / cols)]!) : null;
      if (rowCodes) setLatentCodes(z, latentDim, codes, Int32Array.from({ length: rows * cols }, (_, i) => rowCodes[Math.floor(i / cols)]!));
      const pixels = await generate(generator, z, labels);
      let image;
      if (outputShape.length === 3) {
        const [height, width, channels] = outputShape as [number, number, number];
        image = imageGrid({ pixels, count: rows * cols, height, width, channels }, rows, cols, { zoom: 2 });
      } else {
        const config = loaded.config as { data?: string } | null;
        const toy = config?.data && config.data !== 'mnist' ? toyDataset(config.data) : null;
        const real = toy ? toy.sample(new Rng(seed + 1), rows * cols).points : new Float32Array(0);
        image = await scatterPlot({ dim: outputShape[0]!, real, generated: pixels, centers: toy?.centers ?? [], title: `step ${loaded.step}` });
      }
      await writePng(image, out);
      const summary = { out, rows, cols, width: image.bitmap.width, height: image.bitmap.height, conditional: classes > 0, usedEma: loaded.usedEma, step: loaded.step };
      process.stdout.write(`wrote ${out} (${rows}x${cols}${rowClasses ? `, one row per class ${rowClasses.map((c) => (Array.isArray(classNames) && typeof classNames[c] === 'string' ? classNames[c] : String(c))).join(',')}` : ''}${rowCodes ? `, one row per latent code ${rowCodes.join(',')}` : ''}; ${loaded.usedEma ? 'EMA ' : ''}generator of ${loaded.dir})\n`);
      if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      return 0;
    } finally {
      generator.dispose();
    }
  },
};
