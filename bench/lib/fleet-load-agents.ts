// One process of simulated agents for bench/fleet-load.ts (started with fork, driven over IPC).
// Each simulated agent is the agent's own client code: its key pair and identity files
// (agent-identity.ts), its enrollment request, its link (FleetAgentLink: challenge, signed hello,
// heartbeats, counts, signed commands checked and carried out), its event outbox and its tally.
// Only the host behind it is simulated: the chain the outbox reads is in memory instead of the
// agent's SQLite file, and the guard is a map that records when an isolation arrived.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { StoredAuditEvent } from '@/lib/audit/hash-chain';
import type { FleetHeartbeat } from '@/lib/fleet/fleet-api';
import type { AuditWriter } from '@/server/audit';
import { agentFilesIn, loadAgentKey } from '@/server/fleet/agent-identity';
import { AgentEventOutbox, type EventLink } from '@/server/fleet/agent-event-outbox';
import { FleetAgentLink } from '@/server/fleet/fleet-agent';
import type { FleetCommandServices } from '@/server/fleet/fleet-command-runner';
import { FleetTally } from '@/server/fleet/fleet-tally';
import { enrolledIdentity } from '@/server/fleet/agent-enrollment';
import { createLogger } from '@/server/log';
import { ELSEWHERE } from './common';

export interface AgentsStart {
  kind: 'start';
  /** Agent i connects to consoleUrls[i % length]: with replicas, the fleet is spread over them. */
  consoleUrls: string[];
  token: string;
  names: string[];
  dataDir: string;
  eventsPerSecond: number;
  signalsPerSecond: number;
  heartbeatMs: number;
  countsMs: number;
}

export type AgentsRequest = AgentsStart | { kind: 'pace'; making: boolean } | { kind: 'collect' } | { kind: 'stop' };

export interface AgentsReport {
  kind: 'report';
  /** Per agent: host id, events made, events the console acknowledged. */
  hosts: Array<{ hostId: number; made: number; acked: number }>;
  /** Made → acknowledged as committed, ms, since the last report. */
  ackLagMs: number[];
  /** Epoch ms of every welcome since the last report. */
  welcomes: number[];
  connected: number;
  /** Per isolated source: epoch ms it reached each agent's guard. */
  isolations: Record<string, number[]>;
  /** Commands that were a decision held already (no second isolation taken). */
  isolateCalls: number;
}

const nowMs = () => performance.timeOrigin + performance.now();

class SimulatedHost {
  readonly chain: StoredAuditEvent[] = [];
  acked = 0;
  connected = false;
  readonly decisions = new Map<string, { actor: string; reason: string; expiresAt: string | null }>();

  constructor(
    readonly hostId: number,
    private readonly sink: { ackLagMs: number[]; welcomes: number[]; isolations: Map<string, number[]>; isolateCalls: number },
    /** Connected to another console replica than the first, which the isolations are asked of. */
    private readonly elsewhere = false,
  ) {}

  makeEvent(): void {
    const seq = this.chain.length + 1;
    const at = new Date(nowMs()).toISOString();
    this.chain.push({
      seq,
      eventId: randomUUID(),
      at,
      type: 'app.request',
      severity: 'info',
      actor: 'app',
      action: `request ${seq}`,
      module: 'web',
      resource: null,
      reason: null,
      method: null,
      source: '203.0.113.5',
      details: '{"status":200}',
      prevHash: '',
      hash: '',
    });
  }

  async *pages(afterSeq: number, limit: number): AsyncIterable<StoredAuditEvent[]> {
    yield this.chain.slice(afterSeq, afterSeq + limit);
  }

  acknowledged(ackedSeq: number): void {
    const now = nowMs();
    for (let seq = this.acked + 1; seq <= ackedSeq; seq++) this.sink.ackLagMs.push(now - Date.parse(this.chain[seq - 1].at));
    this.acked = Math.max(this.acked, ackedSeq);
  }

  welcomed(): void {
    this.connected = true;
    this.sink.welcomes.push(nowMs());
  }

  /** What the agent's defense does first with an isolation: hold it in memory, where the guard reads. */
  isolate(input: { source: string; actor: string; reason: string; durationMs: number | null }) {
    this.sink.isolateCalls++;
    const decision = {
      actor: input.actor,
      reason: input.reason,
      expiresAt: input.durationMs === null ? null : new Date(Date.now() + input.durationMs).toISOString(),
    };
    this.decisions.set(input.source, decision);
    const at = nowMs();
    for (const key of this.elsewhere ? [input.source, `${input.source}${ELSEWHERE}`] : [input.source]) {
      const times = this.sink.isolations.get(key) ?? [];
      times.push(at);
      this.sink.isolations.set(key, times);
    }
    return Promise.resolve(decision);
  }
}

/** The outbox the agent runs, telling the simulated host about welcomes and disconnects too. */
class ObservedOutbox extends AgentEventOutbox {
  constructor(
    private readonly host: SimulatedHost,
    log: ReturnType<typeof createLogger>,
  ) {
    super({ chain: (afterSeq, limit) => host.pages(afterSeq, limit), log, onAcked: (seq) => host.acknowledged(seq) });
  }

  override connected(link: EventLink, eventSeq: number): void {
    this.host.welcomed();
    super.connected(link, eventSeq);
  }

  override disconnected(): void {
    this.host.connected = false;
    super.disconnected();
  }
}

const sink = { ackLagMs: [] as number[], welcomes: [] as number[], isolations: new Map<string, number[]>(), isolateCalls: 0 };
const hosts: SimulatedHost[] = [];
const links: FleetAgentLink[] = [];
const timers: NodeJS.Timeout[] = [];
let making = false;

const heartbeat = (): FleetHeartbeat => ({ healthScore: 90 + Math.floor(Math.random() * 10), degradation: 'NORMAL', defenseMode: 'NORMAL' });
const randomClient = () => `100.${64 + Math.floor(Math.random() * 64)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

async function startAgent(start: AgentsStart, index: number): Promise<void> {
  const name = start.names[index];
  const consoleUrl = start.consoleUrls[index % start.consoleUrls.length];
  const dataDir = path.join(start.dataDir, name);
  const log = createLogger(name, 'silent');
  // As the agent enrolls on its first start: key pair, enrollment with retries, identity file.
  const identity = await enrolledIdentity(
    { consoleUrl, consoleUrls: [consoleUrl], enrollmentToken: start.token, agentName: name, heartbeatMs: start.heartbeatMs },
    dataDir,
    log,
    () => false,
  );
  if (!identity) throw new Error(`${name}: the enrollment was refused`);
  const key = loadAgentKey(agentFilesIn(dataDir));
  const host = new SimulatedHost(identity.hostId, sink, index % start.consoleUrls.length !== 0);
  const outbox = new ObservedOutbox(host, log);
  const tally = new FleetTally();
  const defense = { blocklist: { get: (source: string) => host.decisions.get(source) }, isolations: { isolate: host.isolate.bind(host) } };
  const audit = { append: () => Promise.resolve() } as unknown as AuditWriter;
  const link = new FleetAgentLink({
    identity,
    key,
    services: { defense } as unknown as FleetCommandServices,
    audit,
    log,
    heartbeat,
    heartbeatMs: start.heartbeatMs,
    outbox,
    tally,
    countsMs: start.countsMs,
  });
  hosts.push(host);
  links.push(link);
  link.start();
  // Spread over the second, as hosts would be: no two agents in step.
  const eventEveryMs = 1000 / start.eventsPerSecond;
  const signalEveryMs = 1000 / start.signalsPerSecond;
  setTimeout(() => {
    timers.push(
      setInterval(() => {
        if (!making) return;
        host.makeEvent();
        outbox.wake();
      }, eventEveryMs),
    );
  }, Math.random() * eventEveryMs);
  setTimeout(() => {
    timers.push(setInterval(() => tally.count({ kind: 'request', source: randomClient(), origin: 'guard', at: Date.now() }), signalEveryMs));
  }, Math.random() * signalEveryMs);
}

function report(): AgentsReport {
  const answer: AgentsReport = {
    kind: 'report',
    hosts: hosts.map((host) => ({ hostId: host.hostId, made: host.chain.length, acked: host.acked })),
    ackLagMs: sink.ackLagMs.splice(0),
    welcomes: sink.welcomes.splice(0),
    connected: hosts.filter((host) => host.connected).length,
    isolations: Object.fromEntries(sink.isolations),
    isolateCalls: sink.isolateCalls,
  };
  sink.isolations.clear();
  return answer;
}

process.on('message', (message: AgentsRequest) => {
  const answer = (value: unknown) => process.send!(value);
  switch (message.kind) {
    case 'start':
      // A few enrollments at a time: the console's enrollment route is rate limited per address anyway.
      void (async () => {
        for (let i = 0; i < message.names.length; i += 20) {
          await Promise.all(message.names.slice(i, i + 20).map((_, j) => startAgent(message, i + j)));
          if ((i + 20) % 100 === 0) process.stderr.write(`agents process ${process.pid}: ${i + 20} enrolled\n`);
        }
        answer({ kind: 'started' });
      })().catch((error: Error) => answer({ kind: 'failed', message: error.message }));
      return;
    case 'pace':
      making = message.making;
      return answer({ kind: 'paced' });
    case 'collect':
      return answer(report());
    case 'stop':
      for (const timer of timers) clearInterval(timer);
      for (const link of links) link.stop();
      answer({ kind: 'stopped' });
      setTimeout(() => process.exit(0), 100).unref();
      return;
  }
});
