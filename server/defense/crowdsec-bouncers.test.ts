import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BouncerView } from '@/lib/defense/bouncers';
import { runCli } from '../cli/main';
import { listBouncerViews } from '../queries/bouncers';
import { makeTempDir, startTestWorker, TEST_SECRET, waitFor, type TempDir, type TestWorker } from '../test-support';
import { createNetnsHosts, type NetnsHost } from '../test-support/netns';
import { linkNetnsHosts } from '../test-support/netns-link';
import { requireProgram } from '../test-support/system-program';

/**
 * Debian's crowdsec-firewall-bouncer (nftables) and crowdsec-custom-bouncer, configured by
 * `vigil bouncer add`, pulling a real worker. The firewall bouncer runs in a namespace of its
 * own ("enforcer"), so its table exists in that namespace's kernel only; a TCP server listens
 * there, and a client in a second namespace ("client") reaches it over a veth straight between
 * the two. Nothing touches the machine's own firewall.
 */
const FIREWALL_BOUNCER = requireProgram({ paths: ['/usr/bin/crowdsec-firewall-bouncer'], aptPackage: 'crowdsec-firewall-bouncer' });
const CUSTOM_BOUNCER = requireProgram({ paths: ['/usr/bin/crowdsec-custom-bouncer'], aptPackage: 'crowdsec-custom-bouncer' });
const NFT = requireProgram({ paths: ['/usr/sbin/nft'], aptPackage: 'nftables' });

const ALLOWLISTED = '198.51.100.77';
const OTHER = '198.51.100.20';
const TCP_PORT = 7070;
/** The firewall bouncer names its kernel table and set after `vigil bouncer add`'s names for it. */
const TABLE = 'vigil-edge';

interface SetElement {
  address: string;
  timeout: number | null;
}

describe('CrowdSec bouncers enforce Vigil isolations in the kernel', () => {
  let enforcer: NetnsHost;
  let client: NetnsHost;
  let clientAddress: string;
  let serverAddress: string;
  let t: TestWorker;
  let dir: TempDir;
  const exits: string[] = [];

  /** The IPv4 set's elements in the enforcer's kernel, with the timeout each was given (seconds). */
  async function kernelSet(): Promise<SetElement[]> {
    const { stdout } = await enforcer.exec(NFT, ['-j', 'list', 'table', 'ip', TABLE]);
    const items = (JSON.parse(stdout) as { nftables: Array<{ set?: { elem?: unknown[] } }> }).nftables;
    const elements = items.flatMap((item) => item.set?.elem ?? []);
    return elements.map((element) => {
      const elem = (element as { elem?: { val: string; timeout?: number } }).elem;
      return elem ? { address: elem.val, timeout: elem.timeout ?? null } : { address: String(element), timeout: null };
    });
  }

  const inKernel = async (address: string) => (await kernelSet()).find((e) => e.address === address);

  /** Whether a TCP connection from the client to the server completes within 1.5 s (the DROP leaves a SYN unanswered). */
  async function tcpConnects(): Promise<boolean> {
    return (await tcpAttempt()) === 'connected';
  }

  async function tcpAttempt(): Promise<string> {
    const script = `const s=require('net').connect({host:${JSON.stringify(serverAddress)},port:${TCP_PORT},localAddress:${JSON.stringify(clientAddress)},timeout:1500});s.on('connect',()=>{console.log('connected');process.exit(0)});s.on('timeout',()=>{console.log('timeout');process.exit(0)});s.on('error',(e)=>{console.log(e.code);process.exit(0)})`;
    const { stdout } = await client.exec(process.execPath, ['-e', script]);
    return stdout.trim();
  }

  const customCalls = () => (existsSync(dir.join('calls.log')) ? readFileSync(dir.join('calls.log'), 'utf8').trim().split('\n').filter(Boolean) : []);

  /** A long-running program in the enforcer; its end (with stderr) is kept for the failure message. */
  function runInEnforcer(command: string, args: string[]): void {
    enforcer.exec(command, args).then(
      () => exits.push(`${command} exited`),
      (error: Error) => exits.push(error.message.slice(-2000)),
    );
  }

  async function vigil(argv: string[]): Promise<string> {
    const out: string[] = [];
    const env = {
      VIGIL_DATA_DIR: t.env.dataDir,
      DATABASE_URL: t.db.url,
      VIGIL_SECRET: TEST_SECRET,
      VIGIL_CONFIG: dir.join('vigil.config.yaml'),
      LOG_LEVEL: 'silent',
    };
    const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => out.push(line), env });
    expect(code, out.join('\n')).toBe(0);
    return out.join('\n');
  }

  beforeAll(async () => {
    [enforcer, client] = await createNetnsHosts(2);
    ({ aAddress: serverAddress, bAddress: clientAddress } = await linkNetnsHosts(enforcer, client));
    dir = makeTempDir('vigil-bouncers-');
    writeFileSync(dir.join('vigil.config.yaml'), `allowlist: ["${ALLOWLISTED}"]\n`);
    // The worker listens on the machine's end of the enforcer's veth only.
    t = await startTestWorker({ vars: { WORKER_HOST: enforcer.hostAddress, VIGIL_CONFIG: dir.join('vigil.config.yaml') } });
    const workerUrl = `http://${enforcer.hostAddress}:${t.port}`;
    await vigil(['bouncer', 'add', 'edge', '--worker-url', workerUrl, '--output', dir.join('firewall.yaml')]);
    writeFileSync(dir.join('record.sh'), `#!/bin/sh\necho "$1 $2 $3" >> ${dir.join('calls.log')}\n`);
    chmodSync(dir.join('record.sh'), 0o755);
    await vigil(['bouncer', 'add', 'script', '--custom', '--bin', dir.join('record.sh'), '--worker-url', workerUrl, '--output', dir.join('custom.yaml')]);

    runInEnforcer(process.execPath, [
      '-e',
      `require('net').createServer((s)=>{s.on('error',()=>{});s.end('hello\\n')}).listen(${TCP_PORT},${JSON.stringify(serverAddress)})`,
    ]);
    runInEnforcer(FIREWALL_BOUNCER, ['-c', dir.join('firewall.yaml')]);
    runInEnforcer(CUSTOM_BOUNCER, ['-c', dir.join('custom.yaml')]);
    await waitFor(async () => (await kernelSet()) && tcpConnects(), { timeoutMs: 20_000, what: `the bouncer's table and the server (${exits.join('; ')})` });
  }, 60_000);

  afterAll(async () => {
    await t?.destroy();
    // Ends the bouncers and the server too: everything running in the namespaces is killed.
    await Promise.all([enforcer?.destroy(), client?.destroy()]);
    dir?.remove();
  });

  it('an isolation reaches the kernel set with its expiry as the timeout, and the isolated client can no longer connect', async () => {
    await t.worker.defense.isolations.isolate({ source: clientAddress, reason: 'bouncer test', actor: 'test', origin: 'manual', durationMs: 3_600_000 });
    const element = await waitFor(() => inKernel(clientAddress), { timeoutMs: 10_000, what: `${clientAddress} in the kernel set (${exits.join('; ')})` });
    // The bouncer rounds the remaining duration it was given; pulled within seconds of the isolation.
    expect(element.timeout).toBeGreaterThan(3_590);
    expect(element.timeout).toBeLessThanOrEqual(3_600);
    expect(await tcpConnects()).toBe(false);
    await waitFor(() => customCalls().some((line) => line.startsWith(`add ${clientAddress} `)), { what: 'the custom bouncer called with add' });
  });

  it('a release takes it out of the kernel and the client connects again', async () => {
    await t.worker.defense.isolations.restore({ source: clientAddress, actor: 'test', reason: 'bouncer test over' });
    await waitFor(async () => !(await inKernel(clientAddress)), { timeoutMs: 10_000, what: `${clientAddress} gone from the kernel set` });
    expect(await tcpAttempt()).toBe('connected');
    await waitFor(() => customCalls().some((line) => line.startsWith(`del ${clientAddress} `)), { what: 'the custom bouncer called with del' });
  });

  it('an allowlisted address never reaches a bouncer', async () => {
    await expect(
      t.worker.defense.isolations.isolate({ source: ALLOWLISTED, reason: 'bouncer test', actor: 'test', origin: 'manual', durationMs: 600_000 }),
    ).rejects.toThrow(/allowlist/);
    await t.worker.defense.isolations.isolate({ source: OTHER, reason: 'bouncer test', actor: 'test', origin: 'manual', durationMs: 600_000 });
    // Pulled after the refusal: had the allowlisted address been handed out, it would be here too.
    await waitFor(() => inKernel(OTHER), { timeoutMs: 10_000, what: `${OTHER} in the kernel set` });
    await waitFor(() => customCalls().some((line) => line.startsWith(`add ${OTHER} `)), { what: 'the custom bouncer called for the other address' });
    expect((await kernelSet()).map((e) => e.address)).toEqual([OTHER]);
    expect(customCalls().filter((line) => line.includes(ALLOWLISTED))).toEqual([]);
  });

  it('both bouncers show in the bouncers table with their version, address and a one-second interval', async () => {
    const views = await waitFor(
      async () => {
        await t.worker.database.prisma.$queryRawUnsafe('SELECT 1');
        const listed: BouncerView[] = await listBouncerViews(t.worker.database.prisma);
        return listed.every((b) => b.lastPullAt !== null && b.intervalMs !== null && b.intervalMs <= 1500 && b.delivered >= 3) && listed;
      },
      { timeoutMs: 15_000, what: 'both bouncers flushed with their pulls' },
    );
    expect(views).toEqual([
      expect.objectContaining({
        name: 'edge',
        address: enforcer.nsAddress,
        version: expect.stringMatching(/\(crowdsec-firewall-bouncer\)$/),
        status: 'ok',
        lastStatus: 200,
      }),
      expect.objectContaining({
        name: 'script',
        address: enforcer.nsAddress,
        version: expect.stringMatching(/\(crowdsec-custom-bouncer\)$/),
        status: 'ok',
        lastStatus: 200,
      }),
    ]);
  });
});
