import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { waitForHttp } from './http';
import { requireProgram } from './system-program';

/** Debian's prometheus-alertmanager and prometheus; each throws, naming its package, when missing. */
export const alertmanagerPath = (): string => requireProgram({ paths: ['/usr/bin/prometheus-alertmanager'], aptPackage: 'prometheus-alertmanager' });
export const prometheusPath = (): string => requireProgram({ paths: ['/usr/bin/prometheus'], aptPackage: 'prometheus' });

export interface RunningDaemon {
  port: number;
  url: string;
  /** What it wrote to stderr so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a program that serves `/-/ready` (both Prometheus and Alertmanager do) and waits until it is ready. */
async function startDaemon(input: { binary: string; args: string[]; port: number }): Promise<RunningDaemon> {
  const child = spawn(input.binary, input.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForHttp(input.port, { path: '/-/ready', timeoutMs: 30_000, isAlive: () => child.exitCode === null });
  } catch (error) {
    await stop();
    throw new Error(`${input.binary} did not start: ${(error as Error).message}\n${stderr}`);
  }
  return { port: input.port, url: `http://127.0.0.1:${input.port}`, output: () => stderr, stop };
}

/** An Alertmanager alone (clustering off) whose one receiver is a webhook with a bearer token. */
export function startAlertmanager(input: { binary: string; dir: string; port: number; webhookUrl: string; bearerToken: string }): Promise<RunningDaemon> {
  const config = `${input.dir}/alertmanager.yml`;
  writeFileSync(
    config,
    [
      'route:',
      '  receiver: vigil',
      // Every alert its own group, sent at once and resolved at once: tests wait seconds, not minutes.
      "  group_by: ['...']",
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: vigil',
      '    webhook_configs:',
      `      - url: ${JSON.stringify(input.webhookUrl)}`,
      '        send_resolved: true',
      '        http_config:',
      `          authorization: { credentials: ${JSON.stringify(input.bearerToken)} }`,
    ].join('\n'),
  );
  return startDaemon({
    binary: input.binary,
    port: input.port,
    args: [
      `--config.file=${config}`,
      `--storage.path=${input.dir}/data`,
      `--web.listen-address=127.0.0.1:${input.port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
  });
}

/** A Prometheus that scrapes one target every second, evaluates `rules` every second and alerts to one Alertmanager. */
export function startPrometheus(input: {
  binary: string;
  dir: string;
  port: number;
  scrapeTarget: string;
  alertmanager: string;
  rules: string;
}): Promise<RunningDaemon> {
  writeFileSync(`${input.dir}/rules.yml`, input.rules);
  const config = `${input.dir}/prometheus.yml`;
  writeFileSync(
    config,
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: [${JSON.stringify(`${input.dir}/rules.yml`)}]`,
      `alerting: { alertmanagers: [{ api_version: v2, static_configs: [{ targets: [${JSON.stringify(input.alertmanager)}] }] }] }`,
      `scrape_configs: [{ job_name: vigil, static_configs: [{ targets: [${JSON.stringify(input.scrapeTarget)}] }] }]`,
    ].join('\n'),
  );
  return startDaemon({
    binary: input.binary,
    port: input.port,
    args: [`--config.file=${config}`, `--storage.tsdb.path=${input.dir}/tsdb`, `--web.listen-address=127.0.0.1:${input.port}`, '--log.level=warn'],
  });
}
