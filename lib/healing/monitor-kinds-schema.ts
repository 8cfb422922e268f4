import { z } from 'zod';
import { moduleCommon as common } from './module-common';

const host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9_[][A-Za-z0-9_.:%[\]-]*$/, 'a host name or address');
const port = z.number().int().min(1).max(65535);
/** Passwords are named by environment variable, never written in the config or the database. */
const passwordEnv = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable')
  .optional();
const resolverAddress = z.union([z.ipv4(), z.ipv6(), z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}$/)], {
  error: 'an IP address, optionally with a port: 9.9.9.9, 127.0.0.1:5353, [::1]:53',
});

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SRV', 'PTR', 'SOA', 'CAA'] as const;

export const dnsModuleSchema = z
  .object({
    ...common,
    kind: z.literal('dns'),
    /** The name to look up. */
    host,
    recordType: z.enum(DNS_RECORD_TYPES).default('A'),
    /** Asked directly, not through the system's resolver. */
    resolver: resolverAddress,
    /** Each of these must be among the answers (for MX the exchange, for TXT the joined text). */
    expect: z.array(z.string().min(1).max(500)).max(20).default([]),
  })
  .strict();

export const pingModuleSchema = z
  .object({
    ...common,
    kind: z.literal('ping'),
    host,
    count: z.number().int().min(1).max(20).default(3),
    /** More loss than this (percent of the echoes sent) is down. */
    maxLossPercent: z.number().min(0).max(100).default(50),
  })
  .strict();

export const tlsModuleSchema = z
  .object({
    ...common,
    kind: z.literal('tls'),
    host,
    port: port.default(443),
    /** The name the certificate must carry; the host when not given. */
    serverName: z.string().min(1).max(253).optional(),
    /** Warn when the certificate expires within this many days. */
    expiryDays: z.number().int().min(0).max(365).default(14),
    /** PEM of a private CA to trust besides the system's. */
    ca: z.string().max(64_000).optional(),
  })
  .strict();

/**
 * The query parameters a probe's URL may carry. The driver also takes `password` there (past the
 * userinfo check) and reads `sslcert`, `sslkey` and `sslrootcert` as files, synchronously, in the
 * worker: a monitor naming /dev/zero would never finish reading.
 */
const POSTGRES_URL_PARAMETERS = ['sslmode', 'connect_timeout', 'application_name', 'options', 'keepalives', 'keepalives_idle', 'target_session_attrs'];

export const postgresModuleSchema = z
  .object({
    ...common,
    kind: z.literal('postgres'),
    url: z
      .url({ protocol: /^postgres(ql)?$/, message: 'a postgres:// URL' })
      // Zod runs these checks on a value the format check refused too: one that is no URL is left to it.
      .refine((url) => !URL.canParse(url) || (!new URL(url).password && !new URL(url).searchParams.has('password')), 'no password in the URL: use passwordEnv')
      .superRefine((url, ctx) => {
        if (!URL.canParse(url)) return;
        for (const name of new URL(url).searchParams.keys())
          if (name !== 'password' && !POSTGRES_URL_PARAMETERS.includes(name))
            ctx.addIssue({ code: 'custom', message: `the URL parameter ${name} is not allowed (allowed: ${POSTGRES_URL_PARAMETERS.join(', ')})` });
      }),
    passwordEnv,
    query: z.string().min(1).max(2000).default('SELECT 1'),
  })
  .strict();

export const mysqlModuleSchema = z
  .object({
    ...common,
    kind: z.literal('mysql'),
    host,
    port: port.default(3306),
    user: z.string().min(1).max(80).default('root'),
    passwordEnv,
    database: z.string().min(1).max(64).optional(),
    query: z.string().min(1).max(2000).default('SELECT 1'),
  })
  .strict();

export const redisModuleSchema = z.object({ ...common, kind: z.literal('redis'), host, port: port.default(6379), passwordEnv }).strict();

export const dockerModuleSchema = z
  .object({
    ...common,
    kind: z.literal('docker'),
    container: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a container name or id'),
    socket: z.string().startsWith('/').default('/var/run/docker.sock'),
  })
  .strict();

export const smtpModuleSchema = z.object({ ...common, kind: z.literal('smtp'), host, port: port.default(25) }).strict();

export const grpcModuleSchema = z
  .object({
    ...common,
    kind: z.literal('grpc'),
    /** http:// for cleartext HTTP/2, https:// for TLS. */
    url: z.url({ protocol: /^https?$/, message: 'an http:// or https:// URL' }),
    /** The service asked about; empty asks about the server as a whole. */
    service: z.string().max(200).default(''),
  })
  .strict();

export const MONITOR_KIND_SCHEMAS = [
  dnsModuleSchema,
  pingModuleSchema,
  tlsModuleSchema,
  postgresModuleSchema,
  mysqlModuleSchema,
  redisModuleSchema,
  dockerModuleSchema,
  smtpModuleSchema,
  grpcModuleSchema,
] as const;

export type DnsModule = z.infer<typeof dnsModuleSchema>;
export type PingModule = z.infer<typeof pingModuleSchema>;
export type TlsModule = z.infer<typeof tlsModuleSchema>;
export type PostgresModule = z.infer<typeof postgresModuleSchema>;
export type MysqlModule = z.infer<typeof mysqlModuleSchema>;
export type RedisModule = z.infer<typeof redisModuleSchema>;
export type DockerModule = z.infer<typeof dockerModuleSchema>;
export type SmtpModule = z.infer<typeof smtpModuleSchema>;
export type GrpcModule = z.infer<typeof grpcModuleSchema>;
