import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { GanError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import { findLatestValidCheckpoint, loadCheckpoint, saveCheckpoint } from '../../src/checkpoint/index.js';
import { sha256 } from '../../src/checkpoint/files.js';
import { testBackend } from '../setup.js';
import { buildFixture, disposeFixture, stateOf, trainStep } from './checkpoint_fixture.js';

// /dev/shm where there is one: 2000 cases of small file writes are much faster in memory.
const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ckpt-fuzz-'));
let pristine: Map<string, Uint8Array>;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function readTree(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), new Uint8Array(readFileSync(p)));
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  await testBackend();
  const f = buildFixture(3, 4);
  trainStep(f, f.rng);
  const { dir } = await saveCheckpoint(join(root, 'source'), stateOf(f, 1, { emaGenerator: f.generator.weights.map((w) => w.read()) }));
  pristine = readTree(dir);
  disposeFixture(f);
});

function randomJson(rng: Rng, depth = 0): unknown {
  const k = rng.int(depth > 2 ? 6 : 8);
  if (k === 0) return null;
  if (k === 1) return rng.uniform() < 0.5;
  if (k === 2) return [0, -1, 1, 2 ** 31, 1e300, -0.5, Number.MAX_SAFE_INTEGER + 2][rng.int(7)];
  if (k === 3) return rng.int(10);
  if (k === 4) return ['', 'Adam', 'generator', '../../etc/passwd', 'state.json', 'x'.repeat(rng.int(50))][rng.int(6)];
  if (k === 5) return 'm';
  if (k === 6) return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
  return Object.fromEntries(Array.from({ length: rng.int(4) }, (_, i) => [['step', 'files', 'shape', 'slots', `k${i}`][rng.int(5)]!, randomJson(rng, depth + 1)]));
}

/** Replaces one random value (or key) deep inside a JSON document by a random JSON value. */
function mutateJson(doc: unknown, rng: Rng): unknown {
  if (doc === null || typeof doc !== 'object' || rng.uniform() < 0.15) return randomJson(rng);
  const keys = Object.keys(doc);
  if (keys.length === 0) return randomJson(rng);
  const key = keys[rng.int(keys.length)]!;
  const copy: Record<string, unknown> = Array.isArray(doc) ? [...doc] as unknown as Record<string, unknown> : { ...doc };
  if (!Array.isArray(doc) && rng.uniform() < 0.1) delete copy[key];
  else copy[key] = mutateJson((doc as Record<string, unknown>)[key], rng);
  return copy;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

/** Re-signs the manifest so every checksum matches the (mutated) files: reaches the checks behind the checksums. */
function resign(files: Map<string, Uint8Array>): void {
  const { manifestSha256: _, ...body } = JSON.parse(text(files.get('manifest.json')!)) as Record<string, unknown>;
  body.files = (body.files as { path: string }[]).map((e) => {
    const b = files.get(e.path);
    return b ? { ...e, bytes: b.byteLength, sha256: sha256(b) } : e;
  });
  files.set('manifest.json', bytes(JSON.stringify({ ...body, manifestSha256: sha256(JSON.stringify(body)) })));
}

/** One seeded damage: truncation, bit flips, deletion, random bytes, a random manifest, or a re-signed JSON edit. */
function damage(rng: Rng): { files: Map<string, Uint8Array>; kind: string } {
  const files = new Map(pristine);
  const names = [...files.keys()].sort();
  const name = names[rng.int(names.length)]!;
  const original = files.get(name)!;
  const kind = ['truncate', 'flip', 'delete', 'random', 'manifest', 'json'][rng.int(6)]!;
  if (kind === 'truncate') files.set(name, original.slice(0, rng.int(original.byteLength)));
  if (kind === 'flip') {
    const copy = original.slice();
    for (let i = 1 + rng.int(3); i > 0; i--) copy[rng.int(copy.length)]! ^= 1 << rng.int(8);
    files.set(name, copy);
  }
  if (kind === 'delete') files.delete(name);
  if (kind === 'random') files.set(name, Uint8Array.from({ length: rng.int(2 * original.byteLength + 2) }, () => rng.int(256)));
  if (kind === 'manifest') {
    const body = { format: 'tfjs-gan-checkpoint', formatVersion: 1, toolkitVersion: '0.1.0', step: 1, createdAt: 'now', files: randomJson(rng) };
    const doc = rng.uniform() < 0.5 ? mutateJson(body, rng) : body;
    files.set('manifest.json', bytes(JSON.stringify(doc && typeof doc === 'object' ? { ...doc, manifestSha256: sha256(JSON.stringify(doc)) } : doc)));
  }
  if (kind === 'json') {
    const jsonNames = names.filter((n) => n.endsWith('.json') && n !== 'manifest.json');
    const target = jsonNames[rng.int(jsonNames.length)]!;
    files.set(target, bytes(JSON.stringify(mutateJson(JSON.parse(text(files.get(target)!)), rng))));
    resign(files);
  }
  return { files, kind };
}

describe('checkpoint loader fuzz', () => {
  it('ends each of 2000 seeded damaged checkpoints in a typed error or a valid result, leaking no tensors', async () => {
    const rng = new Rng(99);
    const runDir = join(root, 'fuzz');
    const dir = join(runDir, 'checkpoints', 'step-000001');
    const outcomes: Record<string, number> = {};
    let onDisk = new Map<string, Uint8Array>();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2000; i++) {
      const { files, kind } = damage(rng);
      // Only the files that differ from what is on disk are written (or removed): keeps 2000 cases fast.
      for (const path of new Set([...files.keys(), ...onDisk.keys()])) {
        const want = files.get(path);
        if (want === onDisk.get(path)) continue;
        if (want === undefined) rmSync(join(dir, path));
        else {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), want);
        }
      }
      onDisk = files;
      // Alternate between a checkpoint directory and the run directory (the --resume path).
      const target = i % 2 === 0 ? dir : runDir;
      let outcome: string;
      try {
        const loaded = await loadCheckpoint(target);
        disposeFixture(loaded);
        tf.dispose(loaded.emaGenerator ?? []);
        outcome = 'loaded';
      } catch (e) {
        if (!(e instanceof GanError)) throw new Error(`case ${i} (${kind}) threw an untyped error: ${(e as Error).stack}`);
        outcome = e.name;
      }
      // findLatestValidCheckpoint checks files, not whether tfjs can build the models: loadable implies found.
      if (i % 2 === 1 && outcome === 'loaded') expect(findLatestValidCheckpoint(runDir).dir).toBe(dir);
      outcomes[`${kind}:${outcome}`] = (outcomes[`${kind}:${outcome}`] ?? 0) + 1;
      expect(tf.memory().numTensors).toBe(before);
    }
    console.log('checkpoint fuzz outcomes:', JSON.stringify(outcomes));
    expect(Object.keys(outcomes).some((k) => k.endsWith(':CheckpointError'))).toBe(true);
  });
});
