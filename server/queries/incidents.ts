import type { EscalationLevel, IncidentSummary } from '@/lib/healing/incident';
import type { Db } from '../db/client';
import { fromSqliteDate, fromSqliteDateOrNull, prismaOf, sqliteOf, type Store } from '../db/store';
import type { DatabaseProvider } from '../db/database-url';

export interface IncidentStepRow {
  at: string;
  kind: string;
  message: string;
  details: Record<string, unknown>;
}

export interface IncidentDetail extends IncidentSummary {
  firstFailureAt: string;
  detectedAt: string;
  mttdMs: number;
  mttrMs: number | null;
  steps: IncidentStepRow[];
}

type IncidentRow = Awaited<ReturnType<Db['incident']['findFirstOrThrow']>>;

function toSummary(row: IncidentRow): IncidentSummary & { firstFailureAt: string; detectedAt: string; mttdMs: number; mttrMs: number | null } {
  return {
    id: row.id,
    module: row.module,
    title: row.title,
    severity: row.severity as IncidentSummary['severity'],
    failureClass: row.failureClass as IncidentSummary['failureClass'],
    rootCause: row.rootCause as IncidentSummary['rootCause'],
    confidence: row.confidence,
    state: row.state as IncidentSummary['state'],
    escalationLevel: row.escalationLevel as EscalationLevel,
    openedAt: row.detectedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    affectedDependents: JSON.parse(row.affectedDependents) as string[],
    firstFailureAt: row.firstFailureAt.toISOString(),
    detectedAt: row.detectedAt.toISOString(),
    mttdMs: row.detectedAt.getTime() - row.firstFailureAt.getTime(),
    mttrMs: row.resolvedAt ? row.resolvedAt.getTime() - row.detectedAt.getTime() : null,
  };
}

export async function insertIncident(db: Db, incident: IncidentSummary & { firstFailureAt: Date; detectedAt: Date }): Promise<void> {
  await db.incident.create({
    data: {
      id: incident.id,
      module: incident.module,
      title: incident.title,
      severity: incident.severity,
      failureClass: incident.failureClass,
      rootCause: incident.rootCause,
      confidence: incident.confidence,
      state: incident.state,
      escalationLevel: incident.escalationLevel,
      firstFailureAt: incident.firstFailureAt,
      detectedAt: incident.detectedAt,
      affectedDependents: JSON.stringify(incident.affectedDependents),
    },
  });
}

export async function updateIncident(
  db: Db,
  id: string,
  patch: Partial<Pick<IncidentSummary, 'escalationLevel' | 'affectedDependents' | 'severity' | 'failureClass' | 'rootCause' | 'confidence'>> & {
    resolvedAt?: Date;
  },
): Promise<void> {
  const { affectedDependents, resolvedAt, ...rest } = patch;
  await db.incident.update({
    where: { id },
    data: {
      ...rest,
      ...(affectedDependents ? { affectedDependents: JSON.stringify(affectedDependents) } : {}),
      ...(resolvedAt ? { resolvedAt, state: 'resolved' } : {}),
    },
  });
}

export async function insertIncidentStep(
  db: Db,
  incidentId: string,
  step: { at: Date; kind: string; message: string; details?: Record<string, unknown> },
): Promise<void> {
  await db.incidentStep.create({ data: { incidentId, at: step.at, kind: step.kind, message: step.message, details: JSON.stringify(step.details ?? {}) } });
}

type StoredIncidentRow = Omit<IncidentRow, 'firstFailureAt' | 'detectedAt' | 'resolvedAt'> & {
  firstFailureAt: string | number;
  detectedAt: string | number;
  resolvedAt: string | number | null;
};

export async function listIncidents(store: Store, { state, module, limit = 50 }: { state?: 'open' | 'resolved'; module?: string; limit?: number }) {
  const sqlite = sqliteOf(store);
  if (sqlite) {
    const conditions = [...(state ? ['"state" = @state'] : []), ...(module ? ['"module" = @module'] : [])];
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = sqlite
      .prepare(`SELECT * FROM "Incident" ${where} ORDER BY "detectedAt" DESC LIMIT @limit`)
      .all({ state, module, limit }) as StoredIncidentRow[];
    return rows.map((row) =>
      toSummary({
        ...row,
        firstFailureAt: fromSqliteDate(row.firstFailureAt),
        detectedAt: fromSqliteDate(row.detectedAt),
        resolvedAt: fromSqliteDateOrNull(row.resolvedAt),
      }),
    );
  }
  const rows = await prismaOf(store).incident.findMany({
    where: { ...(state ? { state } : {}), ...(module ? { module } : {}) },
    orderBy: { detectedAt: 'desc' },
    take: limit,
  });
  return rows.map(toSummary);
}

export async function findIncident(db: Db, id: string): Promise<IncidentDetail | null> {
  const row = await db.incident.findUnique({ where: { id }, include: { steps: { orderBy: { id: 'asc' } } } });
  if (!row) return null;
  return {
    ...toSummary(row),
    steps: row.steps.map((s: { at: Date; kind: string; message: string; details: string }) => ({
      at: s.at.toISOString(),
      kind: s.kind,
      message: s.message,
      details: JSON.parse(s.details) as Record<string, unknown>,
    })),
  };
}

export async function insertStateChange(db: Db, change: { module: string; at: Date; from: string; to: string; reason: string }): Promise<void> {
  await db.moduleStateChange.create({ data: change });
}

export interface DailyStatDelta {
  module: string;
  day: string;
  probes: number;
  failures: number;
  upMs: number;
  downMs: number;
  latencySumMs: number;
  restarts: number;
}

const DAILY_STAT_COLUMNS = ['module', 'day', 'probes', 'failures', 'upMs', 'downMs', 'latencySumMs', 'restarts'] as const;
const DAILY_STAT_ROWS_PER_STATEMENT = 250;

/**
 * Adds the deltas to each module's row for the day, in multi-row INSERT … ON CONFLICT statements
 * (SQLite and PostgreSQL both have it). One Prisma upsert per module took 2-4 ms each at 2,000
 * modules, and its promise chain never yielded, so the minute's flush stalled every probe timer
 * for seconds; between statements this yields to the event loop.
 */
export async function addDailyStats(db: Db, provider: DatabaseProvider, deltas: readonly DailyStatDelta[]): Promise<void> {
  const quoted = DAILY_STAT_COLUMNS.map((c) => `"${c}"`);
  const add = DAILY_STAT_COLUMNS.slice(2).map((c) => `"${c}" = "ModuleDailyStat"."${c}" + excluded."${c}"`);
  for (let from = 0; from < deltas.length; from += DAILY_STAT_ROWS_PER_STATEMENT) {
    const chunk = deltas.slice(from, from + DAILY_STAT_ROWS_PER_STATEMENT);
    let n = 0;
    const placeholder = () => (provider === 'sqlite' ? '?' : `$${++n}`);
    const rows = chunk.map(() => `(${DAILY_STAT_COLUMNS.map(placeholder).join(', ')})`);
    const values = chunk.flatMap((d) => DAILY_STAT_COLUMNS.map((c) => d[c]));
    await db.$executeRawUnsafe(
      `INSERT INTO "ModuleDailyStat" (${quoted.join(', ')}) VALUES ${rows.join(', ')} ON CONFLICT ("module", "day") DO UPDATE SET ${add.join(', ')}`,
      ...values,
    );
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function dailyStatsSince(db: Db, day: string) {
  return db.moduleDailyStat.findMany({ where: { day: { gte: day } } });
}
