import { afterEach, describe, expect, it } from 'vitest';
import { startDefenseWorker, internalCall } from '../test-support/defense-worker';
import { waitFor, type TestWorker } from '../test-support';
import { sendJsonResponse, startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';

let t: TestWorker | null = null;
let hook: StubHttpServer | null = null;
afterEach(async () => {
  await t?.destroy();
  await hook?.close();
  t = null;
  hook = null;
});

const rulesOf = (server: StubHttpServer) => server.requests.map((request) => (JSON.parse(request.body) as { alert: { rule: string } }).alert.rule);

describe('a silence an operator makes on a name that is no label', () => {
  // A missing label reads as '' (as in Alertmanager), which `x*` does not match; an inherited one used to read as a function and throw.
  it('matches nothing: inherited names (constructor, __proto__, toString) neither break alerting nor mute it', async () => {
    hook = await startStubHttpServer((_request, res) => sendJsonResponse(res, 200, {}));
    t = await startDefenseWorker({ yaml: `notifications:\n  channels:\n    - { name: hook, kind: webhook, url: "${hook.url}/in" }\n` });
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const made = await internalCall(t.port, '/internal/v1/alerts/silences', {
        matchers: [{ name, value: 'x*' }],
        durationMinutes: 60,
        comment: 'mine',
        actor: 'mallory',
      });
      expect(made.status, name).toBe(201);
    }
    await t.worker.audit.append({ type: 'defense.threat', severity: 'critical', actor: 'system', action: 'credential stuffing detected', module: 'defense' });
    await waitFor(() => rulesOf(hook!).includes('critical threat'), { timeoutMs: 10_000 });
  });
});
