import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tf } from '../../src/tf.js';
import { testBackend } from '../setup.js';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { command } from '../../src/cli/eval.js';
import { CheckpointError, UsageError } from '../../src/errors.js';
import { ring8 } from '../../src/data/toy.js';
import { DATA_KINDS } from '../../src/eval/generator.js';
import { buildFixture, disposeFixture, stateOf } from '../checkpoint/checkpoint_fixture.js';

const root = mkdtempSync(join(tmpdir(), 'gan-eval-'));
let f: ReturnType<typeof buildFixture>;
let runDir = '';

/** Runs `gan eval` with argv; returns exit code, stdout and stderr. */
async function runEval(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    const code = await command.run(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(async () => {
  await testBackend();
  f = buildFixture(3);
  // EMA weights that collapse G onto ring-8 mode 2: the last dense layer's kernel zero, its bias the mode centre.
  const [kernel, bias] = f.generator.layers.at(-1)!.weights;
  const ema = f.generator.weights.map((w) =>
    w === kernel ? tf.zeros([8, 2]) : w === bias ? tf.tensor1d(ring8.centers[2]!) : w.read().clone());
  runDir = join(root, 'run');
  await saveCheckpoint(runDir, stateOf(f, 5, { config: { data: 'ring8' }, emaGenerator: ema }));
  tf.dispose(ema);
  await saveCheckpoint(join(root, 'bad'), stateOf(f, 1, { config: { data: 'cifar' } }));
});
afterAll(() => {
  disposeFixture(f);
  rmSync(root, { recursive: true, force: true });
});

describe('gan eval', () => {
  it('scores the EMA generator of a run dir, says so, and prints one JSON object last', async () => {
    const { code, stdout, stderr } = await runEval(['--checkpoint', runDir, '--samples', '500', '--json']);
    expect(code).toBe(0);
    expect(stderr).toContain('(step 5): EMA generator');
    const json = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(json).toMatchObject({ step: 5, usedEma: true, data: 'ring8', samples: 500, metrics: { modesCovered: 1, highQualityPercent: 100 } });
    expect(json.metrics.modeCounts[2]).toBe(500);
  });

  it('uses the raw generator with --no-ema and prints a table beside real data', async () => {
    const { code, stdout } = await runEval(['--checkpoint', runDir, '--samples', '500', '--no-ema']);
    expect(code).toBe(0);
    expect(stdout).toContain('raw generator (--no-ema), 500 samples');
    expect(stdout).toMatch(/real data\s+8\/8\s+8\/8/);
    expect(stdout).not.toMatch(/generator\s+1\/8\s+1\/8\s+100\.0%/);
  });

  it('rejects a missing or nonexistent --checkpoint, a bad --samples and an unknown data kind', async () => {
    await expect(runEval([])).rejects.toThrow(new UsageError('--checkpoint: required (a checkpoint or run directory)'));
    await expect(runEval(['--checkpoint', join(root, 'nope')])).rejects.toThrow(new UsageError(`--checkpoint: no such directory '${join(root, 'nope')}'`));
    await expect(runEval(['--checkpoint', runDir, '--samples', 'x'])).rejects.toThrow(new UsageError("--samples: expected an integer but got 'x'"));
    await expect(runEval(['--checkpoint', join(root, 'bad')])).rejects.toThrow(
      new CheckpointError(`${join(root, 'bad', 'checkpoints', 'step-000001')}: config.data: expected one of ${DATA_KINDS.join(', ')} but got "cifar"`));
  });
});
