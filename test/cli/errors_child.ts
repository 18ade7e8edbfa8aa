// Child process for errors.test.ts: runs `gan` (src/cli/main.ts) once per argv in the JSON list argv[2], in one
// process (a query string gives each run a fresh main module), and prints [{code, stdout, stderr}] as JSON.
const cases = JSON.parse(process.argv[2] ?? '[]') as string[][];
const realOut = process.stdout.write.bind(process.stdout);
const results: { code: number; stdout: string; stderr: string }[] = [];
for (const [i, args] of cases.entries()) {
  let stdout = '', stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  process.argv = [process.argv[0]!, 'gan', ...args];
  process.exitCode = 0;
  await import(`../../src/cli/main.ts?case=${i}`);
  results.push({ code: Number(process.exitCode ?? 0), stdout, stderr });
}
process.stdout.write = realOut;
process.exitCode = 0;
realOut(`${JSON.stringify(results)}\n`);
