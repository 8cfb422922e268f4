import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_EVENTS } from '@/lib/fleet/fleet-api';
import { MAX_COUNTS_PER_REPORT } from '@/lib/fleet/fleet-counts';
import { createSession } from '../auth/session-store';
import { api, makeTempDir, readWholeChain, startTestWorker, TEST_API_TOKEN, waitFor, type TempDir, type TestWorker } from '../test-support';
import { createEnrollment } from '../test-support/fleet';
import { ProtocolAgent } from '../test-support/fleet-protocol-agent';
import { FLEET_DECISIONS_PER_MINUTE } from './fleet-host-share';

/** Brute force as the console counts it across the fleet: 6 failures within 10 minutes. */
const CAPACITY = 6;
const CONFIG = `defense:
  scenarios:
    - { name: guesses, kinds: [auth_failure], capacity: ${CAPACITY}, windowSeconds: 600, level: critical }
`;

let seq = 0;
const report = (entries: Array<[string, number]>) => ({ seq: ++seq, counts: entries.map(([source, count]) => ['auth_failure', source, count]), dropped: 0 });

async function isolatedSources(worker: TestWorker): Promise<string[]> {
  const answer = await api<{ isolations: Array<{ source: string }> }>(worker.port, '/api/v1/isolations', { token: TEST_API_TOKEN });
  return answer.body.isolations.map((isolation) => isolation.source);
}

const isolatedSoon = (worker: TestWorker, source: string) =>
  waitFor(async () => (await isolatedSources(worker)).includes(source) || undefined, { timeoutMs: 20_000, what: `${source} to be isolated` });

describe('an enrolled agent that lies to the console', () => {
  let tmp: TempDir;
  let worker: TestWorker;
  let hostile: ProtocolAgent;
  let honest: ProtocolAgent;
  let token: string;

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-hostile-');
    writeFileSync(tmp.join('vigil.config.yaml'), CONFIG);
    worker = await startTestWorker({ vars: { VIGIL_CONFIG: tmp.join('vigil.config.yaml') } });
    token = await createEnrollment(worker.port, { labels: {}, uses: 3, expiresInMinutes: 10 });
    hostile = await ProtocolAgent.enroll(worker.port, token, 'hostile');
    honest = await ProtocolAgent.enroll(worker.port, token, 'honest');
  }, 60_000);

  afterAll(async () => {
    hostile?.close();
    honest?.close();
    await worker?.destroy();
    tmp?.remove();
  });

  it('cannot get a source isolated fleet-wide by its counts alone, however large', async () => {
    // The victim's and a marker's counts in one report: once the marker is isolated, the victim's were weighed too.
    hostile.socket.emit(
      FLEET_EVENTS.counts,
      report([
        ['198.51.100.10', 1_000_000],
        ['198.51.100.11', 1_000_000],
      ]),
    );
    // An honest host that saw the marker, below its own threshold, confirms what the hostile one said about it.
    honest.socket.emit(FLEET_EVENTS.counts, report([['198.51.100.11', 2]]));
    await isolatedSoon(worker, '198.51.100.11');
    await worker.worker.audit.flush();
    expect(await isolatedSources(worker)).not.toContain('198.51.100.10');
    const detections = (await readWholeChain(worker.worker.database)).filter((event) => event.type === 'fleet.detection');
    expect(detections.map((event) => event.resource)).toEqual(['198.51.100.11']);
  });

  it('still lets a source spread thin over several hosts add up to one detection', async () => {
    hostile.socket.emit(FLEET_EVENTS.counts, report([['198.51.100.20', 3]]));
    honest.socket.emit(FLEET_EVENTS.counts, report([['198.51.100.20', 3]]));
    await isolatedSoon(worker, '198.51.100.20');
  });

  it('cannot have an operator signed in to the console isolated by a decision it claims to have made', async () => {
    const admin = await worker.worker.database.prisma.user.create({ data: { id: 'operator-1', username: 'operator', passwordHash: 'x', role: 'operator' } });
    await createSession(worker.worker.database.prisma, { userId: admin.id, ip: '198.51.100.30', userAgent: 'browser' });
    for (const source of ['198.51.100.30', '198.51.100.0/24', '127.0.0.1', '198.51.100.31'])
      hostile.socket.emit(FLEET_EVENTS.localDecision, { source, scenario: 'guesses', reason: 'claimed', expiresAt: null });
    // Decisions from one socket are weighed in the order they came: the last one marks the end.
    await isolatedSoon(worker, '198.51.100.31');
    await worker.worker.audit.flush();
    const isolated = await isolatedSources(worker);
    expect(isolated).not.toContain('198.51.100.30');
    expect(isolated).not.toContain('198.51.100.0/24');
    expect(isolated).not.toContain('127.0.0.1');
    const refused = (await readWholeChain(worker.worker.database)).filter((event) => event.type === 'fleet.isolation_refused');
    expect(refused.map((event) => event.resource).sort()).toEqual(['127.0.0.1', '198.51.100.0/24', '198.51.100.30']);
    expect(refused.every((event) => event.details.hostId === hostile.hostId)).toBe(true);
  });

  it('has what one host may decide for the fleet bounded per minute, however it paces its reports', async () => {
    // A host of its own, so nothing it decided before counts in this minute.
    const sprayer = await ProtocolAgent.enroll(worker.port, token, 'sprayer');
    const sprayed = async () => (await isolatedSources(worker)).filter((source) => source.startsWith('203.0.113.')).length;
    // Three rounds of 20 decisions, each in a second of its own, so the per-second limit alone would let all of them through.
    for (let round = 0; round < 3; round++) {
      const second = Math.floor(Date.now() / 1000);
      await waitFor(() => Math.floor(Date.now() / 1000) > second || undefined, { timeoutMs: 5000, what: 'the next second' });
      for (let i = 0; i < 20; i++)
        sprayer.socket.emit(FLEET_EVENTS.localDecision, { source: `203.0.113.${round * 20 + i}`, scenario: 'guesses', reason: 'spray', expiresAt: null });
      // The honest host's decision marks that this round was weighed.
      honest.socket.emit(FLEET_EVENTS.localDecision, { source: `192.0.2.${200 + round}`, scenario: 'guesses', reason: 'real', expiresAt: null });
      await isolatedSoon(worker, `192.0.2.${200 + round}`);
      await waitFor(async () => (await sprayed()) >= Math.min(20 * (round + 1), FLEET_DECISIONS_PER_MINUTE) || undefined, {
        timeoutMs: 20_000,
        what: `round ${round} of the spray to be weighed`,
      });
    }
    await waitFor(async () => (await readWholeChain(worker.worker.database)).some((event) => event.type === 'fleet.decisions_limited') || undefined, {
      timeoutMs: 20_000,
      what: 'the spray to be noted as limited',
    });
    expect(await sprayed()).toBe(FLEET_DECISIONS_PER_MINUTE);
    sprayer.close();
  });

  it('is refused a report with more sources than one report may hold, before any of it is counted', async () => {
    const tooMany = Array.from({ length: MAX_COUNTS_PER_REPORT + 1 }, (_, i): [string, number] => [`192.0.2.${i % 200}`, 1]);
    tooMany[0] = ['192.0.2.250', 1_000_000];
    hostile.socket.emit(FLEET_EVENTS.counts, report(tooMany));
    honest.socket.emit(
      FLEET_EVENTS.counts,
      report([
        ['192.0.2.250', 3],
        ['192.0.2.251', 3],
      ]),
    );
    hostile.socket.emit(FLEET_EVENTS.counts, report([['192.0.2.251', 3]]));
    await isolatedSoon(worker, '192.0.2.251');
    expect(await isolatedSources(worker)).not.toContain('192.0.2.250');
  });
});
