// `gan serve` serves only the named run directories (read-only) and its own assets: traversal in any spelling,
// absolute paths, symlinks out of a run and directory listings are refused with a 4xx; it binds to loopback.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HOST, startServer, type RunningServer } from '../../src/serve/server.js';

const SECRET = 'secret-outside-the-run';

/** A raw GET: the path goes on the wire exactly as written (no client-side '..' resolution). */
function get(server: RunningServer, path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gan serve security', () => {
  let dir: string, run: string, server: RunningServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gan-serve-sec-'));
    run = join(dir, 'run');
    mkdirSync(join(run, 'samples'), { recursive: true });
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'secret.txt'), SECRET);
    writeFileSync(join(run, 'config.json'), '{"data":"ring8"}');
    writeFileSync(join(run, 'samples', 'step-000010.png'), 'png');
    symlinkSync(join(dir, 'outside', 'secret.txt'), join(run, 'leak.txt'));
    symlinkSync(join(dir, 'outside'), join(run, 'linked'));
    symlinkSync(join(run, 'config.json'), join(run, 'alias.json'));
    server = await startServer({ runDirs: [run], port: 0 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    '/runs/0/../outside/secret.txt',
    '/runs/0/samples/../../outside/secret.txt',
    '/runs/0/%2e%2e/outside/secret.txt',
    '/runs/0/%2E%2E/%2E%2E/etc/passwd',
    '/runs/0/..%2foutside%2fsecret.txt',
    '/runs/0/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/runs/0/..%5coutside%5csecret.txt',
    '/runs/0//etc/passwd',
    '/runs/0/%2Fetc%2Fpasswd',
    '/runs/0/%00config.json',
    '/runs/0/%zz',
    '/runs/0/leak.txt',
    '/runs/0/linked/secret.txt',
    '/runs/0/',
    '/runs/0/samples',
    '/runs/0/samples/',
    '/runs/1/config.json',
    '/runs/-1/config.json',
    '/app/../package.json',
    '/app/%2e%2e/package.json',
    '/app/',
    '/vendor/../package.json',
    '/vendor/%2e%2e%2fpackage.json',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/../../etc/passwd',
    'http://127.0.0.1/runs/0/config.json',
  ])('refuses %s with a 4xx and never returns the file outside', async (path) => {
    const { status, body } = await get(server, path);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain('root:');
  });

  it('serves a run file, a sample grid and a symlink that stays inside the run', async () => {
    expect(await get(server, '/runs/0/config.json')).toEqual({ status: 200, body: '{"data":"ring8"}' });
    expect((await get(server, '/runs/0/samples/step-000010.png')).status).toBe(200);
    expect((await get(server, '/runs/0/alias.json')).body).toBe('{"data":"ring8"}');
    expect((await get(server, '/app/main.js')).status).toBe(200);
    expect((await get(server, '/vendor/tf.fesm.min.js', { method: 'HEAD' })).status).toBe(200);
  });

  it('answers only GET and HEAD', async () => {
    expect((await get(server, '/runs/0/config.json', { method: 'POST' })).status).toBe(405);
    expect((await get(server, '/runs/0/config.json', { method: 'PUT' })).status).toBe(405);
  });

  it('refuses a Host header that is not loopback (DNS rebinding) while bound to loopback', async () => {
    expect((await get(server, '/runs/0/config.json', { host: 'evil.example:80' })).status).toBe(403);
    expect((await get(server, '/runs/0/config.json', { host: '127.0.0.1.evil.example' })).status).toBe(403);
    expect((await get(server, '/runs/0/config.json', { host: `localhost:${new URL(server.url).port}` })).status).toBe(200);
  });

  it('binds 127.0.0.1 by default', () => {
    expect(DEFAULT_HOST).toBe('127.0.0.1');
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('prints a 127.0.0.1 URL when gan serve runs without --host', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../cli/gan_child.ts'), 'serve', run, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`gan serve exited with ${code}`)));
      });
      expect(line).toMatch(/^serving 1 run at http:\/\/127\.0\.0\.1:\d+\/$/);
    } finally {
      child.kill('SIGINT');
    }
  });
});
