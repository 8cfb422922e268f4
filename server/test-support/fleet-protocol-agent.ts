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
    /** What it signs with, as enrolled. */
    readonly key: KeyObject,
    /** Every command the console sent, from the first one after the welcome. */
    readonly commands: unknown[],
  ) {}

  static async enroll(consolePort: number, token: string, name: string, options: { reconnect?: boolean } = {}): Promise<ProtocolAgent> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const request = { json: { token, name, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() } };
    const enrolled = await api<{ hostId: number }>(consolePort, '/api/v1/fleet/agents', request);
    if (enrolled.status !== 201) throw new Error(`enrollment answered ${enrolled.status}: ${enrolled.text}`);
    return ProtocolAgent.connect(consolePort, enrolled.body.hostId, privateKey, options);
  }

  /** `reconnect`: as a real agent, socket.io tries again (and the challenge is answered again) whenever the connection drops. */
  static connect(consolePort: number, hostId: number, key: KeyObject, { reconnect = false }: { reconnect?: boolean } = {}): Promise<ProtocolAgent> {
    const socket = io(`http://127.0.0.1:${consolePort}${FLEET_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: reconnect,
      reconnectionDelay: 500,
      randomizationFactor: 0.5,
    });
    const commands: unknown[] = [];
    socket.on(FLEET_EVENTS.command, (command: unknown) => commands.push(command));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host ${hostId} was not welcomed within 15 s`)), 15_000);
      socket.on(FLEET_EVENTS.challenge, ({ nonce }: FleetChallenge) => socket.emit(FLEET_EVENTS.hello, { hostId, signature: signHello(key, nonce, hostId) }));
      socket.on(FLEET_EVENTS.welcome, (welcome: { eventSeq?: number }) => {
        clearTimeout(timer);
        resolve(new ProtocolAgent(hostId, socket, welcome.eventSeq ?? 0, key, commands));
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

  /** Stops reading from the connection, as an agent that hangs would: what the console sends piles up on its side. */
  stopReading(): void {
    (this.socket.io.engine.transport as unknown as { ws: { pause(): void } }).ws.pause();
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
