import type { ModuleDefinition } from '@/lib/healing/module-schema';
import { runProgram } from '../exec/run-program';
import type { ModuleRuntime } from './module-runtime';
import { failed, type ProbeResult } from './probes/probe-result';
import { applyConditions } from './probe-conditions';

// Each probe kind loads with its first probe: a worker watching no database does not carry
// pg, HTTP/2, TLS or DNS code (and node's own pages for them) while idle. An import resolves
// once; later probes of the kind call the loaded module.
const probeHttp: typeof import('./probes/http-probe').probeHttp = async (definition) => (await import('./probes/http-probe')).probeHttp(definition);

async function probeCommand(module: Extract<ModuleDefinition, { kind: 'command' }>, searchPath: string): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const result = await runProgram(module.command, module.timeoutSeconds * 1000, searchPath);
    const latencyMs = Math.round(performance.now() - started);
    if (result.signal) return failed('timeout', `${module.command[0]} killed (${result.signal}) after ${latencyMs} ms`);
    if (result.code !== module.expectExit)
      return failed('probe_failed', `${module.command[0]} exited ${result.code}${result.output ? `: ${result.output.split('\n').at(-1)}` : ''}`, latencyMs, {
        code: result.code,
      });
    return { ok: true, latencyMs, message: `exit ${result.code}` };
  } catch (error) {
    return failed('probe_failed', (error as Error).message);
  }
}

async function probeSupervised(runtime: ModuleRuntime): Promise<ProbeResult> {
  const supervisor = runtime.supervisor;
  const definition = runtime.definition as Extract<ModuleDefinition, { kind: 'process' }>;
  if (!supervisor?.running) {
    const exit = supervisor?.lastExit;
    return failed('process_exited', exit ? `not running (${exit.signal ?? `exit ${exit.code}`})` : 'not running', null, {
      code: exit?.code ?? null,
      signal: exit?.signal ?? null,
    });
  }
  const usage = await runtime.usage.sample(supervisor.pid!, Date.now());
  if (usage) {
    const ruled = runtime.resourceRules.check(definition.resourceRules, usage, supervisor.pid!, Date.now());
    if (ruled) return ruled;
    const { detection } = definition;
    const overMs = runtime.usage.overFor(usage, detection, Date.now());
    if (overMs >= detection.sustainSeconds * 1000) {
      const what =
        usage.memoryPercent > detection.memoryPercent ? `memory ${usage.memoryPercent.toFixed(1)} % of the host` : `CPU ${usage.cpuPercent.toFixed(0)} %`;
      const message = `${what} for ${Math.round(overMs / 1000)} s`;
      return {
        ok: true,
        latencyMs: null,
        message,
        finding: {
          kind: 'resource_exhaustion',
          message,
          evidence: {
            cpuPercent: Math.round(usage.cpuPercent),
            memoryPercent: Math.round(usage.memoryPercent * 10) / 10,
            rssBytes: usage.rssBytes,
            seconds: Math.round(overMs / 1000),
          },
        },
      };
    }
  }
  if (definition.readyUrl) {
    const ready = await probeHttp({
      ...definition,
      kind: 'http',
      url: definition.readyUrl,
      method: 'GET',
      expectStatus: ['2xx'],
      tlsExpiryDays: 0,
      ignoreTlsErrors: false,
      headers: {},
    } as Extract<ModuleDefinition, { kind: 'http' }>);
    return ready.ok ? { ...ready, message: `pid ${supervisor.pid}, ${ready.message}` } : ready;
  }
  return { ok: true, latencyMs: null, message: `pid ${supervisor.pid} up ${Math.round(supervisor.uptimeMs / 1000)} s` };
}

function probePush(runtime: ModuleRuntime, now: number): ProbeResult {
  const limitMs = runtime.definition.detection.heartbeatSeconds * 1000;
  const last = runtime.lastHeartbeatAt;
  if (last === null) return failed('heartbeat_lost', 'no heartbeat received yet', null, { heartbeatSeconds: limitMs / 1000 });
  const age = now - last;
  if (age > limitMs)
    return failed('heartbeat_lost', `no heartbeat for ${Math.round(age / 1000)} s (limit ${limitMs / 1000} s)`, null, { ageSeconds: Math.round(age / 1000) });
  return { ok: true, latencyMs: null, message: `last heartbeat ${Math.round(age / 1000)} s ago` };
}

/** One probe of any kind, bounded by the module's timeout even if the probe itself is not. */
export async function probeModule(runtime: ModuleRuntime, searchPath: string, now: number): Promise<ProbeResult> {
  const definition = runtime.definition;
  const run = (): Promise<ProbeResult> => {
    switch (definition.kind) {
      case 'http':
      case 'keyword':
        return probeHttp(definition);
      case 'dns':
        return import('./probes/dns-probe').then(({ probeDns }) => probeDns(definition));
      case 'ping':
        return import('./probes/ping-probe').then(({ probePing }) => probePing(definition, searchPath));
      case 'tls':
        return import('./probes/tls-probe').then(({ probeTls }) => probeTls(definition));
      case 'postgres':
        return import('./probes/postgres-probe').then(({ probePostgres }) => probePostgres(definition));
      case 'mysql':
        return import('./probes/mysql-probe').then(({ probeMysql }) => probeMysql(definition));
      case 'redis':
        return import('./probes/redis-probe').then(({ probeRedis }) => probeRedis(definition));
      case 'docker':
        return import('./probes/docker-probe').then(({ probeDocker }) => probeDocker(definition));
      case 'smtp':
        return import('./probes/smtp-probe').then(({ probeSmtp }) => probeSmtp(definition));
      case 'grpc':
        return import('./probes/grpc-probe').then(({ probeGrpc }) => probeGrpc(definition));
      case 'tcp':
        return import('./probes/tcp-probe').then(({ probeTcp }) => probeTcp(definition));
      case 'command':
        return probeCommand(definition, searchPath);
      case 'external':
        return import('./probes/external-probe').then(({ probeExternal }) => probeExternal(definition));
      case 'process':
        return probeSupervised(runtime);
      case 'push':
        return Promise.resolve(probePush(runtime, now));
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () => resolve(failed('timeout', `no answer within ${definition.timeoutSeconds} s`, null, { timeoutMs: definition.timeoutSeconds * 1000 })),
      definition.timeoutSeconds * 1000 + 250,
    );
  });
  try {
    const answered = run()
      .then((result) => applyConditions(result, definition.conditions))
      .catch((error: unknown) => failed('probe_failed', (error as Error).message));
    return await Promise.race([answered, limit]);
  } finally {
    clearTimeout(timer);
  }
}
