/**
 * Configuration files for Debian's CrowdSec bouncers pointed at Vigil's decision stream.
 * The bouncers append `v1/decisions/stream` to `api_url`, so it must end in `/api/`.
 */

export type FirewallMode = 'nftables' | 'iptables';

export interface BouncerConfigInput {
  /** Where the bouncer reaches the worker, e.g. `http://10.0.0.1:3001`. */
  workerUrl: string;
  apiKey: string;
  name: string;
}

export function streamApiUrl(workerUrl: string): string {
  return `${workerUrl.replace(/\/+$/, '')}/api/`;
}

const quoted = (text: string) => JSON.stringify(text);

/** Names of the kernel sets and tables, per bouncer, so two bouncers on one host never share one. */
export function firewallSetNames(name: string): { ipv4: string; ipv6: string } {
  const safe = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 20);
  return { ipv4: `vigil-${safe}`, ipv6: `vigil6-${safe}` };
}

const commonLines = (input: BouncerConfigInput) => [
  `api_url: ${quoted(streamApiUrl(input.workerUrl))}`,
  `api_key: ${quoted(input.apiKey)}`,
  // Vigil answers a delta pull from memory, so a one-second pull costs little and an isolation reaches the kernel within a second.
  'update_frequency: 1s',
  'log_mode: stdout',
  'log_level: info',
];

/** `crowdsec-firewall-bouncer.yaml`: nftables (its own table and set) or iptables with ipset. */
export function firewallBouncerYaml(input: BouncerConfigInput & { mode: FirewallMode }): string {
  const sets = firewallSetNames(input.name);
  return [
    `# crowdsec-firewall-bouncer for Vigil (bouncer ${input.name}); run: crowdsec-firewall-bouncer -c <this file>`,
    `mode: ${input.mode}`,
    ...commonLines(input),
    'daemonize: false',
    'insecure_skip_verify: false',
    'disable_ipv6: false',
    'deny_action: DROP',
    'deny_log: false',
    'supported_decisions_types:',
    '  - ban',
    `blacklists_ipv4: ${sets.ipv4}`,
    `blacklists_ipv6: ${sets.ipv6}`,
    'ipset_type: nethash',
    'iptables_chains:',
    '  - INPUT',
    'nftables:',
    '  ipv4:',
    '    enabled: true',
    '    set-only: false',
    `    table: ${sets.ipv4}`,
    '    chain: crowdsec-chain',
    '  ipv6:',
    '    enabled: true',
    '    set-only: false',
    `    table: ${sets.ipv6}`,
    '    chain: crowdsec6-chain',
    'prometheus:',
    '  enabled: false',
    '',
  ].join('\n');
}

/** `crowdsec-custom-bouncer.yaml`: runs `binPath add|del <ip> <seconds> <reason> <json>` per decision. */
export function customBouncerYaml(input: BouncerConfigInput & { binPath: string }): string {
  return [
    `# crowdsec-custom-bouncer for Vigil (bouncer ${input.name}); run: crowdsec-custom-bouncer -c <this file>`,
    `bin_path: ${quoted(input.binPath)}`,
    'feed_via_stdin: false',
    'total_retries: 0',
    'scenarios_containing: []',
    'scenarios_not_containing: []',
    'origins: []',
    ...commonLines(input),
    'cache_retention_duration: 10s',
    'daemonize: false',
    'prometheus:',
    '  enabled: false',
    '',
  ].join('\n');
}
