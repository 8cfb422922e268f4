import { connect } from 'node:net';
import { networkFailure, type ProbeResult } from './probe-result';

export function probeTcp({ host, port, timeoutSeconds }: { host: string; port: number; timeoutSeconds: number }): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutSeconds * 1000 }, () => {
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      socket.destroy();
      resolve({ ok: true, latencyMs, message: `connected in ${latencyMs} ms`, facts: { connected: true, responseTimeMs: latencyMs } });
    });
    socket.on('timeout', () => socket.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    socket.on('error', (error) => resolve(networkFailure(error, started)));
  });
}
