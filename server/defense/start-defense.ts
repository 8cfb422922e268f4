import type { Server } from 'node:http';
import type { DefenseConfig } from '@/lib/defense/defense-config';
import path from 'node:path';
import type { AuditWriter } from '../audit';
import type { ConfigWatcher } from '../config/config-file';
import type { StartedDatabase } from '../db/start-database';
import type { StartedHa } from '../ha/start-ha';
import type { HostPressure } from '../health/start-health';
import { registerDefenseInternalRoutes } from '../http/routes/defense-internal-routes';
import { registerDefenseRoutes } from '../http/routes/defense-routes';
import { registerBlocklistRoutes } from '../http/routes/blocklist-routes';
import { registerBouncerRoutes } from '../http/routes/bouncer-routes';
import type { Router } from '../http/router';
import { defenseContracts } from '../contracts';
import type { LiveEmitter } from '../live/live-outlet';
import type { FleetConsole } from '../fleet';
import type { Logger } from '../log';
import type { WorkerMetrics } from '../metrics';
import { DefenseService } from './defense-service';
import { createGuardHandler } from './guard';
import { IpListKeeper } from './ip-lists/ip-list-keeper';
import { IpListService } from './ip-lists/ip-list-service';
import { checkBlocklistsBeforeSave } from './ip-lists/blocklist-preflight';
import { GuardFeed } from './guard-process/guard-feed';
import { GuardSupervisor } from './guard-process/guard-supervisor';

/** A list typed in the console is read while the admin waits: as long as a scheduled read may take. */
const PREFLIGHT_TIMEOUT_MS = 30_000;

export interface DefenseDeps {
  db: StartedDatabase;
  audit: AuditWriter;
  log: Logger;
  config: ConfigWatcher;
  hostPressure: HostPressure;
  metrics: Pick<WorkerMetrics, 'countThreat'>;
  live: Pick<LiveEmitter, 'emitThreat' | 'emitDecision' | 'emitDefenseMode'>;
  ha: StartedHa;
  router: Router;
  /** Where an isolation of the whole fleet goes after this host's own. */
  fleet: FleetConsole;
  /** The bouncer registry watches every request for decision-stream pulls, refused ones included. */
  httpServer: Server;
  /** Imported blocklists are kept under it across restarts. */
  dataDir: string;
  /** Where a dedicated guard process answers /guard/check besides the worker; null: none. */
  guardListen: { host: string; port: number } | null;
}

/** The guardian: every replica enforces; the leader detects and decides, and tells the others. */
export async function startDefense({ db, audit, log, config, hostPressure, metrics, live, ha, router, httpServer, dataDir, fleet, guardListen }: DefenseDeps) {
  const defense = new DefenseService({
    database: db.database,
    audit,
    log,
    host: hostPressure,
    config: () => config.loaded.config,
    onThreat: (threat) => {
      metrics.countThreat(threat);
      live.emitThreat(threat);
    },
    onDecision: (change) => {
      live.emitDecision(change);
      ha.publish({ kind: 'decision', change: change.change, decision: change.decision });
      defense.fleetTap?.decision(change);
    },
    onMode: (change) => {
      live.emitDefenseMode(change);
      ha.publish({ kind: 'mode', mode: change.to, lockdown: change.lockdown });
    },
    onAllowlist: () => ha.publish({ kind: 'allowlist' }),
  });
  const replay = ha.coordinate(defense);
  config.onChange(() => defense.reconfigure());
  await ha.listen();
  const guard = guardListen && startGuardProcess(defense, { listen: guardListen, config, audit, log });
  await db.whenDatabase(async () => {
    const blocklist = await defense.start();
    replay.markLoaded();
    log.info({ isolations: blocklist.loaded, ms: blocklist.ms }, 'defense decisions loaded');
    // Once the decisions are in memory: the process never answers from an empty list.
    await guard?.start();
  });
  router.addFast(defenseContracts.guardCheck, createGuardHandler(defense, log));
  registerDefenseRoutes(router, { defense, fleet });
  registerDefenseInternalRoutes(router, { defense });
  // Imported blocklists: their own decision origin, refreshed on a schedule.
  const ipLists = new IpListService({
    state: defense.ipLists,
    allowlist: defense.allowlist,
    audit,
    log,
    config: () => config.loaded.config,
    keeper: new IpListKeeper(path.join(dataDir, 'blocklists')),
  });
  ipLists.start();
  config.onChange(() => ipLists.reconfigure());
  registerBlocklistRoutes(router, { ipLists });
  // The CrowdSec bouncers that pull the decision stream, as `cscli bouncers list` shows them.
  const bouncers = await registerBouncerRoutes(router, {
    database: db.database,
    audit,
    log,
    stream: defense.stream,
    httpServer,
  });
  return {
    defense,
    guard,
    ipLists,
    bouncers,
    /** For the console's settings: a blocklist typed in is read once before it is saved (the value passed the section's schema). */
    checkBlocklists: (value: unknown) =>
      checkBlocklistsBeforeSave({
        lists: (value as DefenseConfig).blocklists,
        inForce: config.loaded.config.defense.blocklists,
        allowlist: defense.allowlist.entries().map((entry) => entry.source),
        trustedProxies: config.loaded.config.trustedProxies,
        timeoutMs: PREFLIGHT_TIMEOUT_MS,
      }),
    stop: async () => {
      ipLists.close();
      defense.stop();
      await guard?.stop();
    },
  };
}

/** The dedicated guard process, fed from `defense` and told of configuration reloads. */
function startGuardProcess(
  defense: DefenseService,
  { listen, config, audit, log }: { listen: { host: string; port: number }; config: ConfigWatcher; audit: AuditWriter; log: Logger },
): GuardSupervisor {
  const settings = () => ({ trustedProxies: config.loaded.config.trustedProxies, countRequests: config.loaded.config.defense.countGuardRequests });
  const feed = new GuardFeed(defense, settings);
  config.onChange(() => feed.reconfigured());
  return new GuardSupervisor({ listen, defense, feed, audit, log });
}
