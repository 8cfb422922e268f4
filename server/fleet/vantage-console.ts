import type { KeyObject } from 'node:crypto';
import type { Socket } from 'socket.io';
import { signedVantageResultSchema, VANTAGE_EVENTS, vantageResultSchema, type VantageAssignment, type VantageModule } from '@/lib/fleet/vantage-api';
import type { ModuleDefinition } from '@/lib/healing/module-schema';
import type { Vantage } from '@/lib/healing/vantage-schema';
import { selectVantageHosts, type VantageHost } from '@/lib/healing/vantage-select';
import type { AuditEventInput } from '@/lib/audit/types';
import type { Database } from '../db/client';
import type { VantageDecider } from '../healing/healing-engine';
import type { ProbeResult } from '../healing/probes/probe-result';
import type { Logger } from '../log';
import { findHost, listHosts, LOCAL_HOST_ID } from '../queries/hosts';
import { VantageAudit } from './vantage-audit';
import { VantageBoard, verdictAsProbe } from './vantage-board';
import { signAssignment, vantageResultSignedBy } from './vantage-signing';

/** How often the assignments are compared with the modules and hosts: a new module or label reaches its agents within this. */
const SYNC_MS = 2000;
/** An answer stamped further ahead than this by the agent's clock is not believed. */
const CLOCK_SKEW_MS = 30_000;

type VantageModuleDefinition = Extract<ModuleDefinition, { kind: 'http' | 'keyword' | 'tcp' }> & { vantage: Vantage };

const withVantage = (definition: ModuleDefinition): definition is VantageModuleDefinition =>
  (definition.kind === 'http' || definition.kind === 'keyword' || definition.kind === 'tcp') && definition.vantage !== undefined;

interface LinkedAgent {
  socket: Socket;
  publicKey: string;
  /** Modules in the last assignment sent, as sent: what this host may answer for. */
  assigned: Set<string>;
  sent: string;
}

/**
 * The console's side of probes run from several hosts: which agents probe which module (sent as
 * a signed assignment over their fleet socket), their signed answers, and the quorum's verdict
 * that the healing engine takes as the module's probe. A vote that is stale or from a host that
 * went away is unknown; only the quorum seeing the target down makes an outage.
 */
export class VantageConsole implements VantageDecider {
  private readonly board = new VantageBoard();
  private readonly audit: VantageAudit;
  private readonly agents = new Map<number, LinkedAgent>();
  private hosts: VantageHost[] = [];
  private modules: () => ModuleDefinition[] = () => [];
  private timer: NodeJS.Timeout | null = null;
  private lastVersion = 0;

  constructor(
    private readonly deps: {
      database: Database;
      audit: { append(input: AuditEventInput): Promise<unknown> };
      log: Logger;
      consoleKey: KeyObject;
    },
  ) {
    this.audit = new VantageAudit(deps);
  }

  /** The modules the engine runs, read at every sync. */
  decideFor(modules: () => ModuleDefinition[]): void {
    this.modules = modules;
    this.timer ??= setInterval(() => void this.sync(), SYNC_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** An agent the hub admitted: it gets its assignment now and answers on its socket; gone, its votes are unknown. Never rejects: the agent stays admitted. */
  async attach(hostId: number, socket: Socket): Promise<void> {
    const host = await findHost(this.deps.database.prisma, hostId).catch((error: unknown) => {
      this.deps.log.warn({ hostId, err: (error as Error).message }, 'could not read a host for its vantage probes; it probes nothing this connection');
      return null;
    });
    if (!host?.publicKey || !socket.connected) return;
    const agent: LinkedAgent = { socket, publicKey: host.publicKey, assigned: new Set(), sent: '' };
    this.agents.set(hostId, agent);
    socket.on(VANTAGE_EVENTS.result, (raw: unknown) => this.receive(hostId, agent, raw));
    socket.once('disconnect', () => {
      if (this.agents.get(hostId) !== agent) return;
      this.agents.delete(hostId);
      this.board.forgetHost(hostId);
    });
    await this.sync();
  }

  async decide(definition: ModuleDefinition, probeHere: () => Promise<ProbeResult>, at: number): Promise<ProbeResult> {
    if (!withVantage(definition)) return probeHere();
    const { vantage, name } = definition;
    const points = selectVantageHosts(vantage, this.hosts).map((host) => ({ hostId: host.id, name: host.name }));
    if (vantage.includeConsole) {
      const here = await probeHere();
      const now = Date.now();
      const kind = here.ok ? null : (here.finding?.kind ?? 'probe_failed');
      this.board.record(name, LOCAL_HOST_ID, {
        status: here.ok ? 'up' : 'down',
        latencyMs: here.latencyMs,
        error: here.ok ? null : here.message,
        kind,
        receivedAt: now,
        sentAt: now,
      });
      points.unshift({ hostId: LOCAL_HOST_ID, name: 'console' });
    }
    // Two intervals, or one and the probe's timeout: a vantage point waiting on a target that does not answer is not silent.
    const staleMs = Math.max(2 * definition.intervalSeconds, definition.intervalSeconds + definition.timeoutSeconds) * 1000 + 500;
    const summary = this.board.summary(name, points, vantage.quorum, staleMs, Math.max(at, Date.now()));
    await this.audit.verdict(name, summary);
    const down = summary.points.filter((point) => point.status === 'down').map((point) => point.hostId);
    return verdictAsProbe(summary, this.board.downKind(name, down));
  }

  private receive(hostId: number, agent: LinkedAgent, raw: unknown): void {
    const envelope = signedVantageResultSchema.safeParse(raw);
    if (!envelope.success) return this.audit.refused(hostId, 'malformed', null);
    const { result: signed, signature } = envelope.data;
    if (!vantageResultSignedBy(agent.publicKey, signed, signature)) return this.audit.refused(hostId, 'not signed by the enrolled agent', null);
    const parsed = vantageResultSchema.safeParse(signed);
    if (!parsed.success) return this.audit.refused(hostId, 'malformed', null);
    const result = parsed.data;
    const now = Date.now();
    if (result.hostId !== hostId) return this.audit.refused(hostId, 'signed for another host', result.module);
    if (!agent.assigned.has(result.module)) return this.audit.refused(hostId, 'a module this host was not asked to probe', result.module);
    if (result.at > now + CLOCK_SKEW_MS) return this.audit.refused(hostId, 'stamped in the future', result.module);
    // A replayed or overtaken answer changes nothing.
    this.board.record(result.module, hostId, {
      status: result.status,
      latencyMs: result.latencyMs,
      error: result.error,
      kind: result.kind,
      receivedAt: now,
      sentAt: result.at,
    });
  }

  /** Brings every connected agent's assignment in line with the modules and the hosts' names and labels. */
  private async sync(): Promise<void> {
    try {
      const modules = this.modules().filter(withVantage);
      const names = new Set(modules.map((module) => module.name));
      this.board.forgetModulesBut(names);
      this.audit.forgetModulesBut(names);
      if (modules.length === 0 && [...this.agents.values()].every((agent) => agent.assigned.size === 0)) return;
      const rows = await listHosts(this.deps.database.prisma);
      this.hosts = rows
        .filter((row) => row.revokedAt === null)
        .map((row) => ({ id: row.id, name: row.name, labels: JSON.parse(row.labels) as Record<string, string> }));
      for (const [hostId, agent] of this.agents) {
        const host = this.hosts.find((candidate) => candidate.id === hostId);
        const mine = host ? modules.filter((module) => selectVantageHosts(module.vantage, [host]).length > 0) : [];
        this.assign(hostId, agent, mine);
      }
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message }, 'could not bring the vantage assignments up to date');
    }
  }

  private assign(hostId: number, agent: LinkedAgent, modules: VantageModuleDefinition[]): void {
    const stripped: VantageModule[] = modules.map(({ vantage: _vantage, ...module }) => module);
    const sent = JSON.stringify(stripped);
    if (sent === agent.sent || !agent.socket.connected) return;
    this.lastVersion = Math.max(this.lastVersion + 1, Date.now());
    // As it will arrive: JSON, no undefined fields, so both sides sign and check the same bytes.
    const assignment = JSON.parse(JSON.stringify({ hostId, version: this.lastVersion, modules: stripped })) as VantageAssignment;
    agent.socket.emit(VANTAGE_EVENTS.assign, { assignment, signature: signAssignment(this.deps.consoleKey, assignment) });
    agent.sent = sent;
    agent.assigned = new Set(stripped.map((module) => module.name));
  }
}
