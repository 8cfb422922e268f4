import { z } from 'zod';

/**
 * What the detectors consume, whoever saw it: a guard check, the ingest API, a tailed log
 * line, or Vigil's own sign-in. `source` is an IP address (v4 or v6) when one is known.
 */
export const SIGNAL_KINDS = ['request', 'auth_failure', 'auth_success', 'error', 'not_found', 'custom'] as const;
export const signalKindSchema = z.enum(SIGNAL_KINDS);
export type SignalKind = z.infer<typeof signalKindSchema>;

export interface SecuritySignal {
  kind: SignalKind;
  /** Client IP address. */
  source: string;
  /** The account the attempt was for, when known (brute force per user). */
  user?: string;
  /** API token id, when the request carried one. */
  token?: string;
  path?: string;
  status?: number;
  /** Where it came from: 'guard', 'ingest', 'log:<file>', 'vigil-login'. */
  origin: string;
  at: number;
}

export type SignalSink = (signal: SecuritySignal) => void;
