import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { FleetCommandIssued, FleetCommandRequest, FleetCommandView, FleetHostStatus } from '@/lib/fleet/fleet-command-api';
import { generateApiToken } from '../auth/api-tokens';
import { api, type ApiResponse } from './http';
import { waitFor } from './wait';
import { TEST_API_TOKEN } from './worker-env';

/** `POST /api/v1/fleet/commands` as `token` (the admin test token unless said). */
export function sendFleetCommand(consolePort: number, request: FleetCommandRequest | Record<string, unknown>, token = TEST_API_TOKEN) {
  return api<FleetCommandIssued>(consolePort, '/api/v1/fleet/commands', { token, json: request });
}

export async function fleetCommandView(consolePort: number, id: string): Promise<FleetCommandView> {
  const answer: ApiResponse<FleetCommandView> = await api<FleetCommandView>(consolePort, `/api/v1/fleet/commands/${id}`, { token: TEST_API_TOKEN });
  if (answer.status !== 200) throw new Error(`GET /api/v1/fleet/commands/${id} answered ${answer.status}: ${answer.text}`);
  return answer.body;
}

const FINAL: readonly FleetHostStatus[] = ['succeeded', 'failed', 'refused'];

/** The command once every host it went to (or each of `hostIds`) has a final answer. */
export function settledFleetCommand(consolePort: number, id: string, timeoutMs = 60_000, hostIds?: readonly number[]): Promise<FleetCommandView> {
  return waitFor(
    async () => {
      const view = await fleetCommandView(consolePort, id);
      const awaited = hostIds ? view.hosts.filter((host) => hostIds.includes(host.hostId)) : view.hosts;
      return awaited.length === (hostIds?.length ?? view.hosts.length) && awaited.every((host) => FINAL.includes(host.status)) ? view : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `fleet command ${id} to be answered by ${hostIds ? `hosts ${hostIds.join(', ')}` : 'every host'}` },
  );
}

/** A role token written straight into a console process's SQLite database, as an admin would create one. */
export function insertRoleToken(dataDir: string, role: 'viewer' | 'operator' | 'admin'): string {
  const generated = generateApiToken();
  const sqlite = new BetterSqlite3(path.join(dataDir, 'vigil.db'));
  try {
    sqlite
      .prepare('INSERT INTO "ApiToken" ("id", "name", "prefix", "tokenHash", "role") VALUES (?, ?, ?, ?, ?)')
      .run(`${role}-${generated.prefix}`, `${role} for the test`, generated.prefix, generated.tokenHash, role);
  } finally {
    sqlite.close();
  }
  return generated.token;
}
