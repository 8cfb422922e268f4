import { checkServerIdentity, connect, rootCertificates, type PeerCertificate } from 'node:tls';
import type { TlsModule } from '@/lib/healing/monitor-kinds-schema';
import { elapsedMs, failed, networkFailure, type ProbeResult } from './probe-result';

const DAY_MS = 86_400_000;

function chainLength(cert: PeerCertificate & { issuerCertificate?: PeerCertificate }): number {
  let length = 1;
  for (let at = cert; at.issuerCertificate && at.issuerCertificate !== at && length < 10; at = at.issuerCertificate) length++;
  return length;
}

/** A TLS handshake: the chain verified, the name checked, the days left counted; nothing sent after. */
export function probeTls(module: TlsModule): Promise<ProbeResult> {
  const serverName = module.serverName ?? module.host;
  const started = performance.now();
  return new Promise((resolve) => {
    // Verified by hand after the handshake, so an expired or mismatched certificate is reported, not just refused.
    const socket = connect({
      host: module.host,
      port: module.port,
      servername: /^[\d.]+$|:/.test(serverName) ? undefined : serverName,
      ca: module.ca ? [...rootCertificates, module.ca] : undefined,
      rejectUnauthorized: false,
      timeout: module.timeoutSeconds * 1000,
    });
    socket.once('secureConnect', () => {
      const latencyMs = elapsedMs(started);
      const cert = socket.getPeerCertificate(true);
      socket.destroy();
      if (!cert?.valid_to) return resolve(failed('probe_failed', 'the server sent no certificate', latencyMs));
      const leftMs = Date.parse(cert.valid_to) - Date.now();
      const daysLeft = Math.floor(leftMs / DAY_MS);
      const facts = { connected: true, responseTimeMs: latencyMs, certificateExpirationMs: Math.max(0, leftMs) };
      const evidence = { daysLeft, chain: chainLength(cert), subject: String(cert.subject?.CN ?? ''), issuer: String(cert.issuer?.CN ?? '') };
      if (leftMs <= 0)
        return resolve({
          ...failed('probe_failed', `certificate expired on ${new Date(cert.valid_to).toISOString().slice(0, 10)}`, latencyMs, evidence),
          facts,
        });
      const mismatch = checkServerIdentity(serverName, cert);
      if (mismatch) return resolve({ ...failed('probe_failed', `certificate does not name ${serverName}: ${mismatch.message}`, latencyMs, evidence), facts });
      if (!socket.authorized)
        return resolve({ ...failed('probe_failed', `certificate chain not trusted: ${String(socket.authorizationError)}`, latencyMs, evidence), facts });
      if (daysLeft <= module.expiryDays) {
        const message = `certificate expires in ${daysLeft} days`;
        return resolve({ ok: true, latencyMs, message, facts, finding: { kind: 'tls_expiring', message: `TLS ${message}`, evidence } });
      }
      resolve({ ok: true, latencyMs, message: `certificate valid ${daysLeft} more days, chain of ${evidence.chain}`, facts });
    });
    socket.on('timeout', () => socket.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    socket.on('error', (error) => resolve(networkFailure(error, started)));
  });
}
