import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { FLEET_NAMESPACE } from '@/lib/fleet/fleet-api';
import { FleetHub } from '../fleet/fleet-hub';
import { FleetReplicas } from '../fleet/fleet-replicas';
import type { AuditedDatabase } from './audited-database';
import { silentLogger } from './log';

export interface InProcessHub {
  hub: FleetHub;
  /** The `/fleet` namespace the hub serves, to count the connections it holds. */
  io: Server;
  port: number;
  /** Enrolls a host directly in the database: its id and the key its agent signs with. */
  enroll(name: string): Promise<{ hostId: number; key: KeyObject }>;
  close(): Promise<void>;
}

/**
 * The console's side of the fleet alone, on a real socket.io server on loopback and a real
 * database: for the connection's edges a whole worker would only hide (what the hub does between
 * a hello and its admission, a replica's rows after the leader swept them). `nodeId`: as a replica.
 */
export async function startInProcessHub({ audited, port, nodeId }: { audited: AuditedDatabase; port: number; nodeId?: string }): Promise<InProcessHub> {
  const { database } = audited.db;
  const log = silentLogger();
  const hub = new FleetHub({
    database,
    audit: audited.audit,
    log,
    consoleKey: generateKeyPairSync('ed25519').privateKey,
    localState: () => ({ healthScore: null, degradation: null, defenseMode: 'NORMAL', status: null }),
    ...(nodeId !== undefined && { replicas: new FleetReplicas({ nodeId, publish: () => undefined, isLeader: () => false, log }) }),
  });
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  hub.attach(io.of(FLEET_NAMESPACE));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  return {
    hub,
    io,
    port,
    async enroll(name) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const host = await database.prisma.host.create({ data: { name, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() } });
      return { hostId: host.id, key: privateKey };
    },
    async close() {
      hub.close();
      const closed = new Promise<void>((resolve) => void io.close(() => resolve()));
      // A client's close still on its way would otherwise hold the server's close until it lands.
      http.closeAllConnections();
      await closed;
    },
  };
}
