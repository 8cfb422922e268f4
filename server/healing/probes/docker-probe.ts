import { request } from 'node:http';
import type { DockerModule } from '@/lib/healing/monitor-kinds-schema';
import { elapsedMs, failed, networkFailure, type ProbeResult } from './probe-result';

interface ContainerInspect {
  State?: { Status?: string; Running?: boolean; Restarting?: boolean; ExitCode?: number; Health?: { Status?: string } };
}

function inspect(module: DockerModule): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The Engine API's inspect call, unversioned so any daemon answers with its own version.
    const call = request(
      { socketPath: module.socket, path: `/containers/${encodeURIComponent(module.container)}/json`, method: 'GET', timeout: module.timeoutSeconds * 1000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    call.on('timeout', () => call.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    call.on('error', reject);
    call.end();
  });
}

/** A container is up when it runs and, if it has a health check, Docker calls it healthy. */
export async function probeDocker(module: DockerModule): Promise<ProbeResult> {
  const started = performance.now();
  let answer: { status: number; body: string };
  try {
    answer = await inspect(module);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return failed('probe_failed', `no Docker socket at ${module.socket}`, null, { code });
    if (code === 'EACCES') return failed('probe_failed', `no permission to use ${module.socket} (join the docker group)`, null, { code });
    return networkFailure(error as NodeJS.ErrnoException, started);
  }
  const latencyMs = elapsedMs(started);
  if (answer.status === 404) return failed('process_missing', `no container named ${module.container}`, latencyMs, { status: 404 });
  if (answer.status !== 200) return failed('probe_failed', `Docker answered ${answer.status}`, latencyMs, { status: answer.status });
  let state: NonNullable<ContainerInspect['State']>;
  try {
    state = (JSON.parse(answer.body) as ContainerInspect).State ?? {};
  } catch {
    return failed('probe_failed', 'Docker answered something that is not JSON', latencyMs);
  }
  const facts = { status: answer.status, responseTimeMs: latencyMs, body: answer.body };
  const health = state.Health?.Status;
  const evidence = { state: state.Status ?? null, health: health ?? null };
  if (!state.Running || state.Restarting)
    return {
      ...failed('process_exited', `container ${state.Status ?? 'not running'}${state.ExitCode ? ` (exit ${state.ExitCode})` : ''}`, latencyMs, evidence),
      facts,
    };
  if (health && health !== 'healthy' && health !== 'starting')
    return { ...failed('probe_failed', `container running but ${health}`, latencyMs, evidence), facts };
  return { ok: true, latencyMs, message: `running${health ? `, ${health}` : ''}`, facts };
}
