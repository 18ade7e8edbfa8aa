// `gan eval` on an image-folder run, end to end: a folder of 24 PNGs, a 2-step images-dcgan run at 16x16 (its end-of-run
// evaluation included), then the table with the generator and real rows; --data-dir points evaluation at another
// folder, and a run whose folder has moved gets one line with exit 2.
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { errorLines, ganBatch, type Outcome } from './gan_batch.js';

const dir = mkdtempSync(join(tmpdir(), 'gan-images-eval-'));
const images = join(dir, 'images');
const copy = join(dir, 'copy');
const runDir = join(dir, 'run');
let train: Outcome, table: Outcome, elsewhere: Outcome, nowhere: Outcome;

/** `gan` in this process (no child: the run exists already); stdout, stderr and the exit code. */
async function gan(argv: string[]): Promise<Outcome> {
  let stdout = '', stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(async () => {
  // 24 noisy squares, 12 reddish and 12 bluish, of several sizes (the loader crops and resizes them to 16x16).
  mkdirSync(images);
  for (let i = 0; i < 24; i++) {
    const base = i % 2 ? [200, 40, 40] : [40, 60, 220];
    const size = 16 + (i % 5) * 3;
    const img = new Jimp({ width: size, height: size, color: 0x000000ff });
    img.scan(0, 0, size, size, (_x, _y, idx) => {
      for (let c = 0; c < 3; c++) img.bitmap.data[idx + c] = Math.max(0, Math.min(255, base[c]! + ((idx * 7 + c * 13 + 5 * i) % 41) - 20));
    });
    writeFileSync(join(images, `${i}.png`), await img.getBuffer('image/png'));
  }
  const tiny = ['--steps', '2', '--batch-size', '4', '--base-width', '4', '--latent-dim', '8', '--log-every', '1', '--eval-samples', '10'];
  cpSync(images, copy, { recursive: true });
  [train, table, elsewhere, nowhere] = await ganBatch([
    ['train', '--preset', 'images-dcgan', '--data-dir', images, '--image-size', '16', '--run-dir', runDir, '--cache-dir', join(dir, 'cache'), ...tiny],
    ['eval', '--checkpoint', runDir],
    ['eval', '--checkpoint', runDir, '--data-dir', copy, '--samples', '8', '--json'],
    ['eval', '--checkpoint', runDir, '--data-dir', join(dir, 'nowhere')],
  ], 90_000) as [Outcome, Outcome, Outcome, Outcome];
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const number = String.raw`(\d+\.\d{3})`;

describe('gan eval on an image-folder run', () => {
  it('evaluates at the end of training, against half the folder beside its other half', () => {
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toMatch(new RegExp(`eval at step 2 \\(EMA generator\\): Fréchet ${number} precision ${number} recall ${number} coverage ${number} \\(10 samples; the folder's other half: Fréchet ${number}`));
  });

  it('prints the generator and real rows with finite numbers, capped at the held-out half (12 of 24 images)', () => {
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/\(step 2\), .*, 12 samples, seed 0, backend cpu$/);
    expect(lines[1]).toMatch(/^\s+samples\s+Fréchet distance\s+precision\s+recall\s+coverage$/);
    for (const [i, name] of [[2, 'generator'], [3, 'real \\(other half\\)']] as const) {
      const m = new RegExp(`^${name}\\s+12\\s+${number}\\s+${number}\\s+${number}\\s+${number}$`).exec(lines[i]!);
      expect(m, lines[i]).not.toBeNull();
      const [fd, precision, recall, coverage] = m!.slice(1).map(Number) as [number, number, number, number];
      expect(fd).toBeGreaterThanOrEqual(0);
      for (const x of [precision, recall, coverage]) { expect(x).toBeGreaterThanOrEqual(0); expect(x).toBeLessThanOrEqual(1); }
    }
    expect(table.stdout).toContain('both rows against half A of the folder (12 of its 24 images); the real row is 12 images of the other half (10000 samples asked for, capped at the other half\'s size)');
    expect(table.stdout).toContain('the numbers compare runs on this folder, not across folders');
  });

  it('evaluates against --data-dir instead of the run\'s folder, and refuses a --data-dir that does not exist', () => {
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(elsewhere.stderr).toContain(`real images: ${copy}\n`);
    const json = JSON.parse(elsewhere.stdout.trim().split('\n').at(-1)!) as { data: string; samples: number; requestedSamples: number; metrics: Record<string, number>; reference: { real: Record<string, number> } };
    expect(json).toMatchObject({ data: 'images', samples: 8, requestedSamples: 8, reference: { folderImages: 24, referenceImages: 12, real: { samples: 8 } } });
    for (const v of [...Object.values(json.metrics), ...Object.values(json.reference.real)]) expect(Number.isFinite(v)).toBe(true);
    expect([nowhere.code, errorLines(nowhere.stderr).at(-1)]).toEqual([2, `gan eval: --data-dir: no such folder '${join(dir, 'nowhere')}'`]);
  });

  it('says in one line, exit 2, that the run\'s folder is gone when it has moved', async () => {
    renameSync(images, join(dir, 'moved'));
    const gone = await gan(['eval', '--checkpoint', runDir, '--backend', 'cpu']);
    expect(gone.code).toBe(2);
    expect(errorLines(gone.stderr).at(-1)).toBe(`gan eval: the run's image folder ${images} (config dataDir) no longer exists; evaluation compares samples with it (--data-dir DIR if it moved)`);
  });
});
