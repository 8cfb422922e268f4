import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { childEnv } from '../exec/run-program';

/**
 * The service the drills break: plain Node, no dependencies, so it runs from a temp dir.
 * /health answers 200, or what the injected fault says; with DEMO_SCRATCH set it also writes
 * a small file there first and answers 507 when the disk is full, as a real service would
 * fail its writes. POST /fault sets a fault, POST /restart clears it (the restart hook).
 */
const DEMO_SERVICE_JS = `
const http = require('http');
const fs = require('fs');
const path = require('path');
const scratch = process.env.DEMO_SCRATCH || '';
let fault = { status: 200, delayMs: 0 };
function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
function health(res) {
  if (scratch) {
    const file = path.join(scratch, 'write-check-' + process.pid + '.tmp');
    try {
      fs.writeFileSync(file, Buffer.alloc(8192));
      fs.unlinkSync(file);
    } catch (error) {
      try { fs.unlinkSync(file); } catch {}
      return answer(res, 507, { status: 'disk_full', error: error.code });
    }
  }
  answer(res, fault.status, { status: fault.status < 400 ? 'ok' : 'broken', pid: process.pid });
}
http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/fault') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => { fault = { status: 200, delayMs: 0, ...JSON.parse(body || '{}') }; res.writeHead(204).end(); });
    return;
  }
  if (req.method === 'POST' && req.url === '/restart') {
    fault = { status: 200, delayMs: 0 };
    return res.writeHead(204).end();
  }
  if (req.url === '/health') return fault.delayMs > 0 ? setTimeout(() => health(res), fault.delayMs) : health(res);
  answer(res, 404, { status: 'not found' });
}).listen(Number(process.env.DEMO_PORT), '127.0.0.1');
`;

/** The "free space" hook: removes the filler files the drill wrote into the scratch disk. */
const FREE_SPACE_JS = `
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
for (const name of fs.readdirSync(dir)) if (name.startsWith('fill')) fs.rmSync(path.join(dir, name), { force: true });
`;

export interface DemoFiles {
  service: string;
  freeSpace: string;
}

export function writeDemoFiles(dir: string): DemoFiles {
  const files = { service: path.join(dir, 'demo-service.cjs'), freeSpace: path.join(dir, 'free-space.cjs') };
  writeFileSync(files.service, DEMO_SERVICE_JS);
  writeFileSync(files.freeSpace, FREE_SPACE_JS);
  return files;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The environment a demo service reads: its port and, for the disk scenario, its scratch dir. */
export const demoEnv = (port: number, scratch?: string): Record<string, string> => ({ DEMO_PORT: String(port), ...(scratch ? { DEMO_SCRATCH: scratch } : {}) });

/** A demo service the drill runs itself (for `http` modules, which Vigil does not own). */
export function spawnDemoService(files: DemoFiles, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [files.service], { env: childEnv('/usr/bin:/bin', env), stdio: 'ignore' });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // SIGKILL also ends a stopped (SIGSTOP) process, which would sit on a SIGTERM.
  child.kill('SIGKILL');
  await gone;
}

/** One GET /health; the status, or 0 when nothing answered in time. */
export async function healthStatus(port: number, timeoutMs = 1000): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

export async function setFault(port: number, fault: { status?: number; delayMs?: number }): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/fault`, { method: 'POST', body: JSON.stringify(fault), signal: AbortSignal.timeout(2000) });
  if (response.status !== 204) throw new Error(`the demo service on port ${port} refused the fault (HTTP ${response.status})`);
}
