import type { FieldSpec, KindSpec } from './field-spec';

const argv: FieldSpec = {
  key: 'command',
  label: 'Command (one argument per line)',
  type: 'lines',
  mono: true,
  rows: 3,
  hint: 'An argument list, never a shell line: the program first, then each argument.',
};

export const PUSH_KIND: KindSpec = {
  kind: 'push',
  summary: 'Your job calls POST /api/v1/push/<token> on the worker; no heartbeat in time means down.',
  fields: [{ key: 'token', label: 'Push token', type: 'token', mono: true }],
};

export const DOCKER_KIND: KindSpec = {
  kind: 'docker',
  summary: 'Asks the Docker daemon whether a container runs (and is healthy, when it has a health check).',
  fields: [
    { key: 'container', label: 'Container', type: 'text', mono: true, placeholder: 'shop-web' },
    { key: 'socket', label: 'Docker socket', type: 'text', optional: true, mono: true, placeholder: 'default /var/run/docker.sock' },
  ],
};

export const EXTERNAL_KIND: KindSpec = {
  kind: 'external',
  summary: 'Watches a process Vigil does not start, by pid file or process name.',
  fields: [
    { key: 'pidFile', label: 'Pid file', type: 'text', optional: true, mono: true, placeholder: '/run/nginx.pid' },
    { key: 'processName', label: 'Process name', type: 'text', optional: true, mono: true, placeholder: 'nginx' },
  ],
};

export const PROCESS_KIND: KindSpec = {
  kind: 'process',
  adminOnly: true,
  summary: 'Vigil starts and supervises the program, restarting it as its policy says.',
  fields: [
    argv,
    { key: 'cwd', label: 'Working directory', type: 'text', optional: true, mono: true },
    { key: 'restartOn', label: 'Restart on', type: 'select', options: ['always', 'failure', 'never'], narrow: true },
    { key: 'readyUrl', label: 'Ready URL', type: 'text', optional: true, placeholder: 'http://127.0.0.1:8080/health' },
    {
      key: 'resourceRules',
      label: 'Resource rules (one per line)',
      type: 'lines',
      mono: true,
      rows: 2,
      hint: 'e.g. restart if memory > 500 MB for 3 cycles · alert if cpu > 90 % for 2 minutes',
    },
  ],
};

export const COMMAND_KIND: KindSpec = {
  kind: 'command',
  adminOnly: true,
  summary: 'Runs a program on every probe; up when it exits with the expected code.',
  fields: [argv, { key: 'expectExit', label: 'Expected exit code', type: 'number', optional: true, placeholder: 'default 0', narrow: true }],
};
