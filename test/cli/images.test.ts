// Your own images from the CLI: a folder with class subfolders trains conditionally at 32x32x3, samples by class
// name, and a second run reads the decoded cache instead of decoding again.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GAN = join(import.meta.dirname, 'gan_child.ts');
let dir = '';
let images = '';

function gan(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', GAN, ...args], { env: { ...process.env, GAN_BACKEND: 'cpu' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += String(d); });
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gan-cli-images-'));
  images = join(dir, 'images');
  // Two classes of noisy squares of several sizes: reddish 'apple', bluish 'sky'; one grey JPEG among them.
  for (const [name, base] of [['apple', [200, 40, 40]], ['sky', [40, 60, 220]]] as const) {
    mkdirSync(join(images, name), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const size = 20 + 7 * i;
      const img = new Jimp({ width: size, height: size + i, color: 0x000000ff });
      img.scan(0, 0, img.bitmap.width, img.bitmap.height, (_x, _y, idx) => {
        for (let c = 0; c < 3; c++) img.bitmap.data[idx + c] = Math.max(0, Math.min(255, base[c]! + ((idx * 7 + c * 13 + i) % 41) - 20));
      });
      writeFileSync(join(images, name, `${i}.${i === 5 ? 'jpg' : 'png'}`), await img.getBuffer(i === 5 ? 'image/jpeg' : 'image/png'));
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gan train on an image folder', () => {
  const tiny = ['--steps', '2', '--batch-size', '4', '--base-width', '4', '--log-every', '1', '--eval-samples', '10'];

  it('trains conditionally at 32x32x3, keeps the class names, samples rows by class name, and reuses the decoded cache', async () => {
    const cacheDir = join(dir, 'cache');
    const runDir = join(dir, 'run');
    const first = await gan(['train', '--preset', 'images-dcgan', '--data-dir', images, '--conditional', 'true', '--run-dir', runDir, '--cache-dir', cacheDir, ...tiny]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`data: 12 images 32x32x3 from ${images} in 2 classes\n`);
    const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')) as { classNames: string[]; imageSize: number; channels: number };
    expect(config).toMatchObject({ classNames: ['apple', 'sky'], imageSize: 32, channels: 3 });
    // 12 images are too few to split into a reference half and a real row: the run says so in one line and still checkpoints.
    expect(first.stderr).toContain(`eval skipped at step 2: ${images}: evaluation needs at least 20 images (half as the reference set, half for the real row) but the folder has 12\n`);
    expect(existsSync(join(runDir, 'checkpoints', 'step-000002'))).toBe(true);

    const out = join(dir, 'sky-then-apple.png');
    const sample = await gan(['sample', '--checkpoint', runDir, '--classes', 'sky,apple', '--per-class', '3', '--out', out, '--json']);
    expect(sample.code).toBe(0);
    const summary = JSON.parse(sample.stdout.trim().split('\n').pop()!) as { rows: number; cols: number; conditional: boolean };
    expect(summary).toMatchObject({ rows: 2, cols: 3, conditional: true });
    expect(sample.stdout).toContain('one row per class sky,apple');
    const unknown = await gan(['sample', '--checkpoint', runDir, '--classes', 'pear', '--out', join(dir, 'x.png')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--classes: expected class numbers like 0-9, 3 or 1,4,7 or class names (apple, sky) but got 'pear'");

    const again = await gan(['train', '--preset', 'images-dcgan', '--data-dir', images, '--conditional', 'true', '--run-dir', join(dir, 'run2'), '--cache-dir', cacheDir, ...tiny]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/data: 12 images 32x32x3 from .* in 2 classes \(decoded cache .*image-folder-[0-9a-f]{24}\.bin\)/);
  });

  it('trains unconditionally at 32x32x3 on the same folder, and grey at 28x28 with --channels 1', async () => {
    const rgb = await gan(['train', '--preset', 'images-dcgan', '--data-dir', images, '--run-dir', join(dir, 'uncond'), '--cache-dir', 'none', ...tiny]);
    expect(rgb.code).toBe(0);
    // Unconditional: the class subfolders are only where the images live; no class names are kept.
    expect(JSON.parse(readFileSync(join(dir, 'uncond', 'config.json'), 'utf8'))).toMatchObject({ conditional: false, classNames: [], channels: 3 });
    expect(existsSync(join(dir, 'uncond', 'samples', 'step-000002.png'))).toBe(true);
    const grey = await gan(['train', '--preset', 'images-dcgan', '--data-dir', images, '--image-size', '28', '--channels', '1', '--run-dir', join(dir, 'grey'), '--cache-dir', 'none', ...tiny]);
    expect(grey.code).toBe(0);
    expect(grey.stderr).toContain(`data: 12 images 28x28x1 from ${images} in 2 classes\n`);
  });

  it('refuses a conditional run on a folder without class subfolders, and a missing --data-dir, with exit 2', async () => {
    const flat = join(dir, 'flat');
    mkdirSync(flat);
    writeFileSync(join(flat, 'a.png'), await new Jimp({ width: 8, height: 8, color: 0xffffffff }).getBuffer('image/png'));
    const r = await gan(['train', '--preset', 'images-dcgan', '--data-dir', flat, '--conditional', 'true', '--run-dir', join(dir, 'flat-run'), '--cache-dir', 'none', ...tiny]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`gan train: conditional: a conditional 'images' run needs class subfolders in ${flat} (DIR/cat/*.png, DIR/dog/*.jpg) but found none`);
    const noDir = await gan(['train', '--preset', 'images-dcgan', '--run-dir', join(dir, 'nodir'), ...tiny]);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain("gan train: dataDir: data 'images' needs --data-dir, a folder of PNG/JPEG images");
  });
});
