#!/usr/bin/env node
// `npm test`: the whole suite, in the order that fails fastest: dependency audit,
// type check, lint, unit + integration tests with coverage (vitest), then the
// end-to-end tests in Chromium (playwright). Each step's own output is shown as is.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const say = (message) => process.stdout.write(`\n== ${message}\n`);

function run(label, command, args, { allowFailure = false } = {}) {
  say(label);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0 && !allowFailure) {
    process.stdout.write(`\nnpm test: ${label} failed\n`);
    process.exit(result.status ?? 1);
  }
  return result.status;
}

function audit() {
  say('npm audit (production dependencies, high and critical)');
  const result = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: root, encoding: 'utf8' });
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    report = null;
  }
  if (report?.metadata?.vulnerabilities) {
    const { high = 0, critical = 0, moderate = 0, low = 0 } = report.metadata.vulnerabilities;
    process.stdout.write(`vulnerabilities: ${critical} critical, ${high} high, ${moderate} moderate, ${low} low\n`);
    if (high + critical > 0) {
      spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high'], { cwd: root, stdio: 'inherit' });
      process.stdout.write('\nnpm test: high or critical vulnerabilities in production dependencies\n');
      process.exit(1);
    }
    return;
  }
  // The registry answered but has no audit service (mirrors and proxies often do not): say so loudly.
  process.stdout.write(
    `WARNING: npm audit could not run here (${report?.statusCode ?? 'no answer'} ${report?.message ?? result.stderr?.split('\n')[0] ?? ''}); the dependency audit was NOT performed.\n`,
  );
}

function postgresReachable() {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 5432 });
    socket.setTimeout(1500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function ensurePostgres() {
  if (process.env.VIGIL_TEST_POSTGRES_URL || (await postgresReachable())) return;
  // A stopped local cluster is started: without one the PostgreSQL tests fail, they never skip.
  const clusters = spawnSync('sh', ['-c', 'ls /etc/postgresql 2>/dev/null'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  for (const version of clusters) spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  if (!(await postgresReachable())) {
    process.stdout.write('WARNING: no PostgreSQL on 127.0.0.1:5432 and none could be started: the PostgreSQL integration tests will fail.\n');
  }
}

// System programs the tests run for real. Tests never install them (.ci/run does, and the README
// lists the packages): a missing one stops the run here with the command that installs it.
const SYSTEM_PROGRAMS = [
  { paths: [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'], aptPackage: 'chromium' },
  { paths: ['/usr/sbin/nginx', '/usr/bin/nginx'], aptPackage: 'nginx-light' },
  // `ip`, for the test hosts in network namespaces (the guard's isolated clients).
  { paths: ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'], aptPackage: 'iproute2' },
  { paths: ['/usr/bin/prometheus'], aptPackage: 'prometheus' },
  { paths: ['/usr/bin/prometheus-alertmanager'], aptPackage: 'prometheus-alertmanager' },
  // CrowdSec's bouncers enforcing isolations in a test namespace's kernel, and nft to read their sets.
  { paths: ['/usr/bin/crowdsec-firewall-bouncer'], aptPackage: 'crowdsec-firewall-bouncer' },
  { paths: ['/usr/bin/crowdsec-custom-bouncer'], aptPackage: 'crowdsec-custom-bouncer' },
  { paths: ['/usr/sbin/nft'], aptPackage: 'nftables' },
  // Off-site snapshot copies: restic itself, and sshd serving an SFTP repository on loopback.
  { paths: ['/usr/bin/restic'], aptPackage: 'restic' },
  { paths: ['/usr/sbin/sshd'], aptPackage: 'openssh-server' },
  // The DNS monitor's resolver on a loopback port, and ping for the ICMP monitor.
  { paths: ['/usr/sbin/dnsmasq'], aptPackage: 'dnsmasq-base' },
  { paths: ['/usr/bin/ping', '/bin/ping'], aptPackage: 'iputils-ping' },
];

function requireSystemPrograms() {
  const missing = SYSTEM_PROGRAMS.filter((program) => !program.paths.some((path) => existsSync(path)));
  if (missing.length === 0) return;
  const packages = missing.map((program) => program.aptPackage).join(' ');
  process.stdout.write(
    `\nnpm test: the tests need Debian packages that are not installed: ${packages}\n  apt-get install -y --no-install-recommends ${packages}\n`,
  );
  process.exit(1);
}

requireSystemPrograms();
audit();
run('type check (tsc --noEmit)', bin('tsc'), ['--noEmit']);
run('lint (eslint)', bin('eslint'), ['--max-warnings=0', '.']);
run('format (prettier --check)', bin('prettier'), ['--check', '--log-level=warn', '.']);
await ensurePostgres();
run('unit and integration tests with coverage (vitest)', bin('vitest'), ['run', '--coverage']);
run('end-to-end tests in Chromium (playwright)', bin('playwright'), ['test']);
