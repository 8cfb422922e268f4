import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { api, makeTempDir, waitFor, type TestWorker } from '../../test-support';
import { GUARD_TEST_CONFIG, startDefenseWorker } from '../../test-support/defense-worker';
import { guardCheck } from '../../test-support/guard';
import { forkGuard, slowConnection, type ForkedGuard } from '../../test-support/guard-process';
import { parseFromGuard } from './from-guard-schema';
import { decisionColumns, GUARD_LIMITS, MAX_BATCH_KEYS, type CountedBatch } from './guard-protocol';

/**
 * The guard process's port attacked as an outsider would: connections that never finish their
 * headers, headers too large, and a flood of distinct sources and paths. It must keep answering
 * others, bound what it holds, and keep what it reports to the worker bounded.
 */
/** `total` checks from distinct sources, each for its own path, over a few kept-alive connections. */
async function flood(port: number, total: number, source: (i: number) => string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const send = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const headers = { 'x-forwarded-for': source(i), 'x-forwarded-uri': `/flood/${i}` };
      const req = request({ host: '127.0.0.1', port, path: '/guard/check', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  const statuses: number[] = [];
  for (let start = 0; start < total; start += 500)
    statuses.push(...(await Promise.all(Array.from({ length: Math.min(500, total - start) }, (_, k) => send(start + k)))));
  agent.destroy();
  return statuses;
}

const distinct = (i: number) => `198.18.${i >> 8}.${i & 255}`;

/**
 * Run in a process of its own (argv: port, total, result file): `total` checks from distinct
 * sources over 16 kept-alive connections, the guard's /healthz asked between rounds; then the
 * statuses seen and the most batches it held unwritten go to the result file.
 */
const FLOOD_AND_WATCH = `
const http = require('node:http');
const fs = require('node:fs');
const [port, total, file] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const get = (path, headers) => new Promise((resolve, reject) => {
  const req = http.request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => resolve({ status: res.statusCode, body }));
  });
  req.on('error', reject);
  req.end();
});
(async () => {
  const statuses = new Set();
  let maxUnwritten = 0;
  for (let start = 0; start < total; start += 1000) {
    const round = [];
    for (let i = start; i < Math.min(total, start + 1000); i++)
      round.push(get('/guard/check', { 'x-forwarded-for': '198.' + (18 + (i >> 16)) + '.' + ((i >> 8) & 255) + '.' + (i & 255), 'x-forwarded-uri': '/f/' + i }));
    for (const r of await Promise.all(round)) statuses.add(r.status);
    maxUnwritten = Math.max(maxUnwritten, JSON.parse((await get('/healthz', {})).body).batches.unwritten);
  }
  agent.destroy();
  fs.writeFileSync(file + '.tmp', JSON.stringify({ statuses: [...statuses], maxUnwritten }));
  fs.renameSync(file + '.tmp', file);
})();
`;

describe("the guard process's port under attack", () => {
  let guard: ForkedGuard | null = null;
  const sockets: Array<ReturnType<typeof slowConnection>> = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.socket.destroy();
    await guard?.stop();
    guard = null;
  });
  const slow = (port: number, n: number) => {
    const opened = Array.from({ length: n }, () => slowConnection(port));
    sockets.push(...opened);
    return opened;
  };

  it('closes connections whose headers never end (slowloris) and answers others meanwhile', async () => {
    guard = await forkGuard({ limits: { headersTimeoutMs: 1000, maxConnections: 1000 }, state: {} });
    const attackers = slow(guard.port, 200);
    await Promise.all(attackers.map((a) => a.connected));
    expect((await guardCheck(guard.port, { headers: { 'x-forwarded-for': '198.51.100.7' } })).status).toBe(204);
    // They keep sending a byte every 200 ms: only the header time limit ends them.
    await waitFor(() => attackers.every((a) => a.isClosed()), { timeoutMs: 30_000, what: 'every slowloris connection closed by the guard' });
    expect((await guardCheck(guard.port, { headers: { 'x-forwarded-for': '198.51.100.8' } })).status).toBe(204);
  });

  it('holds no more connections than its bound, closing the ones past it at once', async () => {
    // A header limit no test run reaches: only the connection bound can close anything here.
    guard = await forkGuard({ limits: { headersTimeoutMs: 600_000, maxConnections: 100 }, state: {} });
    const held = slow(guard.port, 99);
    await Promise.all(held.map((a) => a.connected));
    // Accepted after the 99 (the kernel queues connections in order): the hundredth slot is its.
    expect((await guardCheck(guard.port, { headers: { 'x-forwarded-for': '198.51.100.9' } })).status).toBe(204);
    const beyond = slow(guard.port, 20);
    // The check's connection may still hold its slot as the first of these arrives: all but one are refused.
    await waitFor(() => beyond.filter((a) => a.isClosed()).length >= 19, { timeoutMs: 30_000, what: 'connections past the bound closed' });
    expect(held.filter((a) => a.isClosed())).toHaveLength(0);
  });

  it('answers 431 to oversized headers and goes on answering', async () => {
    guard = await forkGuard({ limits: GUARD_LIMITS, state: { decisions: decisionColumns([{ source: '203.0.113.9', expiresAtMs: Infinity }]) } });
    expect((await guardCheck(guard.port, { headers: { 'x-forwarded-for': '203.0.113.9', 'x-pad': 'a'.repeat(20_000) } })).status).toBe(431);
    // Just under the limit: a forwarded-for of a thousand hops is read, and its last one decides.
    const hops = `${Array.from({ length: 1000 }, (_, i) => `198.18.${i >> 8}.${i & 255}`).join(', ')}, 203.0.113.9`;
    expect(hops.length).toBeLessThan(16_000);
    expect((await guardCheck(guard.port, { headers: { 'x-forwarded-for': hops } })).status).toBe(403);
    expect((await guardCheck(guard.port, { headers: { 'x-forwarded-for': '198.51.100.10' } })).status).toBe(204);
  });

  it('holds a bounded number of batches while the worker reads none, and loses no total', async () => {
    guard = await forkGuard({ limits: GUARD_LIMITS, state: {} });
    const dir = makeTempDir('vigil-guard-stall-');
    const done = dir.join('done.json');
    const total = 60_000;
    // The flood comes from another process, which also watches the guard's /healthz, while this one
    // (the guard's parent, as the worker is) is kept from reading its messages until the flood is over.
    spawn(process.execPath, ['-e', FLOOD_AND_WATCH, String(guard.port), String(total), done], { stdio: 'ignore' });
    const stall = new Int32Array(new SharedArrayBuffer(4));
    while (!existsSync(done)) Atomics.wait(stall, 0, 0, 20);
    const seen = JSON.parse(readFileSync(done, 'utf8')) as { statuses: number[]; maxUnwritten: number };
    dir.remove();
    expect(seen.statuses).toEqual([204]);
    expect(seen.maxUnwritten).toBeLessThanOrEqual(8);
    const received = () =>
      guard!.batches.map((b) => {
        const parsed = parseFromGuard(b);
        if (!parsed.ok) throw new Error(parsed.error);
        return parsed.message as CountedBatch;
      });
    await waitFor(() => received().reduce((sum, b) => sum + b.checks, 0) === total, { what: 'the totals of every check, once the worker reads again' });
    const health = await api<{ batches: { uncountedRequests: number } }>(guard.port, '/healthz');
    const pairs = received().reduce((sum, b) => sum + b.requests.reduce((n, [, , count]) => n + count, 0), 0);
    // Every passed request is either in a pair the worker got, or let go while it read nothing.
    expect(pairs + health.body.batches.uncountedRequests).toBe(total);
  });

  it('reports a flood of distinct sources and paths in bounded batches, every request counted once', async () => {
    guard = await forkGuard({ limits: GUARD_LIMITS, state: {} });
    const total = 12_000;
    const statuses = await flood(guard.port, total, distinct);
    expect(statuses.every((s) => s === 204)).toBe(true);
    const counted = () => guard!.batches.reduce((sum, b) => sum + b.checks, 0);
    await waitFor(() => counted() === total, { what: 'every check reported to the worker' });
    // Read as the worker reads them, through its boundary check.
    const received = guard.batches.map((b) => {
      const parsed = parseFromGuard(b);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.message as CountedBatch;
    });
    expect(Math.max(...received.map((b) => b.requests.length))).toBeLessThanOrEqual(MAX_BATCH_KEYS);
    const pairs = new Map<string, number>();
    for (const batch of received)
      for (const [source, path, count] of batch.requests) pairs.set(`${source} ${path}`, (pairs.get(`${source} ${path}`) ?? 0) + count);
    expect(pairs.size).toBe(total);
    expect([...pairs.values()].every((count) => count === 1)).toBe(true);
  });
});

describe('a worker fed a flood of distinct sources by its guard process', () => {
  let t: TestWorker | null = null;
  afterEach(async () => {
    await t?.destroy();
  });

  it('counts every one, stays healthy, and still catches a single flooding source', async () => {
    t = await startDefenseWorker({ yaml: GUARD_TEST_CONFIG, vars: { VIGIL_GUARD_PORT: '0' } });
    const guardPort = t.worker.guard!.port!;
    const total = 12_000;
    const before = t.worker.defense.guardStats.checks;
    // Each source asks once: under the flood scenario's capacity, so nobody is isolated by it.
    expect((await flood(guardPort, total, distinct)).every((s) => s === 204)).toBe(true);
    await waitFor(() => t!.worker.defense.guardStats.checks - before >= total, { what: "the worker counting the guard process's checks" });
    expect((await api<{ status: string }>(t.port, '/healthz')).status).toBe(200);
    // The detectors still work after it: one source past the capacity of 20 is isolated at the guard.
    await waitFor(async () => (await flood(guardPort, 25, () => '198.51.100.77')).includes(403), { what: 'the flooding source refused' });
  });
});
