import { writeFileSync } from 'node:fs';
import type { DatabaseProvider } from '../db/database-url';
import { internalToken } from '../auth/keys';
import { api, type ApiResponse } from './http';
import { makeTempDir } from './temp-dir';
import { startTestWorker, type TestWorker } from './test-worker';
import { TEST_SECRET } from './worker-env';

/** Only 127.0.0.1 is a proxy here, so 127.0.0.2 … act as direct clients that may try to spoof. */
export const DEFENSE_TEST_CONFIG = `
trustedProxies: ["127.0.0.1"]
allowlist: ["192.0.2.0/24", "127.0.0.9"]
`;

/** The guard tests' proxy and allowlist, and a flood scenario small enough to trip in a test. */
export const GUARD_TEST_CONFIG = `
trustedProxies: ["127.0.0.1"]
allowlist: ["192.0.2.0/24", "127.0.0.9"]
defense:
  scenarios:
    - { name: flood, kinds: [request], capacity: 20, level: critical }
    - { name: brute-force-critical, kinds: [auth_failure], capacity: 10, windowSeconds: 600, level: critical }
`;

/** A real worker whose VIGIL_CONFIG holds `yaml`; destroy() also removes the config. */
export async function startDefenseWorker({
  yaml = DEFENSE_TEST_CONFIG,
  provider = 'sqlite' as DatabaseProvider,
  vars = {} as Record<string, string>,
} = {}): Promise<TestWorker> {
  const dir = makeTempDir('vigil-defense-config-');
  const file = dir.join('vigil.config.yaml');
  writeFileSync(file, yaml);
  try {
    const t = await startTestWorker({ provider, vars: { VIGIL_CONFIG: file, ...vars } });
    return { ...t, destroy: () => t.destroy().finally(() => dir.remove()) };
  } catch (error) {
    dir.remove();
    throw error;
  }
}

/** A call the web app would make, with the internal key. */
export function internalCall<T = unknown>(port: number, path: string, json?: unknown): Promise<ApiResponse<T>> {
  return api<T>(port, path, { json, token: internalToken(TEST_SECRET) });
}
