import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger, findFreePort, makeTempDir, startTestWorker, type TempDir, type TestWorker } from '../test-support';
import { createEnrollment, listHosts } from '../test-support/fleet';
import { enrolledIdentity } from './agent-enrollment';

/** What `vigil agent` does at its first start and every start after: a real console worker in this process. */
describe("an agent's enrollment", () => {
  let console: TestWorker;
  let tmp: TempDir;
  const consoleUrl = () => `http://127.0.0.1:${console.port}`;
  const env = (token: string | null, consoleUrls = [consoleUrl()]) => ({
    consoleUrl: consoleUrls[0]!,
    consoleUrls,
    enrollmentToken: token,
    agentName: 'edge-1',
    heartbeatMs: 5000,
  });
  const never = () => false;

  beforeAll(async () => {
    console = await startTestWorker();
    tmp = makeTempDir('vigil-agent-enrollment-');
  }, 60_000);
  afterAll(async () => {
    await console.destroy();
    tmp.remove();
  });

  it('runs on its host alone when it is not enrolled and has no token', async () => {
    const { log, lines } = capturingLogger();
    expect(await enrolledIdentity(env(null), tmp.join('no-token'), log, never)).toBeNull();
    expect(lines.some((line) => String(line.msg).includes('no VIGIL_ENROLLMENT_TOKEN'))).toBe(true);
  });

  it('runs on its host alone when the console refuses the token', async () => {
    const { log, lines } = capturingLogger();
    expect(await enrolledIdentity(env('not-a-token'), tmp.join('refused'), log, never)).toBeNull();
    expect(lines.some((line) => String(line.msg).includes('enrollment refused'))).toBe(true);
  });

  it('tries the next console while one is unreachable, enrolls once, and keeps its identity for later starts', async () => {
    const token = await createEnrollment(console.port, { labels: { role: 'edge' }, uses: 1, expiresInMinutes: 10 });
    const down = `http://127.0.0.1:${await findFreePort()}`;
    const dataDir = tmp.join('edge');
    const { log, lines } = capturingLogger();
    const identity = await enrolledIdentity(env(token, [down, consoleUrl()]), dataDir, log, never);
    expect(identity).toMatchObject({ consoleUrl: down });
    expect(lines.some((line) => String(line.msg).includes('retrying the enrollment'))).toBe(true);
    const hosts = (await listHosts(console.port)).filter((host) => host.name === 'edge-1');
    expect(hosts).toHaveLength(1);
    expect(identity!.hostId).toBe(hosts[0]!.id);
    // The token's one use is spent: a later start reads the identity and asks nothing.
    const again = await enrolledIdentity(env(token), dataDir, capturingLogger().log, never);
    expect(again).toMatchObject({ hostId: identity!.hostId, consoleUrl: consoleUrl() });
  });

  it('gives up when the agent stops while the console is unreachable', async () => {
    const down = `http://127.0.0.1:${await findFreePort()}`;
    let stopped = false;
    const { log, lines } = capturingLogger();
    const stop = setInterval(() => (stopped = lines.length > 0), 10);
    expect(await enrolledIdentity(env('some-token', [down]), tmp.join('stopped'), log, () => stopped)).toBeNull();
    clearInterval(stop);
  });
});
