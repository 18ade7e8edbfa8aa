// The examples/ scripts run here in a reduced form (few steps, tiny data), so they cannot rot. They import the
// package by name ('tfjs-gan' resolves to this checkout's dist/: `npm ci` builds it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Jimp } from 'jimp';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'gan-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function example(name: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'examples', name), ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, GAN_BACKEND: 'cpu' }, timeout: 100_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!existsSync(join(root, 'dist', 'index.js')))('the examples (skipped without dist/: run npm run build)', () => {
  it('own-models.ts trains a tf.sequential pair on its own ring data with callbacks (200 steps), and sample-in-plain-tfjs.ts samples it', () => {
    const runDir = join(dir, 'own');
    const r = example('own-models.ts', ['200', runDir]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^step 200: D \d+\.\d{3} G \d+\.\d{3}$/m);
    expect(r.stdout).toContain(`checkpoint at step 200: ${join(runDir, 'checkpoints', 'step-000200')}`);
    const s = example('sample-in-plain-tfjs.ts', [join(runDir, 'checkpoints', 'step-000200')]);
    expect(s.status).toBe(0);
    expect(s.stdout).toMatch(/^4 samples of shape \[2\], values in \[-?\d+\.\d\d, -?\d+\.\d\d\]$/m);
  });

  it('own-image-folder.ts trains on a folder with class subfolders and draws one row per class', async () => {
    const images = join(dir, 'images');
    for (const [name, color] of [['circle', 0xeeeeeeff], ['square', 0x303030ff]] as const) {
      mkdirSync(join(images, name), { recursive: true });
      for (let i = 0; i < 3; i++) writeFileSync(join(images, name, `${i}.png`), await new Jimp({ width: 16 + i, height: 16, color }).getBuffer('image/png'));
    }
    const runDir = join(dir, 'images-run');
    const r = example('own-image-folder.ts', [images, '2', runDir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`classes: circle, square; wrote ${join(runDir, 'by-class.png')}`);
    expect(existsSync(join(runDir, 'by-class.png'))).toBe(true);
  });
});
