import type { KeyObject } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { signedAssignmentSchema, VANTAGE_EVENTS, vantageAssignmentSchema, type VantageModule, type VantageResult } from '@/lib/fleet/vantage-api';
import type { Logger } from '../log';
import { ModuleRuntime } from '../healing/module-runtime';
import { probeModule } from '../healing/probe-module';
import type { ProbePacer } from '../healing/probe-pacer';
import { assignmentSignedBy, signVantageResult } from './vantage-signing';

interface Probing {
  runtime: ModuleRuntime;
  key: string;
  timer: NodeJS.Timeout | null;
}

/**
 * An agent as a vantage point: it probes the modules the console assigned it (an assignment is
 * believed only when signed by the pinned console key, addressed to this host and newer than the
 * last), each on its own slot of the module's interval, through the host's own probe pacer (its
 * in-flight limit and its verdict on a starved probe), and sends every answer signed with its key.
 */
export class VantageAgent {
  private readonly probing = new Map<string, Probing>();
  private version = 0;
  private socket: Socket | null = null;

  constructor(
    private readonly deps: {
      hostId: number;
      consolePublicKey: string;
      agentKey: KeyObject;
      pacer: ProbePacer;
      searchPath: string;
      log: Logger;
    },
  ) {}

  attach(socket: Socket): void {
    this.socket = socket;
    socket.on(VANTAGE_EVENTS.assign, (raw: unknown) => this.assign(raw));
  }

  stop(): void {
    for (const probing of this.probing.values()) if (probing.timer) clearTimeout(probing.timer);
    this.probing.clear();
    this.socket = null;
  }

  private assign(raw: unknown): void {
    const { hostId, consolePublicKey, log } = this.deps;
    const envelope = signedAssignmentSchema.safeParse(raw);
    if (!envelope.success || !assignmentSignedBy(consolePublicKey, envelope.data.assignment, envelope.data.signature))
      return void log.warn('refused a vantage assignment not signed by the enrolled console');
    const assignment = vantageAssignmentSchema.safeParse(envelope.data.assignment);
    if (!assignment.success) return void log.warn('refused a malformed vantage assignment');
    if (assignment.data.hostId !== hostId || assignment.data.version <= this.version)
      return void log.warn({ version: assignment.data.version }, 'refused a vantage assignment for another host or older than the one in force');
    this.version = assignment.data.version;
    const wanted = new Map(assignment.data.modules.map((module) => [module.name, module]));
    for (const [name, probing] of this.probing) {
      if (wanted.get(name) && JSON.stringify(wanted.get(name)) === probing.key) continue;
      if (probing.timer) clearTimeout(probing.timer);
      this.probing.delete(name);
    }
    for (const [name, module] of wanted) if (!this.probing.has(name)) this.begin(module);
  }

  private begin(module: VantageModule): void {
    const probing: Probing = { runtime: new ModuleRuntime(module, 'console'), key: JSON.stringify(module), timer: null };
    this.probing.set(module.name, probing);
    this.schedule(probing, Date.now() + this.deps.pacer.firstDelayMs(module));
  }

  private schedule(probing: Probing, plannedAt: number): void {
    if (this.probing.get(probing.runtime.name) !== probing) return;
    probing.timer = setTimeout(() => void this.probe(probing, plannedAt), Math.max(0, plannedAt - Date.now()));
    probing.timer.unref();
  }

  private async probe(probing: Probing, plannedAt: number): Promise<void> {
    const { pacer } = this.deps;
    const { runtime } = probing;
    const { result, starvation } = await pacer.run({
      module: `vantage:${runtime.name}`,
      plannedAt,
      probe: (at) => probeModule(runtime, this.deps.searchPath, at),
    });
    if (this.probing.get(runtime.name) !== probing) return;
    this.schedule(probing, Date.now() + pacer.nextDelayMs(runtime.definition, plannedAt));
    // A probe this host was too starved to run fairly says nothing about the target.
    const status = starvation ? 'inconclusive' : result.ok ? 'up' : 'down';
    this.send({
      hostId: this.deps.hostId,
      module: runtime.name,
      at: Date.now(),
      status,
      latencyMs: result.latencyMs,
      error: result.ok ? null : result.message.slice(0, 500),
      kind: status === 'down' ? (result.finding?.kind ?? 'probe_failed') : null,
    });
  }

  /** Only while connected: an answer is stale by the time a link comes back, and socket.io would otherwise queue it. */
  private send(result: VantageResult): void {
    if (!this.socket?.connected) return;
    this.socket.emit(VANTAGE_EVENTS.result, { result, signature: signVantageResult(this.deps.agentKey, result) });
  }
}
