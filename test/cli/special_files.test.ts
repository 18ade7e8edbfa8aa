// Issue 14, class 3: a FIFO, a device or a symlink to /dev/zero where a manifest, a listed checkpoint file or the run
// lock belongs. Every command reads only regular files, with bounded reads: from a run directory the bad checkpoint
// is skipped with a one-line note, given as the checkpoint itself it is refused with one line naming it, and nothing
// hangs (the commands run in a child under a kill timer, so a hang fails the test instead of stalling the suite).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/train/config.js';
import { train } from '../../src/train/loop.js';
import { testBackend } from '../setup.js';
import { errorLines, ganBatch, type Outcome } from './gan_batch.js';

const root = mkdtempSync(join(tmpdir(), 'gan-special-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Plant = (path: string) => void;
const fifo: Plant = (path) => {
  rmSync(path, { force: true });
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
};
const devZero: Plant = (path) => {
  rmSync(path, { force: true });
  symlinkSync('/dev/zero', path);
};
/** A character device node like /dev/zero (mknod needs root; null where it is not allowed). */
const device: Plant | null = (() => {
  const probe = join(root, 'probe');
  const ok = spawnSync('mknod', [probe, 'c', '1', '5']).status === 0;
  rmSync(probe, { force: true });
  return ok ? (path: string) => { rmSync(path, { force: true }); expect(spawnSync('mknod', [path, 'c', '1', '5']).status).toBe(0); } : null;
})();

let template = '';
let n = 0;
/** A copy of the two-checkpoint template run with `plant` applied to `file` (relative to the run directory). */
function runWith(file: string, plant: Plant): { run: string; step1: string; step2: string } {
  const run = join(root, `run${n++}`);
  cpSync(template, run, { recursive: true });
  plant(join(run, file));
  return { run, step1: join(run, 'checkpoints', 'step-000001'), step2: join(run, 'checkpoints', 'step-000002') };
}

beforeAll(async () => {
  await testBackend();
  template = join(root, 'template');
  const config = resolveConfig({
    data: 'ring8', model: 'mlp', generatorHiddenUnits: [8], discriminatorHiddenUnits: [8], batchSize: 8, steps: 2,
    checkpointEvery: 1, evalSamples: 100,
  });
  await train(config, { runDir: template, plots: false });
});

const noStack = (r: Outcome) => expect(r.stderr).not.toMatch(/^\s+at /m);

describe('special files in checkpoints: gan verify, sample and eval', () => {
  const cases: { name: string; args: () => string[]; check: (r: Outcome) => void }[] = [];
  const add = (name: string, file: string, plant: Plant, args: (p: ReturnType<typeof runWith>) => string[], check: (r: Outcome, p: ReturnType<typeof runWith>) => void) => {
    let p: ReturnType<typeof runWith>;
    cases.push({ name, args: () => args(p ??= runWith(file, plant)), check: (r) => check(r, p) });
  };

  add('verify RUN: a FIFO manifest is one INVALID line, the older checkpoint still checks out', 'checkpoints/step-000002/manifest.json', fifo,
    (p) => ['verify', p.run], (r, p) => {
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`INVALID  checkpoint ${p.step2}: manifest.json: expected a regular file but found a FIFO`);
      expect(lines[1]).toMatch(new RegExp(`^ok {7}${p.step1} {2}step 1, `));
      expect(lines).toHaveLength(2);
      expect(r.code).toBe(1);
    });
  add('verify CHECKPOINT: weights.bin a symlink to /dev/zero is refused with one line', 'checkpoints/step-000002/generator/weights.bin', devZero,
    (p) => ['verify', p.step2], (r, p) => {
      expect(r.stdout).toBe(`INVALID  checkpoint ${p.step2}: file generator/weights.bin is a symlink\n`);
      expect(r.code).toBe(1);
    });
  if (device) {
    add('verify CHECKPOINT: state.json a device is refused with one line', 'checkpoints/step-000002/state.json', device,
      (p) => ['verify', p.step2], (r, p) => {
        expect(r.stdout).toBe(`INVALID  checkpoint ${p.step2}: file state.json: expected a regular file but found a device\n`);
        expect(r.code).toBe(1);
      });
  }
  add('verify RUN: a FIFO run.lock is named, not read', 'run.lock', fifo, (p) => ['verify', p.run], (r) => {
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('run.lock: expected a lock file but found a FIFO; remove it (a run refuses to start with it)');
    expect(r.code).toBe(0);
  });
  add('sample RUN: a manifest symlinked to /dev/zero is skipped with a one-line note', 'checkpoints/step-000002/manifest.json', devZero,
    (p) => ['sample', '--checkpoint', p.run, '--out', join(p.run, 'a.png'), '--per-class', '4'], (r, p) => {
      expect(errorLines(r.stderr)).toEqual([`note: skipped ${p.step2}: manifest.json is a symlink`]);
      expect(r.stdout).toContain(`generator of ${p.step1})`);
      expect(r.code).toBe(0);
    });
  add('sample CHECKPOINT: a FIFO model.json is refused with one line', 'checkpoints/step-000002/discriminator/model.json', fifo,
    (p) => ['sample', '--checkpoint', p.step2, '--out', join(p.run, 'a.png')], (r, p) => {
      expect(errorLines(r.stderr)).toEqual([`gan sample: checkpoint ${p.step2}: file discriminator/model.json: expected a regular file but found a FIFO`]);
      expect(r.code).toBe(1);
    });
  add('eval RUN: a FIFO optimizers.bin is skipped with a one-line note', 'checkpoints/step-000002/optimizers.bin', fifo,
    (p) => ['eval', '--checkpoint', p.run, '--samples', '50', '--json'], (r, p) => {
      expect(errorLines(r.stderr)).toEqual([
        `note: skipped ${p.step2}: file optimizers.bin: expected a regular file but found a FIFO`,
        `evaluating ${p.step1} (step 1): generator (no EMA weights in this checkpoint)`,
      ]);
      expect(r.code).toBe(0);
    });
  add('eval CHECKPOINT: a manifest symlinked to /dev/zero is refused with one line', 'checkpoints/step-000002/manifest.json', devZero,
    (p) => ['eval', '--checkpoint', p.step2], (r, p) => {
      expect(errorLines(r.stderr)).toEqual([`gan eval: checkpoint ${p.step2}: manifest.json is a symlink`]);
      expect(r.code).toBe(1);
    });

  let outcomes: Outcome[] = [];
  beforeAll(async () => {
    outcomes = await ganBatch(cases.map((c) => c.args()), 60_000);
  }, 70_000);
  cases.forEach((c, i) => it(c.name, () => {
    const r = outcomes[i]!;
    noStack(r);
    c.check(r);
  }));
});

describe('special files in a run: gan train --resume', () => {
  let outcomes: Outcome[] = [];
  let fifoModel: ReturnType<typeof runWith>, fifoLock: ReturnType<typeof runWith>, zeroLock: ReturnType<typeof runWith>;
  beforeAll(async () => {
    fifoModel = runWith('checkpoints/step-000002/generator/model.json', fifo);
    fifoLock = runWith('run.lock', fifo);
    zeroLock = runWith('run.lock', devZero);
    outcomes = await ganBatch([fifoModel.run, fifoLock.run, zeroLock.run].map((run) => ['train', '--resume', run, '--steps', '3']), 60_000);
  }, 70_000);

  it('falls back from a checkpoint with a FIFO model.json to the next newest, saying which it skipped', () => {
    const r = outcomes[0]!;
    noStack(r);
    const p = fifoModel;
    expect(errorLines(r.stderr)).toContain(`skipped ${p.step2}: checkpoint ${p.step2}: file generator/model.json: expected a regular file but found a FIFO`);
    expect(errorLines(r.stderr)).toContain(`resumed from ${p.step1} at step 1`);
    expect(r.stdout).toMatch(/^done: step 3,/);
    expect(r.code).toBe(0);
  });

  it.each([{ i: 1, kind: 'a FIFO' }, { i: 2, kind: 'a symlink' }])('refuses a run.lock that is $kind with one line and exit 2', ({ i, kind }) => {
    const r = outcomes[i]!;
    noStack(r);
    const run = i === 1 ? fifoLock.run : zeroLock.run;
    expect(errorLines(r.stderr).at(-1)).toBe(`gan train: ${join(run, 'run.lock')}: expected a lock file but found ${kind}; remove it or choose another run directory`);
    expect(r.code).toBe(2);
  });
});
