// CrowdSec's local API (Debian package `crowdsec`) as an anchor for the guard: only the API
// (-no-cs), its own SQLite in a temp dir, no Central API (the machine is offline), 100,000
// ban decisions imported with cscli, and a bouncer key for the lookups.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { addCleanup } from './run';

export function crowdsecMissing(): string | null {
  return existsSync('/usr/bin/crowdsec') && existsSync('/usr/bin/cscli') ? null : 'crowdsec is not installed (apt-get install -y crowdsec)';
}

export interface CrowdsecLapi {
  key: string;
  /** One key per bouncer asked for (`bouncers`, default 1); `key` is the first. */
  keys: string[];
  pid: number;
  /** `cscli` on this instance's configuration. */
  cscli(...args: string[]): string;
  stop(): void;
}

export async function startCrowdsecLapi({
  dir,
  port,
  entries,
  bouncers = 1,
}: {
  dir: string;
  port: number;
  entries: number;
  bouncers?: number;
}): Promise<CrowdsecLapi> {
  mkdirSync(`${dir}/data`, { recursive: true });
  mkdirSync(`${dir}/notifications`, { recursive: true });
  const config = `${dir}/config.yaml`;
  writeFileSync(
    config,
    `common: { daemonize: false, log_media: stdout, log_level: error, working_dir: . }
config_paths:
  config_dir: ${dir}/
  data_dir: ${dir}/data/
  simulation_path: /etc/crowdsec/simulation.yaml
  hub_dir: /var/lib/crowdsec/hub/
  index_path: /var/lib/crowdsec/hub/.index.json
  notification_dir: ${dir}/notifications/
  plugin_dir: /usr/lib/crowdsec/plugins/
db_config: { log_level: error, type: sqlite, db_path: ${dir}/data/crowdsec.db, use_wal: true }
api:
  client: { credentials_path: ${dir}/local_api_credentials.yaml }
  server: { log_level: error, listen_uri: "127.0.0.1:${port}", profiles_path: /etc/crowdsec/profiles.yaml, trusted_ips: [127.0.0.1] }
prometheus: { enabled: false }
`,
  );
  const cscli = (...args: string[]) => execFileSync('/usr/bin/cscli', ['-c', config, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  cscli('machines', 'add', 'vigil-bench', '--auto', '-f', `${dir}/local_api_credentials.yaml`);
  const keys = Array.from({ length: bouncers }, (_, i) =>
    cscli('bouncers', 'add', i === 0 ? 'vigil-bench' : `vigil-bench-${i}`, '-o', 'raw')
      .trim()
      .split('\n')
      .at(-1)!,
  );
  const key = keys[0];
  const child = spawn('/usr/bin/crowdsec', ['-c', config, '-no-cs'], { stdio: 'ignore' });
  const dropCleanup = addCleanup(() => child.kill());
  const url = `http://127.0.0.1:${port}/v1/decisions?ip=192.0.2.1`;
  for (
    let waited = 0;
    (await fetch(url, { headers: { 'x-api-key': key } }).then(
      (r) => r.status,
      () => 0,
    )) !== 200;
    waited += 100
  ) {
    if (waited > 20_000) throw new Error('the crowdsec local API did not answer within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const csv = [
    'duration,origin,reason,scope,type,value',
    ...Array.from({ length: entries }, (_, i) => `24h,bench,bench,ip,ban,10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`),
  ];
  writeFileSync(`${dir}/decisions.csv`, `${csv.join('\n')}\n`);
  cscli('decisions', 'import', '-i', `${dir}/decisions.csv`);
  return {
    key,
    keys,
    pid: child.pid!,
    cscli,
    stop() {
      child.kill();
      dropCleanup();
    },
  };
}
