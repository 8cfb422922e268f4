// Shared by the integrity tests: a real audit chain on SQLite and a FileIntegrity over temp dirs.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { integrityConfigSchema } from '@/lib/config/integrity-config';
import type { IntegrityFinding } from '@/lib/integrity/integrity-status';
import { AuditWriter } from '../audit';
import { createMigratedDatabase, readWholeChain, silentLogger, type MigratedDatabase } from '../test-support';
import { FileIntegrity } from './file-integrity';

export const sha256 = (content: string) => createHash('sha256').update(content).digest('hex');

export interface IntegrityHarness {
  monitor: FileIntegrity;
  findings: IntegrityFinding[];
  tampered: IntegrityFinding[];
  auditEvents(): Promise<{ type: string; severity: string; actor: string; resource: string | null; reason: string | null; details: Record<string, unknown> }[]>;
  close(): Promise<void>;
}

export async function openAuditDatabase(): Promise<{ db: MigratedDatabase; audit: AuditWriter }> {
  const db = await createMigratedDatabase('sqlite');
  const audit = new AuditWriter({ database: db.database, spoolFile: db.dir.join('spool.ndjson'), log: silentLogger() });
  await audit.start();
  return { db, audit };
}

/** A FileIntegrity as the worker builds it, minus Vigil's own code unless `self` is given. */
export function integrityHarness(input: {
  db: MigratedDatabase;
  audit: AuditWriter;
  dataDir: string;
  config: z.input<typeof integrityConfigSchema>;
  self?: { repoRoot: string; configFile: string } | null;
}): IntegrityHarness {
  const config = integrityConfigSchema.parse({ realtime: false, ...input.config });
  const findings: IntegrityFinding[] = [];
  const tampered: IntegrityFinding[] = [];
  const monitor = new FileIntegrity({
    dataDir: input.dataDir,
    config: () => config,
    self: input.self ?? null,
    audit: input.audit,
    log: silentLogger(),
    onFinding: (finding) => findings.push(finding),
    onCriticalTamper: (finding) => tampered.push(finding),
  });
  return {
    monitor,
    findings,
    tampered,
    async auditEvents() {
      await input.audit.flush();
      const chain = await readWholeChain(input.db.database);
      return chain
        .filter((e) => e.module === 'integrity')
        .map((e) => ({ type: e.type, severity: e.severity, actor: e.actor, resource: e.resource, reason: e.reason, details: e.details }));
    },
    close: () => monitor.stop(),
  };
}
