import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { VigilConfig } from '@/lib/config/config-schema';
import type { Namespace } from 'socket.io';
import { FLEET_NAMESPACE, type AgentEnrollment, type FleetHeartbeat, type HostLabels } from '@/lib/fleet/fleet-api';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { AuditWriter } from '../audit';
import { loadCheckpointKey } from '../audit/checkpoint-key';
import type { Database } from '../db/client';
import type { DefenseService } from '../defense';
import type { SourceResolver } from '../defense/source-resolver';
import type { WorkerEnv } from '../env/worker-env';
import { registerFleetCommandRoutes } from '../http/routes/fleet-command-routes';
import { registerFleetPageRoutes } from '../http/routes/fleet-page-routes';
import { registerFleetRoutes } from '../http/routes/fleet-routes';
import type { Router } from '../http/router';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import {
  agentFilesIn,
  EnrollmentRefusedError,
  loadAgentKey,
  readAgentIdentity,
  requestEnrollment,
  writeAgentIdentity,
  type AgentIdentity,
} from './agent-identity';
import { createEnrollmentToken, enrollAgent } from './enrollment';
import { EnrollmentRateLimit } from './enrollment-rate-limit';
import type { FleetAgentLink } from './fleet-agent';
import type { FleetCommandServices } from './fleet-command-runner';
import { FleetCommander } from './fleet-commander';
import { FleetDetection } from './fleet-detection';
import { FleetHub, type LocalHostState } from './fleet-hub';
import { FleetTally } from './fleet-tally';
import { HostChangeFeed } from './host-change-feed';

/** How often an agent reports its signal counts: a fleet-wide detection waits at most this long for them. */
const FLEET_COUNTS_MS = 100;

export interface FleetConsole {
  hub: FleetHub;
  createEnrollmentToken(request: { labels: HostLabels; uses: number; expiresInMinutes: number; actor: string }): ReturnType<typeof createEnrollmentToken>;
  enrollAgent(request: AgentEnrollment, source: string | null): ReturnType<typeof enrollAgent>;
  /** The socket namespace agents connect to, once the live socket server exists. */
  attachNamespace(namespace: (name: string) => Namespace): void;
  /** Host 1's row in the hosts list reads this worker's own state. */
  reportLocalStateWith(read: () => LocalHostState): void;
  /** Commands for host 1 run with these, once they exist (they start after the fleet's console side). */
  commandLocallyWith(services: FleetCommandServices): void;
  /** The client address of a request, through the trusted proxies once the defense that knows them runs. */
  sourceOf(req: IncomingMessage): string | null;
  resolveSourcesWith(resolver: SourceResolver): void;
  /** Agents' signal counts are summed per source against this worker's scenarios and isolated fleet-wide. */
  detectAcrossWith(defense: DefenseService, settings: () => VigilConfig['defense']): void;
}

/**
 * Every worker is a console for the hosts that enroll with it (a single install is a fleet of one):
 * its signing key, the enrollment routes, the hub agents connect to.
 */
export async function startFleetConsole({
  env,
  database,
  audit,
  announce,
  log,
  live,
  router,
}: {
  env: WorkerEnv;
  database: Database;
  audit: AuditWriter;
  announce?: (events: ChainedAuditEvent[]) => void;
  log: Logger;
  live: Pick<LiveEmitter, 'emitFleetCommand' | 'emitFleetHosts'>;
  router: Router;
}) {
  // Mode 0600 like the audit checkpoint key; whoever holds it can command every agent.
  const consoleKey = loadCheckpointKey(path.join(env.dataDir, 'fleet', 'console.key'), { create: true })!;
  let readLocalState: () => LocalHostState = () => ({ healthScore: null, degradation: null, defenseMode: 'NORMAL', status: null });
  const changes = new HostChangeFeed((change) => live.emitFleetHosts(change));
  const hub = new FleetHub({
    database,
    audit,
    log,
    consoleKey: consoleKey.privateKey,
    localState: () => readLocalState(),
    onHostChanged: (hostId) => changes.changed(hostId),
    announce,
  });
  await hub.start();
  let localServices: FleetCommandServices | null = null;
  const commander = new FleetCommander({ database, audit, log, live, hub, localServices: () => localServices });
  hub.onAgents({ connected: (hostId) => commander.hostConnected(hostId), result: (hostId, raw) => commander.recordResult(hostId, raw) });
  const enrollmentDeps = { database, audit, consolePublicKeyPem: consoleKey.publicKeyPem };
  const enrollmentLimit = new EnrollmentRateLimit(env.enrollmentsPerMinute);
  let resolveSource = (req: IncomingMessage): string | null => req.socket.remoteAddress ?? null;
  const fleet: FleetConsole = {
    hub,
    createEnrollmentToken: (request) => createEnrollmentToken(enrollmentDeps, request),
    enrollAgent: async (request, source) => {
      await enrollmentLimit.take(source ?? 'unknown');
      return enrollAgent(enrollmentDeps, request, source);
    },
    attachNamespace: (namespace) => hub.attach(namespace(FLEET_NAMESPACE)),
    reportLocalStateWith: (read) => (readLocalState = read),
    commandLocallyWith: (services) => (localServices = services),
    sourceOf: (req) => resolveSource(req),
    resolveSourcesWith: (resolver) => {
      const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);
      resolveSource = (req) => resolver.resolve(req.socket.remoteAddress ?? '', header(req.headers['x-forwarded-for']), header(req.headers['x-real-ip']));
    },
    detectAcrossWith: (defense, settings) => hub.countWith(new FleetDetection({ defense, settings, hub, audit, log })),
  };
  registerFleetRoutes(router, { fleet });
  registerFleetCommandRoutes(router, { commander });
  registerFleetPageRoutes(router, { fleet });
  return {
    fleet,
    stop: () => {
      changes.stop();
      hub.close();
    },
  };
}

/** Enrolls on first start (with retries while the console is unreachable), then reuses the identity. */
async function enrolledIdentity(env: NonNullable<WorkerEnv['fleet']>, dataDir: string, log: Logger, stopped: () => boolean): Promise<AgentIdentity | null> {
  const files = agentFilesIn(dataDir);
  const key = loadAgentKey(files);
  const known = readAgentIdentity(files);
  if (known) return { ...known, consoleUrl: env.consoleUrl };
  if (!env.enrollmentToken) {
    log.error('agent mode: not enrolled yet and no VIGIL_ENROLLMENT_TOKEN to enroll with; running on this host alone');
    return null;
  }
  for (let attempt = 0; !stopped(); attempt++) {
    try {
      const enrolled = await requestEnrollment({ consoleUrl: env.consoleUrl, token: env.enrollmentToken, name: env.agentName, publicKeyPem: key.publicKeyPem });
      log.info({ hostId: enrolled.hostId }, 'enrolled with the fleet console');
      return writeAgentIdentity(files, enrolled, env.consoleUrl);
    } catch (error) {
      if (error instanceof EnrollmentRefusedError) {
        log.error({ err: error.message }, 'agent mode: enrollment refused; running on this host alone');
        return null;
      }
      const delayMs = Math.min(30_000, 500 * 2 ** attempt) * (0.5 + Math.random());
      log.warn({ err: (error as Error).message, retryInMs: Math.round(delayMs) }, 'agent mode: the console is unreachable; retrying the enrollment');
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    }
  }
  return null;
}

/**
 * Agent mode: everything the worker runs stays local; this adds the connection out to the console.
 * The enrollment runs in the background, so a console that is down never holds up the worker's start.
 */
export function startFleetAgent({
  env,
  services,
  heartbeat,
  audit,
  database,
  onCommitted,
  log,
}: {
  env: WorkerEnv;
  services: FleetCommandServices;
  /** What this host reports on every beat (`localHeartbeat`). */
  heartbeat: () => FleetHeartbeat;
  audit: AuditWriter;
  database: Database;
  /** Subscribes to this worker's own commits: each one wakes the delivery of events to the console. */
  onCommitted: (listener: (events: ChainedAuditEvent[]) => void) => () => void;
  log: Logger;
}) {
  const settings = env.fleet;
  if (!settings) return { stop: () => undefined };
  let stopped = false;
  let link: FleetAgentLink | null = null;
  let unsubscribe = () => undefined as unknown;
  void enrolledIdentity(settings, env.dataDir, log, () => stopped)
    .then(async (identity) => {
      if (!identity || stopped) return;
      // Loaded only in agent mode: a worker that reports to no console never loads the socket client.
      const [{ FleetAgentLink }, { AgentEventOutbox }] = await Promise.all([import('./fleet-agent'), import('./agent-event-outbox')]);
      if (stopped) return;
      const outbox = new AgentEventOutbox({ database, log });
      unsubscribe = onCommitted(() => outbox.wake());
      const tally = new FleetTally();
      services.defense.fleetTap = {
        signal: (signal) => tally.count(signal),
        // This host's own automatic isolations go to the fleet; what the console sent does not go back.
        decision: ({ change, decision, actor }) => {
          if (change !== 'isolated' || decision.origin !== 'auto' || actor.startsWith('fleet:')) return;
          link?.shareDecision({ source: decision.source, scenario: decision.scenario, reason: decision.reason, expiresAt: decision.expiresAt });
        },
      };
      link = new FleetAgentLink({
        outbox,
        tally,
        countsMs: FLEET_COUNTS_MS,
        identity,
        key: loadAgentKey(agentFilesIn(env.dataDir)),
        services,
        audit,
        log,
        heartbeatMs: settings.heartbeatMs,
        heartbeat,
      });
      link.start();
      // The first isolation the console sends would otherwise load the database client on the way
      // and hold the guard's event loop for as long (over a second on a busy machine); loaded now.
      setImmediate(() => void database.prisma);
    })
    .catch((error: unknown) => log.error({ err: (error as Error).message }, 'agent mode could not start; running on this host alone'));
  return {
    stop: () => {
      stopped = true;
      unsubscribe();
      link?.stop();
    },
  };
}
