// Image folders: every case is built here from generated pixels (no files from the network, none in the repo).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Jimp } from 'jimp';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { loadImageFolder } from '../../src/data/image_folder.js';

const root = mkdtempSync(join(tmpdir(), 'gan-images-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A w x h image of one colour (0xRRGGBBAA), as PNG or JPEG bytes. */
async function solid(w: number, h: number, color: number, mime: 'image/png' | 'image/jpeg' = 'image/png'): Promise<Buffer> {
  return new Jimp({ width: w, height: h, color }).getBuffer(mime);
}

/** A 16-bit greyscale PNG (pngjs writes it; jimp must read it). */
function png16(w: number, h: number): Buffer {
  const png = new PNG({ width: w, height: h, bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.alloc(w * h * 2, 0xff);
  return PNG.sync.write(png, { bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

describe('an image folder', () => {
  it('with class subfolders, mixed sizes, PNG and JPEG, grey and colour loads as labelled 8x8 RGB, centre-cropped', async () => {
    const dir = join(root, 'classes');
    mkdirSync(join(dir, 'cat', 'nested'), { recursive: true });
    mkdirSync(join(dir, 'dog'));
    // A 30x10 image: left and right thirds blue, middle red. The centre crop keeps the red middle.
    const wide = new Jimp({ width: 30, height: 10, color: 0x0000ffff });
    for (let x = 10; x < 20; x++) for (let y = 0; y < 10; y++) wide.setPixelColor(0xff0000ff, x, y);
    writeFileSync(join(dir, 'cat', 'wide.png'), await wide.getBuffer('image/png'));
    writeFileSync(join(dir, 'cat', 'nested', 'small.JPG'), await solid(3, 5, 0x00ff00ff, 'image/jpeg'));
    writeFileSync(join(dir, 'dog', 'grey16.png'), png16(12, 12));
    writeFileSync(join(dir, 'dog', 'notes.txt'), 'not an image');
    const data = await loadImageFolder({ dir, imageSize: 8, channels: 3, cacheDir: null });
    expect(data.classNames).toEqual(['cat', 'dog']);
    expect(data.count).toBe(3);
    expect(Array.from(data.labels)).toEqual([0, 0, 1]); // cat/nested/small.JPG, cat/wide.png, dog/grey16.png (sorted walk)
    const pixel = (i: number, p: number) => Array.from(data.pixels.subarray((i * 64 + p) * 3, (i * 64 + p) * 3 + 3));
    expect(pixel(1, 0)).toEqual([255, 0, 0]); // the crop of the wide image is all red
    expect(pixel(1, 63)).toEqual([255, 0, 0]);
    const green = pixel(0, 27);
    expect(green[1]).toBeGreaterThan(240); // JPEG: lossy, so only close to pure green
    expect(green[0]! + green[2]!).toBeLessThan(30);
    expect(pixel(2, 10)).toEqual([255, 255, 255]); // a white 16-bit grey PNG, repeated into R, G, B
  });

  it('reads a CMYK JPEG as RGB', async () => {
    // The one committed fixture (605 bytes): neither jimp nor pngjs writes CMYK, so it was made once with ImageMagick
    // (convert -size 40x30 gradient:red-blue -colorspace CMYK): red at the top, blue at the bottom.
    const dir = join(root, 'cmyk');
    mkdirSync(dir);
    writeFileSync(join(dir, 'photo.jpg'), readFileSync(join(import.meta.dirname, '..', 'fixtures', 'cmyk-red-to-blue.jpg')));
    const data = await loadImageFolder({ dir, imageSize: 4, channels: 3, cacheDir: null });
    const top = Array.from(data.pixels.subarray(0, 3)), bottom = Array.from(data.pixels.subarray(45, 48));
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200);
    expect(bottom[0]).toBeLessThan(60);
  });

  it('in grey (channels 1) is BT.601 luma of colour images', async () => {
    const dir = join(root, 'grey');
    mkdirSync(dir);
    writeFileSync(join(dir, 'red.png'), await solid(4, 4, 0xff0000ff));
    const data = await loadImageFolder({ dir, imageSize: 4, channels: 1, cacheDir: null });
    expect(data.classNames).toEqual([]);
    expect(Array.from(data.pixels.subarray(0, 4))).toEqual([76, 76, 76, 76]); // round(0.299 * 255)
  });

  it('skips a corrupt file with one warning naming it, and refuses a folder where nothing decodes', async () => {
    const dir = join(root, 'corrupt');
    mkdirSync(dir);
    writeFileSync(join(dir, 'good.png'), await solid(4, 4, 0xffffffff));
    writeFileSync(join(dir, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\nthis is not really a png'));
    const warnings: string[] = [];
    const data = await loadImageFolder({ dir, imageSize: 4, channels: 1, cacheDir: null, warn: (w) => warnings.push(w) });
    expect(data.count).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^skipped ${join(dir, 'broken.png').replace(/[/.]/g, '\\$&')}: `));
    rmSync(join(dir, 'good.png'));
    await expect(loadImageFolder({ dir, imageSize: 4, channels: 1, cacheDir: null })).rejects.toThrow(
      new DataError(`--data-dir ${dir}: none of its 1 image files could be decoded (first: ${join(dir, 'broken.png')}: ${warnings[0]!.split(': ').slice(1).join(': ')})`),
    );
  });

  it('refuses an empty folder, a missing one, and images both at the top and in class folders, each in one line', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await expect(loadImageFolder({ dir: empty, imageSize: 4, channels: 1, cacheDir: null })).rejects.toThrow(
      new DataError(`--data-dir ${empty}: no PNG or JPEG images found (looked for *.png, *.jpg, *.jpeg in it and its subfolders)`),
    );
    const missing = join(root, 'missing');
    await expect(loadImageFolder({ dir: missing, imageSize: 4, channels: 1, cacheDir: null })).rejects.toThrow(
      new DataError(`--data-dir ${missing}: expected a folder of PNG/JPEG images but it is missing or not a folder`),
    );
    const mixed = join(root, 'mixed');
    mkdirSync(join(mixed, 'a'), { recursive: true });
    writeFileSync(join(mixed, 'a', 'x.png'), await solid(2, 2, 0xffffffff));
    writeFileSync(join(mixed, 'loose.png'), await solid(2, 2, 0xffffffff));
    await expect(loadImageFolder({ dir: mixed, imageSize: 4, channels: 1, cacheDir: null })).rejects.toThrow(/images both in class subfolders \(a\.\.\.\) and at the top \(loose\.png\)/);
  });

  it('is decoded once: a second load reads the cache, and a changed file decodes again', async () => {
    const dir = join(root, 'cached');
    const cacheDir = join(root, 'cache');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.png'), await solid(6, 6, 0x808080ff));
    const first = await loadImageFolder({ dir, imageSize: 4, channels: 1, cacheDir });
    const second = await loadImageFolder({ dir, imageSize: 4, channels: 1, cacheDir });
    expect([first.fromCache, second.fromCache]).toEqual([false, true]);
    expect(second.cachePath).toBe(first.cachePath);
    expect(Array.from(second.pixels)).toEqual(Array.from(first.pixels));
    utimesSync(join(dir, 'a.png'), new Date(), new Date(Date.now() + 5000));
    expect((await loadImageFolder({ dir, imageSize: 4, channels: 1, cacheDir })).fromCache).toBe(false);
    // Another size is another cache entry.
    expect((await loadImageFolder({ dir, imageSize: 8, channels: 1, cacheDir })).fromCache).toBe(false);
  });
});
