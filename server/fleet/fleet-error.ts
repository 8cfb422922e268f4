import { codedError } from '@/lib/errors';

export const FLEET_ERROR_STATUS = {
  // One answer for a wrong, expired or used-up token: a caller learns nothing about which.
  enrollment_refused: 401,
  invalid_public_key: 400,
  host_not_found: 404,
  command_not_found: 404,
  // A label filter that names no host: the operator meant some hosts, and none would act.
  no_matching_hosts: 422,
  fleet_unavailable: 503,
} as const;

export class FleetError extends codedError('FleetError', FLEET_ERROR_STATUS) {}
