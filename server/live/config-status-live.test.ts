import { writeFileSync } from 'node:fs';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeConfigProblem, type ConfigStatus } from '@/lib/config/config-status';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/live/events';
import { api, mintLiveToken, PROVIDERS, startTestWorker, TEST_SECRET, waitFor, type TestWorker } from '../test-support';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Healthz {
  config: { ok: boolean; since: string };
}

const GOOD = 'modules:\n  - { name: closed, kind: tcp, host: 127.0.0.1, port: 1, intervalSeconds: 30 }\n';
// An API token pasted into the file: a YAML error quotes the line, which /healthz must never repeat.
const GARBAGE = 'modules:\n  - { name: closed, kind: tcp, host: 127.0.0.1, port: 1\n    secret: "tok_never_in_healthz"\n';

describe.each(PROVIDERS)('a refused configuration reload, seen live (%s)', (provider) => {
  let t: TestWorker;
  let socket: LiveSocket;
  const received: ConfigStatus[] = [];

  beforeAll(async () => {
    t = await startTestWorker({ provider });
    writeFileSync(t.env.configPath, GOOD);
    t.worker.config.reload();
    socket = connect(`http://127.0.0.1:${t.port}`, {
      auth: { token: await mintLiveToken({ secret: TEST_SECRET, database: t.worker.database }) },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.on('config:status', (status) => received.push(status));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  });

  afterAll(async () => {
    socket?.disconnect();
    await t?.destroy();
  });

  const healthz = async () => (await api<Healthz>(t.port, '/healthz')).body;

  it('announces the refusal on the socket and in /healthz, then the good file that ends it', { timeout: 30_000 }, async () => {
    const before = await healthz();
    expect(before.config).toEqual({ ok: true, since: expect.any(String) });

    writeFileSync(t.env.configPath, GARBAGE);
    const refused = await waitFor(() => received.find((status) => !status.ok), { what: 'config:status with ok: false' });
    expect(refused).toMatchObject({ ok: false, file: t.env.configPath, error: expect.stringContaining('not applied') });
    // The banner lists the problems as the CLI does, each with the line it is on.
    expect(refused.problems.map(describeConfigProblem)).toEqual([expect.stringMatching(/line 2\b/)]);
    expect(refused.appliedAt).toBe(t.worker.config.status.appliedAt);

    const down = await healthz();
    expect(down.config).toEqual({ ok: false, since: refused.at });
    // Whether it is applied, and since when: never the file's text or the parser's words.
    expect(Object.keys(down.config).sort()).toEqual(['ok', 'since']);
    expect(JSON.stringify(down)).not.toContain('tok_never_in_healthz');

    writeFileSync(t.env.configPath, GOOD.replace('port: 1,', 'port: 2,'));
    const applied = await waitFor(() => received.slice(received.indexOf(refused) + 1).find((status) => status.ok), { what: 'config:status with ok: true' });
    expect(applied).toMatchObject({ ok: true, error: null, problems: [] });
    expect((await healthz()).config).toEqual({ ok: true, since: applied.appliedAt });
  });
});
