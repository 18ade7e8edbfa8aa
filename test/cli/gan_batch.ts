// Runs several `gan` command lines in one child process (startup dominates the cost) under a kill timer: a command
// that hangs or grows without bound fails the test that ran it, naming the command, instead of stalling the suite.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CHILD = join(import.meta.dirname, 'gan_batch_child.ts');

export interface Outcome { code: number; stdout: string; stderr: string }

/** The outcomes of `cases` in order; rejects naming the first case without an outcome when `timeoutMs` passes. */
export function ganBatch(cases: string[][], timeoutMs: number, env: Record<string, string> = {}): Promise<Outcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(cases)], {
      env: { ...process.env, GAN_BACKEND: 'cpu', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '', killed = false;
    child.stdout.on('data', (d: Buffer) => { stdout += String(d); });
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const outcomes = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Outcome);
      if (outcomes.length === cases.length) return resolve(outcomes);
      const stuck = cases[outcomes.length]!.join(' ');
      const why = killed ? `did not finish within ${timeoutMs / 1000} s (a hang or unbounded growth)` : `ended the child (${signal ?? `exit ${code}`})`;
      reject(new Error(`gan ${stuck} ${why}; child stderr: ${stderr.slice(-1000)}`));
    });
  });
}

/** stderr without the `backend: ...` line every command that starts a backend prints first. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('backend: '));
}
