import { z } from 'zod';
import { CANONICAL_MAX_DEPTH, type JsonObject } from '../canonical-json';

/**
 * What the audit chain can store and hash exactly as it was accepted. Every boundary that
 * feeds the chain (the ingest API, operator forms, the writer itself) validates with these,
 * so nothing accepted can later be refused by the hasher or altered by a database:
 * - a lone UTF-16 surrogate has no UTF-8 form, so drivers store U+FFFD instead and the
 *   stored event no longer matches its hash;
 * - PostgreSQL refuses NUL in text;
 * - canonical JSON stops at CANONICAL_MAX_DEPTH levels (cycles end there too).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored verbatim in the chain, or null when it can. */
export function auditTextProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (no lone UTF-16 surrogate)';
  return null;
}

/** A string the chain stores verbatim; compose with .min/.max as usual. */
export function auditText(): z.ZodString {
  return z.string().superRefine((value, ctx) => {
    const problem = auditTextProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

type Trail = Array<string | number>;
type Report = (trail: Trail, message: string) => void;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a JSON value member by member; stops descending at the depth limit, so an
 * absurdly deep body costs no more than a legal one. Returns false at the first problem.
 */
function checkJsonValue(value: unknown, trail: Trail, report: Report): boolean {
  if (trail.length > CANONICAL_MAX_DEPTH) {
    report(trail, `nested deeper than ${CANONICAL_MAX_DEPTH} levels`);
    return false;
  }
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return true;
    report(trail, 'numbers must be finite');
    return false;
  }
  if (typeof value === 'string') {
    const problem = auditTextProblem(value);
    if (problem) report(trail, problem);
    return problem === null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!checkJsonValue(value[i], [...trail, i], report)) return false;
    }
    return true;
  }
  if (!isPlainObject(value)) {
    report(trail, 'must be a JSON value');
    return false;
  }
  for (const key of Object.keys(value)) {
    const problem = auditTextProblem(key);
    if (problem) {
      report([...trail, key], `key ${problem}`);
      return false;
    }
    if (value[key] !== undefined && !checkJsonValue(value[key], [...trail, key], report)) return false;
  }
  return true;
}

/** `details` of an audit event: a JSON object the chain can hash and every database can store. */
export const auditDetailsSchema = z
  .custom<JsonObject>(isPlainObject, { message: 'must be a JSON object' })
  .superRefine((value, ctx) => {
    checkJsonValue(value, [], (trail, message) => ctx.addIssue({ code: 'custom', message, path: trail }));
  })
  // What the generated API description shows for the custom check.
  .meta({
    type: 'object',
    additionalProperties: true,
    description: `any JSON object nested at most ${CANONICAL_MAX_DEPTH} levels; strings well-formed Unicode without NUL`,
  });

/** Reported times may run ahead of Vigil's clock by this much (clock skew), never more. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** PostgreSQL's timestamps have no year 0, and ISO strings past 9999 need a sign. */
const EARLIEST_TIME = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/** Why a time cannot be stored or compared by every database (PostgreSQL has no year 0), or null. */
export function storableTimeProblem(at: Date): string | null {
  const ms = at.getTime();
  if (Number.isNaN(ms)) return 'must be a valid time';
  if (ms < EARLIEST_TIME) return 'must be in year 0001 or later';
  if (ms > LATEST_TIME) return 'must be in year 9999 or earlier';
  return null;
}

/** Why a reported event time cannot be taken, or null. Backdated times are fine: the receive time is kept beside them. */
export function reportedTimeProblem(at: Date, now = new Date()): string | null {
  const problem = storableTimeProblem(at);
  if (problem) return problem;
  if (at.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) return `must not be more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes in the future`;
  return null;
}

/** An event time as a Date, checked with reportedTimeProblem. */
export const reportedTimeSchema = z.date().superRefine((at, ctx) => {
  const problem = reportedTimeProblem(at);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Text about a refused value (an error, a type) made storable: U+FFFD for what the chain cannot hold, capped. */
export function toAuditText(value: string, max = 2000): string {
  const text = value.replace(LONE_SURROGATES, '\uFFFD').replaceAll('\u0000', '\uFFFD');
  if (text.length <= max) return text;
  // Cutting between the halves of a pair would make the very lone surrogate this removes.
  const cut = /[\uD800-\uDBFF]/.test(text[max - 2]) ? max - 2 : max - 1;
  return `${text.slice(0, cut)}…`;
}

/** The reason an operator types into a form: it goes into the audit chain as typed, so it follows the chain's text rules. */
export const operatorReasonSchema = auditText().trim().min(3, 'give a reason of at least 3 characters').max(500);
