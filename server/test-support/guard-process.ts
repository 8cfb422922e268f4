import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect, type Socket } from 'node:net';
import { decisionColumns, type FromGuard, type GuardLimits, type GuardState } from '../defense/guard-process/guard-protocol';

export interface ForkedGuard {
  port: number;
  pid: number;
  /** The count batches it sent, as the worker would receive them. */
  batches: Array<Extract<FromGuard, { kind: 'requests' }>>;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../defense/guard-process/guard-main.ts', import.meta.url));

/**
 * The guard process started the way the supervisor starts it from the sources, fed a state by
 * the test instead of a worker: its port can then be given limits a test can reach in seconds.
 */
export async function forkGuard({ limits, state }: { limits: GuardLimits; state: Partial<GuardState> }): Promise<ForkedGuard> {
  const child: ChildProcess = fork(MAIN, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const batches: ForkedGuard['batches'] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: FromGuard) => {
      if (message.kind === 'requests') batches.push(message);
      else if (message.kind === 'listening') resolve(message.port);
      else reject(new Error(`guard process could not listen: ${message.message}`));
    });
    child.once('exit', (code) => reject(new Error(`guard process exited (${code}) before it listened`)));
    const full: GuardState = {
      trustedProxies: ['127.0.0.1'],
      countRequests: true,
      mode: 'NORMAL',
      allowlist: [],
      decisions: decisionColumns([]),
      ipLists: [],
      ...state,
    };
    child.send({ kind: 'start', listen: { host: '127.0.0.1', port: 0 }, limits, state: full });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    pid: child.pid!,
    batches,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * A slowloris connection: a check's request line, then one header byte at a time, forever, until
 * the server closes it. `closed` resolves when it does.
 */
export function slowConnection(port: number): { socket: Socket; connected: Promise<void>; closed: Promise<void>; isClosed: () => boolean } {
  const socket = connect({ host: '127.0.0.1', port });
  let done = false;
  let timer: NodeJS.Timeout | null = null;
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.on('connect', () => {
    socket.write('GET /guard/check HTTP/1.1\r\nHost: guard\r\nX-Slow: ');
    timer = setInterval(() => socket.write('a'), 200);
  });
  // The server's reset shows as an error on the next byte: that, too, is the server closing it.
  socket.on('error', () => undefined);
  socket.resume();
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      done = true;
      if (timer) clearInterval(timer);
      resolve();
    }),
  );
  return { socket, connected, closed, isClosed: () => done };
}
