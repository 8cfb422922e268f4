import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logsConfigSchema, type LogFileConfig } from '@/lib/config/logs-config';
import type { SecuritySignal } from '@/lib/defense/signals';
import { makeTempDir, silentLogger, waitFor, type TempDir } from '../test-support';
import { LogTailer } from './log-tailer';

const failed = (ip: string, user = 'root') => `Nov 23 10:00:01 host sshd[1]: Failed password for ${user} from ${ip} port 2222 ssh2\n`;

let dir: TempDir;
let tailer: LogTailer;
let signals: SecuritySignal[];

async function follow(file: Partial<LogFileConfig> & { path: string }, extra: Record<string, unknown> = {}): Promise<void> {
  await tailer.configure(logsConfigSchema.parse({ files: [{ format: 'sshd', ...file }], ...extra }));
}

/** An empty log file, followed from now on. */
async function followEmpty(extra: Record<string, unknown> = {}, file: Partial<LogFileConfig> = {}): Promise<string> {
  const logFile = dir.join('auth.log');
  writeFileSync(logFile, '');
  await follow({ path: logFile, ...file }, extra);
  return logFile;
}

const sources = () => signals.map((s) => s.source);
const waitForCount = (n: number) => waitFor(() => signals.length >= n, { timeoutMs: 5000, what: `${n} signals (have ${signals.length})` });

beforeEach(() => {
  dir = makeTempDir('vigil-logtail-');
  signals = [];
  tailer = new LogTailer({ sink: (signal) => signals.push(signal), log: silentLogger() });
});

afterEach(async () => {
  await tailer.stop();
  dir.remove();
});

describe('LogTailer', () => {
  // How soon a line arrives is measured by bench/logtail-latency.ts.
  it('reads only what is appended after start, stamped with its origin', async () => {
    const file = dir.join('auth.log');
    writeFileSync(file, failed('192.0.2.1'));
    await follow({ path: file });
    appendFileSync(file, failed('192.0.2.2', 'admin'));
    await waitForCount(1);
    expect(signals).toEqual([{ kind: 'auth_failure', source: '192.0.2.2', user: 'admin', origin: `log:${file}`, at: expect.any(Number) }]);
    expect(tailer.status()[0]).toMatchObject({ state: 'following', lines: 1, signals: 1, unmatchedLines: 0 });
  });

  it('reads the whole file when asked to start from the beginning', async () => {
    const file = dir.join('auth.log');
    writeFileSync(file, failed('192.0.2.1') + failed('192.0.2.2'));
    await follow({ path: file, fromStart: true });
    await waitForCount(2);
    expect(sources()).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it('joins a line written in two parts and waits for its newline', async () => {
    const file = await followEmpty();
    const line = failed('192.0.2.3');
    appendFileSync(file, line.slice(0, 30));
    await waitFor(() => tailer.status()[0].position === 30, { what: 'the first part to be read' });
    expect(signals).toEqual([]);
    appendFileSync(file, line.slice(30));
    await waitForCount(1);
    expect(sources()).toEqual(['192.0.2.3']);
  });

  it('follows a rotation by rename: the rest of the old file, then the new one from its start', async () => {
    const file = await followEmpty({ pollIntervalMs: 50 });
    appendFileSync(file, failed('192.0.2.1'));
    await waitForCount(1);
    renameSync(file, `${file}.1`);
    // The daemon keeps writing to its open descriptor until it is told to reopen.
    appendFileSync(`${file}.1`, failed('192.0.2.2'));
    writeFileSync(file, failed('192.0.2.3') + failed('192.0.2.4'));
    await waitForCount(4);
    expect(sources().sort()).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']);
    expect(tailer.status()[0].rotations).toBe(1);
  });

  it('starts again at 0 after copytruncate', async () => {
    const file = dir.join('auth.log');
    writeFileSync(file, failed('192.0.2.1').repeat(20));
    await follow({ path: file }, { pollIntervalMs: 50 });
    truncateSync(file, 0);
    await waitFor(() => tailer.status()[0].truncations === 1, { what: 'truncation noticed' });
    appendFileSync(file, failed('192.0.2.9'));
    await waitForCount(1);
    expect(sources()).toEqual(['192.0.2.9']);
  });

  it('survives binary garbage and huge lines without holding them, and goes on reading', async () => {
    const file = await followEmpty({ maxLineBytes: 1024 }, { format: 'nginx' });
    appendFileSync(file, randomBytes(256 * 1024));
    appendFileSync(file, Buffer.concat([Buffer.from('\n'), Buffer.alloc(2 * 1024 * 1024, 0x41), Buffer.from('\n\u0000\uFFFF\n')]));
    appendFileSync(file, '203.0.113.5 - - [23/Nov/2026:10:00:00 +0000] "GET /admin HTTP/1.1" 404 0 "-" "x"\n');
    await waitFor(() => signals.some((s) => s.source === '203.0.113.5'), { what: 'the valid line after the garbage' });
    expect(signals.filter((s) => s.source === '203.0.113.5').map((s) => s.kind)).toEqual(['request', 'not_found']);
    const status = tailer.status()[0];
    expect(status.overlongLines).toBeGreaterThanOrEqual(1);
    expect(status.state).toBe('following');
  });

  it('waits for a file (and its directory) that does not exist yet, then reads it from its start', async () => {
    const file = dir.join('later', 'auth.log');
    await follow({ path: file }, { pollIntervalMs: 50 });
    expect(tailer.status()[0].state).toBe('waiting');
    mkdirSync(dir.join('later'));
    writeFileSync(file, failed('192.0.2.7'));
    await waitForCount(1);
    expect(sources()).toEqual(['192.0.2.7']);
  });

  it('follows a file that is deleted and created again', async () => {
    const file = await followEmpty({ pollIntervalMs: 50 });
    renameSync(file, dir.join('gone.log'));
    await waitFor(() => tailer.status()[0].state === 'waiting', { what: 'file let go' });
    writeFileSync(file, failed('192.0.2.8'));
    await waitForCount(1);
    expect(sources()).toEqual(['192.0.2.8']);
  });

  it('keeps reading when the sink throws, and stops following files removed from the config', async () => {
    const file = dir.join('auth.log');
    writeFileSync(file, '');
    let calls = 0;
    const throwing = new LogTailer({
      sink: () => {
        calls++;
        throw new Error('consumer bug');
      },
      log: silentLogger(),
    });
    await throwing.configure(logsConfigSchema.parse({ files: [{ path: file, format: 'sshd' }] }));
    appendFileSync(file, failed('192.0.2.1') + failed('192.0.2.2'));
    await waitFor(() => calls === 2, { what: 'both lines delivered' });
    await throwing.configure(logsConfigSchema.parse({ files: [] }));
    expect(throwing.status()).toEqual([]);
    await throwing.stop();
  });

  it('refuses FIFOs without waiting for a writer, and goes on reading the real log beside them', async () => {
    // More FIFOs than libuv has threads: a blocking open of each would starve every file read.
    const fifos = [1, 2, 3, 4, 5].map((n) => dir.join(`pipe-${n}`));
    execFileSync('mkfifo', fifos);
    const file = dir.join('auth.log');
    writeFileSync(file, '');
    await tailer.configure(logsConfigSchema.parse({ files: [...fifos, file].map((path) => ({ path, format: 'sshd' })), pollIntervalMs: 50 }));
    appendFileSync(file, failed('192.0.2.9'));
    await waitForCount(1);
    await waitFor(() => tailer.status().filter((s) => s.lastError === 'not a regular file').length === fifos.length, { what: 'each FIFO refused' });
    expect(tailer.status().find((s) => s.path === file)).toMatchObject({ state: 'following', lines: 1 });
  });
});
