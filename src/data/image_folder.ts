// A folder of PNG/JPEG images as a training set: any size, grey or colour, centre-cropped and resized to a square,
// with class subfolders as labels. Decoded once (jimp), then cached as raw bytes keyed by the folder's contents.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Jimp } from 'jimp';
import { DataError } from '../errors.js';
import { readRegularFile, writeFileAtomic } from '../io/files.js';

/** A decoded image folder: pixels [count, size, size, channels] as bytes 0-255, labels [count] (0 when unlabelled). */
export interface ImageFolderData {
  pixels: Uint8Array;
  labels: Int32Array;
  count: number;
  imageSize: number;
  channels: 1 | 3;
  /** Class subfolder names in label order; [] when the images are not in class subfolders. */
  classNames: string[];
  /** Files that could not be decoded, with why (skipped). */
  skipped: { path: string; reason: string }[];
  /** The cache file read or written, and whether this load came from it (no decoding). */
  cachePath: string | null;
  fromCache: boolean;
}

export interface ImageFolderOptions {
  dir: string;
  imageSize: number;
  channels: 1 | 3;
  /** Folder for the decoded cache; null = no cache. */
  cacheDir: string | null;
  /** Told about each file skipped (one line each). */
  warn?: (line: string) => void;
}

const EXTENSIONS = /\.(png|jpe?g)$/i;
/** One image file may be at most this big (a 64 MB PNG is ~8,000 x 8,000): bigger ones are skipped as suspicious. */
const MAX_FILE_BYTES = 64 * 2 ** 20;
const CACHE_VERSION = 1;

interface Entry { path: string; rel: string; size: number; mtimeMs: number; label: number }

/** Lists the images under `dir` (recursively, regular files only, dot-folders skipped) and their class labels. */
function listImages(dir: string): { entries: Entry[]; classNames: string[] } {
  let top: string[];
  try {
    if (!lstatSync(dir).isDirectory()) throw new Error('not a directory');
    top = readdirSync(dir).sort();
  } catch {
    throw new DataError(`--data-dir ${dir}: expected a folder of PNG/JPEG images but it is missing or not a folder`);
  }
  const classNames = top.filter((name) => !name.startsWith('.') && lstatSync(join(dir, name)).isDirectory());
  const entries: Entry[] = [];
  const walk = (folder: string, label: number) => {
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(folder, name);
      const st = lstatSync(path); // symlinks are not followed: a folder's images are its own files
      if (st.isDirectory()) walk(path, label);
      else if (st.isFile() && EXTENSIONS.test(name)) entries.push({ path, rel: relative(dir, path), size: st.size, mtimeMs: st.mtimeMs, label });
    }
  };
  if (classNames.length) {
    const loose = top.filter((name) => EXTENSIONS.test(name) && lstatSync(join(dir, name)).isFile());
    if (loose.length) throw new DataError(`--data-dir ${dir}: images both in class subfolders (${classNames.slice(0, 3).join(', ')}...) and at the top (${loose[0]}); put every image in a class folder, or none`);
    classNames.forEach((name, label) => walk(join(dir, name), label));
  } else {
    walk(dir, 0);
  }
  return { entries, classNames };
}

/** Decodes one image file to `size` x `size` x `channels` bytes: centre crop to a square, resize, grey or RGB. */
async function decode(entry: Entry, size: number, channels: 1 | 3): Promise<Uint8Array> {
  const bytes = readRegularFile(entry.path, MAX_FILE_BYTES, (why) => new DataError(why));
  const image = await Jimp.fromBuffer(bytes);
  image.cover({ w: size, h: size });
  const rgba = image.bitmap.data;
  const out = new Uint8Array(size * size * channels);
  for (let i = 0; i < size * size; i++) {
    // Transparent pixels are composited over black (alpha scales the colour).
    const a = rgba[4 * i + 3]! / 255;
    const r = rgba[4 * i]! * a, g = rgba[4 * i + 1]! * a, b = rgba[4 * i + 2]! * a;
    if (channels === 1) out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b); // ITU-R BT.601 luma
    else { out[3 * i] = Math.round(r); out[3 * i + 1] = Math.round(g); out[3 * i + 2] = Math.round(b); }
  }
  return out;
}

function cacheKey(entries: Entry[], options: ImageFolderOptions, classNames: string[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: CACHE_VERSION, size: options.imageSize, channels: options.channels, classNames }));
  for (const e of entries) h.update(`\n${e.rel.split(sep).join('/')}\t${e.size}\t${e.mtimeMs}\t${e.label}`);
  return h.digest('hex').slice(0, 24);
}

// Cache file: "GANIMG1\n", u32 header length, header JSON, labels (int32), pixels (uint8).
const MAGIC = Buffer.from('GANIMG1\n');

function readCache(path: string, maxCount: number, perImage: number): { labels: Int32Array; pixels: Uint8Array; skipped: ImageFolderData['skipped'] } | null {
  let buf: Buffer;
  try {
    buf = readRegularFile(path, MAGIC.length + 4 + 2 ** 24 + maxCount * (4 + perImage), (why) => new Error(why));
  } catch {
    return null; // no cache yet (or an unusable one): decode
  }
  try {
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const headerLength = buf.readUInt32LE(MAGIC.length);
    const start = MAGIC.length + 4 + headerLength;
    const header = JSON.parse(buf.subarray(MAGIC.length + 4, start).toString('utf8')) as { count: number; skipped: ImageFolderData['skipped'] };
    if (!(Number.isSafeInteger(header.count) && header.count <= maxCount) || buf.length !== start + header.count * (4 + perImage)) return null;
    const labels = new Int32Array(header.count);
    for (let i = 0; i < header.count; i++) labels[i] = buf.readInt32LE(start + 4 * i);
    const pixels = new Uint8Array(buf.buffer, buf.byteOffset + start + 4 * header.count, buf.length - start - 4 * header.count).slice();
    return { labels, pixels, skipped: header.skipped };
  } catch {
    return null;
  }
}

/**
 * Loads an image folder: every PNG/JPEG under `dir`, centre-cropped and resized to imageSize x imageSize, grey
 * (channels 1, BT.601 luma) or RGB (3; grey images are repeated). A file that cannot be decoded is skipped with one
 * warning line naming it; a folder with no decodable image throws DataError. With a cache dir, the decoded bytes are
 * cached under a key of the folder's file list, sizes and modification times: a second load does not decode again.
 */
export async function loadImageFolder(options: ImageFolderOptions): Promise<ImageFolderData> {
  const { dir, imageSize, channels } = options;
  const { entries, classNames } = listImages(dir);
  if (entries.length === 0) throw new DataError(`--data-dir ${dir}: no PNG or JPEG images found (looked for *.png, *.jpg, *.jpeg in it and its subfolders)`);
  const perImage = imageSize * imageSize * channels;
  const cachePath = options.cacheDir ? join(options.cacheDir, `image-folder-${cacheKey(entries, options, classNames)}.bin`) : null;
  const cached = cachePath ? readCache(cachePath, entries.length, perImage) : null;
  if (cached) {
    for (const s of cached.skipped) options.warn?.(`skipped ${s.path}: ${s.reason}`);
    return { pixels: cached.pixels, labels: cached.labels, count: cached.labels.length, imageSize, channels, classNames, skipped: cached.skipped, cachePath, fromCache: true };
  }
  const pixels = new Uint8Array(entries.length * perImage);
  const labels = new Int32Array(entries.length);
  const skipped: ImageFolderData['skipped'] = [];
  let count = 0;
  for (const entry of entries) {
    try {
      pixels.set(await decode(entry, imageSize, channels), count * perImage);
      labels[count++] = entry.label;
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
      skipped.push({ path: entry.path, reason });
      options.warn?.(`skipped ${entry.path}: ${reason}`);
    }
  }
  if (count === 0) throw new DataError(`--data-dir ${dir}: none of its ${entries.length} image files could be decoded (first: ${skipped[0]?.path}: ${skipped[0]?.reason})`);
  const data = { pixels: pixels.slice(0, count * perImage), labels: labels.slice(0, count) };
  if (cachePath) {
    try {
      mkdirSync(options.cacheDir!, { recursive: true });
      const header = Buffer.from(JSON.stringify({ count, imageSize, channels, classNames, skipped }));
      const head = Buffer.alloc(4);
      head.writeUInt32LE(header.length);
      writeFileAtomic(cachePath, Buffer.concat([MAGIC, head, header, Buffer.from(data.labels.buffer), Buffer.from(data.pixels.buffer)]));
    } catch (e) {
      options.warn?.(`could not write the decoded-image cache ${cachePath} (${(e as Error).message.split('\n')[0]}); the next run decodes again`);
    }
  }
  return { ...data, count, imageSize, channels, classNames, skipped, cachePath, fromCache: false };
}
