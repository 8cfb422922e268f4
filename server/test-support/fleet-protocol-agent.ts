import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { FLEET_EVENTS, FLEET_NAMESPACE, type FleetChallenge } from '@/lib/fleet/fleet-api';
import { FLEET_EVENTS_MESSAGE, fleetEventAckSchema, type FleetEvent, type FleetEventAck } from '@/lib/fleet/fleet-events-api';
import { signHello } from '../fleet/fleet-signing';
import { api } from './http';

/**
 * An agent as the console sees one, without a worker behind it: enrolled with its own Ed25519
 * key, connected over the real `/fleet` protocol, sending batches of events as an agent would
 * (or, for the flood test, without waiting for acknowledgements).
 */
export class ProtocolAgent {
  private constructor(
    readonly hostId: number,
    readonly socket: Socket,
    /** The console's cursor for this host when it welcomed us. */
    readonly welcomedAt: number,
  ) {}

  static async enroll(consolePort: number, token: string, name: string): Promise<ProtocolAgent> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const enrolled = await api<{ hostId: number }>(consolePort, '/api/v1/fleet/agents', {
      json: { token, name, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    });
    if (enrolled.status !== 201) throw new Error(`enrollment answered ${enrolled.status}: ${enrolled.text}`);
    return ProtocolAgent.connect(consolePort, enrolled.body.hostId, privateKey);
  }

  static connect(consolePort: number, hostId: number, key: KeyObject): Promise<ProtocolAgent> {
    const socket = io(`http://127.0.0.1:${consolePort}${FLEET_NAMESPACE}`, { transports: ['websocket'], reconnection: false });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host ${hostId} was not welcomed within 15 s`)), 15_000);
      socket.on(FLEET_EVENTS.challenge, ({ nonce }: FleetChallenge) => socket.emit(FLEET_EVENTS.hello, { hostId, signature: signHello(key, nonce, hostId) }));
      socket.on(FLEET_EVENTS.welcome, (welcome: { eventSeq?: number }) => {
        clearTimeout(timer);
        resolve(new ProtocolAgent(hostId, socket, welcome.eventSeq ?? 0));
      });
      socket.on('connect_error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** One batch; resolves with the console's acknowledgement. */
  send(afterSeq: number, events: FleetEvent[]): Promise<FleetEventAck> {
    return new Promise((resolve, reject) => {
      this.socket.timeout(60_000).emit(FLEET_EVENTS_MESSAGE, { afterSeq, events }, (error: Error | null, raw: unknown) => {
        if (error) return reject(error);
        resolve(fleetEventAckSchema.parse(raw));
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** `count` events numbered from `fromSeq`, as an application behind an agent reports requests. */
export function makeFleetEvents(fromSeq: number, count: number): FleetEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    hostSeq: fromSeq + i,
    eventId: randomUUID(),
    at: new Date().toISOString(),
    type: 'app.request',
    severity: 'info',
    actor: 'app',
    action: `event ${fromSeq + i}`,
    source: '203.0.113.5',
    details: { status: 200 },
  }));
}
