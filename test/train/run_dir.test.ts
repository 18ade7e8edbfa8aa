import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRunDir } from '../../src/train/run_dir.js';

const dir = mkdtempSync(join(tmpdir(), 'gan-rundir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the loss history of a run directory', () => {
  it('spans every invocation of a resumed run, keeping the last value logged for a re-run step and skipping torn lines', () => {
    const lines = [
      { step: 10, dLoss: 1, gLoss: 2 }, { step: 20, dLoss: 3, gLoss: 4 }, { step: 20, eval: { modesCovered: 8 } },
      { step: 30, dLoss: 5, gLoss: 6 }, // logged after the step-20 checkpoint, then the run was killed
      { step: 30, dLoss: 7, gLoss: 8 }, { step: 40, dLoss: 9, gLoss: 10 }, // the resumed run re-logs step 30
    ].map((l) => JSON.stringify(l));
    writeFileSync(join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n{"step": 50, "dLo`);
    const run = openRunDir(dir, true, () => {});
    expect(run.lossHistory(40)).toEqual({ steps: [10, 20, 30, 40], d: [1, 3, 7, 9], g: [2, 4, 8, 10] });
    expect(run.lossHistory(25)).toEqual({ steps: [10, 20], d: [1, 3], g: [2, 4] });
  });
});
