import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from './http';
import { requireProgram } from './system-program';
import { waitFor } from './wait';

export interface SftpServer {
  port: number;
  user: string;
  /** What restic needs to reach it: the `sftp.command` option, with the test's own key and known host. */
  sftpCommand: string;
  repository(dir: string): string;
  stop(): Promise<void>;
}

/** True once something accepts TCP connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Debian's sshd on a loopback port, serving SFTP to the user running the tests with a key made
 * here, and a host key made here that the client trusts alone: nothing of the machine's own ssh set-up is used.
 */
export async function startSftpServer(dir: string): Promise<SftpServer> {
  const sshd = requireProgram({ paths: ['/usr/sbin/sshd'], aptPackage: 'openssh-server' });
  const keygen = requireProgram({ paths: ['/usr/bin/ssh-keygen'], aptPackage: 'openssh-client' });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(dir, name);
  for (const [name, type] of [
    ['host_key', 'ed25519'],
    ['user_key', 'ed25519'],
  ])
    execFileSync(keygen, ['-q', '-t', type, '-N', '', '-f', file(name)]);
  writeFileSync(file('authorized_keys'), readFileSync(file('user_key.pub')), { mode: 0o600 });
  const port = await findFreePort();
  writeFileSync(file('known_hosts'), `[127.0.0.1]:${port} ${readFileSync(file('host_key.pub'), 'utf8')}`);
  const user = os.userInfo().username;
  writeFileSync(
    file('sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${file('host_key')}`,
      `AuthorizedKeysFile ${file('authorized_keys')}`,
      `PidFile ${file('sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
    ].join('\n') + '\n',
  );
  // sshd refuses to start without its privilege separation directory, which Debian makes at boot.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn(sshd, ['-D', '-e', '-f', file('sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`sshd exited: ${stderr}`);
      return accepts(port);
    },
    { what: `sshd on port ${port}` },
  );
  const sftpCommand = [
    'ssh',
    `-i ${file('user_key')}`,
    `-p ${port}`,
    `-o UserKnownHostsFile=${file('known_hosts')}`,
    '-o StrictHostKeyChecking=yes',
    '-o BatchMode=yes',
    '-o IdentitiesOnly=yes',
    '-F /dev/null',
    `${user}@127.0.0.1`,
    '-s sftp',
  ].join(' ');
  return {
    port,
    user,
    sftpCommand,
    repository: (repoDir) => `sftp:${user}@127.0.0.1:${repoDir}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
