import { z } from 'zod';
import { DEFAULT_TRUSTED_PROXIES, InvalidCidrError, parseCidrList } from '@/lib/net/client-address';
import { commonEnvShape, parseEnv, port, resolveCommonEnv, type CommonEnv } from './common';

const webShape = {
  ...commonEnvShape,
  PORT: port.default(3000),
  WORKER_PORT: port.default(3001),
  VIGIL_WORKER_URL: z.url('must be a URL such as http://127.0.0.1:3001').optional(),
  VIGIL_WORKER_PUBLIC_URL: z.url('must be a URL the browser can reach').optional(),
  VIGIL_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  VIGIL_SESSION_IDLE_HOURS: z.coerce
    .number({ message: 'must be a number of hours' })
    .positive()
    .max(24 * 30)
    .default(12),
  VIGIL_TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        if (value) parseCidrList(splitList(value));
      } catch (error) {
        if (error instanceof InvalidCidrError) ctx.addIssue({ code: 'custom', message: error.message });
        else throw error;
      }
    }),
  VIGIL_ADMIN_USER: z
    .string()
    .regex(/^[a-zA-Z0-9_.@-]{3,64}$/, 'must be 3-64 letters, digits or _ . @ -')
    .default('admin'),
  VIGIL_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  VIGIL_SESSION_MAX_DAYS: z.coerce.number({ message: 'must be a number of days' }).positive().max(365).default(7),
};

export interface WebEnv extends CommonEnv {
  port: number;
  workerPort: number;
  /** Where the web app reaches the worker (server side). */
  workerUrl: string;
  /** Where browsers reach the worker's socket; null means "same host, WORKER_PORT". */
  workerPublicUrl: string | null;
  cookieSecure: 'auto' | 'always' | 'never';
  sessionPolicy: { absoluteMs: number; idleMs: number };
  /** Peers whose X-Forwarded-For / X-Real-IP are believed. */
  trustedProxies: string[];
  /** The first administrator, created unattended at start when set. */
  bootstrapAdmin: { username: string; password: string } | null;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export function loadWebEnv(source: Record<string, string | undefined> = process.env): WebEnv {
  const raw = parseEnv(webShape, source);
  return {
    ...resolveCommonEnv(raw),
    port: raw.PORT,
    workerPort: raw.WORKER_PORT,
    workerUrl: raw.VIGIL_WORKER_URL ?? `http://127.0.0.1:${raw.WORKER_PORT}`,
    workerPublicUrl: raw.VIGIL_WORKER_PUBLIC_URL ?? null,
    cookieSecure: raw.VIGIL_COOKIE_SECURE === 'auto' ? 'auto' : raw.VIGIL_COOKIE_SECURE === 'true' ? 'always' : 'never',
    sessionPolicy: { absoluteMs: raw.VIGIL_SESSION_MAX_DAYS * 86_400_000, idleMs: raw.VIGIL_SESSION_IDLE_HOURS * 3_600_000 },
    trustedProxies: raw.VIGIL_TRUSTED_PROXIES ? splitList(raw.VIGIL_TRUSTED_PROXIES) : DEFAULT_TRUSTED_PROXIES,
    bootstrapAdmin: raw.VIGIL_ADMIN_PASSWORD ? { username: raw.VIGIL_ADMIN_USER, password: raw.VIGIL_ADMIN_PASSWORD } : null,
  };
}
