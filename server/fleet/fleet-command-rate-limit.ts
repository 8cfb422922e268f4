import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '@/lib/http-error';

/**
 * Commands one caller (a person or a token, as the audit names them) may send within a minute.
 * Every command writes rows for each host it targets and several audit events: a script gone
 * wrong, or a stolen operator token, would otherwise fill the console's database and the agents'
 * queues. Scripts driving a fleet stay well inside it; a fleet-wide target counts once.
 */
export const FLEET_COMMANDS_PER_MINUTE = 30;

export class FleetCommandRateLimit {
  private readonly limiter = new RateLimiterMemory({ points: FLEET_COMMANDS_PER_MINUTE, duration: 60 });

  /** Takes one command for `actor`, or throws a 429 with Retry-After once its minute is used up. */
  async take(actor: string): Promise<void> {
    try {
      await this.limiter.consume(actor);
    } catch (refusal) {
      const waitMs = refusal instanceof RateLimiterRes ? refusal.msBeforeNext : 60_000;
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new HttpError(429, 'rate_limited', `too many fleet commands from ${actor}; retry in ${seconds} s`, { 'retry-after': String(seconds) });
    }
  }
}
