import type { Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import type { ModuleView } from '@/lib/healing/module-view';
import type { IncidentSummary } from '@/lib/healing/incident';
import type { IntegrityFinding } from '@/lib/integrity/integrity-status';
import type { FleetHostsChanged } from '@/lib/fleet/host-status';
import type { ConfigStatus } from '@/lib/config/config-status';
import type { FleetCommandUpdate } from '@/lib/fleet/fleet-command-api';
import type { DefenseDecisionChange, DefenseModeChange, DefenseThreat } from '@/lib/defense/defense-types';
import type { Server } from 'socket.io';
import type { createAdapter as CreatePostgresAdapter } from '@socket.io/postgres-adapter';
import type { Pool } from 'pg';
import type { ChainedAuditEvent, AuditAppended } from '@/lib/audit/types';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/live/events';
import type { DegradationChange, HealthSnapshot } from '@/lib/health/types';
import type { Principal } from '@/lib/auth/roles';
import { actorOf } from '@/lib/auth/actor';
import { verifyLiveToken } from '../auth/live-token';
import { liveBindingOf, type LiveBinding } from '../auth/live-binding';
import type { Logger } from '../log';

interface SocketData {
  principal: Principal;
  /** The session or token the socket lives and dies with. */
  binding: LiveBinding;
}

export type LiveIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** A commit of thousands of events is summarised: dashboards need the newest, and a refetch covers the rest. */
const MAX_AUDIT_EVENTS_PER_EMIT = 50;
const DASHBOARD_ROOM = 'dashboard';

/** How often open sockets' sessions and tokens are checked: a signed-out user stops receiving within this. */
const DEFAULT_BINDING_CHECK_MS = 1000;

// The PostgreSQL fan-out (CommonJS) is required only by a replica that has one: a single worker
// never loads it, nor the pg driver it drags in.
const requireFromHere = createRequire(import.meta.url);
const loadPostgresAdapter = () => (requireFromHere('@socket.io/postgres-adapter') as { createAdapter: typeof CreatePostgresAdapter }).createAdapter;

// socket.io itself (2.5 MiB of heap) is required by the first live server, which the worker
// creates when the first dashboard connects (lazy-live-server.ts). Synchronous, so that very
// request is answered in the same turn.
let socketIoLoaded = false;
function loadSocketIo(): typeof Server {
  const { Server: SocketIoServer } = requireFromHere('socket.io') as { Server: typeof Server };
  socketIoLoaded = true;
  return SocketIoServer;
}

/** Whether this process has loaded socket.io: false in a worker no dashboard has connected to. */
export const isSocketIoLoaded = () => socketIoLoaded;

export interface LiveServer {
  emitHealth(snapshot: HealthSnapshot): void;
  emitDegradation(change: DegradationChange): void;
  emitAudit(events: ChainedAuditEvent[]): void;
  emitRecoveryProgress(progress: RecoveryProgress): void;
  emitThreat(threat: DefenseThreat): void;
  emitDecision(change: DefenseDecisionChange): void;
  emitDefenseMode(change: DefenseModeChange): void;
  emitIntegrityFinding(finding: IntegrityFinding): void;
  emitModules(modules: ModuleView[]): void;
  emitIncident(incident: IncidentSummary): void;
  emitForecast(update: { at: string; highest: number }): void;
  emitConfigStatus(status: ConfigStatus): void;
  emitFleetCommand(update: FleetCommandUpdate): void;
  emitFleetHosts(change: FleetHostsChanged): void;
  connectedClients(): number;
  close(): Promise<void>;
}

export interface LiveServerOptions {
  httpServer: HttpServer;
  secret: string;
  log: Logger;
  currentHealth: () => HealthSnapshot | null;
  /** With several replicas: live events fan out to every replica's clients through PostgreSQL. */
  fanOutPool?: Pool;
  /** Which of these sessions and tokens are still in force (signed out, disabled or revoked ones are not). */
  bindingsInForce: (bindings: LiveBinding[]) => Promise<Set<LiveBinding>>;
  bindingCheckMs?: number;
}

export function createLiveServer(options: LiveServerOptions): LiveServer & { io: LiveIo } {
  const SocketIoServer = loadSocketIo();
  const io: LiveIo = new SocketIoServer(options.httpServer, {
    // The token in the handshake is the credential (no cookies), so any origin may connect with one.
    cors: { origin: true, credentials: false },
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 5_000,
  });
  if (options.fanOutPool) {
    io.adapter(loadPostgresAdapter()(options.fanOutPool, { errorHandler: (error) => options.log.warn({ err: error.message }, 'live fan-out failed') }));
  }

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string') return next(new Error('unauthorized'));
    verifyLiveToken(options.secret, token)
      .then(async (principal) => {
        const binding = liveBindingOf(principal);
        // A token minted before its session ended (it lives a minute) must not open a socket after it.
        if (!binding || !(await options.bindingsInForce([binding])).has(binding)) return next(new Error('unauthorized'));
        socket.data.principal = principal;
        socket.data.binding = binding;
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  });

  /**
   * Sign-out, a disabled account and a revoked token end the socket too. Each replica checks
   * its own sockets against the database, so the cut-off holds whichever process made the
   * change and however the news would have travelled.
   */
  let checking = false;
  const disconnectEnded = async () => {
    if (checking) return;
    checking = true;
    try {
      const sockets = [...io.of('/').sockets.values()];
      if (sockets.length === 0) return;
      const inForce = await options.bindingsInForce([...new Set(sockets.map((socket) => socket.data.binding))]);
      for (const socket of sockets) {
        if (inForce.has(socket.data.binding)) continue;
        options.log.info({ principal: actorOf(socket.data.principal) }, 'live socket closed: its session or token ended');
        socket.disconnect(true);
      }
    } catch (error) {
      options.log.warn({ err: (error as Error).message }, 'live sockets not checked');
    } finally {
      checking = false;
    }
  };
  const bindingTimer = setInterval(() => void disconnectEnded(), options.bindingCheckMs ?? DEFAULT_BINDING_CHECK_MS);
  bindingTimer.unref();

  io.on('connection', (socket) => {
    void socket.join(DASHBOARD_ROOM);
    socket.on('health:current', (ack) => {
      if (typeof ack === 'function') ack(options.currentHealth());
    });
  });

  return {
    io,
    emitHealth: (snapshot) => io.to(DASHBOARD_ROOM).emit('health:sample', snapshot),
    emitDegradation: (change) => io.to(DASHBOARD_ROOM).emit('degradation:changed', change),
    emitAudit(events) {
      for (const e of events.slice(-MAX_AUDIT_EVENTS_PER_EMIT)) {
        const payload: AuditAppended = { seq: e.seq, at: e.at, type: e.type, severity: e.severity, action: e.action };
        io.to(DASHBOARD_ROOM).emit('audit:appended', payload);
      }
    },
    emitRecoveryProgress: (progress) => io.to(DASHBOARD_ROOM).emit('recovery:progress', progress),
    emitThreat: (threat) => io.to(DASHBOARD_ROOM).emit('defense:threat', threat),
    emitDecision: (change) => io.to(DASHBOARD_ROOM).emit('defense:decision', change),
    emitDefenseMode: (change) => io.to(DASHBOARD_ROOM).emit('defense:mode', change),
    emitIntegrityFinding: (finding) => io.to(DASHBOARD_ROOM).emit('integrity:finding', finding),
    emitModules: (modules) => io.to(DASHBOARD_ROOM).emit('modules:changed', { modules }),
    emitIncident: (incident) => io.to(DASHBOARD_ROOM).emit('incident:changed', incident),
    emitForecast: (update) => io.to(DASHBOARD_ROOM).emit('forecast:updated', update),
    emitConfigStatus: (status) => io.to(DASHBOARD_ROOM).emit('config:status', status),
    emitFleetCommand: (update) => io.to(DASHBOARD_ROOM).emit('fleet:command-update', update),
    emitFleetHosts: (change) => io.to(DASHBOARD_ROOM).emit('fleet:host_changed', change),
    connectedClients: () => io.of('/').sockets.size,
    close: () => {
      clearInterval(bindingTimer);
      return new Promise<void>((resolve) => void io.close(() => resolve()));
    },
  };
}
