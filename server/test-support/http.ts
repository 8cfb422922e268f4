export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ApiRequest {
  method?: string;
  token?: string | null;
  /** Serialised as JSON. */
  json?: unknown;
  /** Sent as is, for malformed bodies. */
  raw?: string;
  headers?: Record<string, string>;
}

/** One real HTTP request to a worker on the loopback. */
export async function api<T = unknown>(port: number, path: string, { method, token, json, raw, headers = {} }: ApiRequest = {}): Promise<ApiResponse<T>> {
  const body = raw ?? (json === undefined ? undefined : JSON.stringify(json));
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body,
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** A port nothing listens on right now (the OS picks it; a tiny race is acceptable in tests). */
export async function findFreePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls GET `path` until it answers 200 (a process that is still starting refuses or 404s). */
export async function waitForHttp(
  port: number,
  {
    path = '/healthz',
    timeoutMs = 30_000,
    isAlive = () => true,
    host = '127.0.0.1',
  }: { path?: string; timeoutMs?: number; isAlive?: () => boolean; host?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`http://${host}:${port}${path}`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (!isAlive()) throw new Error(`the process ended before ${path} answered`);
    if (Date.now() > deadline) throw new Error(`${path} on port ${port} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
