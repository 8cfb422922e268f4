import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetCommand } from '@/lib/fleet/fleet-api';
import { readWholeChain, startTestWorker, type TestWorker } from '../test-support';
import { runFleetAction, type FleetCommandServices, type FleetCommandStep } from './fleet-command-runner';

type IsolateAction = Extract<FleetCommand['action'], { kind: 'isolate' }>;

describe('a fleet-wide isolation the console sends again on every reconnect', () => {
  let worker: TestWorker;
  let services: FleetCommandServices;

  beforeAll(async () => {
    worker = await startTestWorker();
    const { defense, healing, recovery } = worker.worker;
    services = { defense, healing, recovery, watchRecovery: () => () => undefined };
  }, 60_000);

  afterAll(() => worker.destroy());

  /** What the host answers and does with one command, as the agent carries it out. */
  async function carryOut(action: IsolateAction): Promise<FleetCommandStep[]> {
    const steps: FleetCommandStep[] = [];
    await runFleetAction(services, action, (step) => steps.push(step));
    return steps;
  }

  const isolatedEvents = async (source: string) =>
    (await readWholeChain(worker.worker.database)).filter((event) => event.type === 'defense.isolated' && event.source === source);

  it('is a no-op when the same decision is held already: no second offence, no second audit entry', { timeout: 60_000 }, async () => {
    const action: IsolateAction = {
      kind: 'isolate',
      source: '203.0.113.61',
      reason: 'scanning every host',
      actor: 'user:admin',
      until: new Date(Date.now() + 3_600_000).toISOString(),
    };
    expect((await carryOut(action)).at(-1)).toMatchObject({ status: 'succeeded', message: '203.0.113.61 isolated' });
    const held = worker.worker.defense.blocklist.get('203.0.113.61')!;
    expect(held.offence).toBe(1);

    // Two reconnects later: the same command twice more.
    for (let resend = 0; resend < 2; resend++)
      expect((await carryOut(action)).at(-1)).toMatchObject({ status: 'succeeded', message: '203.0.113.61 already isolated' });

    expect(worker.worker.defense.blocklist.get('203.0.113.61')).toEqual(held);
    expect(await isolatedEvents('203.0.113.61')).toHaveLength(1);
    expect(worker.worker.defense.check('203.0.113.61', '/')).toBe('isolated');
  });

  it('still takes a different decision for the same source: another reason, another end, or one the host ended itself', { timeout: 60_000 }, async () => {
    const first: IsolateAction = { kind: 'isolate', source: '203.0.113.62', reason: 'first decision', actor: 'user:admin', until: null };
    await carryOut(first);
    await carryOut({ ...first, reason: 'a later decision' });
    await carryOut({ ...first, reason: 'a later decision', until: new Date(Date.now() + 600_000).toISOString() });
    expect(await isolatedEvents('203.0.113.62')).toHaveLength(3);
    expect(worker.worker.defense.blocklist.get('203.0.113.62')!.offence).toBe(3);

    // Released on the host: the console's next resend puts it back.
    await worker.worker.defense.isolations.restore({ source: '203.0.113.62', actor: 'user:local', reason: 'released here' });
    await carryOut({ ...first, reason: 'a later decision', until: new Date(Date.now() + 600_000).toISOString() });
    expect(worker.worker.defense.check('203.0.113.62', '/')).toBe('isolated');
  });
});
