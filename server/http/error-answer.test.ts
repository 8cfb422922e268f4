import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, isAppError, SNAKE_CASE } from '@/lib/errors';
import { HttpError } from '@/lib/http-error';
import { ALERTS_ERROR_STATUS, AlertsError } from '../alerts/alert-service';
import { FLEET_ERROR_STATUS, FleetError } from '../fleet/fleet-error';
import { SETUP_ERROR_STATUS, SetupError } from '../auth/first-admin';
import { USER_ADMIN_ERROR_STATUS, UserAdminError } from '../auth/user-admin';
import { databaseUnavailable } from '../db/db-error';
import { DEFENSE_MODE_ERROR_STATUS, DefenseModeError } from '../defense/defense-mode';
import { ISOLATION_ERROR_STATUS, IsolationError } from '../defense/isolation-policy';
import { BlocklistNotFoundError } from '../defense/ip-lists';
import { DrillBusyError } from '../drills/drill-service';
import { GOVERNOR_ERROR_STATUS, GovernorError } from '../forecast/governor';
import { HealingError } from '../healing';
import { StatusPageError } from '../status-pages';
import { SettingsError } from '../settings';
import { RECOVERY_ERROR_STATUS, RecoveryError } from '../recovery/recovery-error';
import { InvalidShareLinkError } from '../share/share-links';
import { capturingLogger } from '../test-support';
import { WorkerBadResponseError, WorkerRejectedError, WorkerUnavailableError } from '../web/worker-client';
import { answerError } from './error-answer';

/** One instance per code of every expected-failure class, with the status it must answer. */
const EVERY_ERROR: Array<readonly [name: string, error: unknown, status: number]> = [
  ...Object.entries(RECOVERY_ERROR_STATUS).map(
    ([code, status]) => ['RecoveryError', new RecoveryError(code as keyof typeof RECOVERY_ERROR_STATUS, 'm'), status] as const,
  ),
  ...Object.entries(GOVERNOR_ERROR_STATUS).map(
    ([code, status]) => ['GovernorError', new GovernorError(code as keyof typeof GOVERNOR_ERROR_STATUS, 'm'), status] as const,
  ),
  ...Object.entries(ISOLATION_ERROR_STATUS).map(
    ([code, status]) => ['IsolationError', new IsolationError(code as keyof typeof ISOLATION_ERROR_STATUS, 'm'), status] as const,
  ),
  ...Object.entries(DEFENSE_MODE_ERROR_STATUS).map(
    ([code, status]) => ['DefenseModeError', new DefenseModeError(code as keyof typeof DEFENSE_MODE_ERROR_STATUS, 'm'), status] as const,
  ),
  ...Object.entries(USER_ADMIN_ERROR_STATUS).map(
    ([code, status]) => ['UserAdminError', new UserAdminError(code as keyof typeof USER_ADMIN_ERROR_STATUS, 'm'), status] as const,
  ),
  ...Object.entries(SETUP_ERROR_STATUS).map(([code, status]) => ['SetupError', new SetupError(code as keyof typeof SETUP_ERROR_STATUS, 'm'), status] as const),
  ...(['not_found', 'conflict', 'forbidden', 'bad_input'] as const).map(
    (code) => ['HealingError', new HealingError(code, 'm'), { not_found: 404, conflict: 409, forbidden: 403, bad_input: 422 }[code]] as const,
  ),
  ...Object.entries(ALERTS_ERROR_STATUS).map(
    ([code, status]) => ['AlertsError', new AlertsError(code as keyof typeof ALERTS_ERROR_STATUS, 'm'), status] as const,
  ),
  ...Object.entries(FLEET_ERROR_STATUS).map(([code, status]) => ['FleetError', new FleetError(code as keyof typeof FLEET_ERROR_STATUS, 'm'), status] as const),
  ['BlocklistNotFoundError', new BlocklistNotFoundError('not_found', 'm'), 404],
  ['StatusPageError', new StatusPageError('not_found', 'm'), 404],
  ['StatusPageError', new StatusPageError('conflict', 'm'), 409],
  ['SettingsError', new SettingsError('invalid_setting', 'm'), 400],
  ['SettingsError', new SettingsError('not_found', 'm'), 404],
  ['DrillBusyError', new DrillBusyError(), 409],
  ['InvalidShareLinkError', new InvalidShareLinkError(), 401],
  ['HttpError', new HttpError(418, 'teapot', 'short and stout'), 418],
  ['WorkerUnavailableError', new WorkerUnavailableError('timed out'), 503],
  ['WorkerRejectedError', new WorkerRejectedError(409, 'conflict', 'm'), 409],
  ['WorkerBadResponseError', new WorkerBadResponseError('GET /internal/v1/health', 'score: expected number'), 502],
  ['AppError', databaseUnavailable(), 503],
];

const quiet = { method: 'GET', path: '/x', log: null };

/**
 * Errors that are never an answer of an HTTP route: thrown at start, by the CLI, in the browser, or
 * caught where they are thrown. Should one reach a route, it is unexpected: a 500, logged once.
 */
const NOT_ANSWERS = [
  'ApiRequestError', // the browser's view of an error body
  'BouncerExistsError', // `vigil bouncer add`: the CLI says so and exits
  'CanaryRolledBack', // rolls a probe transaction back, caught at once
  'CanonicalJsonError', // the audit writer refuses such an event before any route sees it
  'CgroupUnavailableError', // a supervised process runs without its limits, and its log says why
  'CheckpointKeyError', // start-up
  'ConditionSyntaxError', // a monitor condition that does not parse: a config issue pointing at the column
  'ConditionUnavailable', // a condition naming what this probe cannot measure: the probe's failure message
  'ConfigFileError', // start-up and reload, reported on the config status
  'DeliveryError', // notification delivery, retried by the notifier
  'EnrollmentRefusedError', // an agent's enrollment refused by its console: logged, the agent runs alone
  'EnvError', // start-up
  'InvalidCidrError', // environment and config parsing
  'IpListFormatError', // a blocklist that cannot be read: kept as the list's last error, the previous list stays
  'IpListSourceError', // the same, for a source that cannot be fetched or opened
  'MigrationError', // start-up
  'MissingCredentialError', // notification delivery
  'MysqlRefused', // the MySQL monitor's probe failure, shown as the module's message
  'NeedsSlowPath', // internal control flow of canonical JSON
  'PortInUseError', // start-up
  'ProgramNotFoundError', // turned into a RecoveryError or a module message where it happens
  'UsageError', // the CLI
  'YieldedError', // a scheduled off-site operation giving way: turned into a RecoveryError (busy) by the frame
];

/** Every error class in the sources, by whether it extends AppError (directly, through HttpError or codedError). */
function declaredErrorClasses(): { answers: string[]; others: string[] } {
  const root = path.resolve(__dirname, '../..');
  const answers = new Set<string>();
  const others = new Set<string>();
  for (const dir of ['lib', 'server', 'app', 'components']) {
    for (const file of readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(file) || file.includes('node_modules') || file.endsWith('.test.ts')) continue;
      for (const [, name, base] of readFileSync(path.join(root, dir, file), 'utf8').matchAll(/class (\w+) extends (\w*Error|codedError)\b/g)) {
        (['AppError', 'HttpError', 'codedError'].includes(base) || answers.has(base) ? answers : others).add(name);
      }
    }
  }
  return { answers: [...answers].sort(), others: [...others].filter((name) => !answers.has(name)).sort() };
}

describe('one error model for both HTTP surfaces', () => {
  it('covers every error class in the sources: each answers with its status, or is known never to be an answer', () => {
    const { answers, others } = declaredErrorClasses();
    const tested = new Set(EVERY_ERROR.map(([name]) => name));
    expect(answers.filter((name) => !tested.has(name))).toEqual([]);
    // HealingError predates AppError; error-answer.ts translates it (and its codes) by name.
    expect(others.filter((name) => name !== 'AppError' && name !== 'HealingError')).toEqual(NOT_ANSWERS);
  });

  it.each(EVERY_ERROR.map(([name, error, status]) => [`${name} ${(error as { code: string }).code}`, error, status] as const))(
    'maps %s to its status and a snake_case code',
    (_, error, status) => {
      const answer = answerError(error, quiet);
      expect(answer.status).toBe(status);
      expect(answer.code).toMatch(SNAKE_CASE);
      expect(answer.toBody()).toEqual({ error: { code: answer.code, message: expect.any(String) } });
    },
  );

  it('answers an unknown error with a 500 that keeps its cause, logged once, its message never sent', () => {
    const { log, lines } = capturingLogger('warn');
    const cause = new Error('secret connection string postgres://u:hunter2@db');
    const answer = answerError(cause, { method: 'POST', path: '/internal/v1/x', log });
    expect(answer).toMatchObject({ status: 500, code: 'internal_error', cause });
    expect(JSON.stringify(answer.toBody())).not.toContain('hunter2');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        method: 'POST',
        path: '/internal/v1/x',
        msg: 'request failed',
        err: expect.objectContaining({ message: cause.message }),
      }),
    ]);
  });

  it('answers a database that cannot be reached with a 503 and a warning, not an error', () => {
    const { log, lines } = capturingLogger('warn');
    const answer = answerError(new Error('SQLITE_BUSY: database is locked'), { method: 'GET', path: '/x', log });
    expect(answer).toMatchObject({ status: 503, code: 'database_unavailable', headers: { 'retry-after': '5' } });
    expect(lines.map((line) => line.level)).toEqual([40]);
  });

  it('passes an expected failure through without logging it, and keeps what it wraps', () => {
    const { log, lines } = capturingLogger('debug');
    const inner = new Error('ENOSPC');
    const refusal = new AppError('no_space', 507, 'the store is full', { cause: inner });
    expect(answerError(refusal, { method: 'GET', path: '/x', log })).toBe(refusal);
    expect(refusal.cause).toBe(inner);
    expect(lines).toEqual([]);
    expect(isAppError(new RecoveryError('busy', 'm'))).toBe(true);
    expect(isAppError(new Error('plain'))).toBe(false);
  });
});
