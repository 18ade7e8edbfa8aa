// Train a DCGAN on your own folder of images (PNG/JPEG; class subfolders make it conditional), then draw each class.
//   npx tsx examples/own-image-folder.ts DIR [steps] [runDir]
// The same from the command line: gan train --preset images-dcgan --data-dir DIR [--conditional true]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generate, generatorSignature, imageGrid, initBackend, loadGenerator, loadPreset, resolveConfig, train, writePng } from 'tfjs-gan';

const [dir, stepsText = '2000', runDir = 'runs/own-images'] = process.argv.slice(2);
if (!dir) throw new Error('usage: npx tsx examples/own-image-folder.ts DIR [steps] [runDir]');
await initBackend(); // GAN_BACKEND, else auto
const hasClasses = readdirSync(dir).some((name) => statSync(join(dir, name)).isDirectory());
const config = resolveConfig(loadPreset('images-dcgan'), {
  dataDir: dir, conditional: hasClasses, steps: Number(stepsText), ...(Number(stepsText) < 50 ? { batchSize: 8, baseWidth: 8 } : {}),
});
const result = await train(config, { runDir });

// One row per class (or one row), 8 samples each, from the EMA generator of the last checkpoint.
const { generator, config: saved } = await loadGenerator(result.checkpoint!);
const { latentDim, numClasses, outputShape } = generatorSignature(generator);
const rows = numClasses ?? 1, cols = 8;
const z = Float32Array.from({ length: rows * cols * latentDim }, () => Math.sqrt(-2 * Math.log(Math.random() || 1e-9)) * Math.cos(2 * Math.PI * Math.random()));
const labels = numClasses ? Int32Array.from({ length: rows * cols }, (_, i) => Math.floor(i / cols)) : null;
const pixels = await generate(generator, z, labels);
const [height, width, channels] = outputShape as [number, number, number];
await writePng(imageGrid({ pixels, count: rows * cols, height, width, channels }, rows, cols, { zoom: 2 }), join(runDir, 'by-class.png'));
console.log(`classes: ${(saved as { classNames: string[] }).classNames.join(', ') || '(none)'}; wrote ${join(runDir, 'by-class.png')}`);
