import type { VigilConfig } from '@/lib/config/config-schema';
import type { ConfigStatus } from '@/lib/config/config-status';
import type { IncidentNotification, IncidentSummary } from '@/lib/healing/incident';
import { moduleSchema, readsSecrets, runsCommands, type ModuleDefinition } from '@/lib/healing/module-schema';
import { describeIssues } from '@/lib/http-error';
import type { Principal } from '@/lib/auth/roles';
import type { AuditEventInput } from '@/lib/audit/types';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { findIncident, listIncidents, type IncidentDetail } from '../queries/incidents';
import { deleteConsoleModule, listConsoleModules, saveConsoleModule } from '../queries/healing-modules';
import { AlertIncidents } from './alert-incidents';
import { HealingEngine } from './healing-engine';
import { HealingError } from './healing-error';
import type { ModuleView } from './module-view';
import { ProcessRecords } from './process-records';

export interface HealingServiceOptions {
  database: Database;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  log: Logger;
  searchPath: string;
  /** Supervised processes are recorded under it; without one, a crash of the worker orphans them. */
  dataDir?: string;
  config: () => VigilConfig;
  /** Whether the configuration file in force is the one on disk: the modules page says when it is not. */
  configStatus?: () => ConfigStatus;
  host: () => { cpuPercent: number; memoryPercent: number };
  onModules?: (modules: ModuleView[]) => void;
  onIncident?: (incident: IncidentSummary) => void;
  notify?: (notification: IncidentNotification) => void;
  onProbe?: (module: string, latencyMs: number) => void;
  approvalTimeoutMs?: number;
}

export interface HealingOverview {
  modules: ModuleView[];
  openIncidents: IncidentSummary[];
  recentIncidents: Awaited<ReturnType<typeof listIncidents>>;
  configStatus: ConfigStatus | null;
}

/**
 * Modules from two places, shown apart: the config file (edited there, read-only here) and
 * the console or machine API (stored in the database). A name in both is the file's.
 */
export class HealingService {
  readonly engine: HealingEngine;
  /** Alertmanager alerts about modules, as incidents. */
  readonly alerts: AlertIncidents;
  private consoleModules = new Map<string, ModuleDefinition>();

  constructor(private readonly options: HealingServiceOptions) {
    this.engine = new HealingEngine({
      ...options,
      modules: () => this.definitions(),
      processRecords: options.dataDir ? new ProcessRecords(options.dataDir) : undefined,
      escalation: () => options.config().escalation,
      approvalTimeoutMs: options.approvalTimeoutMs ?? 15 * 60_000,
      onModules: (modules) => {
        options.onModules?.(modules);
        this.alerts.settle().catch((error: unknown) => options.log.warn({ err: (error as Error).message }, 'could not close an alert incident'));
      },
    });
    this.alerts = new AlertIncidents({ incidents: this.engine.incidents, module: (name) => this.engine.runtime(name) });
  }

  /** Names of the modules alerts may be filed under. */
  moduleNames(): string[] {
    return this.engine.list().map((module) => module.name);
  }

  private definitions(): { definition: ModuleDefinition; source: 'config' | 'console' }[] {
    const fromFile = this.options.config().modules;
    const names = new Set(fromFile.map((m) => m.name));
    return [
      ...fromFile.map((definition) => ({ definition, source: 'config' as const })),
      ...[...this.consoleModules.values()].filter((m) => !names.has(m.name)).map((definition) => ({ definition, source: 'console' as const })),
    ];
  }

  async start(): Promise<void> {
    await this.loadConsoleModules();
    await this.engine.start();
  }

  /** After Vigil's state was restored from a snapshot: the stored modules may have changed. */
  async reloadConsoleModules(): Promise<void> {
    await this.loadConsoleModules();
    await this.engine.reconcile();
  }

  private async loadConsoleModules(): Promise<void> {
    const loaded = new Map<string, ModuleDefinition>();
    for (const row of await listConsoleModules(this.options.database)) {
      const parsed = moduleSchema.safeParse(JSON.parse(row.definition));
      if (parsed.success) loaded.set(row.name, parsed.data);
      else this.options.log.error({ module: row.name }, `stored module no longer validates: ${describeIssues(parsed.error.issues)}`);
    }
    this.consoleModules = loaded;
  }

  /** After the config file changed. */
  reconcile(): Promise<void> {
    return this.engine.reconcile();
  }

  async overview(): Promise<HealingOverview> {
    return {
      modules: this.engine.list(),
      openIncidents: [...this.engine.incidents.openIncidents(), ...this.engine.incidents.externalIncidents()],
      recentIncidents: await listIncidents(this.options.database, { limit: 50 }),
      configStatus: this.options.configStatus?.() ?? null,
    };
  }

  async incident(id: string): Promise<IncidentDetail> {
    const found = await findIncident(this.options.database.prisma, id);
    if (!found) throw new HealingError('not_found', `no incident ${id}`);
    return found;
  }

  /** Only admins may define modules that make the worker run programs (argument lists, never shell strings: a module is code the worker runs). */
  async defineModule(input: unknown, by: Principal): Promise<ModuleView> {
    const parsed = moduleSchema.safeParse(input);
    if (!parsed.success) throw new HealingError('bad_input', describeIssues(parsed.error.issues));
    const definition = parsed.data;
    if (runsCommands(definition) && by.role !== 'admin') throw new HealingError('forbidden', 'only admins may define modules that run commands');
    if (readsSecrets(definition) && by.role !== 'admin')
      throw new HealingError('forbidden', 'only admins may define modules that read a password from the environment');
    if (this.options.config().modules.some((m) => m.name === definition.name))
      throw new HealingError('conflict', `${definition.name} is defined in the config file; change it there`);
    await saveConsoleModule(this.options.database.prisma, { name: definition.name, definition: JSON.stringify(definition), actor: by.name });
    const existed = this.consoleModules.has(definition.name);
    this.consoleModules.set(definition.name, definition);
    await this.options.audit.append({
      type: existed ? 'module.updated' : 'module.defined',
      severity: 'notice',
      actor: by.name,
      action: `${existed ? 'update' : 'define'} module ${definition.name} (${definition.kind})`,
      module: definition.name,
      method: 'console',
      details: { kind: definition.kind, critical: definition.critical, autonomy: definition.autonomy },
    });
    await this.engine.reconcile();
    return this.engine.list().find((m) => m.name === definition.name)!;
  }

  async removeModule(name: string, by: Principal): Promise<void> {
    if (this.options.config().modules.some((m) => m.name === name))
      throw new HealingError('conflict', `${name} is defined in the config file; remove it there`);
    const stored = this.consoleModules.get(name);
    if (!stored) throw new HealingError('not_found', `no module named ${JSON.stringify(name)}`);
    if (runsCommands(stored) && by.role !== 'admin') throw new HealingError('forbidden', 'only admins may remove modules that run commands');
    await deleteConsoleModule(this.options.database.prisma, name);
    this.consoleModules.delete(name);
    await this.options.audit.append({
      type: 'module.removed',
      severity: 'notice',
      actor: by.name,
      action: `remove module ${name}`,
      module: name,
      method: 'console',
    });
    await this.engine.reconcile();
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
