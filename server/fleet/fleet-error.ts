import { codedError } from '@/lib/errors';

export const FLEET_ERROR_STATUS = {
  // One answer for a wrong, expired or used-up token: a caller learns nothing about which.
  enrollment_refused: 401,
  invalid_public_key: 400,
  host_not_found: 404,
  command_not_found: 404,
  assignment_not_found: 404,
  version_not_found: 404,
  // The console's own host is configured by its file and its Settings page, not by an assignment.
  local_host_not_assignable: 422,
  // A label filter that names no host: the operator meant some hosts, and none would act.
  no_matching_hosts: 422,
  fleet_unavailable: 503,
  // A host's view asked of its agent: away with nothing kept, or an answer that is not a view.
  host_unreachable: 503,
  host_answer_invalid: 502,
  host_answer_refused: 502,
} as const;

export class FleetError extends codedError('FleetError', FLEET_ERROR_STATUS) {}
