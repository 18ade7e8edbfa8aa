import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { CheckpointError } from '../../src/errors.js';
import { findLatestValidCheckpoint, loadCheckpoint, saveCheckpoint } from '../../src/checkpoint/index.js';
import { sha256 } from '../../src/checkpoint/files.js';
import { testBackend } from '../setup.js';
import { buildFixture, disposeFixture, rewriteConsistently, stateOf, trainStep, type Fixture } from './checkpoint_fixture.js';

let root: string;
let source: string; // a valid checkpoint directory, copied before each corruption
let f: Fixture;
let n = 0;

beforeAll(async () => {
  await testBackend();
  root = mkdtempSync(join(tmpdir(), 'ckpt-errors-'));
  f = buildFixture(11);
  trainStep(f, f.rng);
  source = (await saveCheckpoint(join(root, 'source'), stateOf(f, 7))).dir;
});
afterAll(() => {
  disposeFixture(f);
  rmSync(root, { recursive: true, force: true });
});

/** A fresh copy of the valid checkpoint, as <root>/runN/checkpoints/step-000007. */
function copy(): string {
  const dir = join(root, `run${n++}`, 'checkpoints', 'step-000007');
  mkdirSync(join(dir, '..'), { recursive: true });
  cpSync(source, dir, { recursive: true });
  return dir;
}

async function expectLoadError(dir: string, message: string | RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  const error = await loadCheckpoint(dir).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(CheckpointError);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
}

describe('loadCheckpoint on damaged checkpoints', () => {
  it('names a missing file', async () => {
    const dir = copy();
    rmSync(join(dir, 'generator', 'weights.bin'));
    await expectLoadError(dir, `checkpoint ${dir}: file generator/weights.bin is missing`);
  });

  it('names a truncated file with the expected and found sizes', async () => {
    const dir = copy();
    const path = join(dir, 'discriminator', 'weights.bin');
    const size = statSync(path).size;
    truncateSync(path, 10);
    await expectLoadError(dir, `checkpoint ${dir}: file discriminator/weights.bin is truncated (expected ${size} bytes, found 10)`);
  });

  it('names a bit-flipped file by its checksum', async () => {
    const dir = copy();
    const path = join(dir, 'optimizers.bin');
    const bytes = readFileSync(path);
    const expected = sha256(bytes);
    bytes[bytes.length >> 1]! ^= 0x10;
    writeFileSync(path, bytes);
    const got = sha256(bytes);
    await expectLoadError(dir, `checkpoint ${dir}: file optimizers.bin is corrupt (sha256 ${got.slice(0, 12)}... does not match the manifest's ${expected.slice(0, 12)}...)`);
  });

  it('says a checkpoint without manifest was not completely written', async () => {
    const dir = copy();
    rmSync(join(dir, 'manifest.json'));
    await expectLoadError(dir, `checkpoint ${dir}: manifest.json is missing (the checkpoint was not completely written)`);
  });

  it('detects an edited manifest by its own checksum', async () => {
    const dir = copy();
    const path = join(dir, 'manifest.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"step": 7', '"step": 8'));
    await expectLoadError(dir, `checkpoint ${dir}: manifest.json is corrupt (its own checksum does not match)`);
  });

  it('refuses a newer format version with a clear message', async () => {
    const dir = copy();
    rewriteConsistently(dir, 'manifest.json', (t) => t.replace('"formatVersion": 1', '"formatVersion": 2').replace(/"toolkitVersion": "[^"]*"/, '"toolkitVersion": "9.0.0"'));
    await expectLoadError(dir, `checkpoint ${dir}: written with checkpoint format version 2 (tfjs-gan 9.0.0), newer than this toolkit reads (version 1); upgrade tfjs-gan to load it`);
  });

  it('reads a flipped bit in formatVersion as corruption, not as a newer version', async () => {
    const dir = copy();
    const path = join(dir, 'manifest.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"formatVersion": 1', '"formatVersion": 3')); // '1' ^ 0x02 = '3'
    await expectLoadError(dir, `checkpoint ${dir}: manifest.json is corrupt (its own checksum does not match)`);
  });

  it('checks state.json even when the checksums were recomputed', async () => {
    const dir = copy();
    rewriteConsistently(dir, 'state.json', (t) => t.replace(/"step": 7/, '"step": 6'));
    await expectLoadError(dir, `checkpoint ${dir}: state.json says step 6 but manifest.json says 7`);
  });

  it('refuses optimizer slots whose shapes do not match the weights, and leaks no tensors after building the models', async () => {
    const dir = copy();
    rewriteConsistently(dir, 'state.json', (t) => {
      const s = JSON.parse(t);
      const slots = s.optimizers.generator.slots;
      [slots[0].shape, slots[1].shape] = [slots[1].shape, slots[0].shape]; // same total size, wrong owners
      return JSON.stringify(s);
    });
    await expectLoadError(dir, new RegExp(`^checkpoint ${dir}: generator optimizer: slot 0 \\(m of dense_Dense\\d+/kernel\\) has shape \\[8\\] but the weight has shape \\[3,8\\]$`));
  });
});

describe('loadCheckpoint on crafted checkpoints (re-signed: every checksum matches)', () => {
  it.each(['constructor', '__proto__', 'toString'])('refuses the optimizer class name %s, a key of every plain object, as unknown', async (name) => {
    const dir = copy();
    rewriteConsistently(dir, 'state.json', (t) => {
      const s = JSON.parse(t);
      s.optimizers.generator.className = name;
      return JSON.stringify(s);
    });
    await expectLoadError(dir, `checkpoint ${dir}: state.json optimizers.generator: unknown optimizer class '${name}'`);
  });

  it('refuses a registered class that is not an optimizer before creating it', async () => {
    const dir = copy();
    rewriteConsistently(dir, 'state.json', (t) => {
      const s = JSON.parse(t);
      s.optimizers.discriminator.className = 'Dense';
      return JSON.stringify(s);
    });
    await expectLoadError(dir, `checkpoint ${dir}: state.json optimizers.discriminator: class 'Dense' is not an optimizer`);
  });

  it('refuses a model.json whose layer asks for more weights than the manifest lists, before building it', async () => {
    const dir = copy();
    const kernel = JSON.parse(readFileSync(join(dir, 'generator', 'model.json'), 'utf8')).weightsManifest[0].weights[0];
    rewriteConsistently(dir, 'generator/model.json', (t) => t.replace('"units":8', '"units":9'));
    await expectLoadError(dir, `checkpoint ${dir}: generator/model.json: the topology gives ${kernel.name} the shape [3,9] but the weights manifest lists [3,8]`);
  });
});

describe('findLatestValidCheckpoint', () => {
  it('skips newer invalid checkpoints, says which and why, and loadCheckpoint resumes from the newest valid one', async () => {
    const runDir = join(root, 'skip');
    await saveCheckpoint(runDir, stateOf(f, 1));
    const bad = (await saveCheckpoint(runDir, stateOf(f, 2))).dir;
    rmSync(join(bad, 'state.json'));
    mkdirSync(join(runDir, 'checkpoints', 'step-000003')); // a directory left by something else, empty
    const found = findLatestValidCheckpoint(runDir);
    expect(found.dir).toBe(join(runDir, 'checkpoints', 'step-000001'));
    expect(found.skipped).toEqual([
      { dir: join(runDir, 'checkpoints', 'step-000003'), reason: `checkpoint ${join(runDir, 'checkpoints', 'step-000003')}: manifest.json is missing (the checkpoint was not completely written)` },
      { dir: bad, reason: `checkpoint ${bad}: file state.json is missing` },
    ]);
    const loaded = await loadCheckpoint(runDir);
    expect(loaded.step).toBe(1);
    expect(loaded.skipped.map((s) => s.dir)).toEqual(found.skipped.map((s) => s.dir));
    disposeFixture(loaded);
  });

  it('reports a run directory with no valid checkpoint', async () => {
    const runDir = join(root, 'none');
    mkdirSync(join(runDir, 'checkpoints', 'step-000004'), { recursive: true });
    expect(findLatestValidCheckpoint(runDir).dir).toBeNull();
    const step4 = join(runDir, 'checkpoints', 'step-000004');
    await expectLoadError(runDir, `no valid checkpoint in ${join(runDir, 'checkpoints')}; skipped: checkpoint ${step4}: manifest.json is missing (the checkpoint was not completely written)`);
  });
});

describe('saveCheckpoint when a write fails', () => {
  it.each(['discriminator/weights.bin', 'manifest.json'])('keeps the previous checkpoint intact and says so when writing %s fails like a full disk', async (file) => {
    const runDir = join(root, `full-${file.replace('/', '-')}`);
    const previous = (await saveCheckpoint(runDir, stateOf(f, 2))).dir;
    await expect(saveCheckpoint(runDir, stateOf(f, 3), { failWriteAt: { file, afterBytes: 10 } })).rejects.toThrow(new CheckpointError(
      `could not write checkpoint ${join(runDir, 'checkpoints', 'step-000003')} (ENOSPC: no space left on device, write '${file}'); the previous checkpoint ${previous} is intact`));
    expect(readdirSync(join(runDir, 'checkpoints'))).toEqual(['step-000002']);
    const loaded = await loadCheckpoint(runDir);
    expect(loaded.step).toBe(2);
    disposeFixture(loaded);
  });

  it('offers the checkpoint a killed writer was replacing (same step), and puts it back on the next save', async () => {
    const runDir = join(root, 'replacing');
    await saveCheckpoint(runDir, stateOf(f, 3));
    const parent = join(runDir, 'checkpoints');
    // The state between writeCheckpointDir's two renames: the old step-000004 moved aside, the new one not yet in place.
    await saveCheckpoint(runDir, stateOf(f, 4));
    const aside = join(parent, '.old-step-000004-999999999-0123abcd');
    renameSync(join(parent, 'step-000004'), aside);
    expect(findLatestValidCheckpoint(runDir)).toEqual({ dir: aside, skipped: [] });
    const loaded = await loadCheckpoint(runDir);
    expect(loaded.step).toBe(4);
    disposeFixture(loaded);
    await saveCheckpoint(runDir, stateOf(f, 5));
    expect(readdirSync(parent).sort()).toEqual(['step-000003', 'step-000004', 'step-000005']);
  });

  it('ignores and later removes the temporary directory of a writer that died', async () => {
    const runDir = join(root, 'leftover');
    await saveCheckpoint(runDir, stateOf(f, 1));
    const leftover = join(runDir, 'checkpoints', '.tmp-step-000002-999999999-0123abcd');
    cpSync(join(runDir, 'checkpoints', 'step-000001'), leftover, { recursive: true });
    expect(findLatestValidCheckpoint(runDir).dir).toBe(join(runDir, 'checkpoints', 'step-000001'));
    await saveCheckpoint(runDir, stateOf(f, 2));
    expect(existsSync(leftover)).toBe(false);
  });
});
