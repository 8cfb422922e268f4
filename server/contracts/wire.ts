import { z, type ZodType } from 'zod';

/**
 * The response schema of a view whose TypeScript type lives in lib/ without a zod twin: every
 * top-level field must be listed (the compiler refuses a view that gained one the schema lacks),
 * each checked as written; what a field holds deeper is typed by the view, not re-checked. Fields
 * the schema does not name pass through untouched, so a newer worker never breaks an older client.
 */
export function view<T extends object>(fields: { [K in keyof T]-?: ZodType }): ZodType<T> {
  return z.looseObject(fields) as unknown as ZodType<T>;
}

/**
 * A nested value of a view, checked on the fields named (an object at least) and typed as T:
 * for the long tail of nested records whose type lives in lib/ and is not read by the web app
 * field by field.
 */
export function record<T extends object>(fields: { [K in keyof T]?: ZodType } = {}): ZodType<T> {
  return z.looseObject(fields as Record<string, ZodType>) as unknown as ZodType<T>;
}

/** Any JSON object: for nested values that view() leaves to their type. */
export const jsonObject: ZodType<object> = z.looseObject({});

/** An ISO-8601 timestamp as the worker writes it (Date#toISOString). */
export const isoTime = z.string();

/** The `{ ok: true }` of a command that has nothing else to say. */
export const okSchema = z.object({ ok: z.literal(true) });
