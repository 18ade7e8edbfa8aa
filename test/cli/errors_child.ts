// Child process for errors.test.ts: runs `gan` (main() of src/cli/main.ts) once per argv in the JSON list argv[2],
// in one process, and prints [{code, stdout, stderr}] as JSON.
import { main } from '../../src/cli/main.js';
const cases = JSON.parse(process.argv[2] ?? '[]') as string[][];
const realOut = process.stdout.write.bind(process.stdout);
const results: { code: number; stdout: string; stderr: string }[] = [];
for (const args of cases) {
  let stdout = '', stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  const code = await main(args);
  results.push({ code, stdout, stderr });
}
process.stdout.write = realOut;
process.exitCode = 0;
realOut(`${JSON.stringify(results)}\n`);
