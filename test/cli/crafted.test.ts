// Issue 14, class 5: crafted inputs that ask for huge allocations. A re-signed model.json (every checksum valid) with
// a 1e9-unit layer is refused by every command before any weight is allocated (gan verify included, without --deep),
// and a 1 MB gzip IDX file that inflates to 1 GB of pixels is refused before it is inflated. The commands run in a
// child under a kill timer: an allocation that stalls or is OOM-killed fails the test.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/train/config.js';
import { train } from '../../src/train/loop.js';
import { MAX_IDX_BYTES } from '../../src/data/idx.js';
import { testBackend } from '../setup.js';
import { rewriteConsistently } from '../checkpoint/checkpoint_fixture.js';
import { gzipBomb, idxBytes } from '../data/idx-fixture.js';
import { errorLines, ganBatch, type Outcome } from './gan_batch.js';

const root = mkdtempSync(join(tmpdir(), 'gan-crafted-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let run = '', step1 = '', step2 = '', bomb = '';
/** What the refusal says: the output layer's kernel, [8, 2] in the manifest, [8, 1e9] in the edited topology. */
let refusal = '';
let outcomes: Outcome[] = [];
const noStack = (r: Outcome) => expect(r.stderr).not.toMatch(/^\s+at /m);

beforeAll(async () => {
  await testBackend();
  run = join(root, 'run');
  const config = resolveConfig({
    data: 'ring8', model: 'mlp', generatorHiddenUnits: [8], discriminatorHiddenUnits: [8], batchSize: 8, steps: 2,
    checkpointEvery: 1, evalSamples: 100,
  });
  await train(config, { runDir: run, plots: false });
  step1 = join(run, 'checkpoints', 'step-000001');
  step2 = join(run, 'checkpoints', 'step-000002');
  const modelJson = JSON.parse(readFileSync(join(step2, 'generator', 'model.json'), 'utf8'));
  const kernel = (modelJson.weightsManifest[0].weights as { name: string; shape: number[] }[]).find((w) => w.shape.join() === '8,2')!;
  rewriteConsistently(step2, 'generator/model.json', (t) => t.replace('"units":2,', '"units":1000000000,'));
  refusal = `generator/model.json: the topology gives ${kernel.name} the shape [8,1000000000] but the weights manifest lists [8,2]`;
  cpSync(run, join(root, 'resume'), { recursive: true });

  bomb = join(root, 'bomb');
  mkdirSync(bomb);
  writeFileSync(join(bomb, 'train-images-idx3-ubyte.gz'), gzipBomb(idxBytes([1275511, 28, 28], []), 1275511 * 784));
  writeFileSync(join(bomb, 'train-labels-idx1-ubyte'), idxBytes([1], [0])); // found, never read: the images fail first

  outcomes = await ganBatch([
    ['verify', step2],
    ['verify', '--deep', step2],
    ['verify', run],
    ['sample', '--checkpoint', step2, '--out', join(root, 'a.png')],
    ['sample', '--checkpoint', run, '--out', join(root, 'b.png'), '--per-class', '4'],
    ['eval', '--checkpoint', run, '--samples', '50', '--json'],
    ['train', '--resume', join(root, 'resume'), '--steps', '3'],
    ['train', '--preset', 'mnist-dcgan', '--data-dir', bomb, '--run-dir', join(root, 'bomb-run'), '--steps', '1'],
  ], 90_000);
}, 120_000);

describe('a re-signed model.json with a 1e9-unit layer', () => {
  it('is INVALID for gan verify of the checkpoint, with and without --deep', () => {
    for (const r of outcomes.slice(0, 2)) {
      noStack(r);
      expect(r.stdout).toBe(`INVALID  checkpoint ${step2}: ${refusal}\n`);
      expect(r.code).toBe(1);
    }
  });

  it('is INVALID for gan verify of the run, and the older checkpoint is ok', () => {
    const r = outcomes[2]!;
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`INVALID  checkpoint ${step2}: ${refusal}`);
    expect(lines[1]).toMatch(new RegExp(`^ok {7}${step1} {2}step 1, `));
    expect(r.code).toBe(1);
  });

  it('is refused by gan sample with one line when it is the checkpoint given', () => {
    const r = outcomes[3]!;
    noStack(r);
    expect(errorLines(r.stderr)).toEqual([`gan sample: checkpoint ${step2}: ${refusal}`]);
    expect(r.code).toBe(1);
  });

  it('is skipped with a one-line note by gan sample and gan eval given the run', () => {
    for (const r of outcomes.slice(4, 6)) {
      noStack(r);
      expect(errorLines(r.stderr)[0]).toBe(`note: skipped ${step2}: ${refusal}`);
      expect(r.code).toBe(0);
    }
    expect(outcomes[4]!.stdout).toContain(`generator of ${step1})`);
  });

  it('is refused by gan train --resume with one line, before building the model', () => {
    const r = outcomes[6]!;
    noStack(r);
    const resumed = join(root, 'resume', 'checkpoints', 'step-000002');
    expect(errorLines(r.stderr).at(-1)).toBe(`gan train: checkpoint ${resumed}: ${refusal}`);
    expect(r.code).toBe(1);
  });
});

describe('a 1 MB gzip IDX file that inflates to 1 GB of pixels', () => {
  it('is refused by gan train with one line before it is inflated', () => {
    const r = outcomes[7]!;
    noStack(r);
    expect(errorLines(r.stderr).at(-1)).toBe(`gan train: ${join(bomb, 'train-images-idx3-ubyte.gz')}: too large: dims [1275511, 28, 28] need 1000000624 data bytes, more than the ${MAX_IDX_BYTES} allowed`);
    expect(r.code).toBe(1);
  });
});
