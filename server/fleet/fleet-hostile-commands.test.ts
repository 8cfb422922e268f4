import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken } from '../auth/api-tokens';
import { api, startTestWorker, TEST_API_TOKEN, type TestWorker } from '../test-support';
import { createEnrollment } from '../test-support/fleet';
import { sendFleetCommand } from '../test-support/fleet-commands';
import { ProtocolAgent } from '../test-support/fleet-protocol-agent';
import { FLEET_COMMANDS_PER_MINUTE } from './fleet-command-rate-limit';

describe('POST /api/v1/fleet/commands from a hostile or careless operator', () => {
  let worker: TestWorker;
  let agent: ProtocolAgent;
  let revoked: ProtocolAgent;
  let operatorToken: string;
  let otherOperatorToken: string;

  const roleToken = async (name: string, role: 'operator' | 'admin') => {
    const generated = generateApiToken();
    await worker.worker.database.prisma.apiToken.create({ data: { id: name, name, prefix: generated.prefix, tokenHash: generated.tokenHash, role } });
    return generated.token;
  };

  beforeAll(async () => {
    worker = await startTestWorker();
    const token = await createEnrollment(worker.port, { labels: { site: 'fra' }, uses: 2, expiresInMinutes: 10 });
    agent = await ProtocolAgent.enroll(worker.port, token, 'edge1');
    revoked = await ProtocolAgent.enroll(worker.port, token, 'edge2');
    expect((await api(worker.port, `/api/v1/hosts/${revoked.hostId}/revoke`, { token: TEST_API_TOKEN, method: 'POST' })).status).toBe(200);
    operatorToken = await roleToken('operator-a', 'operator');
    otherOperatorToken = await roleToken('operator-b', 'operator');
  }, 60_000);

  afterAll(async () => {
    agent?.close();
    revoked?.close();
    await worker?.destroy();
  });

  it('answers bad requests with a 4xx that names the problem, and records no command for them', async () => {
    const before = await worker.worker.database.prisma.fleetCommand.count();
    const cases: Array<[unknown, number, string]> = [
      [{ target: { hostId: agent.hostId }, action: { kind: 'format-disk', reason: 'testing the boundary' } }, 422, 'invalid_request'],
      [{ target: { labels: {} }, action: { kind: 'restart-module', module: 'web', reason: 'testing the boundary' } }, 422, 'invalid_request'],
      [
        { target: { hostId: agent.hostId }, action: { kind: 'snapshot-restore', snapshot: '../../etc/passwd', reason: 'testing the boundary' } },
        422,
        'invalid_request',
      ],
      [{ target: { hostId: agent.hostId }, action: { kind: 'snapshot-create', name: 'a/../../b', golden: true } }, 422, 'invalid_request'],
      [
        { target: { hostId: agent.hostId }, action: { kind: 'isolate', source: '203.0.113.1', reason: 'testing the boundary', extra: 1 } },
        422,
        'invalid_request',
      ],
      [{ target: { hostId: revoked.hostId }, action: { kind: 'restart-module', module: 'web', reason: 'testing the boundary' } }, 404, 'host_not_found'],
      [
        { target: { labels: { site: 'nowhere' } }, action: { kind: 'restart-module', module: 'web', reason: 'testing the boundary' } },
        422,
        'no_matching_hosts',
      ],
    ];
    for (const [body, status, code] of cases) {
      const answer = await sendFleetCommand(worker.port, body as Record<string, unknown>);
      const seen = { status: answer.status, code: (answer.body as unknown as { error: { code: string } }).error.code };
      expect(seen).toEqual({ status, code });
    }
    const huge = await api(worker.port, '/api/v1/fleet/commands', {
      token: TEST_API_TOKEN,
      json: { target: { hostId: agent.hostId }, action: { kind: 'lockdown', reason: 'x'.repeat(2_000_000) } },
    });
    expect(huge.status).toBe(413);
    // An operator may not send what only an admin may.
    for (const kind of ['lockdown', 'lift-lockdown'])
      expect((await sendFleetCommand(worker.port, { target: { fleet: true }, action: { kind, reason: 'testing the boundary' } }, operatorToken)).status).toBe(
        403,
      );
    expect(
      (
        await sendFleetCommand(
          worker.port,
          { target: { fleet: true }, action: { kind: 'snapshot-restore', snapshot: 'golden', reason: 'testing the boundary' } },
          operatorToken,
        )
      ).status,
    ).toBe(403);
    expect(await worker.worker.database.prisma.fleetCommand.count()).toBe(before);
  });

  it('takes a bounded number of commands per caller and minute, then answers 429 with Retry-After; other callers are not held back', async () => {
    const send = (token: string, i: number) =>
      sendFleetCommand(worker.port, { target: { labels: { site: 'fra' } }, action: { kind: 'restart-module', module: 'web', reason: `flood ${i}` } }, token);
    const statuses: number[] = [];
    for (let i = 0; i < FLEET_COMMANDS_PER_MINUTE + 5; i++) statuses.push((await send(operatorToken, i)).status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(FLEET_COMMANDS_PER_MINUTE);
    expect(statuses.slice(FLEET_COMMANDS_PER_MINUTE)).toEqual(Array(5).fill(429));
    const limited = await send(operatorToken, 999);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await send(otherOperatorToken, 0)).status).toBe(202);
  });
});
