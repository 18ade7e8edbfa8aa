// Mapping a URL path onto a file under one root directory, refusing anything that could leave it: `..` (raw or
// percent-encoded), absolute or empty segments, backslashes, NUL, and symlinks whose target lies outside the root.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

/** Why a path was refused, as the HTTP status to answer with: 400 malformed, 403 outside the root, 404 not a file. */
export class PathRefused extends Error {
  constructor(readonly status: 400 | 403 | 404, message: string) {
    super(message);
  }
}

/**
 * Decodes the segments of a raw URL path tail ("samples/step-000010.png", still percent-encoded). Each segment is
 * decoded on its own, so an encoded slash (%2F) cannot create a new segment; a segment that decodes to '', '.',
 * '..', or contains '/', '\' or NUL is refused (400).
 */
export function decodeSegments(rawTail: string): string[] {
  const segments = rawTail.split('/');
  return segments.map((raw) => {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      throw new PathRefused(400, `malformed percent-encoding in '${raw}'`);
    }
    if (s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s)) throw new PathRefused(400, `path segment '${raw}' is not allowed`);
    return s;
  });
}

/**
 * The real path of the regular file that `segments` name under `root`, following symlinks only while they stay
 * inside `root` (403 otherwise); a directory or a missing file is 404 (no listings).
 */
export function resolveInside(root: string, segments: string[]): string {
  const realRoot = realpathSync(root);
  let real: string;
  try {
    real = realpathSync(join(realRoot, ...segments));
  } catch {
    throw new PathRefused(404, 'no such file');
  }
  const rel = relative(realRoot, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new PathRefused(403, 'the path leaves the served directory');
  if (!statSync(real).isFile()) throw new PathRefused(404, 'not a file');
  return real;
}
