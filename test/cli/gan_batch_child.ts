// Child process for gan_batch.ts: runs `gan` (main() of src/cli/main.ts) once per argv in the JSON list argv[2], in one
// process, and prints each outcome as one JSON line as soon as it is known, so a parent that kills a hung child
// still sees which case hung.
import { main } from '../../src/cli/main.js';

const cases = JSON.parse(process.argv[2] ?? '[]') as string[][];
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
for (const args of cases) {
  let stdout = '', stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(args);
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
  realOut(`${JSON.stringify({ code, stdout, stderr })}\n`);
}
process.exitCode = 0;
