import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@/lib/canonical-json';
import type { FleetQuery } from '@/lib/fleet/fleet-query-api';

/** Its own purpose line: a query's signature can never pass for a command's, nor the other way round. */
const queryBytes = (query: FleetQuery) => Buffer.from(`vigil-fleet-query\n${canonicalJson(query)}`);

export const signQuery = (consoleKey: KeyObject, query: FleetQuery) => sign(null, queryBytes(query), consoleKey).toString('base64');

export function querySignedBy(consoleKey: KeyObject | string, query: FleetQuery, signature: string): boolean {
  try {
    const key = typeof consoleKey === 'string' ? createPublicKey(consoleKey) : consoleKey;
    return key.asymmetricKeyType === 'ed25519' && verify(null, queryBytes(query), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
