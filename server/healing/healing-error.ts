import { codedError } from '@/lib/errors';

/** An operator's request the engine refuses, answered with its status. */
export class HealingError extends codedError('HealingError', { not_found: 404, conflict: 409, forbidden: 403, bad_input: 422 }) {}
