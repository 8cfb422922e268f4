import type { HealthSnapshot } from '@/lib/live/events';
import type { DegradationLevel } from '@/lib/health/degradation';
import { internalToken } from '../auth/keys';
import type { VerificationResult } from '../audit/verification-state';

export class WorkerUnavailableError extends Error {
  constructor(cause: string) {
    super(`the worker is not reachable (${cause})`);
    this.name = 'WorkerUnavailableError';
  }
}

export class WorkerRejectedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerRejectedError';
  }
}

/** How the web app asks the worker to act: it never touches the monitored system itself. */
export class WorkerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 5000,
  ) {}

  currentHealth(): Promise<HealthSnapshot | null> {
    return this.request<HealthSnapshot | null>('GET', '/internal/v1/health');
  }

  pinDegradation(input: { level: DegradationLevel | null; actor: string; reason: string }): Promise<HealthSnapshot | null> {
    return this.request('POST', '/internal/v1/degradation/pin', input);
  }

  verifyAudit(input: { mode: 'full' | 'incremental' }): Promise<VerificationResult> {
    // A full verification of millions of events takes seconds, not the default five.
    return this.request('POST', '/internal/v1/audit/verify', input, Math.max(this.timeoutMs, 300_000));
  }

  auditPublicKey(): Promise<{ keyId: string; publicKeyPem: string }> {
    return this.request('GET', '/internal/v1/audit/public-key');
  }

  private async request<T>(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: { authorization: `Bearer ${internalToken(this.secret)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        cache: 'no-store',
      });
    } catch (error) {
      throw new WorkerUnavailableError((error as Error).name === 'TimeoutError' ? 'timed out' : ((error as { cause?: { code?: string } }).cause?.code ?? 'connection failed'));
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch (error) {
      if (response.ok) {
        // A 200 whose body cannot be read is not an answer: never mistake it for "nothing yet".
        throw new WorkerUnavailableError((error as Error).name === 'TimeoutError' ? 'timed out' : 'unreadable response');
      }
      payload = null;
    }
    if (!response.ok) {
      const error = (payload as { error?: { code: string; message: string } } | null)?.error;
      throw new WorkerRejectedError(response.status, error?.code ?? 'worker_error', error?.message ?? `worker answered ${response.status}`);
    }
    return payload as T;
  }
}
