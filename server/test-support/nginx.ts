import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { requireProgram } from './system-program';
import { waitFor } from './wait';

/** Debian's nginx (package nginx-light); throws, naming the package, when it is not installed. */
export const nginxPath = (): string => requireProgram({ paths: ['/usr/sbin/nginx', '/usr/bin/nginx'], aptPackage: 'nginx-light' });

export interface NginxGuardOptions {
  nginx: string;
  dir: string;
  listenPort: number;
  /** Where nginx accepts clients; 127.0.0.1 unless a test host's side of a veth is added. */
  listenAddresses?: string[];
  workerPort: number;
  upstreamPort: number;
}

/** The config the README documents: auth_request to the guard, the client address passed on. */
export function nginxGuardConfig({ dir, listenPort, listenAddresses = ['127.0.0.1'], workerPort, upstreamPort }: Omit<NginxGuardOptions, 'nginx'>): string {
  const listen = listenAddresses.map((address) => `listen ${address}:${listenPort};`).join('\n    ');
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  return `${user}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream vigil_guard { server 127.0.0.1:${workerPort}; keepalive 16; }
  server {
    ${listen}
    location / {
      auth_request /_vigil_guard;
      proxy_pass http://127.0.0.1:${upstreamPort};
    }
    location = /_vigil_guard {
      internal;
      proxy_pass http://vigil_guard/guard/check;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Original-URI $request_uri;
    }
  }
}
`;
}

/** Runs nginx in the foreground with a generated config; stop() ends it and waits. */
export async function startNginxGuard(options: NginxGuardOptions): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  mkdirSync(options.dir, { recursive: true });
  const conf = `${options.dir}/nginx.conf`;
  writeFileSync(conf, nginxGuardConfig(options));
  const child = spawn(options.nginx, ['-p', options.dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const address of options.listenAddresses ?? ['127.0.0.1']) {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
        return fetch(`http://${address}:${options.listenPort}/`).then(
          () => true,
          () => false,
        );
      },
      { timeoutMs: 10_000, what: `nginx to listen on ${address}` },
    );
  }
  return {
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
    },
  };
}
