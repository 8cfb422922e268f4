import { signInPathFor } from '@/lib/auth/return-path';

/** Browser side of the operator API: one error type, CSRF header on every change. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="vigil-csrf"]')?.content ?? '';
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' ? { 'x-csrf-token': csrfToken() } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiRequestError(0, 'network', 'the console is not reachable');
  }
  const payload = (await response.json().catch(() => null)) as (T & { error?: { code: string; message: string } }) | null;
  if (!response.ok) {
    if (response.status === 401 && typeof window !== 'undefined' && !path.startsWith('/api/auth/')) {
      // A full load: the session ended, so nothing cached on this page should survive.
      window.location.href = signInPathFor(window.location.pathname + window.location.search);
    }
    throw new ApiRequestError(response.status, payload?.error?.code ?? 'error', payload?.error?.message ?? `request failed (${response.status})`);
  }
  return payload as T;
}
