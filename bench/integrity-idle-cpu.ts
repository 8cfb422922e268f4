// What watching Vigil's own code costs at idle: CPU time of two real worker processes,
// one with VIGIL_INTEGRITY_SELF=true (the default) and one with it off, idling side by side.
//
//   npx tsx bench/integrity-idle-cpu.ts [--idle-seconds 30] [--copy]
//
// --copy runs both workers from a fresh copy of the code (server/, lib/, app/, scripts/, prisma/,
// package*.json, tsconfig.json; node_modules linked), so edits in this checkout during the
// window do not count as idle work.
//
// Both start on temp data dirs (SQLite, default config, LOG_LEVEL=warn). After /healthz answers,
// the run waits until the self-watching worker has finished its first scan (GET /internal/v1/integrity),
// then reads utime+stime from /proc/<pid>/stat at the start and end of the idle window.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IntegrityStatus } from '../lib/integrity/integrity-status';
import { internalToken } from '../server/auth/keys';
import { REPO_ROOT, fmtInt, intArg, machineInfo, parseArgs, processCpuMs, round, table, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { spawnWorker } from './lib/worker-process';

const args = parseArgs();
const IDLE_SECONDS = intArg(args, 'idle-seconds', 30);
const COPY = args.has('copy');
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

async function integrityStatus(port: number): Promise<IntegrityStatus> {
  const res = await fetch(`http://127.0.0.1:${port}/internal/v1/integrity`, { headers: { authorization: `Bearer ${internalToken(SECRET)}` } });
  return (await res.json()) as IntegrityStatus;
}

function copyOfTheCode(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-code-'));
  addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  for (const entry of ['server', 'lib', 'app', 'scripts', 'prisma', 'package.json', 'package-lock.json', 'tsconfig.json'])
    cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

async function main(): Promise<void> {
  const m = machineInfo();
  console.log(`integrity-idle-cpu: ${IDLE_SECONDS} s idle; machine: ${m.cpus} CPU (${m.cpuModel}), node ${m.node}, load ${m.loadAverage.join(' ')}`);
  const cwd = COPY ? copyOfTheCode() : REPO_ROOT;
  const variants = [] as { label: string; child: Awaited<ReturnType<typeof spawnWorker>>['child']; port: number }[];
  for (const self of ['true', 'false']) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-idle-'));
    addCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
    const worker = await spawnWorker(
      { VIGIL_DATA_DIR: dataDir, VIGIL_CONFIG: path.join(dataDir, 'vigil.config.yaml'), VIGIL_SECRET: SECRET, VIGIL_INTEGRITY_SELF: self },
      { cwd },
    );
    variants.push({ label: `VIGIL_INTEGRITY_SELF=${self}`, child: worker.child, port: worker.port });
  }
  let status = await integrityStatus(variants[0].port);
  while (!status.lastScan) {
    await sleep(200);
    status = await integrityStatus(variants[0].port);
  }
  await sleep(2000);
  const before = variants.map((v) => processCpuMs(v.child.pid!));
  await sleep(IDLE_SECONDS * 1000);
  const after = variants.map((v) => processCpuMs(v.child.pid!));
  // Files edited under the checkout meanwhile are real work (hash, audit), not idle cost: count them.
  const end = await integrityStatus(variants[0].port);
  const findingsInWindow = end.recentFindings.filter((f) => Date.parse(f.at) >= Date.now() - IDLE_SECONDS * 1000).length;
  const rows = variants.map((v, i) => {
    const used = after[i] - before[i];
    return { label: v.label, cpuMs: Math.round(used), percent: round((used / (IDLE_SECONDS * 1000)) * 100, 2) };
  });
  await runCleanups();
  console.log(
    table(
      ['worker', `CPU ms in ${IDLE_SECONDS} s`, 'CPU %'],
      rows.map((r) => [r.label, fmtInt(r.cpuMs), r.percent]),
    ),
  );
  console.log(`findings during the idle window (files edited in the checkout meanwhile): ${findingsInWindow}`);
  console.log(
    `self watch: ${fmtInt(status.filesWatched)} files, ${status.realtime.directories} directories watched; first scan ${status.lastScan?.durationMs} ms (${round((status.lastScan?.bytes ?? 0) / 1e6, 1)} MB)`,
  );
  writeResult('integrity-idle-cpu', {
    machine: m,
    idleSeconds: IDLE_SECONDS,
    copy: COPY,
    rows,
    findingsInWindow,
    selfWatch: { files: status.filesWatched, directories: status.realtime.directories, firstScan: status.lastScan },
  });
}

runBenchmark({ name: 'integrity-idle-cpu', hardLimitMs: 115_000, main });
