import { codedError } from '@/lib/errors';

/** A status page request refused, answered with its status. */
export class StatusPageError extends codedError('StatusPageError', { not_found: 404, conflict: 409 }) {}
