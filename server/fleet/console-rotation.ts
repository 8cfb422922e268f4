import type { Socket } from 'socket.io-client';
import { FLEET_NAMESPACE } from '@/lib/fleet/fleet-api';

/** Where an agent's socket connects on a console (or one of its replicas). */
export const fleetSocketUrl = (consoleUrl: string): string => new URL(FLEET_NAMESPACE, consoleUrl).href;

/**
 * An agent given several console replicas tries the next one at every reconnection attempt, so a
 * replica that died costs one attempt, not a wait until it returns. socket.io's manager opens each
 * attempt's connection from its `uri`, which is therefore moved on before the attempt; backoff and
 * jitter stay socket.io's own.
 */
export function rotateAmongConsoles(socket: Socket, consoleUrls: readonly string[]): { current: () => string } {
  let index = 0;
  if (consoleUrls.length > 1)
    socket.io.on('reconnect_attempt', () => {
      index = (index + 1) % consoleUrls.length;
      (socket.io as unknown as { uri: string }).uri = fleetSocketUrl(consoleUrls[index]!);
    });
  return { current: () => consoleUrls[index]! };
}
