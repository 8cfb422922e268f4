import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultEscalationPolicy } from '@/lib/healing/escalation';
import { moduleSchema, type ModuleDefinition } from '@/lib/healing/module-schema';
import type { AuditEventInput } from '@/lib/audit/types';
import type { IncidentNotification } from '@/lib/healing/incident';
import { notificationsConfigSchema } from '@/lib/config/notifications-config';
import { Notifier } from '../notify';
import { createMigratedDatabase, silentLogger, waitFor, type MigratedDatabase } from '../test-support';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { findIncident, listIncidents } from '../queries/incidents';
import { HealingEngine } from './healing-engine';

let db: MigratedDatabase;
let engine: HealingEngine | null;
let audit: AuditEventInput[];
let servers: StubHttpServer[];

const mod = (input: Record<string, unknown>): ModuleDefinition => moduleSchema.parse(input);

function startEngine(modules: ModuleDefinition[], escalation = defaultEscalationPolicy(), notify?: (n: IncidentNotification) => void): HealingEngine {
  engine = new HealingEngine({
    notify,
    database: db.database,
    audit: { append: async (event) => void audit.push(event) },
    log: silentLogger(),
    searchPath: '/usr/local/bin:/usr/bin:/bin',
    modules: () => modules.map((definition) => ({ definition, source: 'config' as const })),
    escalation: () => escalation,
    host: () => ({ cpuPercent: 10, memoryPercent: 20 }),
    approvalTimeoutMs: 60_000,
  });
  return engine;
}

beforeEach(async () => {
  db = await createMigratedDatabase('sqlite');
  audit = [];
  servers = [];
  engine = null;
});
afterEach(async () => {
  await engine?.close();
  await Promise.all(servers.map((s) => s.close()));
  await db.destroy();
});

/** Probes of `name` the engine has recorded: a wait for more of them is a wait for the engine to have acted again. */
const probesOf = (name: string): number => engine!.runtime(name)!.window.errorRate(60_000, Date.now()).total;

async function flakyServer() {
  const control = { status: 200 };
  const server = await startStubHttpServer((request, res) => {
    if (request.path === '/restart') {
      control.status = 200;
      res.writeHead(204).end();
      return;
    }
    res.writeHead(control.status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: control.status === 200 ? 'ok' : 'broken' }));
  });
  servers.push(server);
  return { server, control };
}

describe('the healing engine', () => {
  it('opens an incident after 3 failed probes, restarts through the hook, verifies and resolves it', async () => {
    const { server, control } = await flakyServer();
    const api = mod({
      name: 'api',
      kind: 'http',
      url: `${server.url}/health`,
      intervalSeconds: 1,
      critical: true,
      json: { path: 'status', equals: 'ok' },
      restart: { http: `${server.url}/restart` },
    });
    await startEngine([api]).start();
    await waitFor(() => engine!.list()[0].state === 'up');
    control.status = 503;
    const resolved = await waitFor(async () => (await listIncidents(db.database.prisma, { module: 'api' })).find((i) => i.state === 'resolved'), {
      timeoutMs: 20_000,
    });
    const incident = (await findIncident(db.database.prisma, resolved.id))!;
    expect(incident.steps.map((s) => s.kind)).toEqual(['detected', 'classified', 'action', 'escalated', 'verified', 'resolved']);
    expect(incident).toMatchObject({ severity: 'critical', failureClass: 'service_failure', rootCause: 'code_bug', escalationLevel: 2 });
    expect(incident.steps[2].message).toMatch(/^restart: restart hook answered HTTP 204/);
    expect(incident.mttrMs).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.path === '/restart')).toHaveLength(1);
    expect(engine!.list()[0]).toMatchObject({ state: 'up', restarts: 1 });
    expect(audit.filter((e) => e.type === 'module.state_changed').map((e) => e.action)).toEqual(['api: up → down', 'api: down → up']);
    expect(audit.find((e) => e.type === 'healing.detected')).toMatchObject({ module: 'api', severity: 'critical' });
    // One critical event per incident, however many steps narrate it.
    const ofIncident = audit.filter((e) => e.type.startsWith('healing.') && e.resource === `incident:${resolved.id}`);
    expect(ofIncident.length).toBeGreaterThanOrEqual(6);
    expect(ofIncident.filter((e) => e.severity === 'critical').map((e) => e.type)).toEqual(['healing.detected']);
  });

  // How fast is measured by bench/healing-crash-restart.ts; here, that the exit itself is noticed:
  // with an hour between probes, the next probe is far beyond any wait here, so it cannot be what found it.
  it('detects a killed supervised process at once and respawns it', async () => {
    const script = `${db.dir.path}/serve.js`;
    writeFileSync(script, "require('http').createServer((q, s) => s.end('ok')).listen(0); setInterval(() => {}, 1000);");
    const worker = mod({ name: 'echo', kind: 'process', command: [process.execPath, script], intervalSeconds: 3600 });
    await startEngine([worker]).start();
    await waitFor(() => engine!.list()[0].state === 'up' && engine!.list()[0].pid !== null);
    const firstPid = engine!.list()[0].pid!;
    process.kill(firstPid, 'SIGKILL');
    await waitFor(() => engine!.list()[0].state === 'down', { what: 'the kill to be noticed' });
    await waitFor(() => engine!.list()[0].state === 'up' && engine!.list()[0].pid !== firstPid, { what: 'the respawn' });
    const [incident] = await listIncidents(db.database.prisma, { module: 'echo' });
    expect(incident).toMatchObject({ failureClass: 'service_failure', state: 'resolved', rootCause: 'killed_by_signal' });
    expect(incident.title).toMatch(/^echo: killed by signal SIGKILL after \d+ s$/);
    const classified = (await findIncident(db.database.prisma, incident.id))!.steps.find((step) => step.kind === 'classified');
    expect(classified?.message).toMatch(/likely killed by signal \(confidence [\d.]+\): killed by signal SIGKILL \(external kill or OOM\)/);
    expect(
      engine!
        .runtime('echo')!
        .supervisor!.logs.tail()
        .map((l) => l.text),
    ).toContain('killed by SIGKILL');
  });

  describe('the restart budget is a rate: at most maxAttempts restarts in any windowSeconds', () => {
    async function killable(restartPolicy: Record<string, number>) {
      const script = `${db.dir.path}/serve.js`;
      writeFileSync(script, 'setInterval(() => {}, 1000);');
      await startEngine([mod({ name: 'svc', kind: 'process', command: [process.execPath, script], intervalSeconds: 30, restartPolicy })]).start();
      const view = () => engine!.list()[0];
      let pid = (await waitFor(() => view().state === 'up' && view().pid)) as number;
      return {
        /** Kills the process and resolves with the new pid once it was respawned, or null when it was not. */
        async kill(): Promise<number | null> {
          process.kill(pid, 'SIGKILL');
          const outcome = await waitFor(
            async () => {
              if (view().state === 'up' && view().pid !== null && view().pid !== pid) return { pid: view().pid };
              const [incident] = await listIncidents(db.database.prisma, { module: 'svc' });
              return incident?.state === 'open' && incident.escalationLevel >= 3 ? { pid: null } : null;
            },
            { timeoutMs: 10_000 },
          );
          if (outcome.pid !== null) pid = outcome.pid;
          return outcome.pid;
        },
      };
    }

    it('a kill after the window has passed is restarted at once, however many came before', async () => {
      const svc = await killable({ maxAttempts: 2, windowSeconds: 2 });
      const respawned: (number | null)[] = [];
      for (let kill = 0; kill < 4; kill++) {
        const killedAt = Date.now();
        respawned.push(await svc.kill());
        expect(Date.now() - killedAt).toBeLessThan(5000);
        const restartedAt = Date.now();
        // Only restarts inside the window count: wait until the last one has left it.
        await waitFor(() => Date.now() - restartedAt > 2100, { intervalMs: 50 });
      }
      expect(respawned.every((pid) => pid !== null)).toBe(true);
      expect(engine!.list()[0]).toMatchObject({ state: 'up', restarts: 4 });
    });

    it('kills in quick succession spend it, and the incident says so', async () => {
      const svc = await killable({ maxAttempts: 2, windowSeconds: 600, initialBackoffSeconds: 0 });
      expect(await svc.kill()).not.toBeNull();
      expect(await svc.kill()).not.toBeNull();
      expect(await svc.kill()).toBeNull();
      const [incident] = await listIncidents(db.database.prisma, { module: 'svc' });
      const detail = (await findIncident(db.database.prisma, incident.id))!;
      expect(detail.steps.map((s) => s.message)).toContainEqual(expect.stringMatching(/restart budget spent \(2 restarts in the last 10 min; at most 2\)/));
    });

    it('keeps the old keys: resetAfterSeconds is the window when windowSeconds is not given', () => {
      expect(mod({ name: 'svc', kind: 'process', command: ['x'], restartPolicy: { maxAttempts: 3, resetAfterSeconds: 120 } }).restartPolicy).toMatchObject({
        maxAttempts: 3,
        resetAfterSeconds: 120,
        windowSeconds: 120,
      });
      expect(mod({ name: 'svc', kind: 'process', command: ['x'] }).restartPolicy).toMatchObject({ maxAttempts: 5, windowSeconds: 600 });
    });
  });

  it("folds a dependent into its dependency's incident and does not restart it", async () => {
    const { server } = await flakyServer();
    const hook = await startStubHttpServer((_req, res) => res.writeHead(204).end());
    servers.push(hook);
    const dbModule = mod({ name: 'db', kind: 'tcp', host: '127.0.0.1', port: 1, intervalSeconds: 1, failureThreshold: 1, timeoutSeconds: 1 });
    const web = mod({
      name: 'web',
      kind: 'http',
      url: `${server.url}/health`,
      intervalSeconds: 1,
      failureThreshold: 1,
      dependsOn: ['db'],
      restart: { http: `${hook.url}/restart` },
    });
    await startEngine([dbModule, web]).start();
    await waitFor(() => engine!.list().find((m) => m.name === 'db')?.state === 'down');
    await servers[0].close();
    await waitFor(() => engine!.list().find((m) => m.name === 'web')?.state === 'down', { timeoutMs: 10_000 });
    const [dbIncident] = await waitFor(async () => {
      const list = await listIncidents(db.database.prisma, { module: 'db' });
      return list[0]?.affectedDependents.includes('web') ? list : null;
    });
    expect(dbIncident.affectedDependents).toEqual(['web']);
    expect(await listIncidents(db.database.prisma, { module: 'web' })).toEqual([]);
    expect(hook.requests).toEqual([]);
  });

  it('waits for approval in the approval tier, then acts when approved', async () => {
    const { server, control } = await flakyServer();
    const api = mod({
      name: 'api',
      kind: 'http',
      url: `${server.url}/health`,
      intervalSeconds: 1,
      failureThreshold: 2,
      autonomy: 'approval',
      restart: { http: `${server.url}/restart` },
    });
    await startEngine([api]).start();
    control.status = 500;
    await waitFor(() => engine!.list()[0].pendingApproval === 'restart', { timeoutMs: 10_000 });
    const probesAtRequest = probesOf('api');
    await waitFor(() => probesOf('api') >= probesAtRequest + 2, { what: 'two more failed probes while the approval is pending' });
    expect(server.requests.filter((r) => r.path === '/restart')).toHaveLength(0);
    await engine!.decideApproval('api', true, 'alice');
    expect(server.requests.filter((r) => r.path === '/restart')).toHaveLength(1);
    await waitFor(() => engine!.list()[0].state === 'up', { timeoutMs: 10_000 });
    expect(audit.some((e) => e.type === 'healing.approval' && e.actor === 'alice')).toBe(true);
  });

  it('observe-only modules are never acted on, and a hanging probe does not delay the others', async () => {
    const { server, control } = await flakyServer();
    const watched = mod({
      name: 'watched',
      kind: 'http',
      url: `${server.url}/health`,
      intervalSeconds: 1,
      failureThreshold: 1,
      observeOnly: true,
      restart: { http: `${server.url}/restart` },
    });
    const hang = mod({ name: 'hang', kind: 'command', command: ['sleep', '30'], intervalSeconds: 1, timeoutSeconds: 1 });
    await startEngine([watched, hang]).start();
    control.status = 500;
    await waitFor(() => engine!.list().find((m) => m.name === 'watched')?.state === 'down', { timeoutMs: 10_000 });
    await waitFor(() => engine!.list().find((m) => m.name === 'hang')?.state === 'down', { timeoutMs: 10_000 });
    const probesBefore = probesOf('watched');
    await waitFor(() => probesOf('watched') >= probesBefore + 2, { what: 'the watched module probed twice more while the other hangs' });
    expect(server.requests.filter((r) => r.path === '/restart')).toHaveLength(0);
    expect(engine!.list().find((m) => m.name === 'hang')?.message).toMatch(/killed \(SIGTERM\)|no answer within 1 s/);
  });

  it('restarts a process that stays over its CPU limit once escalation reaches "restart"', async () => {
    const busy = mod({
      name: 'busy',
      kind: 'process',
      command: [process.execPath, '-e', 'for (;;) {}'],
      intervalSeconds: 1,
      detection: { cpuPercent: 5, sustainSeconds: 2 },
    });
    await startEngine([busy], { ...defaultEscalationPolicy(), restartAfterMinutes: 0 }).start();
    await waitFor(() => engine!.list()[0].pid !== null);
    const firstPid = engine!.list()[0].pid;
    const incident = await waitFor(async () => (await listIncidents(db.database.prisma, { module: 'busy' }))[0], { timeoutMs: 10_000 }).catch(
      (error: unknown) => {
        throw new Error(`${(error as Error).message}: ${JSON.stringify(engine!.list()[0])}`);
      },
    );
    expect(incident).toMatchObject({ rootCause: 'resource_exhaustion', failureClass: 'degradation' });
    await waitFor(() => engine!.list()[0].pid !== firstPid && engine!.list()[0].restarts === 1, { timeoutMs: 15_000 });
    const detail = (await findIncident(db.database.prisma, incident.id))!;
    expect(detail.steps.find((s) => s.kind === 'detected')?.message).toMatch(/CPU \d+ % for \d+ s/);
  });

  it('a restart command that fails escalates to people and is not run again by itself', async () => {
    const { server, control } = await flakyServer();
    const api = mod({ name: 'api', kind: 'http', url: `${server.url}/health`, intervalSeconds: 1, failureThreshold: 1, restart: { command: ['false'] } });
    await startEngine([api]).start();
    control.status = 500;
    const incident = await waitFor(
      async () => {
        const [found] = await listIncidents(db.database.prisma, { module: 'api' });
        return found?.escalationLevel === 3 ? found : null;
      },
      { timeoutMs: 10_000 },
    );
    // Had the engine run the command again, it would have done so by the time it has probed the still-failing module twice more.
    const probesAtEscalation = probesOf('api');
    await waitFor(() => probesOf('api') >= probesAtEscalation + 2, { what: 'two more failed probes after the escalation' });
    const detail = (await findIncident(db.database.prisma, incident.id))!;
    const actions = detail.steps.filter((s) => s.kind === 'action');
    expect(actions).toHaveLength(1);
    expect(actions[0].message).toBe('restart: false exited with 1');
    expect(detail.steps.find((s) => s.kind === 'escalated' && s.message.includes('level 3'))?.message).toMatch(/restart failed/);
  });

  it('notifies operators through a real webhook when people are needed, and again when it recovers', async () => {
    const { server, control } = await flakyServer();
    const receiver = await startStubHttpServer((_req, res) => res.writeHead(204).end());
    servers.push(receiver);
    const notifier = new Notifier({
      config: () => notificationsConfigSchema.parse({ channels: [{ name: 'ops', kind: 'webhook', url: `${receiver.url}/hook` }] }),
      audit: { append: async (event) => (audit.push(event), { status: 'spooled' as const, eventId: 'test' }) },
      log: silentLogger(),
    });
    const api = mod({ name: 'api', kind: 'http', url: `${server.url}/health`, intervalSeconds: 1, failureThreshold: 1, restart: { command: ['false'] } });
    await startEngine([api], defaultEscalationPolicy(), (n) => notifier.notify(n)).start();
    control.status = 500;
    await waitFor(() => receiver.requests.length === 1, { timeoutMs: 10_000 });
    expect(JSON.parse(receiver.requests[0].body)).toMatchObject({ kind: 'alert', incident: { module: 'api', escalationLevel: 3 } });
    control.status = 200;
    await waitFor(() => receiver.requests.length === 2, { timeoutMs: 10_000 });
    expect(JSON.parse(receiver.requests[1].body)).toMatchObject({ kind: 'recovery', incident: { module: 'api', state: 'resolved' } });
    // The delivery is audited once the receiver has answered, a moment after it saw the request.
    await waitFor(() => audit.filter((e) => e.type === 'notification.sent').length === 2, { what: 'both deliveries audited' });
    await notifier.close();
  });
});
