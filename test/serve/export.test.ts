// `gan export` without a browser: the folder holds the page, its modules, tfjs and the checkpoint's EMA generator
// byte for byte; a non-empty --out and a missing checkpoint are refused with one line.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackend } from '../setup.js';
import { command } from '../../src/cli/export.js';
import { UsageError } from '../../src/errors.js';
import { writeConditionalRun } from './fixtures.js';

describe('gan export', () => {
  let dir: string, run: string;
  beforeAll(async () => {
    await testBackend();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    dir = mkdtempSync(join(tmpdir(), 'gan-export-'));
    run = join(dir, 'run');
    await writeConditionalRun(run);
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes index.html, export.json, the page modules, tfjs and the EMA generator of the checkpoint', async () => {
    const out = join(dir, 'site');
    expect(await command.run([run, '--out', out, '--checkpoint', 'checkpoints/step-000001'])).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['app', 'export.json', 'index.html', 'model', 'vendor']);
    expect(readdirSync(join(out, 'vendor'))).toEqual(['tf.fesm.min.js']);
    for (const file of ['model.json', 'weights.bin']) {
      expect(readFileSync(join(out, 'model', file))).toEqual(readFileSync(join(run, 'checkpoints', 'step-000001', 'ema-generator', file)));
    }
    expect(JSON.parse(readFileSync(join(out, 'export.json'), 'utf8'))).toMatchObject({ run: 'run', step: 1, network: 'ema-generator', toy: null });
    // Every module the page imports is there (relative imports only: nothing is fetched from elsewhere).
    for (const file of readdirSync(join(out, 'app')).filter((f) => f.endsWith('.js'))) {
      for (const [, target] of readFileSync(join(out, 'app', file), 'utf8').matchAll(/from '([^']+)'|import '([^']+)'/g)) {
        if (target) expect(existsSync(join(out, 'app', target)), `${file} imports ${target}`).toBe(true);
      }
    }
  });

  it('refuses an --out folder that is not empty and a checkpoint that does not exist', async () => {
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'x');
    await expect(command.run([run, '--out', full])).rejects.toThrow(new UsageError(`--out: ${full} exists and is not an empty folder`));
    await expect(command.run([run, '--out', join(dir, 'x'), '--checkpoint', 'nope'])).rejects.toThrow(new UsageError(`--checkpoint: nope does not exist (nor in ${run})`));
  });
});
