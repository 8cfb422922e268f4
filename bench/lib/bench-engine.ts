// A real HealingEngine over a fresh SQLite file, for the healing benchmarks.
import path from 'node:path';
import { defaultEscalationPolicy } from '@/lib/healing/escalation';
import type { IncidentSummary } from '@/lib/healing/incident';
import type { ModuleDefinition } from '@/lib/healing/module-schema';
import type { AuditEventInput } from '@/lib/audit/types';
import { AuditWriter } from '../../server/audit';
import { openDatabase, type Database } from '../../server/db/client';
import { applyMigrations } from '../../server/db/migrate';
import { HealingEngine } from '../../server/healing/healing-engine';
import type { ModuleView } from '../../server/healing/module-view';
import { createLogger } from '../../server/log';

export interface BenchEngine {
  engine: HealingEngine;
  database: Database;
  file: string;
  close(): Promise<void>;
}

/** `audited`: events go through the real AuditWriter into the same file (the storage benchmark counts them). */
export async function startBenchEngine(input: {
  dir: string;
  modules: () => ModuleDefinition[];
  audited?: boolean;
  onModules?: (modules: ModuleView[]) => void;
  onIncident?: (incident: IncidentSummary) => void;
}): Promise<BenchEngine> {
  const file = path.join(input.dir, 'bench.db');
  const url = `file:${file}`;
  await applyMigrations(url);
  const database = await openDatabase({ url });
  const log = createLogger('bench', 'warn');
  const writer = input.audited ? new AuditWriter({ database, spoolFile: path.join(input.dir, 'spool.ndjson'), log }) : null;
  await writer?.start();
  const audit = { append: async (event: AuditEventInput) => (writer ? writer.append(event) : undefined) };
  const engine = new HealingEngine({
    database,
    audit,
    log,
    searchPath: '/usr/local/bin:/usr/bin:/bin',
    modules: () => input.modules().map((definition) => ({ definition, source: 'config' as const })),
    escalation: defaultEscalationPolicy,
    host: () => ({ cpuPercent: 0, memoryPercent: 0 }),
    onModules: input.onModules,
    onIncident: input.onIncident,
    approvalTimeoutMs: 60_000,
  });
  await engine.start();
  return {
    engine,
    database,
    file,
    async close() {
      await engine.close();
      await writer?.close();
      await database.close();
    },
  };
}
