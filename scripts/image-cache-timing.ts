// Times loadImageFolder on a generated folder of 64x64 colour images (half PNG, half JPEG): the first load decodes
// every file and writes the decoded cache, the second reads the cache. Prints one JSON object; deletes its temp dir.
// Usage: npx tsx scripts/image-cache-timing.ts [--images 2000] [--size 64]
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Jimp } from 'jimp';
import { loadImageFolder } from '../src/data/image_folder.js';
import { Rng } from '../src/random.js';

const { values } = parseArgs({ options: { images: { type: 'string', default: '2000' }, size: { type: 'string', default: '64' } } });
const count = Number(values.images), size = Number(values.size);
const dir = mkdtempSync(join(tmpdir(), 'gan-image-cache-timing-'));
try {
  const folder = join(dir, 'images'), cacheDir = join(dir, 'cache');
  mkdirSync(folder);
  const rng = new Rng(1);
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    // A colour gradient with noise: compresses like a photo more than a flat colour would.
    const image = new Jimp({ width: size, height: size, color: 0x000000ff });
    const [r, g, b] = [rng.int(256), rng.int(256), rng.int(256)];
    image.scan(0, 0, size, size, (x, y, idx) => {
      image.bitmap.data[idx] = (r + 2 * x + rng.int(16)) & 255;
      image.bitmap.data[idx + 1] = (g + 2 * y + rng.int(16)) & 255;
      image.bitmap.data[idx + 2] = (b + x + y + rng.int(16)) & 255;
    });
    const jpeg = i % 2 === 1;
    const file = join(folder, `${String(i).padStart(5, '0')}.${jpeg ? 'jpg' : 'png'}`);
    writeFileSync(file, await image.getBuffer(jpeg ? 'image/jpeg' : 'image/png'));
    bytes += statSync(file).size;
  }
  const writeSeconds = (performance.now() - t0) / 1000;
  const load = async () => {
    const t = performance.now();
    const data = await loadImageFolder({ dir: folder, imageSize: size, channels: 3, cacheDir });
    return { seconds: Number(((performance.now() - t) / 1000).toFixed(3)), fromCache: data.fromCache, count: data.count };
  };
  const first = await load();
  const second = await load();
  const cacheBytes = second.fromCache ? statSync(join(cacheDir, readdirSync(cacheDir)[0]!)).size : 0;
  console.log(JSON.stringify({
    images: count, size, folderMegabytes: Number((bytes / 2 ** 20).toFixed(1)), cacheMegabytes: Number((cacheBytes / 2 ** 20).toFixed(1)),
    writeSeconds: Number(writeSeconds.toFixed(1)), first, second, speedup: Number((first.seconds / second.seconds).toFixed(1)),
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
