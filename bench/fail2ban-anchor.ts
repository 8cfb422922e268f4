// Anchor for "brute force enforced ≤ 1 s after the 10th failed line": Debian's fail2ban
// (apt-get install fail2ban) following an sshd log, time from the 10th "Failed password"
// line to its ban action running. Vigil's own number for the same path is in
// bench/logtail-latency.ts; this script measures fail2ban on the same machine.
//
//   node --import tsx bench/fail2ban-anchor.ts [--runs 5]
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { makeTempDir } from '@/server/test-support/temp-dir';
import { distribution, intArg, monoMs, parseArgs, roundDist, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const RUNS = intArg(parseArgs(), 'runs', 5);

function sshdLine(ip: string): string {
  const now = new Date();
  const stamp = `${now.toLocaleString('en-US', { month: 'short' })} ${String(now.getDate()).padStart(2, ' ')} ${now.toTimeString().slice(0, 8)}`;
  return `${stamp} ${os.hostname()} sshd[4242]: Failed password for root from ${ip} port 52044 ssh2\n`;
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/fail2ban-server')) throw new Error('fail2ban is not installed (apt-get install -y fail2ban)');
  const dir = makeTempDir('vigil-fail2ban-');
  addCleanup(() => dir.remove());
  const conf = dir.join('etc');
  cpSync('/etc/fail2ban', conf, { recursive: true });
  const log = dir.join('auth.log');
  writeFileSync(log, '');
  writeFileSync(
    `${conf}/fail2ban.local`,
    `[DEFAULT]\nloglevel = WARNING\nlogtarget = ${dir.join('fail2ban.log')}\ndbfile = :memory:\nsocket = ${dir.join('f2b.sock')}\npidfile = ${dir.join('f2b.pid')}\n`,
  );
  writeFileSync(
    `${conf}/action.d/marker.conf`,
    `[Definition]\nactionstart =\nactionstop =\nactioncheck =\nactionban = touch ${dir.path}/banned-<ip>\nactionunban =\n`,
  );
  // pyinotify is not installed with the Debian package, so the polling backend follows the log.
  writeFileSync(
    `${conf}/jail.local`,
    `[DEFAULT]\nbackend = polling\n\n[sshd]\nenabled = true\nport = ssh\nlogpath = ${log}\nmaxretry = 10\nfindtime = 600\nbantime = 3600\nbanaction = marker\naction = marker\n`,
  );
  writeFileSync(`${conf}/jail.d/defaults-debian.conf`, '');
  const server = spawn('/usr/bin/fail2ban-server', ['-f', '-x', '-c', conf, '-s', dir.join('f2b.sock'), '-p', dir.join('f2b.pid')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  addCleanup(() => server.kill());
  // Give it time to start the jail before the first line lands.
  for (let waited = 0; !existsSync(dir.join('f2b.sock')); waited += 50) {
    if (waited > 20_000) throw new Error('fail2ban-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const ip = `203.0.113.${run + 10}`;
    for (let i = 0; i < 9; i++) appendFileSync(log, sshdLine(ip));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = monoMs();
    appendFileSync(log, sshdLine(ip));
    while (!existsSync(`${dir.path}/banned-${ip}`)) {
      if (monoMs() - started > 30_000) throw new Error(`fail2ban did not ban ${ip} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    samples.push(monoMs() - started);
    console.log(`run ${run + 1}: 10th line → ban action ${Math.round(samples.at(-1)!)} ms`);
  }
  const result = roundDist(distribution(samples), 0);
  console.log(`fail2ban 1.0.2 (Debian), backend polling: 10th failed sshd line → ban p50 ${result.p50} ms, max ${result.max} ms`);
  writeResult('fail2ban-anchor', { runs: RUNS, backend: 'polling', tenthLineToBanMs: result });
  await runCleanups();
}

runBenchmark({ name: 'fail2ban-anchor', hardLimitMs: 120_000, main });
