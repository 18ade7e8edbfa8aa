// `gan export`: the playground for one checkpoint as a folder any static file server can serve, offline:
// index.html, the page's modules (app/), tfjs (vendor/), the generator (model/) and export.json describing it.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readCheckpointState } from '../checkpoint/index.js';
import { vendorFiles, WEB_DIR } from './assets.js';
import { toyReference } from './toy_reference.js';

/** The page's files the playground needs (export.html imports playground.js, which imports the rest). */
const PLAYGROUND_FILES = ['playground.js', 'dom.js', 'generator.js', 'layers.js', 'latent.js', 'render.js', 'tf.js', 'style.css'];

/** What export.json says; the page reads it to know what it shows. */
export interface ExportManifest {
  run: string;
  step: number;
  /** 'ema-generator' when the checkpoint has EMA weights, else 'generator'. */
  network: string;
  config: unknown;
  toy: ReturnType<typeof toyReference>;
}

/**
 * Writes the folder `out` (which must not exist or be empty) for the checkpoint `checkpoint` (a checkpoint
 * directory; default: the newest valid checkpoint of `runDir`). The checkpoint's checksums are verified first.
 */
export function exportPlayground(runDir: string, out: string, checkpoint?: string): ExportManifest {
  const { dir, step, config } = readCheckpointState(checkpoint ?? runDir);
  const network = existsSync(join(dir, 'ema-generator', 'model.json')) ? 'ema-generator' : 'generator';
  const manifest: ExportManifest = {
    run: basename(resolve(runDir)), step, network, config,
    toy: toyReference(typeof config === 'object' && config !== null ? config as Record<string, unknown> : null),
  };
  mkdirSync(join(out, 'model'), { recursive: true });
  mkdirSync(join(out, 'vendor'));
  mkdirSync(join(out, 'app'));
  for (const file of ['model.json', 'weights.bin']) copyFileSync(join(dir, network, file), join(out, 'model', file));
  copyFileSync(vendorFiles()['tf.fesm.min.js']!, join(out, 'vendor', 'tf.fesm.min.js'));
  for (const file of PLAYGROUND_FILES) copyFileSync(join(WEB_DIR, file), join(out, 'app', file));
  copyFileSync(join(WEB_DIR, 'export.html'), join(out, 'index.html'));
  writeFileSync(join(out, 'export.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Whether `out` can receive an export: missing, or an empty directory. */
export function isEmptyOrMissing(out: string): boolean {
  if (!existsSync(out)) return true;
  try {
    return readdirSync(out).length === 0;
  } catch {
    return false;
  }
}
