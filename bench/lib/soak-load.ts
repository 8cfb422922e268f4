// The traffic of bench/soak.ts against one worker port: guard checks, event ingest, live
// dashboards and snapshots, each counting its requests and errors. An error is a refused or
// broken connection or a 5xx; while the worker is known to be down (killed on purpose), errors
// are counted apart, since nothing can answer then.
import { io, type Socket } from 'socket.io-client';

export interface RequestCounts {
  requests: number;
  errors: number;
  /** Errors while the worker was down on purpose, between the kill and its first /healthz. */
  errorsWhileDown: number;
}

export interface SoakTarget {
  port: number;
  apiToken: string;
  internalToken: string;
  /** True between the deliberate kill and the restarted worker's first answer. */
  down: () => boolean;
}

const newCounts = (): RequestCounts => ({ requests: 0, errors: 0, errorsWhileDown: 0 });

async function counted(counts: RequestCounts, target: SoakTarget, send: () => Promise<Response>): Promise<Response | null> {
  counts.requests += 1;
  const wasDown = target.down();
  const response = await send().catch(() => null);
  if (response && response.status < 500) return response;
  if (wasDown || target.down()) counts.errorsWhileDown += 1;
  else counts.errors += 1;
  await response?.body?.cancel();
  return null;
}

/** Calls `step` every `everyMs` until stopped, never two at once. */
function loop(everyMs: number, step: () => Promise<void>): () => Promise<void> {
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const started = performance.now();
      await step();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (performance.now() - started))));
    }
  })();
  return async () => {
    stopped = true;
    await done;
  };
}

export function guardChecks(target: SoakTarget, perSecond: number) {
  const counts = newCounts();
  let n = 0;
  const stop = loop(1000 / perSecond, async () => {
    const response = await counted(counts, target, () =>
      fetch(`http://127.0.0.1:${target.port}/guard/check`, { headers: { 'x-forwarded-for': `198.51.100.${n++ % 250}` }, signal: AbortSignal.timeout(5000) }),
    );
    await response?.body?.cancel();
  });
  return { counts, stop };
}

/** Batches of events; every event of a 202 is acknowledged, and its id is kept to find in the chain later. */
export function eventIngest(target: SoakTarget, batchesPerSecond: number, batchSize: number) {
  const counts = newCounts();
  const acknowledged: string[] = [];
  let n = 0;
  const stop = loop(1000 / batchesPerSecond, async () => {
    const events = Array.from({ length: batchSize }, () => ({ type: 'custom', name: 'soak', source: `203.0.113.${n % 250}`, details: { n: n++ } }));
    const response = await counted(counts, target, () =>
      fetch(`http://127.0.0.1:${target.port}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
        signal: AbortSignal.timeout(10_000),
      }),
    );
    if (response?.status === 202) acknowledged.push(...((await response.json()) as { events: { eventId: string }[] }).events.map((e) => e.eventId));
    else await response?.body?.cancel();
  });
  return { counts, acknowledged, stop };
}

export function snapshots(target: SoakTarget, everyMs: number) {
  const counts = newCounts();
  let taken = 0;
  const stop = loop(everyMs, async () => {
    const response = await counted(counts, target, () =>
      fetch(`http://127.0.0.1:${target.port}/internal/v1/recovery/snapshots`, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.internalToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tags: ['scheduled'], actor: 'soak' }),
        signal: AbortSignal.timeout(60_000),
      }),
    );
    if (response?.ok) taken += 1;
    await response?.body?.cancel();
  });
  return { counts, taken: () => taken, stop };
}

/**
 * socket.io dashboards that reconnect on their own and count the module updates they see. Like
 * the console's page, each asks for a fresh live token at every (re)connection: tokens live 60 s.
 */
export function dashboards(target: SoakTarget, count: number, mintToken: (client: number) => Promise<string>) {
  let updates = 0;
  let connects = 0;
  let stopped = false;
  const errors = new Map<string, number>();
  const sockets: Socket[] = Array.from({ length: count }, (_, client) => {
    const auth = (cb: (data: object) => void) => void mintToken(client).then((token) => cb({ token }));
    const socket = io(`http://127.0.0.1:${target.port}`, { auth, transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 2000 });
    socket.on('modules:changed', () => (updates += 1));
    socket.on('connect', () => (connects += 1));
    socket.on('connect_error', (error) => {
      errors.set(error.message, (errors.get(error.message) ?? 0) + 1);
      // A refusal by the server's middleware is not retried by socket.io itself; a browser's page would retry.
      if (!socket.active) setTimeout(() => !stopped && socket.connect(), 1000).unref();
    });
    return socket;
  });
  return {
    connected: () => sockets.filter((s) => s.connected).length,
    connects: () => connects,
    errors: () => [...errors].map(([message, n]) => `${n}× ${message}`).join(', ') || 'none',
    updates: () => updates,
    stop: () => {
      stopped = true;
      sockets.forEach((s) => s.disconnect());
    },
  };
}
