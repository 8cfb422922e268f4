import { defaultEscalationPolicy } from '@/lib/healing/escalation';
import type { ModuleDefinition } from '@/lib/healing/module-schema';
import type { AuditEventInput } from '@/lib/audit/types';
import type { Database } from '../db/client';
import { HealingEngine } from '../healing/healing-engine';
import { silentLogger } from './log';

/** A real HealingEngine over a test database, on a quiet host, with the modules read at each reconcile. */
export function testHealingEngine({
  database,
  modules,
  audit = [],
}: {
  database: Database;
  modules: () => ModuleDefinition[];
  audit?: AuditEventInput[];
}): HealingEngine {
  return new HealingEngine({
    database,
    audit: { append: async (event) => void audit.push(event) },
    log: silentLogger(),
    searchPath: '/usr/local/bin:/usr/bin:/bin',
    modules: () => modules().map((definition) => ({ definition, source: 'config' as const })),
    escalation: defaultEscalationPolicy,
    host: () => ({ cpuPercent: 10, memoryPercent: 20 }),
    approvalTimeoutMs: 60_000,
  });
}
