import { DeliveryError } from '../delivery-error';

export interface PostInput {
  url: string;
  body: string;
  headers?: Record<string, string>;
  contentType?: string;
  timeoutMs: number;
  signal: AbortSignal;
}

/** The most a receiver may make one delivery wait between attempts; past it the attempt fails as usual. */
const RETRY_AFTER_CAP_MS = 5 * 60_000;

/**
 * One POST; resolves with the answer's text when it is a 2xx. A 429 or 5xx is retryable and
 * carries the receiver's wait: the Retry-After header, or `retry_after` in a JSON body
 * (Telegram puts it in `parameters`, Discord at the top, in seconds with a fraction).
 */
export async function postForText(input: PostInput): Promise<string> {
  let response: Response;
  try {
    response = await fetch(input.url, {
      method: 'POST',
      headers: { 'content-type': input.contentType ?? 'application/json', 'user-agent': 'Vigil', ...input.headers },
      body: input.body,
      // A redirect would carry a credential or a signed body to a host nobody configured.
      redirect: 'manual',
      signal: AbortSignal.any([input.signal, AbortSignal.timeout(input.timeoutMs)]),
    });
  } catch (error) {
    throw new DeliveryError(describeFetchError(error, input.timeoutMs), true);
  }
  // Bounded: an answer is a few hundred bytes; a receiver that streams more is not read further.
  const text = (await response.text().catch(() => '')).slice(0, 4096);
  if (response.ok) return text;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  const retryAfterMs = retryable ? retryAfterOf(response.headers.get('retry-after'), text) : null;
  const description = describeAnswer(text);
  throw new DeliveryError(`the receiver answered HTTP ${response.status}${description ? `: ${description}` : ''}`, retryable, retryAfterMs);
}

export function retryAfterOf(header: string | null, body: string): number | null {
  let seconds: number | null = null;
  try {
    const json = JSON.parse(body) as { retry_after?: unknown; parameters?: { retry_after?: unknown } };
    const value = json.parameters?.retry_after ?? json.retry_after;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) seconds = value;
  } catch {
    // Not JSON: the header decides.
  }
  if (seconds === null && header) {
    const number = Number(header);
    if (Number.isFinite(number) && number >= 0) seconds = number;
    else if (!Number.isNaN(Date.parse(header))) seconds = Math.max(0, (Date.parse(header) - Date.now()) / 1000);
  }
  return seconds === null ? null : Math.min(RETRY_AFTER_CAP_MS, Math.ceil(seconds * 1000));
}

/** The receiver's own words (Telegram's `description`, Discord's `message`, Opsgenie's `message`), one line. */
function describeAnswer(text: string): string {
  try {
    const json = JSON.parse(text) as { description?: unknown; message?: unknown; errors?: unknown };
    const said = json.description ?? json.message ?? (Array.isArray(json.errors) ? json.errors.join('; ') : undefined);
    return typeof said === 'string' ? said.replace(/\s+/g, ' ').slice(0, 200) : '';
  } catch {
    return '';
  }
}

export function describeFetchError(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  if (name === 'AbortError') return 'cancelled: the notifier is closing';
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return `could not reach the receiver: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? 'unknown error'}`;
}
