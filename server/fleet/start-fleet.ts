import type { IncomingMessage } from 'node:http';
import type { VigilConfig } from '@/lib/config/config-schema';
import type { Namespace } from 'socket.io';
import { FLEET_CONFIG_EVENTS } from '@/lib/fleet/fleet-config-api';
import { FLEET_NAMESPACE, type AgentEnrollment, type FleetHeartbeat, type HostLabels } from '@/lib/fleet/fleet-api';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { AuditWriter } from '../audit';
import { loadCheckpointKey } from '../audit/checkpoint-key';
import type { Database } from '../db/client';
import type { DefenseService } from '../defense';
import type { SourceResolver } from '../defense/source-resolver';
import type { WorkerEnv } from '../env/worker-env';
import { registerFleetCommandRoutes } from '../http/routes/fleet-command-routes';
import { registerFleetConfigRoutes } from '../http/routes/fleet-config-routes';
import { registerFleetPageRoutes } from '../http/routes/fleet-page-routes';
import { registerFleetRoutes } from '../http/routes/fleet-routes';
import { registerHostSectionRoutes } from '../http/routes/host-section-routes';
import { HOST_SECTION_SCHEMAS } from '../contracts/host-section-contracts';
import type { Router } from '../http/router';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import { agentFilesIn, loadAgentKey } from './agent-identity';
import { enrolledIdentity } from './agent-enrollment';
import { createEnrollmentToken, enrollAgent } from './enrollment';
import { EnrollmentRateLimit } from './enrollment-rate-limit';
import type { FleetAgentLink } from './fleet-agent';
import type { FleetCommandServices } from './fleet-command-runner';
import { FleetCommandResender } from './fleet-command-resend';
import { FleetCommander } from './fleet-commander';
import { AgentConfigReceiver, type FleetPartsTarget } from './fleet-config-agent';
import { FleetConfigConsole } from './fleet-config-console';
import { DurableReplayGuard, replayRecordIn } from './agent-replay-record';
import { FleetDetection } from './fleet-detection';
import { FleetHub, type LocalHostState } from './fleet-hub';
import { sweepGoneReplicas } from './gone-replica-sweep';
import type { LeaderDuties } from '../ha/leader-duties';
import { countedByLeader, FleetReplicas } from './fleet-replicas';
import type { ClusterMessageBody, FleetClusterMessage } from '@/lib/ha/cluster-messages';
import { HostSectionReader } from './fleet-query-console';
import { FleetTally } from './fleet-tally';
import { HostChangeFeed } from './host-change-feed';
import { VantageConsole } from './vantage-console';
import type { VantageAgent } from './vantage-agent';
import type { HealingEngine } from '../healing/healing-engine';

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
  /** Modules with a `vantage` are probed from agents and decided by their quorum. */
  decideVantageWith(engine: HealingEngine): void;
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
  ha,
  duties,
}: {
  env: WorkerEnv;
  database: Database;
  audit: AuditWriter;
  announce?: (events: ChainedAuditEvent[]) => void;
  log: Logger;
  live: Pick<LiveEmitter, 'emitFleetCommand' | 'emitFleetHosts'>;
  router: Router;
  /** With console replicas: the bus to the others and who leads. */
  ha?: {
    cluster: { members(): Promise<Array<{ node: string }>> } | null;
    publish(body: ClusterMessageBody): void;
    isLeader(): boolean;
    followFleet(apply: (message: FleetClusterMessage) => void): void;
    followRejoin?(rejoined: () => void): void;
  };
  /** The leader sweeps the hosts of replicas that are gone. */
  duties?: Pick<LeaderDuties, 'add'>;
}) {
  // Mode 0600 like the audit checkpoint key; whoever holds it can command every agent.
  const consoleKey = loadCheckpointKey(env.fleetKeyPath, { create: true })!;
  let readLocalState: () => LocalHostState = () => ({ healthScore: null, degradation: null, defenseMode: 'NORMAL', status: null });
  const changes = new HostChangeFeed((change) => live.emitFleetHosts(change));
  const replicas = ha?.cluster ? new FleetReplicas({ nodeId: env.nodeId, publish: ha.publish, isLeader: ha.isLeader, log }) : undefined;
  if (replicas) ha!.followFleet((message) => replicas.apply(message));
  const hub = new FleetHub({
    database,
    audit,
    log,
    consoleKey: consoleKey.privateKey,
    localState: () => readLocalState(),
    onHostChanged: (hostId) => changes.changed(hostId),
    announce,
    replicas,
  });
  replicas?.deliverWith(hub);
  // Cut off from the cluster for long enough, this replica was taken for gone and its hosts released.
  if (replicas) ha!.followRejoin?.(() => void hub.reclaimHeld('its console replica rejoined the cluster'));
  await hub.start();
  if (ha?.cluster && duties) sweepGoneReplicas({ cluster: ha.cluster, duties, database, audit, log, onHostChanged: (hostId) => changes.changed(hostId) });
  let localServices: FleetCommandServices | null = null;
  const commander = new FleetCommander({ database, audit, log, live, hub, localServices: () => localServices });
  hub.onAgents({ connected: (hostId) => commander.hostConnected(hostId), result: (hostId, raw) => commander.recordResult(hostId, raw) });
  const resender = new FleetCommandResender({ database, log, hub });
  resender.start();
  const configs = new FleetConfigConsole({
    database,
    audit,
    log,
    consoleKey: consoleKey.privateKey,
    emitTo: (hostId, event, payload) => hub.emitTo(hostId, event, payload),
    connectedHostIds: () => hub.connectedHostIds(),
    onHostChanged: (hostId) => changes.changed(hostId),
    announceSaved: (revision) => replicas?.configSaved(revision),
  });
  replicas?.pushConfigWith(configs);
  hub.onAdmitted(async (hostId, socket) => {
    socket.on(FLEET_CONFIG_EVENTS.ack, (raw: unknown) => void configs.recordAck(hostId, raw));
    await configs.hostConnected(hostId);
  });
  const vantage = new VantageConsole({ database, audit, log, consoleKey: consoleKey.privateKey });
  hub.onAdmitted((hostId, socket) => vantage.attach(hostId, socket));
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
    detectAcrossWith: (defense, settings) => {
      const detection = new FleetDetection({ defense, settings, hub, audit, log, database });
      replicas?.detectWith(detection);
      hub.countWith(replicas ? countedByLeader(detection, replicas) : detection);
    },
    decideVantageWith: (engine) => {
      engine.vantage = vantage;
      vantage.decideFor(() => engine.definitions());
    },
  };
  registerFleetRoutes(router, { fleet });
  registerFleetCommandRoutes(router, { commander, history: { database, hub } });
  registerFleetConfigRoutes(router, { configs });
  registerFleetPageRoutes(router, { fleet });
  const reader = new HostSectionReader({
    database,
    log,
    consoleKey: consoleKey.privateKey,
    socketOf: (hostId) => hub.socketOf(hostId),
    localServices: () => localServices,
    schemas: HOST_SECTION_SCHEMAS,
  });
  registerHostSectionRoutes(router, { reader });
  return {
    fleet,
    stop: () => {
      changes.stop();
      vantage.stop();
      void resender.stop();
      hub.close();
    },
  };
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
  config,
  retention,
  log,
}: {
  env: WorkerEnv;
  services: FleetCommandServices;
  /** Where the console's configuration pushes are put in force. */
  config: FleetPartsTarget;
  /** What this host reports on every beat (`localHeartbeat`). */
  heartbeat: () => FleetHeartbeat;
  audit: AuditWriter;
  database: Database;
  /** Subscribes to this worker's own commits: each one wakes the delivery of events to the console. */
  onCommitted: (listener: (events: ChainedAuditEvent[]) => void) => () => void;
  /** The audit retention: an agent's chain is its queue to the console, so what is undelivered stays. */
  retention: { keepUndeliveredAfter(deliveredThrough: () => number): void };
  log: Logger;
}) {
  const settings = env.fleet;
  if (!settings) return { stop: () => undefined };
  // Until the console says what it holds (enrollment and the first welcome included), nothing is pruned.
  retention.keepUndeliveredAfter(() => 0);
  let stopped = false;
  let link: FleetAgentLink | null = null;
  let vantage: VantageAgent | null = null;
  let unsubscribe = () => undefined as unknown;
  void enrolledIdentity(settings, env.dataDir, log, () => stopped)
    .then(async (identity) => {
      if (!identity || stopped) return;
      // Loaded only in agent mode: a worker that reports to no console never loads the socket client.
      const [{ FleetAgentLink }, { AgentEventOutbox, chainPagesOf }, { VantageAgent }] = await Promise.all([
        import('./fleet-agent'),
        import('./agent-event-outbox'),
        import('./vantage-agent'),
      ]);
      if (stopped) return;
      const outbox = new AgentEventOutbox({ chain: chainPagesOf(database), log });
      retention.keepUndeliveredAfter(() => outbox.deliveredThrough());
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
      const configReceiver = new AgentConfigReceiver({ identity, dataDir: env.dataDir, config, audit, log });
      const agentKey = loadAgentKey(agentFilesIn(env.dataDir));
      vantage = new VantageAgent({
        hostId: identity.hostId,
        consolePublicKey: identity.consolePublicKey,
        agentKey: agentKey.privateKey,
        pacer: services.healing.engine.pacer,
        searchPath: env.searchPath,
        log,
      });
      const vantageAgent = vantage;
      link = new FleetAgentLink({
        onSocket: (socket) => {
          configReceiver.attach(socket);
          vantageAgent.attach(socket);
        },
        outbox,
        tally,
        countsMs: FLEET_COUNTS_MS,
        identity,
        consoleUrls: settings.consoleUrls,
        key: agentKey,
        replay: DurableReplayGuard.open(replayRecordIn(env.dataDir), log),
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
      vantage?.stop();
    },
  };
}
