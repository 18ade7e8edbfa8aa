// Where the page's own files (web/) and the libraries it loads (tfjs, uPlot, from node_modules) are on disk. The
// page imports them by relative URL (app/..., vendor/...), so the same files work served and exported.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The folder of the page sources (web/ at the package root; this file is src/serve/ or dist/serve/). */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/**
 * The vendored libraries, by the name the page uses under vendor/: the ES-module builds of @tensorflow/tfjs (the
 * same version as the toolkit's, so the page runs the layers the checkpoints were saved with) and uPlot.
 */
export function vendorFiles(): Record<string, string> {
  return {
    'tf.fesm.min.js': packageFile('@tensorflow/tfjs', 'dist/tf.fesm.min.js'),
    'uPlot.esm.js': packageFile('uplot', 'dist/uPlot.esm.js'),
    'uPlot.min.css': packageFile('uplot', 'dist/uPlot.min.css'),
  };
}
