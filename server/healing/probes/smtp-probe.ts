import type { SmtpModule } from '@/lib/healing/monitor-kinds-schema';
import { elapsedMs, failed, networkFailure, type ProbeResult } from './probe-result';
import { SocketConversation } from './socket-conversation';

/** The greeting: a mail server that is ready says 220 first (RFC 5321 §4.2), possibly over several lines. */
export async function probeSmtp(module: SmtpModule): Promise<ProbeResult> {
  const started = performance.now();
  let conversation: SocketConversation | undefined;
  try {
    conversation = await SocketConversation.open(module.host, module.port, module.timeoutSeconds * 1000);
    let line = await conversation.line();
    const banner = [line];
    // "220-first line" continues, "220 last line" ends the greeting.
    while (/^\d{3}-/.test(line) && banner.length < 20) banner.push((line = await conversation.line()));
    const latencyMs = elapsedMs(started);
    conversation.write('QUIT\r\n');
    const status = Number.parseInt(line.slice(0, 3), 10);
    const text = banner.map((l) => l.slice(4)).join(' ');
    const facts = { connected: true, responseTimeMs: latencyMs, status, body: text };
    if (status !== 220)
      return { ...failed('probe_failed', `greeting ${line.slice(0, 200)}`, latencyMs, { status: Number.isNaN(status) ? null : status }), facts };
    return { ok: true, latencyMs, message: `220 ${text.slice(0, 120)}`, facts };
  } catch (error) {
    return networkFailure(error as NodeJS.ErrnoException, started);
  } finally {
    conversation?.close();
  }
}
