import { offsiteCheckRequestSchema, offsiteCopyRequestSchema, offsiteForgetRequestSchema, offsiteRestoreRequestSchema } from '@/lib/recovery/offsite-api';
import type { OperationSpec } from './operation-spec';

const offsite = (spec: Omit<OperationSpec, 'server' | 'auth'>): OperationSpec => ({ auth: 'session', ...spec, server: 'web' });

/** The operator API for off-site copies (app/api/snapshots/offsite), described as WEB_OPERATIONS describes the rest. */
export const OFFSITE_WEB_OPERATIONS: OperationSpec[] = [
  offsite({
    method: 'get',
    path: '/api/snapshots/offsite',
    tag: 'Snapshots',
    summary: 'Off-site repositories, their copies and when each was last verified',
    role: 'viewer',
  }),
  offsite({
    method: 'post',
    path: '/api/snapshots/offsite',
    tag: 'Snapshots',
    summary: 'Copy a snapshot into an off-site restic repository',
    role: 'operator',
    body: ['OffsiteCopyRequest', offsiteCopyRequestSchema],
  }),
  offsite({ method: 'get', path: '/api/snapshots/offsite/{repo}', tag: 'Snapshots', summary: "Vigil's snapshots in one off-site repository", role: 'viewer' }),
  offsite({
    method: 'post',
    path: '/api/snapshots/offsite/{repo}/restore',
    tag: 'Snapshots',
    summary: 'Restore a snapshot from an off-site repository through the golden restore',
    role: 'admin',
    body: ['OffsiteRestoreRequest', offsiteRestoreRequestSchema],
  }),
  offsite({
    method: 'post',
    path: '/api/snapshots/offsite/{repo}/check',
    tag: 'Snapshots',
    summary: 'restic check and a restore test of the newest copy',
    role: 'operator',
    body: ['OffsiteCheckRequest', offsiteCheckRequestSchema],
  }),
  offsite({
    method: 'post',
    path: '/api/snapshots/offsite/{repo}/forget',
    tag: 'Snapshots',
    summary: "Preview (or, for admins, apply) the repository's retention",
    role: 'operator',
    body: ['OffsiteForgetRequest', offsiteForgetRequestSchema],
  }),
];
