// Uptime Kuma as a benchmark anchor: its own server (`node server/server.js` of an installed
// `uptime-kuma` package), its own SQLite, the same HTTP targets as Vigil's worker.
//
// Monitors are written straight into its database before it starts (it starts every active
// monitor at boot), as its own "add monitor" form would store them: type http, GET, 2xx, no
// retries, the same interval and timeout as Vigil's modules.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { cleanEnv, stop, track } from './worker-process';
import { freePort } from './worker-process';

export interface KumaMonitor {
  name: string;
  url: string;
  intervalSeconds: number;
  timeoutSeconds: number;
}

function httpStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function startKuma(kumaDir: string, dataDir: string, timeoutMs: number): Promise<{ child: ChildProcess; port: number; readyMs: number }> {
  const port = await freePort();
  const started = performance.now();
  // Its migrations are read relative to the package directory.
  const child = spawn(process.execPath, ['server/server.js', `--data-dir=${dataDir}/`, `--port=${port}`, '--host=127.0.0.1'], {
    cwd: kumaDir,
    env: cleanEnv({ NODE_ENV: 'production' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output } = track(child, 'uptime-kuma');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    if ((await httpStatus(port)) !== 0) return { child, port, readyMs: Math.round(performance.now() - started) };
    await sleep(250);
  }
  throw new Error(`Uptime Kuma did not answer within ${timeoutMs / 1000} s:\n${output()}`);
}

/** A data directory whose database holds one user and `monitors`, all active. */
export async function prepareKuma(kumaDir: string, dataDir: string, monitors: readonly KumaMonitor[]): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'db-config.json'), JSON.stringify({ type: 'sqlite' }));
  // The first start creates and migrates its database; stopped as soon as it listens.
  const first = await startKuma(kumaDir, dataDir, 180_000);
  await stop(first.child);
  const db = new Database(path.join(dataDir, 'kuma.db'));
  try {
    db.prepare("INSERT INTO user (id, username, password, active) VALUES (1, 'bench', 'not-a-hash', 1)").run();
    const insert = db.prepare(
      `INSERT INTO monitor (name, active, user_id, interval, url, type, method, maxretries, retry_interval, timeout, accepted_statuscodes_json)
       VALUES (?, 1, 1, ?, ?, 'http', 'GET', 0, ?, ?, '["200-299"]')`,
    );
    db.transaction(() => {
      for (const m of monitors) insert.run(m.name, m.intervalSeconds, m.url, m.intervalSeconds, m.timeoutSeconds);
    })();
  } finally {
    db.close();
  }
}

export async function runKuma(kumaDir: string, dataDir: string): Promise<{ child: ChildProcess; readyMs: number }> {
  const { child, readyMs } = await startKuma(kumaDir, dataDir, 300_000);
  return { child, readyMs };
}

/** Monitors whose latest heartbeat says down (status 0), read after Uptime Kuma stopped. */
export function kumaDownCount(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'kuma.db'), { readonly: true });
  try {
    const row = db
      .prepare('SELECT COUNT(*) AS down FROM heartbeat h WHERE h.id = (SELECT MAX(id) FROM heartbeat WHERE monitor_id = h.monitor_id) AND h.status = 0')
      .get() as { down: number };
    return row.down;
  } finally {
    db.close();
  }
}
