import type { RedisModule } from '@/lib/healing/monitor-kinds-schema';
import { readNamedSecret } from '../../env/named-secrets';
import { elapsedMs, failed, networkFailure, type ProbeResult } from './probe-result';
import { SocketConversation } from './socket-conversation';

/** A RESP array of bulk strings: what every Redis command is on the wire. */
const command = (...words: string[]): string => `*${words.length}\r\n${words.map((word) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`).join('')}`;

/** AUTH when a password is named, then PING, which must answer PONG. */
export async function probeRedis(module: RedisModule): Promise<ProbeResult> {
  const started = performance.now();
  let conversation: SocketConversation | undefined;
  try {
    conversation = await SocketConversation.open(module.host, module.port, module.timeoutSeconds * 1000);
    if (module.passwordEnv) {
      const password = readNamedSecret(module.passwordEnv);
      if (password === undefined) return failed('probe_failed', `${module.passwordEnv} is not set in the worker's environment`);
      conversation.write(command('AUTH', password));
      const auth = await conversation.line();
      if (!auth.startsWith('+OK')) return failed('probe_failed', `AUTH refused: ${auth.slice(1)}`, elapsedMs(started));
    }
    conversation.write(command('PING'));
    const answer = await conversation.line();
    const latencyMs = elapsedMs(started);
    const facts = { connected: true, responseTimeMs: latencyMs, body: answer.slice(1) };
    if (answer !== '+PONG') return { ...failed('probe_failed', `PING answered ${answer}`, latencyMs), facts };
    return { ok: true, latencyMs, message: `PONG in ${latencyMs} ms`, facts };
  } catch (error) {
    return networkFailure(error as NodeJS.ErrnoException, started);
  } finally {
    conversation?.close();
  }
}
