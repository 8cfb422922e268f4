import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { HttpModule, KeywordModule } from '@/lib/healing/module-schema';
import { MAX_PROBES_IN_FLIGHT } from '../probe-timing';
import { failed, networkFailure, type ProbeResult } from './probe-result';

const BODY_LIMIT = 256 * 1024;
// Keep-alive: 2,000 targets every 10 s must not pay a TCP (and TLS) handshake each time. As many
// sockets per target host as probes may be in flight: a smaller pool would queue probes inside
// the agent, where their timeout already runs, and blame many modules on one host for the wait.
const pool = { keepAlive: true, maxSockets: MAX_PROBES_IN_FLIGHT };
const agents = { 'http:': new http.Agent(pool), 'https:': new https.Agent(pool) };

function statusMatches(status: number, expected: readonly (number | string)[]): boolean {
  return expected.some((spec) => (typeof spec === 'number' ? spec === status : Math.floor(status / 100) === Number(spec[0])));
}

function jsonAt(value: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>(
      (node, key) => (node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );
}

function certificateLeftMs(socket: TLSSocket | undefined): number | null {
  const cert = socket?.getPeerCertificate?.();
  if (!cert?.valid_to) return null;
  return Date.parse(cert.valid_to) - Date.now();
}

/** Uptime Kuma's keyword check: the word must be in the body, or with invertKeyword must not. */
function keywordFailure(module: HttpModule | KeywordModule, body: string): string | null {
  if (module.kind !== 'keyword') return null;
  const found = body.includes(module.keyword);
  if (found === !module.invertKeyword) return null;
  return module.invertKeyword ? `body contains ${JSON.stringify(module.keyword)}` : `body lacks ${JSON.stringify(module.keyword)}`;
}

/** One request; status, body and JSON assertions; certificate expiry for https. */
export function probeHttp(module: HttpModule | KeywordModule): Promise<ProbeResult> {
  const url = new URL(module.url);
  const started = performance.now();
  return new Promise((resolve) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: module.method,
        headers: { 'user-agent': 'vigil-probe', ...module.headers },
        // A pooled agent would reuse a verified socket for an unverified request and back: only verified ones pool.
        agent:
          module.ignoreTlsErrors && url.protocol === 'https:' ? new https.Agent({ rejectUnauthorized: false }) : agents[url.protocol as 'http:' | 'https:'],
        timeout: module.timeoutSeconds * 1000,
      },
      (response) => {
        const leftMs = url.protocol === 'https:' ? certificateLeftMs(response.socket as TLSSocket) : null;
        const daysLeft = leftMs === null ? null : Math.floor(leftMs / 86_400_000);
        const chunks: Buffer[] = [];
        let size = 0;
        const needBody = module.bodyContains !== undefined || module.json !== undefined || module.kind === 'keyword' || module.conditions.length > 0;
        let judged = false;
        const judge = () => {
          if (judged) return;
          judged = true;
          const latencyMs = Math.round((performance.now() - started) * 10) / 10;
          const status = response.statusCode ?? 0;
          if (!statusMatches(status, module.expectStatus)) return resolve(failed('http_status', `HTTP ${status}`, latencyMs, { status }));
          const body = Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8');
          const facts = { status, responseTimeMs: latencyMs, body, ...(leftMs === null ? {} : { certificateExpirationMs: Math.max(0, leftMs) }) };
          const keyword = keywordFailure(module, body);
          if (keyword) return resolve({ ...failed('assertion_failed', keyword, latencyMs, { status }), facts });
          if (module.bodyContains !== undefined && !body.includes(module.bodyContains))
            return resolve(failed('assertion_failed', `body lacks ${JSON.stringify(module.bodyContains)}`, latencyMs, { status }));
          if (module.json) {
            let actual: unknown;
            try {
              actual = jsonAt(JSON.parse(body), module.json.path);
            } catch {
              return resolve(failed('assertion_failed', 'body is not JSON', latencyMs, { status }));
            }
            if (actual !== module.json.equals)
              return resolve(
                failed('assertion_failed', `${module.json.path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(module.json.equals)}`, latencyMs, {
                  status,
                }),
              );
          }
          if (daysLeft !== null && daysLeft <= module.tlsExpiryDays) {
            return resolve({
              ok: true,
              latencyMs,
              message: `HTTP ${status}; certificate expires in ${daysLeft} days`,
              finding: { kind: 'tls_expiring', message: `TLS certificate expires in ${daysLeft} days`, evidence: { daysLeft } },
              facts,
            });
          }
          resolve({ ok: true, latencyMs, message: `HTTP ${status}`, facts });
        };
        response.on('data', (chunk: Buffer) => {
          if (needBody) chunks.push(chunk);
          size += chunk.length;
          // The assertions read the first BODY_LIMIT bytes; a body without end is judged on them, and not read further.
          if (size >= BODY_LIMIT) {
            judge();
            request.destroy();
          }
        });
        response.on('error', (error) => resolve(networkFailure(error, started)));
        response.on('end', judge);
      },
    );
    // The socket's timeout counts only silence; a body that trickles a byte at a time ends here.
    const deadline = setTimeout(() => request.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), module.timeoutSeconds * 1000);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    request.on('error', (error) => resolve(networkFailure(error, started)));
    request.end();
  });
}
