// Fixtures of the browser test: a small conditional checkpoint whose generator uses the toolkit's custom layers,
// and a plain static file server (what any host of an exported folder would be).
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { tf } from '../../src/tf.js';
import { dcganDiscriminator, dcganGenerator } from '../../src/models/dcgan.js';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { Rng } from '../../src/random.js';

/**
 * A run directory with one checkpoint of a conditional DCGAN (latentDim 8, 10 classes, 28x28x1) with spectral norm
 * in G and D and a 3-way InfoGAN latent code, so G holds SpectralNormDense, SpectralNormConv2DTranspose and LatentCode
 * layers and D SpectralNormConv2D, plus
 * an EMA generator that differs from the raw one (3 x its weights but u), so a page that used the raw one would fail.
 */
export async function writeConditionalRun(runDir: string): Promise<void> {
  const common = { imageSize: 28, channels: 1, baseWidth: 4, kernelSize: 4, numClasses: 10, spectralNorm: true } as const;
  const generator = dcganGenerator({ ...common, latentDim: 8, latentCodes: 3, seed: 1 });
  const discriminator = dcganDiscriminator({ ...common, seed: 2 });
  // Training-mode calls run the power iteration, so u (and sigma) are no longer their random initial values.
  for (let i = 0; i < 3; i++) {
    tf.tidy(() => generator.apply([tf.randomNormal([2, 11], 0, 1, 'float32', i), tf.oneHot([1, 2], 10).toFloat()], { training: true }) as Tensor);
  }
  // 3 x every weight but u: W / sigma(W) is unchanged, the normalization scales and shifts and the last bias grow,
  // so the outputs spread over [-1, 1] (the untrained G's are within +-0.1).
  const emaGenerator = tf.tidy(() => generator.weights.map((w) => (w.originalName.endsWith('/u') ? w.read().clone() : tf.mul(w.read(), 3))));
  const config = { data: 'mnist', model: 'dcgan', conditional: true, latentDim: 8, latentCodes: 3, baseWidth: 4, spectralNorm: true, steps: 1, batchSize: 8 };
  const generatorOptimizer = tf.train.adam(1e-3), discriminatorOptimizer = tf.train.adam(1e-3);
  await saveCheckpoint(runDir, { step: 1, config, generator, discriminator, generatorOptimizer, discriminatorOptimizer, emaGenerator, rng: new Rng(0).getState(), data: null });
  writeFileSync(join(runDir, 'config.json'), JSON.stringify(config));
  for (const o of [generator, discriminator, generatorOptimizer, discriminatorOptimizer]) o.dispose();
  tf.dispose(emaGenerator);
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** Serves the files of `root` at http://127.0.0.1:PORT/ (index.html for '/'), nothing else. */
export async function staticServer(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent((req.url ?? '/').split('?')[0]!)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
